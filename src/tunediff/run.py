"""suite x variants x settings -> run directory. Resumable: only missing records are generated."""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
import os
import platform
import re
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

from .backends import GenerationRequest, GenerationResult, get_backend
from .errors import UserError
from .records import GenerationRecord, append_jsonl, read_records, write_json_atomic
from .rundir import RunDir
from .settings import SettingPoint, expand_grid, parse_sweep, record_seed, resolve_settings
from .suite import Prompt, Suite, load_suite
from .variants import Variant, build_variants

SETTING_FLAGS = (
    "preset",
    "temperature",
    "top_p",
    "top_k",
    "max_new_tokens",
    "repetition_penalty",
    "stop",
    "seed",
    "samples",
)
VERSIONED = ("tunediff", "torch", "transformers", "peft", "vllm", "httpx", "pydantic")


@dataclass(frozen=True)
class RunPlan:
    """Everything that defines a run. Two commands with equal plans resume each other."""

    suite: Suite
    variants: tuple[Variant, ...]
    points: tuple[SettingPoint, ...]
    backend: str
    base: str | None

    def fingerprint(self) -> str:
        """Hash of what must not change between a run and its resumption."""
        data = {
            "variants": [[v.name, v.kind, v.path] for v in self.variants],
            "points": [[p.id, p.settings.to_dict()] for p in self.points],
            "backend": self.backend,
            "base": self.base,
        }
        return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()[:16]

    def requests(self) -> list[GenerationRequest]:
        out = []
        for prompt in self.suite.prompts:
            for point in self.points:
                for sample in range(point.settings.samples):
                    seed = record_seed(point.settings.seed, prompt.id, point.id, sample)
                    for variant in self.variants:
                        out.append(
                            GenerationRequest(
                                prompt.id, variant.name, point.id, sample, prompt.messages, point.settings, seed
                            )
                        )
        return out


def plan_run(
    suite: Suite | str | Path,
    *,
    base: str | None = "smollm2-135m",
    adapters: Sequence[str] = (),
    models: Sequence[str] = (),
    served: Sequence[str] = (),
    backend: str = "hf",
    sweep: Sequence[str] = (),
    limit: int | None = None,
    **settings: Any,
) -> RunPlan:
    """Resolve the review set, variants and settings grid without loading any model."""
    unknown = set(settings) - set(SETTING_FLAGS)
    if unknown:
        raise TypeError(f"unknown settings: {', '.join(sorted(unknown))}")
    if not isinstance(suite, Suite):
        suite = load_suite(suite)
    suite = suite.limit(limit)
    resolved = resolve_settings(suite.defaults, settings, suite_source=f"{suite.path}: defaults")
    points = expand_grid(resolved, parse_sweep(list(sweep)))
    variants = build_variants(adapters, models, served)
    if backend == "openai" and not served:
        raise UserError("--endpoint needs at least one --variant NAME=SERVED_MODEL")
    if len(variants) < 2:
        raise UserError(
            "nothing to compare: give --adapter NAME=PATH or --model NAME=PATH (or two --variant with --endpoint)"
        )
    return RunPlan(suite, tuple(variants), tuple(points), backend, None if backend == "openai" else base)


def default_out(plan: RunPlan, runs_dir: Path = Path("runs")) -> Path:
    """`runs/<timestamp>-<name>`, or the newest unfinished run of the same plan (to resume)."""
    slug = re.sub(r"[^A-Za-z0-9_.-]+", "-", plan.suite.name).strip("-").lower() or "run"
    if runs_dir.is_dir():
        for candidate in sorted(runs_dir.glob(f"*-{slug}"), reverse=True):
            manifest = RunDir(candidate).manifest if (candidate / "run.json").is_file() else {}
            if manifest.get("fingerprint") == plan.fingerprint() and manifest.get("status") != "complete":
                return candidate
    stamp = _dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    return runs_dir / f"{stamp}-{slug}"


def execute(
    plan: RunPlan,
    out: Path | None = None,
    *,
    backend_options: dict[str, Any] | None = None,
    progress: bool = True,
    flag: bool = True,
) -> Path:
    """Generate every missing record of `plan` into `out` and return the run directory."""
    out = Path(out) if out else default_out(plan)
    out.mkdir(parents=True, exist_ok=True)
    run = RunDir(out)
    previous = run.manifest
    if previous and previous.get("fingerprint") != plan.fingerprint():
        raise UserError(
            f"{run.manifest_path}: this folder holds a run with other variants or settings "
            f"({_plan_diff(previous, plan)}); use another --out to start a new run"
        )
    done = _existing_records(run, plan)
    pending = [r for r in plan.requests() if r.key not in done]
    started = time.time()
    # Keep what an earlier attempt learned (backend facts, timings); refresh the plan part.
    manifest = {**previous, **_manifest(plan, previous, status="running")}
    if not pending:
        _log(progress, f"{out}: all {len(done)} records present; nothing to generate")
        manifest.update(status="complete", n_records=len(done))
        write_json_atomic(run.manifest_path, manifest)
        _after_generation(out, flag)
        return out

    backend = get_backend(plan.backend, **(backend_options or {}))
    try:
        t_load = time.perf_counter()
        backend.load(plan.variants)
        manifest["timings"]["load_s"] = round(time.perf_counter() - t_load, 3)
        manifest.update(backend.describe())
        manifest["rendered_prompts"] = {p.id: backend.render(p.messages) for p in plan.suite.prompts}
        write_json_atomic(run.manifest_path, manifest)
        prompts = {p.id: p for p in plan.suite.prompts}
        _generate(backend, pending, prompts, run, progress, len(done))
        manifest.update(backend.describe())  # facts known only after generating (openai: "serving_probe")
    finally:
        backend.close()
    manifest["timings"]["generation_s"] = round(time.time() - started, 3)
    manifest["timings"]["finished"] = _now()
    manifest.update(status="complete", n_records=len(done) + len(pending))
    write_json_atomic(run.manifest_path, manifest)
    _after_generation(out, flag)
    return out


