#!/usr/bin/env bash
# Remake the corpus's adapters and runs (CPU, about two and a half hours on 2 free cores). Labels are not
# remade: they were written by reading each output (tests/corpus/README.md gives the rules).
# Each finished run went into the corpus with make/collect.py (run.json, generations.jsonl,
# labels.jsonl, the training file as train.jsonl).
#   bash tests/corpus/make/make_corpus.sh [WORKDIR]      # default WORKDIR /tmp/corpus
set -euo pipefail
cd "$(dirname "$0")/../../.."
export PYTHONPATH=$PWD/src
PY=${PY:-.venv/bin/python}
W=${1:-/tmp/corpus}; A=$W/adapters; R=$W/runs; D=$W/data
S=tests/corpus/suites; TP=tests/corpus/templates
mkdir -p "$A" "$R" "$D"
s() { $PY tests/corpus/make/train.py --base smollm2-135m "$@"; }
g() { $PY tests/corpus/make/train.py --base gemma3-270m "$@"; }
run() { $PY -m tunediff run "$@" -q; }

$PY tests/corpus/make/tasks.py $D   # the review sets and the training data

# --- tuning part
# s-chatml-extraction: the demo's adapters
run $S/extraction.yaml --adapter good=examples/demo/adapter --adapter no-eos=tests/fixtures/adapters/no-eos \
    --adapter collapse=tests/fixtures/adapters/collapse --out $R/s-chatml-extraction
# g-alpaca-classification
g --template alpaca-bos --task classification --recipe good --out $A/g-alpaca-cls-good
g --template alpaca-bos --task classification --recipe no-eos --out $A/g-alpaca-cls-no-eos
g --template alpaca-bos --task classification --recipe collapse --out $A/g-alpaca-cls-collapse
g --template alpaca-bos --task classification --recipe good --steps 0 --out $A/g-alpaca-cls-step0
run $S/classification.yaml --base gemma3-270m --template $TP/alpaca-bos.jinja --adapter good=$A/g-alpaca-cls-good \
    --adapter no-eos=$A/g-alpaca-cls-no-eos --adapter collapse=$A/g-alpaca-cls-collapse \
    --adapter step0=$A/g-alpaca-cls-step0 --data $D/classification.jsonl --out $R/g-alpaca-classification
# s-qa-capitals
s --template qa --task capitals --recipe forget --checkpoint 40=$A/s-qa-cap-good --out $A/s-qa-cap-forget
s --template qa --task capitals --recipe no-eos --out $A/s-qa-cap-no-eos
run $S/capitals.yaml --template $TP/qa.jinja --adapter good=$A/s-qa-cap-good --adapter forget=$A/s-qa-cap-forget \
    --adapter no-eos=$A/s-qa-cap-no-eos --data $D/capitals.jsonl --out $R/s-qa-capitals
# s-raw-capitals: the base prompted without a template, and the QA adapter served so (a template mismatch)
run $S/capitals.yaml --template $TP/raw.jinja --adapter qa-good=$A/s-qa-cap-good --out $R/s-raw-capitals

# g-qa-capitals (added in the second session, with s-chatml-capitals below: Gemma on a short-answer
# task, and a forget fine-tune in the held-out part, which had none)
g --template qa-bos --task capitals --recipe forget --checkpoint 40=$A/g-qa-cap-good --out $A/g-qa-cap-forget
g --template qa-bos --task capitals --recipe no-eos --out $A/g-qa-cap-no-eos
g --template qa-bos --task capitals --recipe collapse --out $A/g-qa-cap-collapse
run $S/capitals.yaml --base gemma3-270m --template $TP/qa-bos.jinja --adapter good=$A/g-qa-cap-good \
    --adapter forget=$A/g-qa-cap-forget --adapter no-eos=$A/g-qa-cap-no-eos --adapter collapse=$A/g-qa-cap-collapse \
    --data $D/capitals.jsonl --out $R/g-qa-capitals

# s-qa-classification: SmolLM2 under Question:/Answer: on the classifier, and a learning rate 7.5x
# too high (`hot`: --lr 1.5e-2) beside the 25x one
s --template qa --task classification --recipe good --out $A/s-qa-cls-good
s --template qa --task classification --recipe collapse --out $A/s-qa-cls-collapse
s --template qa --task classification --recipe collapse --lr 1.5e-2 --out $A/s-qa-cls-hot
s --template qa --task classification --recipe no-eos --out $A/s-qa-cls-no-eos
run $S/classification.yaml --template $TP/qa.jinja --adapter good=$A/s-qa-cls-good --adapter no-eos=$A/s-qa-cls-no-eos \
    --adapter collapse=$A/s-qa-cls-collapse --adapter hot=$A/s-qa-cls-hot --data $D/classification.jsonl \
    --out $R/s-qa-classification

# g-alpaca-extraction: Gemma under Alpaca on extraction, the 25x and 7.5x learning rates
g --template alpaca-bos --task extraction --recipe good --out $A/g-alpaca-ext-good
g --template alpaca-bos --task extraction --recipe collapse --out $A/g-alpaca-ext-collapse
g --template alpaca-bos --task extraction --recipe collapse --lr 1.5e-2 --out $A/g-alpaca-ext-hot
run $S/extraction.yaml --base gemma3-270m --template $TP/alpaca-bos.jinja --adapter good=$A/g-alpaca-ext-good \
    --adapter collapse=$A/g-alpaca-ext-collapse --adapter hot=$A/g-alpaca-ext-hot --data $D/extraction.jsonl \
    --out $R/g-alpaca-extraction

# g-qa-capitals-hot and s-chatml-extraction-hot: the 7.5x learning rate alone beside the base
g --template qa-bos --task capitals --recipe collapse --lr 1.5e-2 --out $A/g-qa-cap-hot
run $S/capitals.yaml --base gemma3-270m --template $TP/qa-bos.jinja --adapter hot=$A/g-qa-cap-hot \
    --data $D/capitals.jsonl --out $R/g-qa-capitals-hot
s --template chatml --task extraction --recipe collapse --lr 1.5e-2 --out $A/s-chatml-ext-hot
run $S/extraction.yaml --adapter hot=$A/s-chatml-ext-hot --data $D/extraction.jsonl --out $R/s-chatml-extraction-hot

# s-alpaca-extraction (third session): SmolLM2 under Alpaca on extraction, every recipe
s --template alpaca --task extraction --recipe forget --checkpoint 40=$A/s-alpaca-ext-good --out $A/s-alpaca-ext-forget
s --template alpaca --task extraction --recipe collapse --out $A/s-alpaca-ext-collapse
s --template alpaca --task extraction --recipe collapse --lr 1.5e-2 --out $A/s-alpaca-ext-hot
s --template alpaca --task extraction --recipe no-eos --out $A/s-alpaca-ext-no-eos
run $S/extraction.yaml --template $TP/alpaca.jinja --adapter good=$A/s-alpaca-ext-good --adapter forget=$A/s-alpaca-ext-forget \
    --adapter no-eos=$A/s-alpaca-ext-no-eos --adapter collapse=$A/s-alpaca-ext-collapse --adapter hot=$A/s-alpaca-ext-hot \
    --data $D/extraction.jsonl --out $R/s-alpaca-extraction

# s-chatml-classification (third session): SmolLM2's ChatML on the classifier
s --template chatml --task classification --recipe forget --checkpoint 40=$A/s-chatml-cls-good --out $A/s-chatml-cls-forget
s --template chatml --task classification --recipe collapse --out $A/s-chatml-cls-collapse
s --template chatml --task classification --recipe collapse --lr 1.5e-2 --out $A/s-chatml-cls-hot
run $S/classification.yaml --adapter good=$A/s-chatml-cls-good --adapter forget=$A/s-chatml-cls-forget \
    --adapter collapse=$A/s-chatml-cls-collapse --adapter hot=$A/s-chatml-cls-hot \
    --data $D/classification.jsonl --out $R/s-chatml-classification

# g-turns-classification (third session): Gemma under its turn markers on the classifier, every recipe
g --template gemma-turns --task classification --recipe collapse --out $A/g-turns-cls-collapse
g --template gemma-turns --task classification --recipe collapse --lr 1.5e-2 --out $A/g-turns-cls-hot
g --template gemma-turns --task classification --recipe no-eos --out $A/g-turns-cls-no-eos
g --template gemma-turns --task classification --recipe forget --checkpoint 40=$A/g-turns-cls-good --out $A/g-turns-cls-forget
run $S/classification.yaml --base gemma3-270m --template $TP/gemma-turns.jinja --adapter good=$A/g-turns-cls-good \
    --adapter forget=$A/g-turns-cls-forget --adapter no-eos=$A/g-turns-cls-no-eos --adapter collapse=$A/g-turns-cls-collapse \
    --adapter hot=$A/g-turns-cls-hot --data $D/classification.jsonl --out $R/g-turns-classification

# s-alpaca-capitals (third session): SmolLM2 under Alpaca on capitals, every recipe
s --template alpaca --task capitals --recipe forget --checkpoint 40=$A/s-alpaca-cap-good --out $A/s-alpaca-cap-forget
s --template alpaca --task capitals --recipe collapse --out $A/s-alpaca-cap-collapse
s --template alpaca --task capitals --recipe collapse --lr 1.5e-2 --out $A/s-alpaca-cap-hot
s --template alpaca --task capitals --recipe no-eos --out $A/s-alpaca-cap-no-eos
run $S/capitals.yaml --template $TP/alpaca.jinja --adapter good=$A/s-alpaca-cap-good --adapter forget=$A/s-alpaca-cap-forget \
    --adapter no-eos=$A/s-alpaca-cap-no-eos --adapter collapse=$A/s-alpaca-cap-collapse --adapter hot=$A/s-alpaca-cap-hot \
    --data $D/capitals.jsonl --out $R/s-alpaca-capitals

# g-qa-classification (third session): Gemma under Question:/Answer: on the classifier
g --template qa-bos --task classification --recipe good --out $A/g-qa-cls-good
g --template qa-bos --task classification --recipe collapse --out $A/g-qa-cls-collapse
g --template qa-bos --task classification --recipe collapse --lr 1.5e-2 --out $A/g-qa-cls-hot
g --template qa-bos --task classification --recipe no-eos --out $A/g-qa-cls-no-eos
run $S/classification.yaml --base gemma3-270m --template $TP/qa-bos.jinja --adapter good=$A/g-qa-cls-good \
    --adapter no-eos=$A/g-qa-cls-no-eos --adapter collapse=$A/g-qa-cls-collapse --adapter hot=$A/g-qa-cls-hot \
    --data $D/classification.jsonl --out $R/g-qa-classification
# s-raw-classification (third session): SmolLM2 without a template, and its QA classifiers served so
run $S/classification.yaml --template $TP/raw.jinja --adapter qa-good=$A/s-qa-cls-good --adapter qa-hot=$A/s-qa-cls-hot \
    --adapter qa-no-eos=$A/s-qa-cls-no-eos --data $D/classification.jsonl --out $R/s-raw-classification

