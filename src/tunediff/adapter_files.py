"""Where a PEFT adapter folder keeps its config and weights; shared by the hf backend and doctor."""

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
