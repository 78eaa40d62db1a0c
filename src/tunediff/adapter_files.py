"""Where a PEFT adapter folder keeps its config and weights, and what makes a folder a full
checkpoint; shared by the hf backend, doctor and the checks `tunediff run` makes before loading."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import UserError


@dataclass(frozen=True)
class AdapterFiles:
    flag: str
    """How the user named it, for error messages: `--adapter NAME=PATH`."""
    dir: Path
    config_path: Path
    safetensors: Path | None
    pickle: Path | None

    def weights(self, allow_pickle: bool) -> Path:
        """The weights file to load: safetensors, or pickle only when the user allowed it."""
        if self.safetensors is not None:
            return self.safetensors
        if self.pickle is None:
            raise UserError(f"{self.flag}: no adapter_model.safetensors")
        if not allow_pickle:
            raise UserError(f"{self.flag}: weights only in pickle format (adapter_model.bin); "
                            "convert to safetensors or pass --allow-pickle if you trust the file")
        return self.pickle

    def config(self) -> dict[str, Any]:
        try:
            data = json.loads(self.config_path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as exc:
            raise UserError(f"{self.config_path}:{exc.lineno}: not valid JSON ({exc.msg})") from None
        if not isinstance(data, dict):
            raise UserError(f"{self.config_path}: expected a JSON object")
        return data


def locate_adapter(name: str, path: str | Path | None) -> AdapterFiles:
    """The files of `--adapter NAME=PATH`; a missing folder or config is a one-line error."""
    flag = f"--adapter {name}={path}"
    directory = Path(path or "").expanduser()
    if not path or not directory.is_dir():
        raise UserError(f"{flag}: no such adapter directory")
    config_path = directory / "adapter_config.json"
    if not config_path.is_file():
        raise UserError(f"{flag}: no adapter_config.json; give a PEFT adapter directory")
    safe, pickle = directory / "adapter_model.safetensors", directory / "adapter_model.bin"
    return AdapterFiles(flag, directory, config_path, safe if safe.is_file() else None,
                        pickle if pickle.is_file() else None)


def locate_model(name: str, path: str | Path | None) -> Path:
    """The folder of `--model NAME=PATH`; one without config.json is a one-line error."""
    directory = Path(path or "").expanduser()
    if not path or not (directory / "config.json").is_file():
        raise UserError(f"--model {name}={path}: no config.json there; give a Hugging Face model directory")
    return directory