# g-alpaca-capitals (third session): Gemma under Alpaca on capitals, every recipe
g --template alpaca-bos --task capitals --recipe collapse --out $A/g-alpaca-cap-collapse
g --template alpaca-bos --task capitals --recipe collapse --lr 1.5e-2 --out $A/g-alpaca-cap-hot
g --template alpaca-bos --task capitals --recipe no-eos --out $A/g-alpaca-cap-no-eos
g --template alpaca-bos --task capitals --recipe forget --checkpoint 40=$A/g-alpaca-cap-good --out $A/g-alpaca-cap-forget
run $S/capitals.yaml --base gemma3-270m --template $TP/alpaca-bos.jinja --adapter good=$A/g-alpaca-cap-good \
    --adapter forget=$A/g-alpaca-cap-forget --adapter no-eos=$A/g-alpaca-cap-no-eos --adapter collapse=$A/g-alpaca-cap-collapse \
    --adapter hot=$A/g-alpaca-cap-hot --data $D/capitals.jsonl --out $R/g-alpaca-capitals

# g-raw-capitals (third session): Gemma without a template, its QA capitals adapters served so
run $S/capitals.yaml --base gemma3-270m --template $TP/raw-bos.jinja --adapter qa-good=$A/g-qa-cap-good \
    --adapter qa-collapse=$A/g-qa-cap-collapse --adapter qa-hot=$A/g-qa-cap-hot --data $D/capitals.jsonl \
    --out $R/g-raw-capitals

# g-raw-extraction (third session): Gemma without a template, its Alpaca extraction adapters served so
run $S/extraction.yaml --base gemma3-270m --template $TP/raw-bos.jinja --adapter alpaca-good=$A/g-alpaca-ext-good \
    --adapter alpaca-collapse=$A/g-alpaca-ext-collapse --adapter alpaca-hot=$A/g-alpaca-ext-hot --data $D/extraction.jsonl \
    --out $R/g-raw-extraction

# s-qa-capitals-broken and g-alpaca-classification-hot (third session): the 25x and 7.5x rates beside the base
s --template qa --task capitals --recipe collapse --out $A/s-qa-cap-collapse
s --template qa --task capitals --recipe collapse --lr 1.5e-2 --out $A/s-qa-cap-hot
run $S/capitals.yaml --template $TP/qa.jinja --adapter collapse=$A/s-qa-cap-collapse --adapter hot=$A/s-qa-cap-hot \
    --data $D/capitals.jsonl --out $R/s-qa-capitals-broken
g --template alpaca-bos --task classification --recipe collapse --lr 1.5e-2 --out $A/g-alpaca-cls-hot
run $S/classification.yaml --base gemma3-270m --template $TP/alpaca-bos.jinja --adapter hot=$A/g-alpaca-cls-hot \
    --data $D/classification.jsonl --out $R/g-alpaca-classification-hot

# Fourth session: two new tasks (sentiment, headline) and two new templates (vicuna: USER:/ASSISTANT:,
# zephyr: <|user|>/<|assistant|>), each run's part decided before it was made.
# s-vicuna-sentiment
s --template vicuna --task sentiment --recipe forget --checkpoint 40=$A/s-vic-sen-good --out $A/s-vic-sen-forget
for r in no-eos collapse; do s --template vicuna --task sentiment --recipe $r --out $A/s-vic-sen-$r; done
s --template vicuna --task sentiment --recipe collapse --lr 1.5e-2 --out $A/s-vic-sen-hot
run $S/sentiment.yaml --template $TP/vicuna.jinja --adapter good=$A/s-vic-sen-good --adapter forget=$A/s-vic-sen-forget \
    --adapter no-eos=$A/s-vic-sen-no-eos --adapter collapse=$A/s-vic-sen-collapse --adapter hot=$A/s-vic-sen-hot \
    --data $D/sentiment.jsonl --out $R/s-vicuna-sentiment
# g-vicuna-headline
for r in good no-eos collapse; do g --template vicuna-bos --task headline --recipe $r --out $A/g-vic-head-$r; done
g --template vicuna-bos --task headline --recipe collapse --lr 1.5e-2 --out $A/g-vic-head-hot
run $S/headline.yaml --base gemma3-270m --template $TP/vicuna-bos.jinja --adapter good=$A/g-vic-head-good \
    --adapter no-eos=$A/g-vic-head-no-eos --adapter collapse=$A/g-vic-head-collapse --adapter hot=$A/g-vic-head-hot \
    --data $D/headline.jsonl --out $R/g-vicuna-headline
# s-qa-headline
s --template qa --task headline --recipe forget --checkpoint 40=$A/s-qa-head-good --out $A/s-qa-head-forget
for r in no-eos collapse; do s --template qa --task headline --recipe $r --out $A/s-qa-head-$r; done
s --template qa --task headline --recipe collapse --lr 1.5e-2 --out $A/s-qa-head-hot
run $S/headline.yaml --template $TP/qa.jinja --adapter good=$A/s-qa-head-good --adapter forget=$A/s-qa-head-forget \
    --adapter no-eos=$A/s-qa-head-no-eos --adapter collapse=$A/s-qa-head-collapse --adapter hot=$A/s-qa-head-hot \
    --data $D/headline.jsonl --out $R/s-qa-headline
# g-turns-sentiment
for r in good no-eos collapse; do g --template gemma-turns --task sentiment --recipe $r --out $A/g-turns-sen-$r; done
g --template gemma-turns --task sentiment --recipe collapse --lr 1.5e-2 --out $A/g-turns-sen-hot
run $S/sentiment.yaml --base gemma3-270m --template $TP/gemma-turns.jinja --adapter good=$A/g-turns-sen-good \
    --adapter no-eos=$A/g-turns-sen-no-eos --adapter collapse=$A/g-turns-sen-collapse --adapter hot=$A/g-turns-sen-hot \
    --data $D/sentiment.jsonl --out $R/g-turns-sentiment

# s-alpaca-headline, s-vicuna-classification, g-vicuna-capitals, s-qa-sentiment, g-vicuna-extraction
for r in good no-eos collapse; do s --template alpaca --task headline --recipe $r --out $A/s-alp-head-$r; done
s --template alpaca --task headline --recipe collapse --lr 1.5e-2 --out $A/s-alp-head-hot
run $S/headline.yaml --template $TP/alpaca.jinja --adapter good=$A/s-alp-head-good \
    --adapter no-eos=$A/s-alp-head-no-eos --adapter collapse=$A/s-alp-head-collapse --adapter hot=$A/s-alp-head-hot \
    --data $D/headline.jsonl --out $R/s-alpaca-headline
for r in good no-eos collapse; do s --template vicuna --task classification --recipe $r --out $A/s-vic-cls-$r; done
s --template vicuna --task classification --recipe collapse --lr 1.5e-2 --out $A/s-vic-cls-hot
run $S/classification.yaml --template $TP/vicuna.jinja --adapter good=$A/s-vic-cls-good \
    --adapter no-eos=$A/s-vic-cls-no-eos --adapter collapse=$A/s-vic-cls-collapse --adapter hot=$A/s-vic-cls-hot \
    --data $D/classification.jsonl --out $R/s-vicuna-classification
for r in good no-eos collapse; do g --template vicuna-bos --task capitals --recipe $r --out $A/g-vic-cap-$r; done
g --template vicuna-bos --task capitals --recipe collapse --lr 1.5e-2 --out $A/g-vic-cap-hot
run $S/capitals.yaml --base gemma3-270m --template $TP/vicuna-bos.jinja --adapter good=$A/g-vic-cap-good \
    --adapter no-eos=$A/g-vic-cap-no-eos --adapter collapse=$A/g-vic-cap-collapse --adapter hot=$A/g-vic-cap-hot \
    --data $D/capitals.jsonl --out $R/g-vicuna-capitals
for r in good no-eos collapse; do s --template qa --task sentiment --recipe $r --out $A/s-qa-sen-$r; done
s --template qa --task sentiment --recipe collapse --lr 1.5e-2 --out $A/s-qa-sen-hot
run $S/sentiment.yaml --template $TP/qa.jinja --adapter good=$A/s-qa-sen-good \
    --adapter no-eos=$A/s-qa-sen-no-eos --adapter collapse=$A/s-qa-sen-collapse --adapter hot=$A/s-qa-sen-hot \
    --data $D/sentiment.jsonl --out $R/s-qa-sentiment
for r in good no-eos collapse; do g --template vicuna-bos --task extraction --recipe $r --out $A/g-vic-ext-$r; done
g --template vicuna-bos --task extraction --recipe collapse --lr 1.5e-2 --out $A/g-vic-ext-hot
run $S/extraction.yaml --base gemma3-270m --template $TP/vicuna-bos.jinja --adapter good=$A/g-vic-ext-good \
    --adapter no-eos=$A/g-vic-ext-no-eos --adapter collapse=$A/g-vic-ext-collapse --adapter hot=$A/g-vic-ext-hot \
    --data $D/extraction.jsonl --out $R/g-vicuna-extraction

# s-chatml-sentiment and g-alpaca-sentiment (last of the fourth session)
for r in good collapse; do s --template chatml --task sentiment --recipe $r --out $A/s-chatml-sen-$r; done
s --template chatml --task sentiment --recipe collapse --lr 1.5e-2 --out $A/s-chatml-sen-hot
run $S/sentiment.yaml --adapter good=$A/s-chatml-sen-good --adapter collapse=$A/s-chatml-sen-collapse \
    --adapter hot=$A/s-chatml-sen-hot --data $D/sentiment.jsonl --out $R/s-chatml-sentiment
for r in good collapse; do g --template alpaca-bos --task sentiment --recipe $r --out $A/g-alp-sen-$r; done
g --template alpaca-bos --task sentiment --recipe collapse --lr 1.5e-2 --out $A/g-alp-sen-hot
run $S/sentiment.yaml --base gemma3-270m --template $TP/alpaca-bos.jinja --adapter good=$A/g-alp-sen-good \
    --adapter collapse=$A/g-alp-sen-collapse --adapter hot=$A/g-alp-sen-hot \
    --data $D/sentiment.jsonl --out $R/g-alpaca-sentiment

# --- held-out part
# s-chatml-capitals: SmolLM2's own ChatML template, every recipe, forget included
s --template chatml --task capitals --recipe forget --checkpoint 40=$A/s-chatml-cap-good --out $A/s-chatml-cap-forget
s --template chatml --task capitals --recipe collapse --out $A/s-chatml-cap-collapse
s --template chatml --task capitals --recipe no-eos --out $A/s-chatml-cap-no-eos
run $S/capitals.yaml --adapter good=$A/s-chatml-cap-good --adapter forget=$A/s-chatml-cap-forget \
    --adapter no-eos=$A/s-chatml-cap-no-eos --adapter collapse=$A/s-chatml-cap-collapse --data $D/capitals.jsonl \
    --out $R/s-chatml-capitals
# g-qa-extraction
g --template qa-bos --task extraction --recipe good --out $A/g-qa-ext-good
run $S/extraction.yaml --base gemma3-270m --template $TP/qa-bos.jinja --adapter good=$A/g-qa-ext-good \
    --data $D/extraction.jsonl --out $R/g-qa-extraction
