"""What the doctor knows about the base model, read without loading its weights.

config.json, generation_config.json and the tokenizer are read as they are; weight shapes
come from the safetensors headers (an 8-byte length and a JSON table), which costs
kilobytes however large the model is.
"""

from __future__ import annotations

import json
import struct
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import UserError
from ..tokenizer_facts import TokenizerFacts, facts_for, load_template, load_tokenizer


def read_json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise UserError(f"{path}:{exc.lineno}: not valid JSON ({exc.msg})") from None
    if not isinstance(data, dict):
        raise UserError(f"{path}: expected a JSON object")
    return data


def safetensors_shapes(path: Path) -> dict[str, list[int]]:
    """Tensor name -> shape from a safetensors header, without reading any tensor data."""
    with open(path, "rb") as fh:
        head = fh.read(8)
        if len(head) != 8:
            raise UserError(f"{path}: not a safetensors file (too short)")
        (size,) = struct.unpack("<Q", head)
        if size > 100_000_000:
            raise UserError(f"{path}: not a safetensors file (header size {size})")
        try:
            header = json.loads(fh.read(size))
        except (json.JSONDecodeError, UnicodeDecodeError):
            raise UserError(f"{path}: not a safetensors file (unreadable header)") from None
    return {k: list(v["shape"]) for k, v in header.items() if k != "__metadata__"}


@dataclass
class CheckedBase:
    """The base model directory and the parts of it the checks read."""

    spec: str
    dir: Path
    config: dict[str, Any]
    tokenizer: Any
    facts: TokenizerFacts
    """The template in use, its BOS rule, end of turn and stop ids: what `tunediff run` uses."""
    template_file: Path | None = None
    """--template, when given: it replaces the tokenizer's chat template."""
    allow_pickle: bool = False
    _shapes: dict[str, list[int]] | None = field(default=None, repr=False)

    def weight_shapes(self) -> dict[str, list[int]] | None:
        """Parameter name -> shape; None when the weights are pickle files and pickle is not allowed."""
        if self._shapes is None:
            self._shapes = _model_shapes(self.dir, self.allow_pickle)
        return self._shapes

    def module_names(self) -> set[str]:
        return {k[: -len(".weight")] for k in self.weight_shapes() or {} if k.endswith(".weight")}

    def describe(self) -> str:
        cfg = self.config
        arch = ",".join(cfg.get("architectures") or [cfg.get("model_type", "?")])
        return f"{arch}, hidden {cfg.get('hidden_size', '?')}, {cfg.get('num_hidden_layers', '?')} layers"


def _model_shapes(directory: Path, allow_pickle: bool) -> dict[str, list[int]] | None:
    index = directory / "model.safetensors.index.json"
    if index.is_file():
        files = sorted(set(read_json(index).get("weight_map", {}).values()))
        shapes: dict[str, list[int]] = {}
        for name in files:
            shapes.update(safetensors_shapes(directory / name))
        return shapes
    single = directory / "model.safetensors"
    if single.is_file():
        return safetensors_shapes(single)
    pickles = sorted(directory.glob("pytorch_model*.bin"))
    if pickles and allow_pickle:
        import torch

        shapes = {}
        for path in pickles:
            # weights_only: tensors and plain containers only, no arbitrary objects.
            state = torch.load(path, map_location="cpu", weights_only=True)
            shapes.update({k: list(v.shape) for k, v in state.items()})
        return shapes
    return None


def load_base(spec: str, template: str | Path | None = None, allow_pickle: bool = False) -> CheckedBase:
    """Resolve `--base` like `tunediff run` does and read its config, tokenizer and tokenizer facts."""
    from ..backends.hf.embedded import resolve_base

    if template is not None:
        load_template(template)  # a bad template is reported before a GGUF base is converted
    directory = resolve_base(spec)
    config = read_json(directory / "config.json")
    tokenizer, chat_template, source = load_tokenizer(directory, template)
    facts = facts_for(tokenizer, directory, chat_template, source)
    return CheckedBase(spec, directory, config, tokenizer, facts, Path(template) if template else None, allow_pickle)
