"""Adapter checks: the right base, modules that exist, shapes that fit, weights that do something."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..adapter_files import locate_adapter
from ..backends.hf.embedded import hub_id_of
from ..errors import UserError
from ._base import CheckedBase, read_json, safetensors_shapes
from ._types import Check, failed, passed, warned

PREFIX = "base_model.model."
# `...q_proj.lora_A.weight`, `...q_proj.lora_A.default.weight`, `...embed_tokens.lora_embedding_B`
LORA_KEY = re.compile(r"^(?P<module>.+)\.(?P<part>lora_(?:embedding_)?[AB])(?:\.[A-Za-z0-9_]+)?(?:\.weight)?$")


@dataclass
class Adapter:
    """A PEFT adapter folder: its config and where its weights are."""

    name: str
    dir: Path
    config: dict[str, Any]
    safetensors: Path | None
    pickle: Path | None
    allow_pickle: bool = False
    _shapes: dict[str, list[int]] | None = field(default=None, repr=False)

    @property
    def readable(self) -> bool:
        return self.safetensors is not None or (self.pickle is not None and self.allow_pickle)

    def shapes(self) -> dict[str, list[int]]:
        if self._shapes is None:
            if self.safetensors is not None:
                self._shapes = safetensors_shapes(self.safetensors)
            else:
                self._shapes = {k: list(v.shape) for k, v in self.tensors().items()}
        return self._shapes

    def tensors(self, keep: Any = lambda key: True) -> dict[str, Any]:
        """Tensors whose key passes `keep`; pickle only when allowed, and then weights_only."""
        if self.safetensors is not None:
            from safetensors import safe_open

            with safe_open(str(self.safetensors), framework="pt") as fh:
                return {k: fh.get_tensor(k) for k in fh.keys() if keep(k)}
        if self.pickle is None or not self.allow_pickle:
            raise UserError(f"{self.dir}: refusing to unpickle adapter weights without --allow-pickle")
        import torch

        state = torch.load(self.pickle, map_location="cpu", weights_only=True)
        return {k: v for k, v in state.items() if keep(k)}

    def lora_pairs(self) -> dict[str, dict[str, list[int]]]:
        """Base module name -> {"lora_A": shape, "lora_B": shape, ...}."""
        pairs: dict[str, dict[str, list[int]]] = {}
        for key, shape in self.shapes().items():
            m = LORA_KEY.match(key)
            if m:
                module = m.group("module").removeprefix(PREFIX)
                pairs.setdefault(module, {})[m.group("part")] = shape
        return pairs

    def full_weights(self) -> dict[str, list[int]]:
        """Whole replaced tensors (modules_to_save, e.g. resized embeddings), by base key."""
        return {k.removeprefix(PREFIX).replace(".modules_to_save.default", ""): s
                for k, s in self.shapes().items() if not LORA_KEY.match(k) and "lora_" not in k}


def load_adapter(name: str, path: str | Path, allow_pickle: bool = False) -> Adapter:
    files = locate_adapter(name, path)
    return Adapter(name, files.dir, read_json(files.config_path), files.safetensors, files.pickle, allow_pickle)


def check_weights(ad: Adapter) -> Check:
    cid = f"adapter.weights:{ad.name}"
    if ad.safetensors is not None:
        return passed(cid, f"{ad.safetensors.name}: {len(ad.shapes())} tensors (safetensors)")
    if ad.pickle is not None and ad.allow_pickle:
        return warned(cid, f"{ad.pickle.name}: pickle weights, read with --allow-pickle (weights_only)",
                      "convert to safetensors: pickle files can run code when loaded")
    if ad.pickle is not None:
        return failed(cid, f"{ad.pickle.name}: weights only in pickle format; not loaded (pickle can run code)",
                      "save with safe_serialization=True, or pass --allow-pickle if you trust the file")
    return failed(cid, f"{ad.dir}: no adapter_model.safetensors", "point --adapter at the folder save_pretrained wrote")


def _norm(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", Path(name.rstrip("/")).name.lower())


def check_base_model(base: CheckedBase, ad: Adapter) -> Check:
    """Names are lenient (a path and a hub id can be the same model); a disagreeing config fails."""
    cid = f"adapter.base_model:{ad.name}"
    ref = ad.config.get("base_model_name_or_path")
    if not ref:
        return warned(cid, "adapter_config.json does not say which base it was trained on",
                      "set base_model_name_or_path when saving the adapter")
    ref_dir = Path(str(ref)).expanduser()
    if ref_dir.is_dir() and ref_dir.resolve() == base.dir.resolve():
        return passed(cid, f"trained on this base ({base.dir.name})")
    if (ref_dir / "config.json").is_file():
        theirs = read_json(ref_dir / "config.json")
        diff = [f"{k} {theirs.get(k)} vs {base.config.get(k)}"
                for k in ("model_type", "hidden_size", "num_hidden_layers", "vocab_size")
                if theirs.get(k) != base.config.get(k)]
        if diff:
            return failed(cid, f"trained on {ref}, a different model: " + ", ".join(diff),
                          f"pass --base {ref}, or retrain the adapter on this base")
        return warned(cid, f"trained on {ref}, another folder with the same architecture as {base.dir.name}",
                      "make sure both hold the same weights")
    names = [base.spec, base.dir.name, str(base.config.get("_name_or_path") or "")]
    hub_id = hub_id_of(base.spec, base.dir)
    if hub_id:
        names.append(hub_id)  # a named model is that hub model, converted from its GGUF
    ours = {_norm(n) for n in names} - {""}
    if _norm(str(ref)) in ours:
        return passed(cid, f"trained on {ref}, the same name as the base")
    if any(len(o) >= 6 and (o in _norm(str(ref)) or _norm(str(ref)) in o) for o in ours):
        return warned(cid, f"trained on {ref}; the base is {base.dir.name}: probably the same model under another "
                      "name (a hub id vs a local copy or conversion)", "if it is another model, pass it as --base")
    return warned(cid, f"trained on {ref}, but the base is {base.dir.name} ({base.describe()})",
                  f"pass --base {ref} if that is a different model (shapes are checked separately)")


def check_modules(base: CheckedBase, ad: Adapter) -> Check:
    cid = f"adapter.modules:{ad.name}"
    modules = base.module_names()
    if not modules:
        return warned(cid, "base weights are pickle files: target modules not checked",
                      "pass --allow-pickle to read them, or convert the base to safetensors")
    auto = (ad.config.get("auto_mapping") or {}).get("base_model_class")
    archs = base.config.get("architectures") or []
    if auto and archs and auto not in archs:
        return failed(cid, f"adapter made for {auto}; the base is {', '.join(archs)}", "pass the matching --base")
    targets = ad.config.get("target_modules")
    missing_targets: list[str] = []
    if isinstance(targets, str) and targets != "all-linear":
        if not any(re.fullmatch(targets, m) for m in modules):
            missing_targets.append(targets)
    elif isinstance(targets, list):
        missing_targets = [t for t in targets if not any(m == t or m.endswith("." + t) for m in modules)]
    missing = sorted(set(ad.lora_pairs()) - modules)
    if missing_targets or missing:
        what = ", ".join(missing_targets) if missing_targets else f"{len(missing)} modules, e.g. {missing[0]}"
        sample = sorted({m.rsplit(".", 1)[-1] for m in modules if "layers.0." in m or ".h.0." in m})[:8]
        return failed(cid, f"target modules not in the base ({base.describe()}): {what}",
                      f"this adapter is for another architecture; the base has e.g. {', '.join(sample)}")
    shown = targets if isinstance(targets, str) else ", ".join(targets or [])
    return passed(cid, f"target modules {shown} exist in the base ({len(ad.lora_pairs())} adapted modules)")


def _expected(base_shape: list[int], part: str, fan_in_fan_out: bool) -> tuple[int, int]:
    """(in, out) of a base weight as a LoRA pair sees it."""
    if part.startswith("lora_embedding"):
        return base_shape[0], base_shape[1]  # embedding: (num_embeddings, dim)
    out_f, in_f = base_shape[0], base_shape[-1]
    return (out_f, in_f) if fan_in_fan_out else (in_f, out_f)


def check_shapes(base: CheckedBase, ad: Adapter) -> Check:
    cid = f"adapter.shapes:{ad.name}"
    shapes = base.weight_shapes()
    if shapes is None:
        return warned(cid, "base weights are pickle files: shapes not checked", "pass --allow-pickle to read them")
    tied = base.config.get("tie_word_embeddings") and "lm_head.weight" not in shapes
    bad: list[str] = []
    fan = bool(ad.config.get("fan_in_fan_out"))
    for module, parts in sorted(ad.lora_pairs().items()):
        key = "model.embed_tokens.weight" if tied and module == "lm_head" else module + ".weight"
        if key not in shapes or len(shapes[key]) < 2:
            continue  # reported by adapter.modules
        in_f, out_f = _expected(shapes[key], next(iter(parts)), fan)
        a = parts.get("lora_A") or parts.get("lora_embedding_A")
        b = parts.get("lora_B") or parts.get("lora_embedding_B")
        if (a and a[-1] != in_f) or (b and b[0] != out_f):
            bad.append(f"{module}: adapter in {a and a[-1]} / out {b and b[0]}, base in {in_f} / out {out_f}")
    for key, shape in ad.full_weights().items():
        if key in shapes and shapes[key] != shape:
            bad.append(f"{key}: adapter {shape}, base {shapes[key]} (resized embeddings: added tokens?)")
    if bad:
        return failed(cid, f"{len(bad)} adapter tensors do not fit the base ({base.describe()}): {bad[0]}",
                      "the adapter was trained on another model size; pass the matching --base")
    return passed(cid, f"{len(ad.lora_pairs())} LoRA pairs fit the base ({base.describe()})")


def check_rank(ad: Adapter) -> Check:
    cid = f"adapter.rank:{ad.name}"
    cfg = ad.config
    if str(cfg.get("peft_type", "LORA")).upper() != "LORA":
        return passed(cid, f"peft type {cfg.get('peft_type')}: not LoRA, rank and alpha do not apply")
    r, alpha = cfg.get("r"), cfg.get("lora_alpha")
    scale = ""
    if isinstance(r, int) and r > 0 and isinstance(alpha, (int, float)):
        value = alpha / (r ** 0.5) if cfg.get("use_rslora") else alpha / r
        scale = f" (scale {value:g}{', rsLoRA' if cfg.get('use_rslora') else ''})"
    n_params = sum(s[0] * s[1] for s in ad.shapes().values() if len(s) == 2)
    return passed(cid, f"LoRA r={r}, alpha={alpha}{scale}, {len(ad.lora_pairs())} modules, "
                  f"{_count(n_params)} parameters")


def _count(n: int) -> str:
    return f"{n / 1e6:.2f}M" if n >= 1e6 else f"{n / 1e3:.1f}k"


def check_zero(ad: Adapter) -> Check:
    """A LoRA module adds B @ A: when either is all zero it changes nothing."""
    cid = f"adapter.zero:{ad.name}"
    tensors = ad.tensors(lambda k: "lora_" in k)
    nonfinite = [k for k, t in tensors.items() if not bool(t.float().isfinite().all())]
    if nonfinite:
        return failed(cid, f"{len(nonfinite)} tensors hold NaN or inf, e.g. {nonfinite[0]}",
                      "training diverged; lower the learning rate or use float32/bfloat16, then retrain")
    zero_b = [k for k, t in tensors.items() if re.search(r"lora_(embedding_)?B", k) and not bool(t.any())]
    n_b = sum(1 for k in tensors if re.search(r"lora_(embedding_)?B", k))
    if n_b and len(zero_b) == n_b and not ad.full_weights():
        return failed(cid, f"all {n_b} lora_B matrices are zero: the adapter is a no-op (as initialised, never "
                      "trained or not saved after training)", "check that training updated the adapter and that "
                      "you saved the trained model, not a fresh get_peft_model()")
    if zero_b:
        return warned(cid, f"{len(zero_b)} of {n_b} lora_B matrices are zero, e.g. {zero_b[0]}",
                      "those modules were not trained; check layers_to_transform or frozen parameters")
    return passed(cid, f"all {n_b} lora_B matrices are non-zero")