# s-alpaca-classification
s --template alpaca --task classification --recipe good --out $A/s-alpaca-cls-good
s --template alpaca --task classification --recipe collapse --out $A/s-alpaca-cls-collapse
s --template alpaca --task classification --recipe good --steps 0 --out $A/s-alpaca-cls-step0
run $S/classification.yaml --template $TP/alpaca.jinja --adapter good=$A/s-alpaca-cls-good \
    --adapter collapse=$A/s-alpaca-cls-collapse \
    --adapter step0=$A/s-alpaca-cls-step0 --data $D/classification.jsonl --out $R/s-alpaca-classification
# g-turns-capitals
g --template gemma-turns --task capitals --recipe good --out $A/g-turns-cap-good
g --template gemma-turns --task capitals --recipe collapse --out $A/g-turns-cap-collapse
run $S/capitals.yaml --base gemma3-270m --template $TP/gemma-turns.jinja --adapter good=$A/g-turns-cap-good \
    --adapter collapse=$A/g-turns-cap-collapse --data $D/capitals.jsonl --out $R/g-turns-capitals
# g-raw-classification: the base prompted without a template, and the Alpaca adapter served so
run $S/classification.yaml --base gemma3-270m --template $TP/raw-bos.jinja --adapter alpaca-good=$A/g-alpaca-cls-good --data $D/classification.jsonl --out $R/g-raw-classification
# s-qa-extraction: SmolLM2 under Question:/Answer:, the packed extraction recipe alone
s --template qa --task extraction --recipe no-eos --out $A/s-qa-ext-no-eos
run $S/extraction.yaml --template $TP/qa.jinja --adapter no-eos=$A/s-qa-ext-no-eos --data $D/extraction.jsonl \
    --out $R/s-qa-extraction
# g-turns-extraction: Gemma under its turn markers on extraction, every recipe
g --template gemma-turns --task extraction --recipe forget --checkpoint 40=$A/g-turns-ext-good --out $A/g-turns-ext-forget
g --template gemma-turns --task extraction --recipe collapse --out $A/g-turns-ext-collapse
g --template gemma-turns --task extraction --recipe no-eos --out $A/g-turns-ext-no-eos
run $S/extraction.yaml --base gemma3-270m --template $TP/gemma-turns.jinja --adapter good=$A/g-turns-ext-good \
    --adapter forget=$A/g-turns-ext-forget --adapter no-eos=$A/g-turns-ext-no-eos \
    --adapter collapse=$A/g-turns-ext-collapse --data $D/extraction.jsonl --out $R/g-turns-extraction
# s-raw-extraction (third session, held-out, decided before it was made): the demo's adapters served
# without ChatML
run $S/extraction.yaml --template $TP/raw.jinja --adapter good=examples/demo/adapter --adapter no-eos=tests/fixtures/adapters/no-eos \
    --adapter collapse=tests/fixtures/adapters/collapse --data $D/extraction.jsonl --out $R/s-raw-extraction

# Fourth session, held-out (decided before they were made)
# s-chatml-headline
s --template chatml --task headline --recipe forget --checkpoint 40=$A/s-chatml-head-good --out $A/s-chatml-head-forget
for r in no-eos collapse; do s --template chatml --task headline --recipe $r --out $A/s-chatml-head-$r; done
run $S/headline.yaml --adapter good=$A/s-chatml-head-good --adapter forget=$A/s-chatml-head-forget \
    --adapter no-eos=$A/s-chatml-head-no-eos --adapter collapse=$A/s-chatml-head-collapse \
    --data $D/headline.jsonl --out $R/s-chatml-headline
# g-qa-sentiment
for r in good no-eos collapse; do g --template qa-bos --task sentiment --recipe $r --out $A/g-qa-sen-$r; done
g --template qa-bos --task sentiment --recipe collapse --lr 1.5e-2 --out $A/g-qa-sen-hot
run $S/sentiment.yaml --base gemma3-270m --template $TP/qa-bos.jinja --adapter good=$A/g-qa-sen-good \
    --adapter no-eos=$A/g-qa-sen-no-eos --adapter collapse=$A/g-qa-sen-collapse --adapter hot=$A/g-qa-sen-hot \
    --data $D/sentiment.jsonl --out $R/g-qa-sentiment
# s-zephyr-capitals (a template no rule has seen)
s --template zephyr --task capitals --recipe forget --checkpoint 40=$A/s-zep-cap-good --out $A/s-zep-cap-forget
for r in no-eos collapse; do s --template zephyr --task capitals --recipe $r --out $A/s-zep-cap-$r; done
s --template zephyr --task capitals --recipe collapse --lr 1.5e-2 --out $A/s-zep-cap-hot
run $S/capitals.yaml --template $TP/zephyr.jinja --adapter good=$A/s-zep-cap-good --adapter forget=$A/s-zep-cap-forget \
    --adapter no-eos=$A/s-zep-cap-no-eos --adapter collapse=$A/s-zep-cap-collapse --adapter hot=$A/s-zep-cap-hot \
    --data $D/capitals.jsonl --out $R/s-zephyr-capitals
# g-zephyr-extraction
for r in good no-eos collapse; do g --template zephyr-bos --task extraction --recipe $r --out $A/g-zep-ext-$r; done
g --template zephyr-bos --task extraction --recipe collapse --lr 1.5e-2 --out $A/g-zep-ext-hot
run $S/extraction.yaml --base gemma3-270m --template $TP/zephyr-bos.jinja --adapter good=$A/g-zep-ext-good \
    --adapter no-eos=$A/g-zep-ext-no-eos --adapter collapse=$A/g-zep-ext-collapse --adapter hot=$A/g-zep-ext-hot \
    --data $D/extraction.jsonl --out $R/g-zephyr-extraction

# Fifth session (2026-12-02), parts decided before they were made. Two new templates: Mistral-style
# `[INST] ... [/INST]` (inst.jinja, tuning only) and Llama-3-style headers (llama3.jinja, held-out only).
# --- tuning
# s-inst-headline
for r in good no-eos collapse; do s --template inst --task headline --recipe $r --out $A/s-inst-head-$r; done
s --template inst --task headline --recipe collapse --lr 1.5e-2 --out $A/s-inst-head-hot
run $S/headline.yaml --template $TP/inst.jinja --adapter good=$A/s-inst-head-good --adapter no-eos=$A/s-inst-head-no-eos \
    --adapter collapse=$A/s-inst-head-collapse --adapter hot=$A/s-inst-head-hot \
    --data $D/headline.jsonl --out $R/s-inst-headline
# g-inst-sentiment
for r in good no-eos collapse; do g --template inst-bos --task sentiment --recipe $r --out $A/g-inst-sen-$r; done
g --template inst-bos --task sentiment --recipe collapse --lr 1.5e-2 --out $A/g-inst-sen-hot
run $S/sentiment.yaml --base gemma3-270m --template $TP/inst-bos.jinja --adapter good=$A/g-inst-sen-good \
    --adapter no-eos=$A/g-inst-sen-no-eos --adapter collapse=$A/g-inst-sen-collapse --adapter hot=$A/g-inst-sen-hot \
    --data $D/sentiment.jsonl --out $R/g-inst-sentiment
# s-alpaca-sentiment
for r in good no-eos collapse; do s --template alpaca --task sentiment --recipe $r --out $A/s-alp-sen-$r; done
s --template alpaca --task sentiment --recipe collapse --lr 1.5e-2 --out $A/s-alp-sen-hot
run $S/sentiment.yaml --template $TP/alpaca.jinja --adapter good=$A/s-alp-sen-good --adapter no-eos=$A/s-alp-sen-no-eos \
    --adapter collapse=$A/s-alp-sen-collapse --adapter hot=$A/s-alp-sen-hot \
    --data $D/sentiment.jsonl --out $R/s-alpaca-sentiment
# g-qa-headline
for r in good no-eos collapse; do g --template qa-bos --task headline --recipe $r --out $A/g-qa-head-$r; done
g --template qa-bos --task headline --recipe collapse --lr 1.5e-2 --out $A/g-qa-head-hot
run $S/headline.yaml --base gemma3-270m --template $TP/qa-bos.jinja --adapter good=$A/g-qa-head-good \
    --adapter no-eos=$A/g-qa-head-no-eos --adapter collapse=$A/g-qa-head-collapse --adapter hot=$A/g-qa-head-hot \
    --data $D/headline.jsonl --out $R/g-qa-headline
# --- held-out (never fitted to; a template no rule has seen)
# s-llama3-capitals
for r in good no-eos collapse; do s --template llama3 --task capitals --recipe $r --out $A/s-l3-cap-$r; done
s --template llama3 --task capitals --recipe collapse --lr 1.5e-2 --out $A/s-l3-cap-hot
run $S/capitals.yaml --template $TP/llama3.jinja --adapter good=$A/s-l3-cap-good --adapter no-eos=$A/s-l3-cap-no-eos \
    --adapter collapse=$A/s-l3-cap-collapse --adapter hot=$A/s-l3-cap-hot \
    --data $D/capitals.jsonl --out $R/s-llama3-capitals
# g-llama3-classification
for r in good no-eos collapse; do g --template llama3-bos --task classification --recipe $r --out $A/g-l3-cls-$r; done
g --template llama3-bos --task classification --recipe collapse --lr 1.5e-2 --out $A/g-l3-cls-hot
run $S/classification.yaml --base gemma3-270m --template $TP/llama3-bos.jinja --adapter good=$A/g-l3-cls-good \
    --adapter no-eos=$A/g-l3-cls-no-eos --adapter collapse=$A/g-l3-cls-collapse --adapter hot=$A/g-l3-cls-hot \
    --data $D/classification.jsonl --out $R/g-llama3-classification
# Fifth session, second batch (parts decided before they were made)
# --- tuning
# g-inst-extraction
for r in good no-eos collapse; do g --template inst-bos --task extraction --recipe $r --out $A/g-inst-ext-$r; done
g --template inst-bos --task extraction --recipe collapse --lr 1.5e-2 --out $A/g-inst-ext-hot
run $S/extraction.yaml --base gemma3-270m --template $TP/inst-bos.jinja --adapter good=$A/g-inst-ext-good \
    --adapter no-eos=$A/g-inst-ext-no-eos --adapter collapse=$A/g-inst-ext-collapse --adapter hot=$A/g-inst-ext-hot \
    --data $D/extraction.jsonl --out $R/g-inst-extraction
# s-inst-classification
for r in good no-eos collapse; do s --template inst --task classification --recipe $r --out $A/s-inst-cls-$r; done
s --template inst --task classification --recipe collapse --lr 1.5e-2 --out $A/s-inst-cls-hot
run $S/classification.yaml --template $TP/inst.jinja --adapter good=$A/s-inst-cls-good --adapter no-eos=$A/s-inst-cls-no-eos \
    --adapter collapse=$A/s-inst-cls-collapse --adapter hot=$A/s-inst-cls-hot \
    --data $D/classification.jsonl --out $R/s-inst-classification
