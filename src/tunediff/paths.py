"""Where tunediff keeps its cache (converted models)."""

from __future__ import annotations

import os
from pathlib import Path


def cache_dir() -> Path:
    """`$TUNEDIFF_CACHE`, else `$XDG_CACHE_HOME/tunediff`, else `~/.cache/tunediff`."""
    env = os.environ.get("TUNEDIFF_CACHE")
    if env:
        return Path(env).expanduser()
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg).expanduser() if xdg else Path.home() / ".cache"
    return base / "tunediff"