def run(
    suite: Suite | str | Path,
    *,
    out: str | Path | None = None,
    backend_options: dict[str, Any] | None = None,
    progress: bool = True,
    flag: bool = True,
    **kwargs: Any,
) -> Path:
    """Library entry point: `tunediff.run("review.yaml", adapters=["tuned=path"], out="runs/x")`."""
    plan = plan_run(suite, **kwargs)
    return execute(plan, Path(out) if out else None, backend_options=backend_options, progress=progress, flag=flag)


# ---------------------------------------------------------------------------- internals


def _generate(
    backend: Any,
    pending: list[GenerationRequest],
    prompts: dict[str, Prompt],
    run: RunDir,
    progress: bool,
    already: int,
) -> None:
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    console = Console(stderr=True)
    columns = (
        TextColumn("generating"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("eta"),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=console, disable=not progress) as bar:
        task = bar.add_task("generate", total=len(pending) + already, completed=already)

        def on_batch(batch: Sequence[tuple[GenerationRequest, GenerationResult]]) -> None:
            append_jsonl(run.generations_path, [_record(req, res, prompts[req.prompt_id]) for req, res in batch])
            bar.advance(task, len(batch))

        backend.generate(pending, on_batch)


def _record(req: GenerationRequest, res: GenerationResult, prompt: Prompt) -> GenerationRecord:
    return GenerationRecord(
        id=req.prompt_id,
        variant=req.variant,
        setting=req.setting_id,
        sample=req.sample,
        category=prompt.category,
        prompt=prompt.text,
        messages=list(prompt.messages),
        text=res.text,
        raw_text=res.raw_text,
        finish_reason=res.finish_reason,  # type: ignore[arg-type]
        prompt_tokens=res.prompt_tokens,
        new_tokens=res.new_tokens,
        latency_s=None if res.latency_s is None else round(res.latency_s, 4),
        batch_latency_s=None if res.batch_latency_s is None else round(res.batch_latency_s, 4),
        seed=None if req.settings.greedy else req.seed,
        expect=prompt.expect,
        reference=prompt.reference,
        **res.extra,
    )


def _existing_records(run: RunDir, plan: RunPlan) -> set[tuple[str, str, str, int]]:
    """Keys already on disk. A torn last line (killed mid-write) is dropped from the file."""
    path = run.generations_path
    if not path.is_file():
        return set()
    data = path.read_bytes()
    if data and not data.endswith(b"\n"):
        keep = data[: data.rfind(b"\n") + 1]
        with open(path, "r+b") as fh:
            fh.truncate(len(keep))
            fh.flush()
            os.fsync(fh.fileno())
    records = read_records(path, tolerate_torn_tail=False)
    prompts = {p.id: p for p in plan.suite.prompts}
    for rec in records:
        prompt = prompts.get(rec.id)
        if prompt is not None and rec.messages is not None and rec.messages != list(prompt.messages):
            raise UserError(
                f"{path}: prompt '{rec.id}' changed since these records were made; use another --out to start a new run"
            )
    return {rec.key for rec in records}


def _manifest(plan: RunPlan, previous: dict[str, Any], status: str) -> dict[str, Any]:
    suite = plan.suite
    return {
        "tunediff_run": 1,
        "status": status,
        "fingerprint": plan.fingerprint(),
        "suite": {
            "name": suite.name,
            "path": suite.path,
            "sha256": suite.sha256,
            "n_prompts": len(suite.prompts),
            "system": suite.system,
        },
        "prompt_ids": [p.id for p in suite.prompts],
        "backend": plan.backend,
        "base": plan.base,
        "variants": [v.manifest_entry() for v in plan.variants],
        "settings": [{"id": p.id, **p.settings.to_dict()} for p in plan.points],
        "sweep": len(plan.points) > 1,
        "versions": _versions(),
        "timings": {
            **previous.get("timings", {}),
            "started": previous.get("timings", {}).get("started", _now()),
            "resumed": _now() if previous else None,
        },
        "command": sys.argv if sys.argv and sys.argv[0].endswith("tunediff") else None,
    }


def _plan_diff(previous: dict[str, Any], plan: RunPlan) -> str:
    now = {
        "variants": [v.manifest_entry() for v in plan.variants],
        "settings": [{"id": p.id, **p.settings.to_dict()} for p in plan.points],
        "backend": plan.backend,
        "base": plan.base,
    }
    diffs = [key for key, value in now.items() if previous.get(key) != value]
    return "differs in " + ", ".join(diffs) if diffs else "different plan"


def _versions() -> dict[str, str]:
    out = {"python": platform.python_version()}
    for name in VERSIONED:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            pass
    return out


def _now() -> str:
    return _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds")


def _log(progress: bool, message: str) -> None:
    if progress:
        print(message, file=sys.stderr)


def _after_generation(out: Path, flag: bool) -> None:
    """Compute flags over the finished run (flags work from the run directory alone)."""
    if not flag:
        return
    from .flags import flag_run_dir

    flag_run_dir(out)