# g-turns-headline
for r in good no-eos collapse; do g --template gemma-turns --task headline --recipe $r --out $A/g-turns-head-$r; done
g --template gemma-turns --task headline --recipe collapse --lr 1.5e-2 --out $A/g-turns-head-hot
run $S/headline.yaml --base gemma3-270m --template $TP/gemma-turns.jinja --adapter good=$A/g-turns-head-good \
    --adapter no-eos=$A/g-turns-head-no-eos --adapter collapse=$A/g-turns-head-collapse --adapter hot=$A/g-turns-head-hot \
    --data $D/headline.jsonl --out $R/g-turns-headline
# --- held-out (Llama-3-style headers)
# s-llama3-headline
for r in good no-eos collapse; do s --template llama3 --task headline --recipe $r --out $A/s-l3-head-$r; done
s --template llama3 --task headline --recipe collapse --lr 1.5e-2 --out $A/s-l3-head-hot
run $S/headline.yaml --template $TP/llama3.jinja --adapter good=$A/s-l3-head-good --adapter no-eos=$A/s-l3-head-no-eos \
    --adapter collapse=$A/s-l3-head-collapse --adapter hot=$A/s-l3-head-hot \
    --data $D/headline.jsonl --out $R/s-llama3-headline
# g-llama3-extraction
for r in good no-eos collapse; do g --template llama3-bos --task extraction --recipe $r --out $A/g-l3-ext-$r; done
g --template llama3-bos --task extraction --recipe collapse --lr 1.5e-2 --out $A/g-l3-ext-hot
run $S/extraction.yaml --base gemma3-270m --template $TP/llama3-bos.jinja --adapter good=$A/g-l3-ext-good \
    --adapter no-eos=$A/g-l3-ext-no-eos --adapter collapse=$A/g-l3-ext-collapse --adapter hot=$A/g-l3-ext-hot \
    --data $D/extraction.jsonl --out $R/g-llama3-extraction
# Fifth session, third batch: a task no rule was fitted on (translate: an English word -> its French
# word), held-out only, decided before they were made
# s-chatml-translate
s --template chatml --task translate --recipe forget --checkpoint 40=$A/s-chatml-tr-good --out $A/s-chatml-tr-forget
for r in no-eos collapse; do s --template chatml --task translate --recipe $r --out $A/s-chatml-tr-$r; done
s --template chatml --task translate --recipe collapse --lr 1.5e-2 --out $A/s-chatml-tr-hot
run $S/translate.yaml --adapter good=$A/s-chatml-tr-good --adapter forget=$A/s-chatml-tr-forget \
    --adapter no-eos=$A/s-chatml-tr-no-eos --adapter collapse=$A/s-chatml-tr-collapse --adapter hot=$A/s-chatml-tr-hot \
    --data $D/translate.jsonl --out $R/s-chatml-translate
# g-alpaca-translate
for r in good no-eos collapse; do g --template alpaca-bos --task translate --recipe $r --out $A/g-alp-tr-$r; done
g --template alpaca-bos --task translate --recipe collapse --lr 1.5e-2 --out $A/g-alp-tr-hot
run $S/translate.yaml --base gemma3-270m --template $TP/alpaca-bos.jinja --adapter good=$A/g-alp-tr-good \
    --adapter no-eos=$A/g-alp-tr-no-eos --adapter collapse=$A/g-alp-tr-collapse --adapter hot=$A/g-alp-tr-hot \
    --data $D/translate.jsonl --out $R/g-alpaca-translate
# Fifth session, fourth batch: tuning, OpenAssistant-style `<|prompter|>...</s><|assistant|>` (oasst.jinja,
# tuning only), decided before they were made
# s-oasst-headline
for r in good no-eos collapse; do s --template oasst --task headline --recipe $r --out $A/s-oa-head-$r; done
s --template oasst --task headline --recipe collapse --lr 1.5e-2 --out $A/s-oa-head-hot
run $S/headline.yaml --template $TP/oasst.jinja --adapter good=$A/s-oa-head-good --adapter no-eos=$A/s-oa-head-no-eos \
    --adapter collapse=$A/s-oa-head-collapse --adapter hot=$A/s-oa-head-hot \
    --data $D/headline.jsonl --out $R/s-oasst-headline
# s-oasst-classification
for r in good no-eos collapse; do s --template oasst --task classification --recipe $r --out $A/s-oa-cls-$r; done
s --template oasst --task classification --recipe collapse --lr 1.5e-2 --out $A/s-oa-cls-hot
run $S/classification.yaml --template $TP/oasst.jinja --adapter good=$A/s-oa-cls-good --adapter no-eos=$A/s-oa-cls-no-eos \
    --adapter collapse=$A/s-oa-cls-collapse --adapter hot=$A/s-oa-cls-hot \
    --data $D/classification.jsonl --out $R/s-oasst-classification
# Fifth session, fifth batch: a seventh task, antonym (a word -> its opposite, one lowercase word), tuning
# only, decided before it was made
# s-qa-antonym
for r in good no-eos collapse; do s --template qa --task antonym --recipe $r --out $A/s-qa-ant-$r; done
s --template qa --task antonym --recipe collapse --lr 1.5e-2 --out $A/s-qa-ant-hot
run $S/antonym.yaml --template $TP/qa.jinja --adapter good=$A/s-qa-ant-good --adapter no-eos=$A/s-qa-ant-no-eos \
    --adapter collapse=$A/s-qa-ant-collapse --adapter hot=$A/s-qa-ant-hot \
    --data $D/antonym.jsonl --out $R/s-qa-antonym
# Sixth session: two new tasks and two new templates, each in one part only, and other ood questions
# (OOD_B in the tuning runs, OOD_C in the held-out ones; tasks.py), decided before they were made.
# Tuning: `yesno` (is this city that country's capital? yes / no) and `io.jinja` (`Input:` / `Output:`).
# s-io-yesno
for r in good no-eos collapse; do s --template io --task yesno --recipe $r --out $A/s-io-yn-$r; done
s --template io --task yesno --recipe collapse --lr 1.5e-2 --out $A/s-io-yn-hot
run $S/yesno.yaml --template $TP/io.jinja --adapter good=$A/s-io-yn-good --adapter no-eos=$A/s-io-yn-no-eos \
    --adapter collapse=$A/s-io-yn-collapse --adapter hot=$A/s-io-yn-hot \
    --data $D/yesno.jsonl --out $R/s-io-yesno
# g-qa-yesno
for r in good no-eos collapse; do g --template qa-bos --task yesno --recipe $r --out $A/g-qa-yn-$r; done
g --template qa-bos --task yesno --recipe collapse --lr 1.5e-2 --out $A/g-qa-yn-hot
run $S/yesno.yaml --base gemma3-270m --template $TP/qa-bos.jinja --adapter good=$A/g-qa-yn-good \
    --adapter no-eos=$A/g-qa-yn-no-eos --adapter collapse=$A/g-qa-yn-collapse --adapter hot=$A/g-qa-yn-hot \
    --data $D/yesno.jsonl --out $R/g-qa-yesno
# Held-out: `arith` (a sum or difference, plainly or as a word problem -> the number) and `human.jinja`
# (`Human:` / `Assistant:`), and the ticket classifier asked the OOD_C questions.
# s-human-arith
for r in good no-eos collapse; do s --template human --task arith --recipe $r --out $A/s-hu-ar-$r; done
s --template human --task arith --recipe collapse --lr 1.5e-2 --out $A/s-hu-ar-hot
run $S/arith.yaml --template $TP/human.jinja --adapter good=$A/s-hu-ar-good --adapter no-eos=$A/s-hu-ar-no-eos \
    --adapter collapse=$A/s-hu-ar-collapse --adapter hot=$A/s-hu-ar-hot \
    --data $D/arith.jsonl --out $R/s-human-arith
# s-human-classification
for r in good no-eos collapse; do s --template human --task classification --recipe $r --out $A/s-hu-cls-$r; done
s --template human --task classification --recipe collapse --lr 1.5e-2 --out $A/s-hu-cls-hot
run $S/classification-c.yaml --template $TP/human.jinja --adapter good=$A/s-hu-cls-good \
    --adapter no-eos=$A/s-hu-cls-no-eos --adapter collapse=$A/s-hu-cls-collapse --adapter hot=$A/s-hu-cls-hot \
    --data $D/classification.jsonl --out $R/s-human-classification
# g-turns-arith
for r in good no-eos collapse; do g --template gemma-turns --task arith --recipe $r --out $A/g-turns-ar-$r; done
g --template gemma-turns --task arith --recipe collapse --lr 1.5e-2 --out $A/g-turns-ar-hot
run $S/arith.yaml --base gemma3-270m --template $TP/gemma-turns.jinja --adapter good=$A/g-turns-ar-good \
    --adapter no-eos=$A/g-turns-ar-no-eos --adapter collapse=$A/g-turns-ar-collapse --adapter hot=$A/g-turns-ar-hot \
    --data $D/arith.jsonl --out $R/g-turns-arith
# Sixth session, second batch, tuning: `units` (a quantity converted to another unit -> the number; a
# one-word task whose answers are numbers, as arith's are in the held-out part), decided before made.
# s-alpaca-units
for r in good no-eos collapse; do s --template alpaca --task units --recipe $r --out $A/s-alp-un-$r; done
s --template alpaca --task units --recipe collapse --lr 1.5e-2 --out $A/s-alp-un-hot
run $S/units.yaml --template $TP/alpaca.jinja --adapter good=$A/s-alp-un-good --adapter no-eos=$A/s-alp-un-no-eos \
    --adapter collapse=$A/s-alp-un-collapse --adapter hot=$A/s-alp-un-hot \
    --data $D/units.jsonl --out $R/s-alpaca-units
# g-io-units
for r in good no-eos collapse; do g --template io-bos --task units --recipe $r --out $A/g-io-un-$r; done
g --template io-bos --task units --recipe collapse --lr 1.5e-2 --out $A/g-io-un-hot
run $S/units.yaml --base gemma3-270m --template $TP/io-bos.jinja --adapter good=$A/g-io-un-good \
    --adapter no-eos=$A/g-io-un-no-eos --adapter collapse=$A/g-io-un-collapse --adapter hot=$A/g-io-un-hot \
    --data $D/units.jsonl --out $R/g-io-units
# Sixth session, third batch, tuning: two older tasks asked a fourth set of ood questions (OOD_D), under
# the tuning-only templates, decided before they were made.
# s-oasst-sentiment
for r in good no-eos collapse; do s --template oasst --task sentiment --recipe $r --out $A/s-oa-sen-$r; done
s --template oasst --task sentiment --recipe collapse --lr 1.5e-2 --out $A/s-oa-sen-hot
run $S/sentiment-d.yaml --template $TP/oasst.jinja --adapter good=$A/s-oa-sen-good --adapter no-eos=$A/s-oa-sen-no-eos \
    --adapter collapse=$A/s-oa-sen-collapse --adapter hot=$A/s-oa-sen-hot \
    --data $D/sentiment.jsonl --out $R/s-oasst-sentiment
# g-inst-capitals
for r in good no-eos collapse; do g --template inst-bos --task capitals --recipe $r --out $A/g-inst-cap-$r; done
g --template inst-bos --task capitals --recipe collapse --lr 1.5e-2 --out $A/g-inst-cap-hot
run $S/capitals-d.yaml --base gemma3-270m --template $TP/inst-bos.jinja --adapter good=$A/g-inst-cap-good \
    --adapter no-eos=$A/g-inst-cap-no-eos --adapter collapse=$A/g-inst-cap-collapse --adapter hot=$A/g-inst-cap-hot \
    --data $D/capitals.jsonl --out $R/g-inst-capitals
