"""Fixtures for the doctor tests: a random-weight Llama with SmolLM2's tokenizer.

The base is built once per session (2 layers, hidden 32) and copied per test, so each
test breaks its own copy in one specific way.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from doctor_builders import chat_rows, copy_tokenizer, edit_json, make_adapter, tiny_llama, write_jsonl


@pytest.fixture(scope="session")
def _tiny_base(tmp_path_factory, smollm2_dir) -> Path:
    out = tiny_llama(tmp_path_factory.mktemp("tiny") / "base")
    copy_tokenizer(smollm2_dir, out)
    return out


@pytest.fixture(scope="session")
def _tiny_adapter(tmp_path_factory, _tiny_base) -> Path:
    return make_adapter(_tiny_base, tmp_path_factory.mktemp("tiny") / "adapter")


@pytest.fixture
def base(tmp_path, _tiny_base) -> Path:
    """A fresh copy of the clean tiny base (ChatML template, pad = eos = <|im_end|>)."""
    return Path(shutil.copytree(_tiny_base, tmp_path / "base"))


@pytest.fixture
def adapter(tmp_path, _tiny_adapter, base) -> Path:
    """A fresh copy of a clean (non-zero) LoRA adapter on q_proj/v_proj of the `base` copy."""
    out = Path(shutil.copytree(_tiny_adapter, tmp_path / "adapter"))
    edit_json(out / "adapter_config.json", base_model_name_or_path=str(base))
    return out


@pytest.fixture
def data(tmp_path) -> Path:
    """Clean chat training data: rendered with the template, every text ends with <|im_end|>."""
    return write_jsonl(tmp_path / "train.jsonl", chat_rows())

