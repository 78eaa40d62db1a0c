"""Every flag threshold, its default, and where the default comes from: the one place to tune.

Override from the command line (`--threshold repetition.seq_rep_4=0.4`, repeatable) or a
YAML config file (`--config flags.yaml`):

    thresholds:
      repetition.seq_rep_4: 0.4       # dotted keys ...
      collapse: {similarity: 0.8}     # ... or nested by family

docs/flags.md renders the same table for readers.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ..errors import UserError
from ..textfiles import read_utf8


@dataclass(frozen=True)
class Threshold:
    key: str
    default: float
    doc: str
    source: str


_T = Threshold
DEFAULTS: dict[str, Threshold] = {t.key: t for t in [
    # repetition -------------------------------------------------------------------------
    _T("repetition.seq_rep_4", 0.5,
       "share of repeated 4-grams (1 - unique/total) in prose, code blocks and valid JSON left out",
       "seq-rep-n, Welleck et al. 2019 (human text ~0.01, degenerate greedy GPT-2 ~0.4-0.5)"),
    _T("repetition.min_ngrams", 40, "seq-rep-4 needs at least this many 4-grams to be judged",
       "chosen here: short answers have too few 4-grams for a stable share"),
    _T("repetition.tail_repeats", 3, "a unit repeated back to back this many times at the end is a loop",
       "tail loops, Holtzman et al. 2020 (repetition that keeps itself going)"),
    _T("repetition.tail_min_tokens", 20, "the repeated tail must cover at least this many tokens",
       "chosen here: keeps refrains and short emphatic repeats out"),
    _T("repetition.stutter_repeats", 10, "a short unit (any length) repeated this many times is a loop",
       "chosen here: 'the the the ...' stutters"),
    _T("repetition.cut_repeats", 2.01, "copies of a long unit that make a loop when the output hit the token limit",
       "chosen here: a unit of 8+ tokens copied twice back to back, and a third begun when the limit cut it, is no "
       "refrain when nothing stopped it (on the tuning corpus, 2.5 missed 11 such labelled loops; 2.01 adds 2 "
       "outputs not labelled loops)"),
    _T("repetition.cut_min_period", 8, "tokens per unit for the two-copies-and-a-third rule (shorter units need 3 "
       "copies)",
       "chosen here"),
    _T("repetition.char_min_repeats", 4, "copies of a 1-16 character unit inside a word or JSON string",
       "chosen here: 'A2-A2-A2-A2-', 'LSAMALSAARU' x4; 'hahaha' has three"),
    _T("repetition.char_min_chars", 20, "characters the in-word loop must cover (twice that for one character)",
       "chosen here: keeps 'ababab', '10101' and 'Nooooo' out"),
    _T("repetition.dup_line_frac", 0.30, "share of duplicate non-trivial lines (beyond the first copy)",
       "Gopher quality filters, Rae et al. 2021 (duplicate line fraction 0.30)"),
    _T("repetition.min_lines", 6, "duplicate-line share needs at least this many non-trivial lines",
       "chosen here"),
    _T("repetition.degenerate_diversity", 0.15, "distinct tokens / tokens at or below this is a degenerate "
       "output: the same few tokens over and over (repetition; collapse groups such outputs by their words)",
       "chosen here, on the tuning corpus: all 128 outputs at or below it are labelled loops; collapsed "
       "JSON debris is 0.01-0.09, fluent answers 0.3 and more"),
    _T("repetition.degenerate_min_tokens", 20, "tokens an output needs before its diversity is judged",
       "chosen here: short answers repeat their few words by nature"),
    _T("repetition.compress_ratio", 0.25, "zlib-compressed size / raw size (texts of 100+ bytes, not valid JSON) at "
       "or below this is a degenerate output too: a loop whatever its unit (repetition; collapse groups such "
       "outputs by their words)", "compression ratio as Whisper's decoder uses it to reject looping output "
       "(gzip ratio > 2.4, i.e. <= 0.42); stricter here, on the tuning corpus: all 179 such outputs at or below "
       "0.25 are labelled loops, the lowest not labelled 0.35"),
    _T("repetition.noise_letters", 0.25, "an output cut by the token limit whose characters (spaces aside) are "
       "under this share letters is no language: digits, quotes and commas over and over (repetition; collapse "
       "groups it as debris)", "chosen here, on the tuning corpus: all 61 such outputs of 40+ characters "
       "are labelled loops (the highest 0.24); outputs not labelled loops are 0.33 and more (median 0.61)"),
    _T("repetition.noise_min_chars", 40, "characters (spaces aside) an output needs before its letters are counted",
       "chosen here"),
    # stopping / length ----------------------------------------------------------------
    _T("ramble.length_ratio", 3.0, "output words / base (or reference) words above this is a ramble",
       "chosen here: fine-tunes that lost EOS produce 3-10x the base length"),
    _T("ramble.min_extra_words", 60, "and it must be at least this many words longer",
       "chosen here: short answers vary in length a lot in relative terms"),
    _T("ramble.after_answer_words", 8, "words of new turns after an answer (next_turn after text)",
       "chosen here, on the tuning corpus: the corpus labels' 8 words nobody asked for"),
    _T("ramble.after_json_words", 8, "words after a complete JSON value (when the base or reference is bare JSON)",
       "chosen here"),
    # format -----------------------------------------------------------------------------
    _T("format.max_schema_errors", 3, "schema errors reported per output", "chosen here"),
    # reference answers ------------------------------------------------------------------
    _T("wrong_answer.max_reference_words", 5,
       "a reference (or list item) of more words is a long answer and is not matched",
       "chosen here: names and short facts ('United States of America', 'Leonardo da Vinci') fit; sentences do not"),
    # consistency --------------------------------------------------------------------------
    _T("inconsistent.text_agreement", 0.3,
       "mean content-word overlap (|A&B|/min) of a sample with the other samples below this",
       "SelfCheckGPT-style sample agreement, Manakul et al. 2023 (lexical variant)"),
    _T("inconsistent.json_agreement", 0.5, "share of equal JSON leaf values with the other samples below this",
       "SelfCheckGPT-style sample agreement, Manakul et al. 2023"),
    _T("inconsistent.max_words", 60, "only short answers and JSON are compared (long-form text varies by design)",
       "chosen here"),
    # set level ----------------------------------------------------------------------------
    _T("collapse.similarity", 0.7, "Jaccard similarity of word 3-shingles for 'near-identical'",
       "near-duplicate detection, Broder 1997 (MinHash); 0.7 as in common dedup pipelines"),
    _T("collapse.debris_similarity", 0.5, "content-word Jaccard (numbers masked) at which two degenerate outputs "
       "are the same debris", "chosen here, on the tuning corpus (median 0.57 within one collapsed adapter)"),
    _T("collapse.min_prompts", 3, "a cluster must cover this many different prompts (distinct for the base)",
       "chosen here"),
    _T("collapse.min_share", 0.2, "and this share of the variant's prompts at one setting", "chosen here"),
    _T("collapse.min_words", 4, "shorter outputs count only if the cluster spans categories",
       "chosen here: 'Yes.' to several yes/no prompts is not a collapse"),
    _T("collapse.label_set", 0.05, "share of --data example pairs with different prompts that share an answer, "
       "at or above which the training answers are a label set (two balanced labels 0.5, four 0.25, twenty 0.05); "
       "below, each example has its own answer (headlines, orders, capitals, opposites) and the task's in-task "
       "prompts ask for different things",
       "chosen here, on the corpus's training files: ticket labels 0.25, sentiments 0.33; capitals 0.012, "
       "opposites 0.015, headlines 0.003, orders 0. Unlike a count of distinct answers, it does not move with "
       "the number of examples"),
    _T("collapse.mostly_right", 0.5, "share of a cluster's referenced in-task prompts it answers right, above which "
       "it is a working classifier's label (only its ood members are reported)",
       "chosen here: a label right more often than not follows the input"),
    _T("collapse.follows_input", 0.33, "Goodman-Kruskal lambda (reference label -> the variant's answer, over "
       "answers it gives more than once) on a label-set task's referenced in-task prompts, at or above which the "
       "classifier's answers follow the input, right or wrong (only ood members of its clusters are reported)",
       "chosen here, on the tuning part: variants labelled collapsed on their in-task prompts 0.00-0.25, "
       "working or wrong-but-following classifiers 0.40-1.00"),
    _T("identical_to_base.share", 0.8, "share of outputs byte-identical to the base's", "chosen here"),
    _T("identical_to_base.min_pairs", 3, "pairs needed before judging", "chosen here"),
    _T("ood_drift.std_similarity", 0.4,
       "word-set Jaccard (numbers masked) of an ood answer with the closest training text: a standard prompt, "
       "a standard output, both, or a --data example",
       "chosen here; the base's answer must stay below it"),
    _T("ood_drift.margin", 0.2, "how much closer to the training outputs than to the base answer", "chosen here"),
    _T("ood_drift.min_words", 4, "content words an ood answer needs before 'shares no word with its prompt' counts",
       "chosen here: 'Tokyo.' shares no word with 'capital of Japan' and answers it"),
    _T("ood_drift.in_task_prompt", 0.5, "word-set Jaccard of an ood prompt with a training prompt above which it is "
       "not judged (it asks what the training asks)", "chosen here: 'capital of France' vs 'capital of Japan' is 0.71"),
    _T("ood_drift.fragment_words", 5, "an open request answered in this many words or fewer, by a fine-tune whose "
       "standard answers have at most half as many, is a training-shaped fragment",
       "chosen here: one-phrase fine-tunes answering a poem request with a title"),
    _T("ood_drift.restated", 0.6, "median share of a standard answer's content words taken from its prompt at or "
       "above which the fine-tune restates its inputs (a headline), so an ood answer made of the question's words "
       "is its training shape; an answer to an open request taking this share of its words from it restates it",
       "chosen here, on the tuning corpus: good headline adapters 0.8-1.0; "
       "orders' JSON 0.43 and less; labels and capitals have no answer of 2+ content words"),
    _T("ood_drift.lifted_words", 6, "a wrong answer of up to this many words, all lifted from the question, from "
       "a classifier, is its label shape ('12 * 7', 'The capital of France is capital.')", "chosen here"),
    _T("ood_drift.json_share", 0.5, "share of the variant's standard outputs that are JSON for 'training format'",
       "chosen here"),
    _T("ood_drift.form_share", 0.9, "share of the training answers that must end alike (a full stop, a question "
       "mark, no mark) for that ending and their word span to be the training answers' form",
       "chosen here, on the tuning part: the training answers of the headline, keyword, rewriting, summary and "
       "title tasks end alike in 1.00 of them; the polite rewrites (two forms end in ?, one in .) in 0.67, no one "
       "form"),
    _T("ood_drift.form_slack", 1, "words past the longest usual training answer (its 90th percentile) that still "
       "keep the training answers' form", "chosen here, on the tuning part: 0 and 1 differ by 2 true positives, "
       "1 and 2 by none"),
]}


class Thresholds(Mapping[str, float]):
    """Defaults with overrides; unknown keys and non-numbers are user errors."""

    def __init__(self, overrides: Mapping[str, Any] | None = None, source: str = "threshold"):
        self._values = {k: t.default for k, t in DEFAULTS.items()}
        for key, value in (overrides or {}).items():
            self._set(key, value, source)

    def _set(self, key: str, value: Any, source: str) -> None:
        if key not in DEFAULTS:
            raise UserError(f"{source}: unknown threshold '{key}'; known: {', '.join(sorted(DEFAULTS))}")
        try:
            number = float(value)
        except (TypeError, ValueError):
            raise UserError(f"{source}: threshold '{key}' must be a number, got {value!r}") from None
        self._values[key] = number

    def __getitem__(self, key: str) -> float:
        return self._values[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def changed(self) -> dict[str, float]:
        """Only the values that differ from the defaults (for run metadata)."""
        return {k: v for k, v in self._values.items() if v != DEFAULTS[k].default}


def parse_overrides(specs: Iterable[str]) -> dict[str, str]:
    """`KEY=VALUE` strings from --threshold into a dict."""
    out: dict[str, str] = {}
    for spec in specs:
        key, sep, value = spec.partition("=")
        if not sep or not key.strip() or not value.strip():
            raise UserError(f"--threshold {spec!r}: expected KEY=VALUE, e.g. repetition.seq_rep_4=0.4")
        out[key.strip()] = value.strip()
    return out


def load_config(path: str | Path) -> dict[str, Any]:
    """Threshold overrides from a YAML file with a `thresholds:` mapping (dotted or nested keys)."""
    p = Path(path)
    try:
        doc = yaml.safe_load(read_utf8(p))
    except yaml.YAMLError as exc:
        line = getattr(getattr(exc, "problem_mark", None), "line", None)
        raise UserError(f"{p}:{(line or 0) + 1}: not valid YAML") from None
    if doc is None:
        return {}
    if not isinstance(doc, dict) or set(doc) - {"thresholds"}:
        raise UserError(f"{p}: expected a mapping with a single key `thresholds:`")
    table = doc.get("thresholds") or {}
    if not isinstance(table, dict):
        raise UserError(f"{p}: `thresholds:` must be a mapping of KEY: NUMBER")
    flat: dict[str, Any] = {}
    for key, value in table.items():
        if isinstance(value, dict):
            flat.update({f"{key}.{sub}": v for sub, v in value.items()})
        else:
            flat[str(key)] = value
    return flat


def resolve(config: str | Path | None = None, specs: Iterable[str] = ()) -> Thresholds:
    """Config file first, then --threshold flags on top."""
    thresholds = Thresholds(load_config(config) if config else {}, source=str(config))
    for key, value in parse_overrides(specs).items():
        thresholds._set(key, value, "--threshold")
    return thresholds