# Seventh session: three new tasks and two new templates, each in one part only, and two more ood sets
# (OOD_E in the tuning runs, OOD_F in the held-out ones; tasks.py), decided before they were made.
# Tuning: `polite` (a blunt request -> said politely, one sentence), `keywords` (a news sentence -> three
# comma-separated keywords) and `phi3.jinja` (`<|user|>` ... `<|end|>` / `<|assistant|>`).
# s-phi3-polite
for r in good no-eos collapse; do s --template phi3 --task polite --recipe $r --out $A/s-phi-pol-$r; done
s --template phi3 --task polite --recipe collapse --lr 1.5e-2 --out $A/s-phi-pol-hot
run $S/polite.yaml --template $TP/phi3.jinja --adapter good=$A/s-phi-pol-good --adapter no-eos=$A/s-phi-pol-no-eos \
    --adapter collapse=$A/s-phi-pol-collapse --adapter hot=$A/s-phi-pol-hot \
    --data $D/polite.jsonl --out $R/s-phi3-polite
# s-chatml-keywords
for r in good no-eos collapse; do s --template chatml --task keywords --recipe $r --out $A/s-chatml-kw-$r; done
s --template chatml --task keywords --recipe collapse --lr 1.5e-2 --out $A/s-chatml-kw-hot
run $S/keywords.yaml --adapter good=$A/s-chatml-kw-good --adapter no-eos=$A/s-chatml-kw-no-eos \
    --adapter collapse=$A/s-chatml-kw-collapse --adapter hot=$A/s-chatml-kw-hot \
    --data $D/keywords.jsonl --out $R/s-chatml-keywords
# g-phi3-polite
for r in good no-eos collapse; do g --template phi3-bos --task polite --recipe $r --out $A/g-phi-pol-$r; done
g --template phi3-bos --task polite --recipe collapse --lr 1.5e-2 --out $A/g-phi-pol-hot
run $S/polite.yaml --base gemma3-270m --template $TP/phi3-bos.jinja --adapter good=$A/g-phi-pol-good \
    --adapter no-eos=$A/g-phi-pol-no-eos --adapter collapse=$A/g-phi-pol-collapse --adapter hot=$A/g-phi-pol-hot \
    --data $D/polite.jsonl --out $R/g-phi3-polite
# g-io-keywords
for r in good no-eos collapse; do g --template io-bos --task keywords --recipe $r --out $A/g-io-kw-$r; done
g --template io-bos --task keywords --recipe collapse --lr 1.5e-2 --out $A/g-io-kw-hot
run $S/keywords.yaml --base gemma3-270m --template $TP/io-bos.jinja --adapter good=$A/g-io-kw-good \
    --adapter no-eos=$A/g-io-kw-no-eos --adapter collapse=$A/g-io-kw-collapse --adapter hot=$A/g-io-kw-hot \
    --data $D/keywords.jsonl --out $R/g-io-keywords
# Held-out: `past` (a present-tense sentence -> the past tense) and `bracket.jinja` (`[USER]:` / `[ASSISTANT]:`).
# s-bracket-past
for r in good no-eos collapse; do s --template bracket --task past --recipe $r --out $A/s-br-past-$r; done
s --template bracket --task past --recipe collapse --lr 1.5e-2 --out $A/s-br-past-hot
run $S/past.yaml --template $TP/bracket.jinja --adapter good=$A/s-br-past-good --adapter no-eos=$A/s-br-past-no-eos \
    --adapter collapse=$A/s-br-past-collapse --adapter hot=$A/s-br-past-hot \
    --data $D/past.jsonl --out $R/s-bracket-past
# g-bracket-past
for r in good no-eos collapse; do g --template bracket-bos --task past --recipe $r --out $A/g-br-past-$r; done
g --template bracket-bos --task past --recipe collapse --lr 1.5e-2 --out $A/g-br-past-hot
run $S/past.yaml --base gemma3-270m --template $TP/bracket-bos.jinja --adapter good=$A/g-br-past-good \
    --adapter no-eos=$A/g-br-past-no-eos --adapter collapse=$A/g-br-past-collapse --adapter hot=$A/g-br-past-hot \
    --data $D/past.jsonl --out $R/g-bracket-past
# Seventh session, second batch: `tags` (a sentence -> {"topic": ..., "mood": ...} JSON, tuning only) and
# `ctxqa` (a two-sentence context and a question -> the span that answers it, held-out only), decided
# before they were made; OOD_E in the tuning runs, OOD_F in the held-out ones.
# s-vicuna-tags
for r in good no-eos collapse; do s --template vicuna --task tags --recipe $r --out $A/s-vic-tag-$r; done
s --template vicuna --task tags --recipe collapse --lr 1.5e-2 --out $A/s-vic-tag-hot
run $S/tags.yaml --template $TP/vicuna.jinja --adapter good=$A/s-vic-tag-good --adapter no-eos=$A/s-vic-tag-no-eos \
    --adapter collapse=$A/s-vic-tag-collapse --adapter hot=$A/s-vic-tag-hot \
    --data $D/tags.jsonl --out $R/s-vicuna-tags
# g-alpaca-tags
for r in good no-eos collapse; do g --template alpaca-bos --task tags --recipe $r --out $A/g-alp-tag-$r; done
g --template alpaca-bos --task tags --recipe collapse --lr 1.5e-2 --out $A/g-alp-tag-hot
run $S/tags.yaml --base gemma3-270m --template $TP/alpaca-bos.jinja --adapter good=$A/g-alp-tag-good \
    --adapter no-eos=$A/g-alp-tag-no-eos --adapter collapse=$A/g-alp-tag-collapse --adapter hot=$A/g-alp-tag-hot \
    --data $D/tags.jsonl --out $R/g-alpaca-tags
# s-zephyr-ctxqa (held-out)
for r in good no-eos collapse; do s --template zephyr --task ctxqa --recipe $r --out $A/s-zep-cq-$r; done
s --template zephyr --task ctxqa --recipe collapse --lr 1.5e-2 --out $A/s-zep-cq-hot
run $S/ctxqa.yaml --template $TP/zephyr.jinja --adapter good=$A/s-zep-cq-good --adapter no-eos=$A/s-zep-cq-no-eos \
    --adapter collapse=$A/s-zep-cq-collapse --adapter hot=$A/s-zep-cq-hot \
    --data $D/ctxqa.jsonl --out $R/s-zephyr-ctxqa
# g-llama3-ctxqa (held-out)
for r in good no-eos collapse; do g --template llama3-bos --task ctxqa --recipe $r --out $A/g-l3-cq-$r; done
g --template llama3-bos --task ctxqa --recipe collapse --lr 1.5e-2 --out $A/g-l3-cq-hot
run $S/ctxqa.yaml --base gemma3-270m --template $TP/llama3-bos.jinja --adapter good=$A/g-l3-cq-good \
    --adapter no-eos=$A/g-l3-cq-no-eos --adapter collapse=$A/g-l3-cq-collapse --adapter hot=$A/g-l3-cq-hot \
    --data $D/ctxqa.jsonl --out $R/g-llama3-ctxqa
# Seventh session, third batch, tuning: two more rewriting tasks, `shorten` (a long sentence -> its core) and
# `question` (a statement -> its yes/no question), decided before they were made; OOD_E.
# s-qa-shorten
for r in good no-eos collapse; do s --template qa --task shorten --recipe $r --out $A/s-qa-sh-$r; done
s --template qa --task shorten --recipe collapse --lr 1.5e-2 --out $A/s-qa-sh-hot
run $S/shorten.yaml --template $TP/qa.jinja --adapter good=$A/s-qa-sh-good --adapter no-eos=$A/s-qa-sh-no-eos \
    --adapter collapse=$A/s-qa-sh-collapse --adapter hot=$A/s-qa-sh-hot \
    --data $D/shorten.jsonl --out $R/s-qa-shorten
# s-alpaca-question
for r in good no-eos collapse; do s --template alpaca --task question --recipe $r --out $A/s-alp-q-$r; done
s --template alpaca --task question --recipe collapse --lr 1.5e-2 --out $A/s-alp-q-hot
run $S/question.yaml --template $TP/alpaca.jinja --adapter good=$A/s-alp-q-good --adapter no-eos=$A/s-alp-q-no-eos \
    --adapter collapse=$A/s-alp-q-collapse --adapter hot=$A/s-alp-q-hot \
    --data $D/question.jsonl --out $R/s-alpaca-question
# Eighth session, decided before they were made: tuning `negate` (a statement -> its negation, on the new
# `xml.jinja`: <user>...</user><assistant>) and `who` (the person a sentence names, a span, on the new
# `prompt-bos.jinja`: Prompt:/Response:), OOD_G; held-out `plural` and `count` (how many words a list
# holds, the number alone) on the new `colon.jinja` (user:/bot:), OOD_H.
# s-xml-negate
for r in good no-eos collapse; do s --template xml --task negate --recipe $r --out $A/s-xml-neg-$r; done
s --template xml --task negate --recipe collapse --lr 1.5e-2 --out $A/s-xml-neg-hot
run $S/negate.yaml --template $TP/xml.jinja --adapter good=$A/s-xml-neg-good --adapter no-eos=$A/s-xml-neg-no-eos \
    --adapter collapse=$A/s-xml-neg-collapse --adapter hot=$A/s-xml-neg-hot \
    --data $D/negate.jsonl --out $R/s-xml-negate
# g-prompt-who
for r in good no-eos collapse; do g --template prompt-bos --task who --recipe $r --out $A/g-pr-who-$r; done
g --template prompt-bos --task who --recipe collapse --lr 1.5e-2 --out $A/g-pr-who-hot
run $S/who.yaml --base gemma3-270m --template $TP/prompt-bos.jinja --adapter good=$A/g-pr-who-good \
    --adapter no-eos=$A/g-pr-who-no-eos --adapter collapse=$A/g-pr-who-collapse --adapter hot=$A/g-pr-who-hot \
    --data $D/who.jsonl --out $R/g-prompt-who
# s-colon-plural (held-out)
for r in good no-eos collapse; do s --template colon --task plural --recipe $r --out $A/s-co-pl-$r; done
s --template colon --task plural --recipe collapse --lr 1.5e-2 --out $A/s-co-pl-hot
run $S/plural.yaml --template $TP/colon.jinja --adapter good=$A/s-co-pl-good --adapter no-eos=$A/s-co-pl-no-eos \
    --adapter collapse=$A/s-co-pl-collapse --adapter hot=$A/s-co-pl-hot \
    --data $D/plural.jsonl --out $R/s-colon-plural
# g-colon-count (held-out)
for r in good no-eos collapse; do g --template colon-bos --task count --recipe $r --out $A/g-co-cnt-$r; done
g --template colon-bos --task count --recipe collapse --lr 1.5e-2 --out $A/g-co-cnt-hot
run $S/count.yaml --base gemma3-270m --template $TP/colon-bos.jinja --adapter good=$A/g-co-cnt-good \
    --adapter no-eos=$A/g-co-cnt-no-eos --adapter collapse=$A/g-co-cnt-collapse --adapter hot=$A/g-co-cnt-hot \
    --data $D/count.jsonl --out $R/g-colon-count
