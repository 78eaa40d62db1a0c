"""The `hf` backend: transformers + peft on this machine.

The base weights are loaded once. Adapters are attached to that one model with peft, and the
base side runs with the adapter disabled inside the same batch: peft's per-row
`adapter_names` (`"__base__"` for base rows) lets base and adapter rows share a forward pass.
Prompts are taken longest first and decoded by `scheduler.decode_stream`: a row leaves the batch
as soon as it ends and a waiting prompt joins in its place, so no step is spent on finished rows
and the batch stays full (`--batch-size` = rows in flight; by default up to 128), held to a
memory budget for the KV cache (`memory_budget`: the memory free, or `--max-memory`). Keys and
values live in slots allocated once (`kv_slots.SlotCache`), so no step copies the cache. Finish
reasons come from the token ids. Sampling is done per row with its own seeded generator, so an
output does not depend on which other rows shared its batch (resuming a run reproduces it).
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import torch
from transformers import AutoModelForCausalLM

from ...adapter_files import locate_adapter, locate_model
from ...errors import UserError
from ...manifest import BackendDetail, BackendFacts, BaseWeights, KVBudget
from ...paths import cache_dir
from ...records import write_json_atomic
from ...tokenizer_facts import TokenizerFacts, chat_template_of, facts_for, load_template, load_tokenizer
from ...variants import Variant
from ..base import BatchCallback, GenerationRequest, GenerationResult
from . import kv_slots, libc_arena, memory_budget, sampling, scheduler
from .embedded import EMBEDDED_NAME, resolve_base
from .threads import thread_count

BASE_ADAPTER = "__base__"  # peft's name for "no adapter" in adapter_names
IN_MEMORY = "in-memory"  # base spec of an engine over a model the caller holds (`from_memory`)


class HFBackend:
    name = "hf"

    def __init__(self, base: str = EMBEDDED_NAME, template: str | None = None, batch_size: int | None = None,
                 dtype: str = "float32", allow_pickle: bool = False, progress: bool = True,
                 device: str | None = None, max_memory: str | int | None = None, **_: Any):
        self.base_spec = base
        self.template_path = template
        self.batch_size = batch_size
        self.max_memory = None if max_memory is None else memory_budget.parse_size(max_memory)
        self.dtype = getattr(torch, dtype)
        self.allow_pickle = allow_pickle
        self.progress = progress
        self.device = torch.device(device or ("cuda" if torch.cuda.is_available() else "cpu"))
        self.model: Any = None  # the base model, wrapped by peft when adapters are given
        self.tokenizer: Any = None
        self.full_models: dict[str, tuple[Any, Any]] = {}  # variant -> (model, tokenizer)
        self.variants: list[Variant] = []
        self.details: dict[str, dict[str, Any]] = {}
        self.adapter_names: dict[str, str] = {}  # variant -> peft adapter, where they differ
        self.base_dir: Path | str = ""  # the folder the base was read from (a name for a model in memory)
        self.base_sha: str | None = None
        self.kv_budgets: list[dict[str, Any]] = []  # token budget, peak rows and swaps, per group
        self._render_cache: dict[tuple[tuple[str, str], ...], str] = {}

    @classmethod
    def from_memory(cls, model: Any, tokenizer: Any, *, variants: Sequence[Variant] = (),
                    adapter_names: dict[str, str] | None = None, details: dict[str, Any] | None = None,
                    batch_size: int | None = None, progress: bool = True) -> HFBackend:
        """An engine over a model and tokenizer the caller already holds (a training loop, a notebook).

        Nothing is loaded or copied, and neither the tokenizer nor torch's thread count is changed:
        training goes on with them. `variants` with `adapter_names` (variant -> peft adapter) share
        batches, base rows with the adapter disabled; without them every row runs the model as it
        is (the caller disables the adapter for a base pass). The caller puts the model in eval mode.
        """
        if not getattr(tokenizer, "chat_template", None):
            raise UserError("the tokenizer has no chat template; set tokenizer.chat_template "
                            "so every variant gets the same prompt format")
        param = next(model.parameters())
        engine = cls(base=IN_MEMORY, batch_size=batch_size, progress=progress, device=str(param.device))
        engine.dtype = param.dtype
        engine.model, engine.tokenizer = model, tokenizer
        engine.variants = list(variants)
        engine.adapter_names = dict(adapter_names or {})
        engine.details = dict(details or {})
        engine.base_dir = getattr(model, "name_or_path", None) or IN_MEMORY
        engine.base_sha = None
        generation_eos = getattr(getattr(model, "generation_config", None), "eos_token_id", None)
        engine.facts = facts_for(tokenizer, Path(engine.base_dir), chat_template_of(tokenizer),
                                 "the tokenizer in memory", generation_eos=generation_eos)
        engine.eos_ids = set(engine.facts.stop_ids)
        return engine

    # ------------------------------------------------------------------ loading

    def load(self, variants: Sequence[Variant]) -> None:
        self.variants = list(variants)
        libc_arena.one_malloc_arena()  # before torch starts its threads (the CLI calls it earlier still)
        torch.set_num_threads(thread_count())
        if self.template_path:
            load_template(self.template_path)  # a bad template is reported before a GGUF base is converted
        base_dir = resolve_base(self.base_spec, progress=self.progress)
        self.base_dir = base_dir
        self.tokenizer, self.facts = _tokenizer_and_facts(base_dir, self.template_path)
        self.model = _load_model(base_dir, self.dtype, self.allow_pickle).to(self.device)
        self.base_sha = _weights_sha(base_dir)
        adapters = [v for v in variants if v.kind == "adapter"]
        for v in adapters:
            self.details[v.name] = _check_adapter(v, self.allow_pickle)
        if adapters:
            self.model = _attach_adapters(self.model, adapters)
        self.model.eval()
        self.eos_ids = set(self.facts.stop_ids)
        for v in variants:
            if v.kind == "model":
                model_dir = locate_model(v.name, v.path)
                tok, _, _ = load_tokenizer(model_dir)
                tok.padding_side = "left"
                # Every variant gets the base's prompt; a checkpoint stops at its own EOS ids and the
                # template's end of turn in its own vocabulary.
                stops = facts_for(tok, model_dir, self.facts.chat_template, self.facts.template_source).stop_ids
                model = _load_model(model_dir, self.dtype, self.allow_pickle).to(self.device).eval()
                self.full_models[v.name] = (model, tok)
                self.details[v.name] = {"path": str(model_dir.resolve()), "sha256": _weights_sha(model_dir),
                                        "eos_token_ids": sorted(stops)}
            elif v.kind == "served":
                raise UserError(f"variant {v.name}: served models need --endpoint (the openai backend)")

    def describe(self) -> BackendFacts:
        config = self.model.config if self.model is not None else None
        return BackendFacts(
            backend_detail=BackendDetail(
                name="hf", device=str(self.device), dtype=str(self.dtype).replace("torch.", ""),
                batch_size=self.batch_size or "auto", max_memory=self.max_memory,
                batch_sizes_used=sorted({k["peak_rows"] for k in self.kv_budgets}),
                kv_cache=[KVBudget.model_validate(k) for k in self.kv_budgets], threads=torch.get_num_threads()),
            base_model=BaseWeights(spec=self.base_spec, path=str(self.base_dir), sha256=self.base_sha,
                                   architecture=(config.architectures or [None])[0] if config else None,
                                   n_params=sum(p.numel() for p in _base_params(self.model))),
            variant_details=self.details,
            chat_template=self.facts.chat_template,
            **self.facts.to_manifest(),
        )

    def render(self, messages: Sequence[dict[str, str]]) -> str:
        """The prompt text every variant receives: the template in use (tokenizer_facts renders it)."""
        key = tuple((m["role"], m["content"]) for m in messages)
        if key not in self._render_cache:
            self._render_cache[key] = self.facts.render(messages)
        return self._render_cache[key]

    def context_use(self, messages: Sequence[dict[str, str]]) -> tuple[int, int | None]:
        """(tokens of the rendered prompt, the base model's context length or None when unknown)."""
        tokens = len(self.facts.encode(self.tokenizer, self.render(messages)))
        return tokens, getattr(self.model.config, "max_position_embeddings", None)

    # ------------------------------------------------------------------ generation

    def generate(self, requests: Sequence[GenerationRequest], on_batch: BatchCallback) -> None:
        for (group, _setting), rows in _group(requests, self.full_models).items():
            model, tok = (self.model, self.tokenizer) if group is None else self.full_models[group]
            eos = self.eos_ids if group is None else set(self.details[group]["eos_token_ids"])
            encoded = self._encode(rows, tok)
            order = sorted(range(len(rows)), key=lambda i: (-len(encoded[i]), rows[i].prompt_id, rows[i].variant))
            longest_prompt = max(len(e) for e in encoded)
            longest_row = longest_prompt + rows[0].settings.max_new_tokens
            slots = self.batch_size or min(MAX_SLOTS, len(rows))
            _warm_up(model, self.device)
            paged = self.device.type == "cpu" and kv_slots.supported(model)
            budget = memory_budget.budget_for(model, self.device, self.max_memory, one_row_tokens=longest_row,
                                              prefill_tokens=max(scheduler.PREFILL_TOKENS, longest_prompt),
                                              paged=paged)
            if not paged:  # the cache is allocated whole, `slots` rows of `longest_row` tokens
                slots = min(slots, memory_budget.whole_rows(budget, longest_row))
            ordered = [rows[i] for i in order]
            started = time.perf_counter()
            decoded = self._generate_stream(model, tok, ordered, [encoded[i] for i in order], eos, slots, budget,
                                            on_batch, use_adapters=group is None)
            self.kv_budgets.append({
                "token_budget": budget.token_budget, "memory_budget": budget.to_dict(),
                "peak_rows": decoded.peak_rows, "rows_swapped": decoded.swapped,
                "peak_kv_tokens": decoded.peak_tokens, "new_tokens": sum(len(ids) for ids in decoded.new_ids),
                "gen_s": round(time.perf_counter() - started, 3), "prefill_s": round(decoded.prefill_s, 3),
                "decode_steps": decoded.steps, "decode_s": round(decoded.step_s, 3)})

    def summary(self) -> str | None:
        """One line for the end of a run: tokens per second, peak rows in flight, the memory budget."""
        return memory_budget.summary_line(self.kv_budgets)

    def _encode(self, rows: Sequence[GenerationRequest], tok: Any) -> list[list[int]]:
        cache: dict[str, list[int]] = {}
        out = []
        for req in rows:
            text = self.render(req.messages)
            if text not in cache:
                cache[text] = self.facts.encode(tok, text)
            out.append(cache[text])
        return out

    def _generate_stream(self, model: Any, tok: Any, rows: Sequence[GenerationRequest], ids: Sequence[list[int]],
                         eos: set[int], slots: int, budget: memory_budget.MemoryBudget, on_batch: BatchCallback,
                         use_adapters: bool) -> scheduler.Decoded:
        """Decode `rows` (one setting) with up to `slots` rows in flight, reporting rows as they end.

        latency_s is the wall time since the previous report divided among the rows it reports
        (batch_latency_s), so the latencies of a run add up to its generation time.
        """
        settings = rows[0].settings
        stopper = sampling.StopStrings(tok, settings.stop) if settings.stop else None
        sampler = None if settings.greedy else sampling.RowSampler(
            [r.seed for r in rows], settings.temperature, settings.top_k, settings.top_p)
        names = None
        if use_adapters and any(v.kind == "adapter" for v in self.variants):  # a plain model takes no adapter_names
            names = [BASE_ADAPTER if r.variant == "base" else self.adapter_names.get(r.variant, r.variant)
                     for r in rows]
        last = time.perf_counter()

        def report(ended: list[int], decoded: scheduler.Decoded) -> None:
            nonlocal last
            results = [sampling.finish(tok, decoded.new_ids[i], eos, settings, len(ids[i]), decoded.stopped_at.get(i))
                       for i in ended]
            now = time.perf_counter()
            elapsed, last = now - last, now
            on_batch([(rows[i], GenerationResult(**res, latency_s=elapsed / len(ended), batch_latency_s=elapsed))
                      for i, res in zip(ended, results, strict=True)])

        pad_id = tok.pad_token_id if tok.pad_token_id is not None else min(eos)
        with torch.inference_mode():
            return scheduler.decode_stream(model, ids, slots=slots, eos=eos, max_new=settings.max_new_tokens,
                                           pad_id=pad_id, adapter_names=names, sampler=sampler,
                                           repetition_penalty=settings.repetition_penalty, stopper=stopper,
                                           device=self.device, on_done=report, token_budget=budget.token_budget,
                                           row_overhead=budget.row_overhead_tokens)

    def close(self) -> None:
        self.model = None
        self.full_models.clear()


# ---------------------------------------------------------------------- helpers


def _group(requests: Sequence[GenerationRequest], full_models: dict[str, Any]) -> dict[tuple[str | None, str], list]:
    """Rows that can share batches: same settings, and the same model (None = base + adapters)."""
    groups: dict[tuple[str | None, str], list[GenerationRequest]] = defaultdict(list)
    for req in requests:
        groups[(req.variant if req.variant in full_models else None, req.setting_id)].append(req)
    return groups


MAX_SLOTS = 128  # rows in flight when --batch-size is not given; memory is held by the budget (memory_budget)


def _warm_up(model: Any, device: Any) -> None:
    """One one-token forward pass: every weight is read, so mapped weights are resident before
    the memory budget measures what the process holds."""
    with torch.inference_mode():
        model(input_ids=torch.zeros((1, 1), dtype=torch.long, device=device), logits_to_keep=1)


def _tokenizer_and_facts(base_dir: Path, template: str | None) -> tuple[Any, TokenizerFacts]:
    tok, chat_template, source = load_tokenizer(base_dir, template)
    if chat_template is None:
        raise UserError(f"{base_dir}: the tokenizer has no chat template; pass --template FILE.jinja "
                        "so every variant gets the same prompt format")
    tok.padding_side = "left"
    return tok, facts_for(tok, base_dir, chat_template, source)


def _load_model(model_dir: Path, dtype: Any, allow_pickle: bool) -> Any:
    has_safetensors = any(model_dir.glob("*.safetensors"))
    if not has_safetensors and not allow_pickle:
        raise UserError(f"{model_dir}: weights only in pickle format (.bin); convert them to safetensors "
                        "or pass --allow-pickle if you trust the file")
    return AutoModelForCausalLM.from_pretrained(model_dir, dtype=dtype, local_files_only=True,
                                                use_safetensors=has_safetensors or None)


def _check_adapter(v: Variant, allow_pickle: bool) -> dict[str, Any]:
    files = locate_adapter(v.name, v.path)
    weights = files.weights(allow_pickle)
    config = files.config()
    path = files.dir
    keep = ("peft_type", "base_model_name_or_path", "r", "lora_alpha", "target_modules", "task_type")
    return {"path": str(path.resolve()), "sha256": _sha256(weights),
            "adapter_config": {k: config.get(k) for k in keep}}


def _attach_adapters(model: Any, adapters: Sequence[Variant]) -> Any:
    import warnings

    from peft import PeftModel

    # peft asks transformers a deprecated question while attaching; the warning says nothing
    # a tunediff user can act on, and stderr is where our progress and errors go.
    warnings.filterwarnings("ignore", message=".*is_gradient_checkpointing.*", category=FutureWarning)
    peft_model = None
    for v in adapters:
        if v.path is None:  # build_variants gives every adapter a path; this keeps the types honest
            raise UserError(f"--adapter {v.name}: no path given")
        try:
            if peft_model is None:
                peft_model = PeftModel.from_pretrained(model, v.path, adapter_name=v.name, is_trainable=False)
            else:
                peft_model.load_adapter(v.path, adapter_name=v.name, is_trainable=False)
        except (RuntimeError, ValueError, KeyError) as exc:
            first = str(exc).strip().splitlines()[0][:300] if str(exc).strip() else type(exc).__name__
            raise UserError(f"--adapter {v.name}={v.path}: does not fit the base model ({first}); "
                            "train it on this base or pass the matching --base") from None
    return peft_model


def _base_params(model: Any) -> Any:
    base = model.get_base_model() if hasattr(model, "get_base_model") else model
    return (p for n, p in base.named_parameters() if "lora_" not in n)


def _weights_sha(model_dir: Path) -> str:
    files = sorted(model_dir.glob("*.safetensors")) or sorted(model_dir.glob("*.bin"))
    digest = hashlib.sha256()
    for f in files:
        digest.update(_sha256(f).encode())
    return digest.hexdigest()


def _sha256(path: Path) -> str:
    """Content hash, cached on disk keyed by (path, size, mtime): hashing the weights costs seconds
    per run (BENCHMARKS.md)."""
    stat = path.stat()
    key = f"{path.resolve()}|{stat.st_size}|{stat.st_mtime_ns}"
    cache_file = cache_dir() / "sha256.json"
    try:
        known = json.loads(cache_file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        known = {}
    if isinstance(known, dict) and isinstance(known.get(key), str):
        return known[key]
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 22), b""):
            digest.update(chunk)
    if not isinstance(known, dict):
        known = {}
    known[key] = digest.hexdigest()
    try:
        cache_file.parent.mkdir(parents=True, exist_ok=True)
        write_json_atomic(cache_file, known)
    except OSError:
        pass  # a read-only cache only costs the hash next time
    return known[key]


os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