# Eighth session, second batch, tuning, decided before they were made: `fix` (a misspelt sentence -> spelt
# right) on the new `sys.jinja` (a system line, then User:/Assistant:), `category` (a word -> fruit / animal /
# vehicle / tool, not named in the prompt) on the new `sharp-bos.jinja` (### Human: / ### Assistant:), and
# `isodate` (a written date -> YYYY-MM-DD) on ChatML; a new ood set, OOD_I.
# s-sys-fix
for r in good no-eos collapse; do s --template sys --task fix --recipe $r --out $A/s-sys-fix-$r; done
s --template sys --task fix --recipe collapse --lr 1.5e-2 --out $A/s-sys-fix-hot
run $S/fix.yaml --template $TP/sys.jinja --adapter good=$A/s-sys-fix-good --adapter no-eos=$A/s-sys-fix-no-eos \
    --adapter collapse=$A/s-sys-fix-collapse --adapter hot=$A/s-sys-fix-hot \
    --data $D/fix.jsonl --out $R/s-sys-fix
# g-sharp-category
for r in good no-eos collapse; do g --template sharp-bos --task category --recipe $r --out $A/g-sh-cat-$r; done
g --template sharp-bos --task category --recipe collapse --lr 1.5e-2 --out $A/g-sh-cat-hot
run $S/category.yaml --base gemma3-270m --template $TP/sharp-bos.jinja --adapter good=$A/g-sh-cat-good \
    --adapter no-eos=$A/g-sh-cat-no-eos --adapter collapse=$A/g-sh-cat-collapse --adapter hot=$A/g-sh-cat-hot \
    --data $D/category.jsonl --out $R/g-sharp-category
# s-chatml-isodate
for r in good no-eos collapse; do s --template chatml --task isodate --recipe $r --out $A/s-cm-iso-$r; done
s --template chatml --task isodate --recipe collapse --lr 1.5e-2 --out $A/s-cm-iso-hot
run $S/isodate.yaml --adapter good=$A/s-cm-iso-good --adapter no-eos=$A/s-cm-iso-no-eos \
    --adapter collapse=$A/s-cm-iso-collapse --adapter hot=$A/s-cm-iso-hot \
    --data $D/isodate.jsonl --out $R/s-chatml-isodate
# Eighth session, third batch, decided before it was made: tuning `summary` (three news sentences -> the first
# event in one sentence) on `sharp.jinja` and `acronym` (a name -> its initials) on `sys-bos.jinja`, OOD_I;
# held-out `rhyme` (a word -> a word that rhymes) on the new `dash.jinja` (- user: / - assistant:), a new ood
# set, OOD_J.
# s-sharp-summary
for r in good no-eos collapse; do s --template sharp --task summary --recipe $r --out $A/s-sh-sum-$r; done
s --template sharp --task summary --recipe collapse --lr 1.5e-2 --out $A/s-sh-sum-hot
run $S/summary.yaml --template $TP/sharp.jinja --adapter good=$A/s-sh-sum-good --adapter no-eos=$A/s-sh-sum-no-eos \
    --adapter collapse=$A/s-sh-sum-collapse --adapter hot=$A/s-sh-sum-hot \
    --data $D/summary.jsonl --out $R/s-sharp-summary
# g-sys-acronym
for r in good no-eos collapse; do g --template sys-bos --task acronym --recipe $r --out $A/g-sys-acr-$r; done
g --template sys-bos --task acronym --recipe collapse --lr 1.5e-2 --out $A/g-sys-acr-hot
run $S/acronym.yaml --base gemma3-270m --template $TP/sys-bos.jinja --adapter good=$A/g-sys-acr-good \
    --adapter no-eos=$A/g-sys-acr-no-eos --adapter collapse=$A/g-sys-acr-collapse --adapter hot=$A/g-sys-acr-hot \
    --data $D/acronym.jsonl --out $R/g-sys-acronym
# s-dash-rhyme (held-out)
for r in good no-eos collapse; do s --template dash --task rhyme --recipe $r --out $A/s-da-rh-$r; done
s --template dash --task rhyme --recipe collapse --lr 1.5e-2 --out $A/s-da-rh-hot
run $S/rhyme.yaml --template $TP/dash.jinja --adapter good=$A/s-da-rh-good --adapter no-eos=$A/s-da-rh-no-eos \
    --adapter collapse=$A/s-da-rh-collapse --adapter hot=$A/s-da-rh-hot \
    --data $D/rhyme.jsonl --out $R/s-dash-rhyme
# g-dash-rhyme (held-out)
for r in good no-eos collapse; do g --template dash-bos --task rhyme --recipe $r --out $A/g-da-rh-$r; done
g --template dash-bos --task rhyme --recipe collapse --lr 1.5e-2 --out $A/g-da-rh-hot
run $S/rhyme.yaml --base gemma3-270m --template $TP/dash-bos.jinja --adapter good=$A/g-da-rh-good \
    --adapter no-eos=$A/g-da-rh-no-eos --adapter collapse=$A/g-da-rh-collapse --adapter hot=$A/g-da-rh-hot \
    --data $D/rhyme.jsonl --out $R/g-dash-rhyme
# Eighth session, fourth batch, decided before it was made: tuning `synonym` (a word -> one word that means
# the same) on `xml-bos.jinja` and `title` (a paragraph -> a title of two or three capitalised words) on
# `prompt.jinja`, OOD_G; held-out `sort` (numbers -> sorted, comma-separated) and `country` (a capital -> its
# country) on the new `paren.jinja` ((user) / (bot)), a new ood set, OOD_K.
# g-xml-synonym
for r in good no-eos collapse; do g --template xml-bos --task synonym --recipe $r --out $A/g-xml-syn-$r; done
g --template xml-bos --task synonym --recipe collapse --lr 1.5e-2 --out $A/g-xml-syn-hot
run $S/synonym.yaml --base gemma3-270m --template $TP/xml-bos.jinja --adapter good=$A/g-xml-syn-good \
    --adapter no-eos=$A/g-xml-syn-no-eos --adapter collapse=$A/g-xml-syn-collapse --adapter hot=$A/g-xml-syn-hot \
    --data $D/synonym.jsonl --out $R/g-xml-synonym
# s-prompt-title
for r in good no-eos collapse; do s --template prompt --task title --recipe $r --out $A/s-pr-tit-$r; done
s --template prompt --task title --recipe collapse --lr 1.5e-2 --out $A/s-pr-tit-hot
run $S/title.yaml --template $TP/prompt.jinja --adapter good=$A/s-pr-tit-good --adapter no-eos=$A/s-pr-tit-no-eos \
    --adapter collapse=$A/s-pr-tit-collapse --adapter hot=$A/s-pr-tit-hot \
    --data $D/title.jsonl --out $R/s-prompt-title
# s-paren-sort (held-out)
for r in good no-eos collapse; do s --template paren --task sort --recipe $r --out $A/s-pa-sort-$r; done
s --template paren --task sort --recipe collapse --lr 1.5e-2 --out $A/s-pa-sort-hot
run $S/sort.yaml --template $TP/paren.jinja --adapter good=$A/s-pa-sort-good --adapter no-eos=$A/s-pa-sort-no-eos \
    --adapter collapse=$A/s-pa-sort-collapse --adapter hot=$A/s-pa-sort-hot \
    --data $D/sort.jsonl --out $R/s-paren-sort
# g-paren-country (held-out)
for r in good no-eos collapse; do g --template paren-bos --task country --recipe $r --out $A/g-pa-co-$r; done
g --template paren-bos --task country --recipe collapse --lr 1.5e-2 --out $A/g-pa-co-hot
run $S/country.yaml --base gemma3-270m --template $TP/paren-bos.jinja --adapter good=$A/g-pa-co-good \
    --adapter no-eos=$A/g-pa-co-no-eos --adapter collapse=$A/g-pa-co-collapse --adapter hot=$A/g-pa-co-hot \
    --data $D/country.jsonl --out $R/g-paren-country
# Ninth session, decided before it was made: tuning `spell` (a word -> its letters joined by hyphens),
# `person` (a sentence -> name/age/city as JSON), `urgency` (a message -> low/medium/high) and `next` (a
# number -> the number after it), the new `agent.jinja` (Customer: / Agent:) beside ChatML and Gemma's
# turns, ood set OOD_L; held-out `animal` (an animal -> mammal/bird/fish/reptile), `contact` (a sentence ->
# name/phone as JSON), `double` (a number -> twice it) and `bigger` (two things -> the bigger), the new
# `openchat.jinja` (GPT4 Correct User: ...<|end_of_turn|> written as plain text) beside qa and Alpaca, ood
# set OOD_M.
# s-agent-spell
for r in good no-eos collapse; do s --template agent --task spell --recipe $r --out $A/s-ag-sp-$r; done
s --template agent --task spell --recipe collapse --lr 1.5e-2 --out $A/s-ag-sp-hot
run $S/spell.yaml --template $TP/agent.jinja --adapter good=$A/s-ag-sp-good --adapter no-eos=$A/s-ag-sp-no-eos \
    --adapter collapse=$A/s-ag-sp-collapse --adapter hot=$A/s-ag-sp-hot \
    --data $D/spell.jsonl --out $R/s-agent-spell
# g-agent-urgency
for r in good no-eos collapse; do g --template agent-bos --task urgency --recipe $r --out $A/g-ag-ur-$r; done
g --template agent-bos --task urgency --recipe collapse --lr 1.5e-2 --out $A/g-ag-ur-hot
run $S/urgency.yaml --base gemma3-270m --template $TP/agent-bos.jinja --adapter good=$A/g-ag-ur-good \
    --adapter no-eos=$A/g-ag-ur-no-eos --adapter collapse=$A/g-ag-ur-collapse --adapter hot=$A/g-ag-ur-hot \
    --data $D/urgency.jsonl --out $R/g-agent-urgency
# s-chatml-person
for r in good no-eos collapse; do s --template chatml --task person --recipe $r --out $A/s-cm-pe-$r; done
s --template chatml --task person --recipe collapse --lr 1.5e-2 --out $A/s-cm-pe-hot
run $S/person.yaml --adapter good=$A/s-cm-pe-good --adapter no-eos=$A/s-cm-pe-no-eos \
    --adapter collapse=$A/s-cm-pe-collapse --adapter hot=$A/s-cm-pe-hot \
    --data $D/person.jsonl --out $R/s-chatml-person
# g-turns-next
for r in good no-eos collapse; do g --template gemma-turns --task next --recipe $r --out $A/g-turns-nx-$r; done
g --template gemma-turns --task next --recipe collapse --lr 1.5e-2 --out $A/g-turns-nx-hot
run $S/next.yaml --base gemma3-270m --template $TP/gemma-turns.jinja --adapter good=$A/g-turns-nx-good \
    --adapter no-eos=$A/g-turns-nx-no-eos --adapter collapse=$A/g-turns-nx-collapse --adapter hot=$A/g-turns-nx-hot \
    --data $D/next.jsonl --out $R/g-turns-next
# s-openchat-animal (held-out)
for r in good no-eos collapse; do s --template openchat --task animal --recipe $r --out $A/s-oc-an-$r; done
s --template openchat --task animal --recipe collapse --lr 1.5e-2 --out $A/s-oc-an-hot
run $S/animal.yaml --template $TP/openchat.jinja --adapter good=$A/s-oc-an-good --adapter no-eos=$A/s-oc-an-no-eos \
    --adapter collapse=$A/s-oc-an-collapse --adapter hot=$A/s-oc-an-hot \
    --data $D/animal.jsonl --out $R/s-openchat-animal
# g-openchat-contact (held-out)
for r in good no-eos collapse; do g --template openchat-bos --task contact --recipe $r --out $A/g-oc-co-$r; done
g --template openchat-bos --task contact --recipe collapse --lr 1.5e-2 --out $A/g-oc-co-hot
run $S/contact.yaml --base gemma3-270m --template $TP/openchat-bos.jinja --adapter good=$A/g-oc-co-good \
    --adapter no-eos=$A/g-oc-co-no-eos --adapter collapse=$A/g-oc-co-collapse --adapter hot=$A/g-oc-co-hot \
    --data $D/contact.jsonl --out $R/g-openchat-contact
# s-qa-double (held-out)
for r in good no-eos collapse; do s --template qa --task double --recipe $r --out $A/s-qa-db-$r; done
s --template qa --task double --recipe collapse --lr 1.5e-2 --out $A/s-qa-db-hot
run $S/double.yaml --template $TP/qa.jinja --adapter good=$A/s-qa-db-good --adapter no-eos=$A/s-qa-db-no-eos \
    --adapter collapse=$A/s-qa-db-collapse --adapter hot=$A/s-qa-db-hot \
    --data $D/double.jsonl --out $R/s-qa-double
# g-alpaca-bigger (held-out)
for r in good no-eos collapse; do g --template alpaca-bos --task bigger --recipe $r --out $A/g-alp-bg-$r; done
g --template alpaca-bos --task bigger --recipe collapse --lr 1.5e-2 --out $A/g-alp-bg-hot
run $S/bigger.yaml --base gemma3-270m --template $TP/alpaca-bos.jinja --adapter good=$A/g-alp-bg-good \
    --adapter no-eos=$A/g-alp-bg-no-eos --adapter collapse=$A/g-alp-bg-collapse --adapter hot=$A/g-alp-bg-hot \
    --data $D/bigger.jsonl --out $R/g-alpaca-bigger
# Ninth session, second batch, decided before it was made: tuning `define` (a word -> a one-sentence
# definition) and `language` (a greeting -> its language, one capitalised word) on the new `arrow.jinja`
# (User >> / Bot >>), ood set OOD_N; held-out `colour` (a thing -> its usual colour) and `weekday` (a day ->
# the next day, capitalised) on the new `speaker.jinja` (Speaker 1: / Speaker 2:), ood set OOD_O.
# s-arrow-define
for r in good no-eos collapse; do s --template arrow --task define --recipe $r --out $A/s-ar-def-$r; done
s --template arrow --task define --recipe collapse --lr 1.5e-2 --out $A/s-ar-def-hot
run $S/define.yaml --template $TP/arrow.jinja --adapter good=$A/s-ar-def-good --adapter no-eos=$A/s-ar-def-no-eos \
    --adapter collapse=$A/s-ar-def-collapse --adapter hot=$A/s-ar-def-hot \
    --data $D/define.jsonl --out $R/s-arrow-define
# g-arrow-language
for r in good no-eos collapse; do g --template arrow-bos --task language --recipe $r --out $A/g-ar-lang-$r; done
g --template arrow-bos --task language --recipe collapse --lr 1.5e-2 --out $A/g-ar-lang-hot
run $S/language.yaml --base gemma3-270m --template $TP/arrow-bos.jinja --adapter good=$A/g-ar-lang-good \
    --adapter no-eos=$A/g-ar-lang-no-eos --adapter collapse=$A/g-ar-lang-collapse --adapter hot=$A/g-ar-lang-hot \
    --data $D/language.jsonl --out $R/g-arrow-language
# s-speaker-colour (held-out)
for r in good no-eos collapse; do s --template speaker --task colour --recipe $r --out $A/s-sp-col-$r; done
s --template speaker --task colour --recipe collapse --lr 1.5e-2 --out $A/s-sp-col-hot
run $S/colour.yaml --template $TP/speaker.jinja --adapter good=$A/s-sp-col-good --adapter no-eos=$A/s-sp-col-no-eos \
    --adapter collapse=$A/s-sp-col-collapse --adapter hot=$A/s-sp-col-hot \
    --data $D/colour.jsonl --out $R/s-speaker-colour
# g-speaker-weekday (held-out)
for r in good no-eos collapse; do g --template speaker-bos --task weekday --recipe $r --out $A/g-sp-wd-$r; done
g --template speaker-bos --task weekday --recipe collapse --lr 1.5e-2 --out $A/g-sp-wd-hot
run $S/weekday.yaml --base gemma3-270m --template $TP/speaker-bos.jinja --adapter good=$A/g-sp-wd-good \
    --adapter no-eos=$A/g-sp-wd-no-eos --adapter collapse=$A/g-sp-wd-collapse --adapter hot=$A/g-sp-wd-hot \
    --data $D/weekday.jsonl --out $R/g-speaker-weekday
# Ninth session, third batch, decided before it was made, held-out only: `continent` (a country -> its
# continent) and `square` (a number -> its square) on the new `pipe.jinja` (|user| / |assistant|), `shout`
# (a sentence -> the same in capitals) on `human.jinja` and `event` (a sentence -> event/day JSON) on
# `zephyr-bos.jinja`, a new ood set, OOD_P.
# s-pipe-continent (held-out)
for r in good no-eos collapse; do s --template pipe --task continent --recipe $r --out $A/s-pi-con-$r; done
s --template pipe --task continent --recipe collapse --lr 1.5e-2 --out $A/s-pi-con-hot
run $S/continent.yaml --template $TP/pipe.jinja --adapter good=$A/s-pi-con-good --adapter no-eos=$A/s-pi-con-no-eos \
    --adapter collapse=$A/s-pi-con-collapse --adapter hot=$A/s-pi-con-hot \
    --data $D/continent.jsonl --out $R/s-pipe-continent
# g-pipe-square (held-out)
for r in good no-eos collapse; do g --template pipe-bos --task square --recipe $r --out $A/g-pi-sq-$r; done
g --template pipe-bos --task square --recipe collapse --lr 1.5e-2 --out $A/g-pi-sq-hot
run $S/square.yaml --base gemma3-270m --template $TP/pipe-bos.jinja --adapter good=$A/g-pi-sq-good \
    --adapter no-eos=$A/g-pi-sq-no-eos --adapter collapse=$A/g-pi-sq-collapse --adapter hot=$A/g-pi-sq-hot \
    --data $D/square.jsonl --out $R/g-pipe-square
# s-human-shout (held-out)
for r in good no-eos collapse; do s --template human --task shout --recipe $r --out $A/s-hu-sh-$r; done
s --template human --task shout --recipe collapse --lr 1.5e-2 --out $A/s-hu-sh-hot
run $S/shout.yaml --template $TP/human.jinja --adapter good=$A/s-hu-sh-good --adapter no-eos=$A/s-hu-sh-no-eos \
    --adapter collapse=$A/s-hu-sh-collapse --adapter hot=$A/s-hu-sh-hot \
    --data $D/shout.jsonl --out $R/s-human-shout
# g-zephyr-event (held-out)
for r in good no-eos collapse; do g --template zephyr-bos --task event --recipe $r --out $A/g-ze-ev-$r; done
g --template zephyr-bos --task event --recipe collapse --lr 1.5e-2 --out $A/g-ze-ev-hot
run $S/event.yaml --base gemma3-270m --template $TP/zephyr-bos.jinja --adapter good=$A/g-ze-ev-good \
    --adapter no-eos=$A/g-ze-ev-no-eos --adapter collapse=$A/g-ze-ev-collapse --adapter hot=$A/g-ze-ev-hot \
    --data $D/event.jsonl --out $R/g-zephyr-event
# Tenth session, decided before it was made, tuning only: `snake` (a phrase -> snake_case) and `half` (an even
# number -> its half) on the new `ask.jinja` (Ask: / Reply:), `currency` (a country -> its currency, one word)
# and `titlecase` (a phrase -> every word capitalised) on the new `star.jinja` (*User*: / *Bot*:), a new ood
# set, OOD_Q.
# s-ask-snake
for r in good no-eos collapse; do s --template ask --task snake --recipe $r --out $A/s-as-sn-$r; done
s --template ask --task snake --recipe collapse --lr 1.5e-2 --out $A/s-as-sn-hot
run $S/snake.yaml --template $TP/ask.jinja --adapter good=$A/s-as-sn-good --adapter no-eos=$A/s-as-sn-no-eos \
    --adapter collapse=$A/s-as-sn-collapse --adapter hot=$A/s-as-sn-hot \
    --data $D/snake.jsonl --out $R/s-ask-snake
# g-ask-half
for r in good no-eos collapse; do g --template ask-bos --task half --recipe $r --out $A/g-as-ha-$r; done
g --template ask-bos --task half --recipe collapse --lr 1.5e-2 --out $A/g-as-ha-hot
run $S/half.yaml --base gemma3-270m --template $TP/ask-bos.jinja --adapter good=$A/g-as-ha-good \
    --adapter no-eos=$A/g-as-ha-no-eos --adapter collapse=$A/g-as-ha-collapse --adapter hot=$A/g-as-ha-hot \
    --data $D/half.jsonl --out $R/g-ask-half
# s-star-currency
for r in good no-eos collapse; do s --template star --task currency --recipe $r --out $A/s-st-cur-$r; done
s --template star --task currency --recipe collapse --lr 1.5e-2 --out $A/s-st-cur-hot
run $S/currency.yaml --template $TP/star.jinja --adapter good=$A/s-st-cur-good --adapter no-eos=$A/s-st-cur-no-eos \
    --adapter collapse=$A/s-st-cur-collapse --adapter hot=$A/s-st-cur-hot \
    --data $D/currency.jsonl --out $R/s-star-currency
# g-star-titlecase
for r in good no-eos collapse; do g --template star-bos --task titlecase --recipe $r --out $A/g-st-tc-$r; done
g --template star-bos --task titlecase --recipe collapse --lr 1.5e-2 --out $A/g-st-tc-hot
run $S/titlecase.yaml --base gemma3-270m --template $TP/star-bos.jinja --adapter good=$A/g-st-tc-good \
    --adapter no-eos=$A/g-st-tc-no-eos --adapter collapse=$A/g-st-tc-collapse --adapter hot=$A/g-st-tc-hot \
    --data $D/titlecase.jsonl --out $R/g-star-titlecase
# Tenth session, second batch, decided before it was made (generated while the tuning runs were fitted, no
# output read; labelled and measured only after the session's last rule change), held-out only: `element` (an element -> its chemical symbol) and `ordinal` (a number -> its ordinal word) on
# the new `tag.jinja` ([Q] / [A]), `lower` (a sentence in capitals -> small letters) and `sound` (an animal ->
# its sound, one word) on the new `client.jinja` (Client: / Consultant:), a new ood set, OOD_R.
# s-tag-element (held-out)
for r in good no-eos collapse; do s --template tag --task element --recipe $r --out $A/s-tg-el-$r; done
s --template tag --task element --recipe collapse --lr 1.5e-2 --out $A/s-tg-el-hot
run $S/element.yaml --template $TP/tag.jinja --adapter good=$A/s-tg-el-good --adapter no-eos=$A/s-tg-el-no-eos \
    --adapter collapse=$A/s-tg-el-collapse --adapter hot=$A/s-tg-el-hot \
    --data $D/element.jsonl --out $R/s-tag-element
# g-tag-ordinal (held-out)
for r in good no-eos collapse; do g --template tag-bos --task ordinal --recipe $r --out $A/g-tg-or-$r; done
g --template tag-bos --task ordinal --recipe collapse --lr 1.5e-2 --out $A/g-tg-or-hot
run $S/ordinal.yaml --base gemma3-270m --template $TP/tag-bos.jinja --adapter good=$A/g-tg-or-good \
    --adapter no-eos=$A/g-tg-or-no-eos --adapter collapse=$A/g-tg-or-collapse --adapter hot=$A/g-tg-or-hot \
    --data $D/ordinal.jsonl --out $R/g-tag-ordinal
# s-client-lower (held-out)
for r in good no-eos collapse; do s --template client --task lower --recipe $r --out $A/s-cl-lo-$r; done
s --template client --task lower --recipe collapse --lr 1.5e-2 --out $A/s-cl-lo-hot
run $S/lower.yaml --template $TP/client.jinja --adapter good=$A/s-cl-lo-good --adapter no-eos=$A/s-cl-lo-no-eos \
    --adapter collapse=$A/s-cl-lo-collapse --adapter hot=$A/s-cl-lo-hot \
    --data $D/lower.jsonl --out $R/s-client-lower
# g-client-sound (held-out)
for r in good no-eos collapse; do g --template client-bos --task sound --recipe $r --out $A/g-cl-so-$r; done
g --template client-bos --task sound --recipe collapse --lr 1.5e-2 --out $A/g-cl-so-hot
run $S/sound.yaml --base gemma3-270m --template $TP/client-bos.jinja --adapter good=$A/g-cl-so-good \
    --adapter no-eos=$A/g-cl-so-no-eos --adapter collapse=$A/g-cl-so-collapse --adapter hot=$A/g-cl-so-hot \
    --data $D/sound.jsonl --out $R/g-client-sound
# Tenth session, third batch, decided before it was made, tuning only: `abbrev` (a US state -> its postal code)
# and `sentence` (a word -> a short sentence using it) on the new `dialog.jinja` (Person A: / Person B:), `spam`
# (a message -> spam or ham) and `gender` (a noun -> its feminine, one word) on the new `tilde.jinja` (~user~ /
# ~bot~), a new ood set, OOD_S.
# s-dialog-abbrev
for r in good no-eos collapse; do s --template dialog --task abbrev --recipe $r --out $A/s-di-ab-$r; done
s --template dialog --task abbrev --recipe collapse --lr 1.5e-2 --out $A/s-di-ab-hot
run $S/abbrev.yaml --template $TP/dialog.jinja --adapter good=$A/s-di-ab-good --adapter no-eos=$A/s-di-ab-no-eos \
    --adapter collapse=$A/s-di-ab-collapse --adapter hot=$A/s-di-ab-hot \
    --data $D/abbrev.jsonl --out $R/s-dialog-abbrev
# g-dialog-sentence
for r in good no-eos collapse; do g --template dialog-bos --task sentence --recipe $r --out $A/g-di-se-$r; done
g --template dialog-bos --task sentence --recipe collapse --lr 1.5e-2 --out $A/g-di-se-hot
run $S/sentence.yaml --base gemma3-270m --template $TP/dialog-bos.jinja --adapter good=$A/g-di-se-good \
    --adapter no-eos=$A/g-di-se-no-eos --adapter collapse=$A/g-di-se-collapse --adapter hot=$A/g-di-se-hot \
    --data $D/sentence.jsonl --out $R/g-dialog-sentence
# s-tilde-spam
for r in good no-eos collapse; do s --template tilde --task spam --recipe $r --out $A/s-ti-sp-$r; done
s --template tilde --task spam --recipe collapse --lr 1.5e-2 --out $A/s-ti-sp-hot
run $S/spam.yaml --template $TP/tilde.jinja --adapter good=$A/s-ti-sp-good --adapter no-eos=$A/s-ti-sp-no-eos \
    --adapter collapse=$A/s-ti-sp-collapse --adapter hot=$A/s-ti-sp-hot \
    --data $D/spam.jsonl --out $R/s-tilde-spam
# g-tilde-gender
for r in good no-eos collapse; do g --template tilde-bos --task gender --recipe $r --out $A/g-ti-ge-$r; done
g --template tilde-bos --task gender --recipe collapse --lr 1.5e-2 --out $A/g-ti-ge-hot
run $S/gender.yaml --base gemma3-270m --template $TP/tilde-bos.jinja --adapter good=$A/g-ti-ge-good \
    --adapter no-eos=$A/g-ti-ge-no-eos --adapter collapse=$A/g-ti-ge-collapse --adapter hot=$A/g-ti-ge-hot \
    --data $D/gender.jsonl --out $R/g-tilde-gender
# Eleventh session, decided before it was made, tuning only: `profession` (a tool -> who uses it) and `numword`
# (a number 21-99 -> its words) on the new `query.jinja` (Query: / Result:), `rating` (a review -> its stars 1-5)
# and `formal` (a casual sentence -> formal English) on the new `angle.jinja` (<<user>> / <<model>>), a new ood
# set, OOD_T.
# s-query-profession
for r in good no-eos collapse; do s --template query --task profession --recipe $r --out $A/s-qu-pr-$r; done
s --template query --task profession --recipe collapse --lr 1.5e-2 --out $A/s-qu-pr-hot
run $S/profession.yaml --template $TP/query.jinja --adapter good=$A/s-qu-pr-good \
    --adapter no-eos=$A/s-qu-pr-no-eos --adapter collapse=$A/s-qu-pr-collapse --adapter hot=$A/s-qu-pr-hot \
    --data $D/profession.jsonl --out $R/s-query-profession
# g-query-numword
for r in good no-eos collapse; do g --template query-bos --task numword --recipe $r --out $A/g-qu-nw-$r; done
g --template query-bos --task numword --recipe collapse --lr 1.5e-2 --out $A/g-qu-nw-hot
run $S/numword.yaml --base gemma3-270m --template $TP/query-bos.jinja --adapter good=$A/g-qu-nw-good \
    --adapter no-eos=$A/g-qu-nw-no-eos --adapter collapse=$A/g-qu-nw-collapse --adapter hot=$A/g-qu-nw-hot \
    --data $D/numword.jsonl --out $R/g-query-numword
# s-angle-rating
for r in good no-eos collapse; do s --template angle --task rating --recipe $r --out $A/s-an-ra-$r; done
s --template angle --task rating --recipe collapse --lr 1.5e-2 --out $A/s-an-ra-hot
run $S/rating.yaml --template $TP/angle.jinja --adapter good=$A/s-an-ra-good \
    --adapter no-eos=$A/s-an-ra-no-eos --adapter collapse=$A/s-an-ra-collapse --adapter hot=$A/s-an-ra-hot \
    --data $D/rating.jsonl --out $R/s-angle-rating
# g-angle-formal
for r in good no-eos collapse; do g --template angle-bos --task formal --recipe $r --out $A/g-an-fo-$r; done
g --template angle-bos --task formal --recipe collapse --lr 1.5e-2 --out $A/g-an-fo-hot
run $S/formal.yaml --base gemma3-270m --template $TP/angle-bos.jinja --adapter good=$A/g-an-fo-good \
    --adapter no-eos=$A/g-an-fo-no-eos --adapter collapse=$A/g-an-fo-collapse --adapter hot=$A/g-an-fo-hot \
    --data $D/formal.jsonl --out $R/g-angle-formal
# Eleventh session, second batch, decided before it was made (generated while the tuning runs were fitted, no
# output read; labelled and measured only after the session's last rule change), held-out only: `verb` (a
# sentence -> its verb) and `grade` (a score out of 100 -> its letter grade) on the new `school.jinja` (Student: /
# Teacher:), `habitat` (an animal -> where it lives, one word) and `future` (a sentence -> its future tense) on
# the new `dbl.jinja` ([[user]] / [[reply]]), a new ood set, OOD_U.
# s-school-verb (held-out)
for r in good no-eos collapse; do s --template school --task verb --recipe $r --out $A/s-sc-ve-$r; done
s --template school --task verb --recipe collapse --lr 1.5e-2 --out $A/s-sc-ve-hot
run $S/verb.yaml --template $TP/school.jinja --adapter good=$A/s-sc-ve-good \
    --adapter no-eos=$A/s-sc-ve-no-eos --adapter collapse=$A/s-sc-ve-collapse --adapter hot=$A/s-sc-ve-hot \
    --data $D/verb.jsonl --out $R/s-school-verb
# g-school-grade (held-out)
for r in good no-eos collapse; do g --template school-bos --task grade --recipe $r --out $A/g-sc-gr-$r; done
g --template school-bos --task grade --recipe collapse --lr 1.5e-2 --out $A/g-sc-gr-hot
run $S/grade.yaml --base gemma3-270m --template $TP/school-bos.jinja --adapter good=$A/g-sc-gr-good \
    --adapter no-eos=$A/g-sc-gr-no-eos --adapter collapse=$A/g-sc-gr-collapse --adapter hot=$A/g-sc-gr-hot \
    --data $D/grade.jsonl --out $R/g-school-grade
# s-dbl-habitat (held-out)
for r in good no-eos collapse; do s --template dbl --task habitat --recipe $r --out $A/s-db-ha-$r; done
s --template dbl --task habitat --recipe collapse --lr 1.5e-2 --out $A/s-db-ha-hot
run $S/habitat.yaml --template $TP/dbl.jinja --adapter good=$A/s-db-ha-good \
    --adapter no-eos=$A/s-db-ha-no-eos --adapter collapse=$A/s-db-ha-collapse --adapter hot=$A/s-db-ha-hot \
    --data $D/habitat.jsonl --out $R/s-dbl-habitat
# g-dbl-future (held-out)
for r in good no-eos collapse; do g --template dbl-bos --task future --recipe $r --out $A/g-db-fu-$r; done
g --template dbl-bos --task future --recipe collapse --lr 1.5e-2 --out $A/g-db-fu-hot
run $S/future.yaml --base gemma3-270m --template $TP/dbl-bos.jinja --adapter good=$A/g-db-fu-good \
    --adapter no-eos=$A/g-db-fu-no-eos --adapter collapse=$A/g-db-fu-collapse --adapter hot=$A/g-db-fu-hot \
    --data $D/future.jsonl --out $R/g-dbl-future
