"""`tunediff run` and `tunediff demo`: generate a run directory."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from ..backends import backend_names
from ..backends.hf.embedded import EMBEDDED_NAME, GEMMA_NAME
from ..errors import UserError
from ..settings import PRESETS

if TYPE_CHECKING:
    from ..run import RunPlan


def _generation_options(func: Any) -> Any:
    options = [
        click.option("--preset", type=click.Choice(list(PRESETS)),
                     help="Settings preset (default: the review set's, else greedy)."),
        click.option("--temperature", type=float, help="0 = greedy."),
        click.option("--top-p", "top_p", type=float, help="Nucleus sampling mass, in (0, 1]."),
        click.option("--top-k", "top_k", type=int, help="Keep the k likeliest tokens; 0 = off."),
        click.option("--max-new-tokens", "max_new_tokens", type=int, help="Token limit per output."),
        click.option("--repetition-penalty", "repetition_penalty", type=float, help="1.0 = off."),
        click.option("--stop", multiple=True, help="Stop string (repeatable); cut from the text."),
        click.option("--seed", type=int, help="Sampling seed (default 0): the same run reproduces."),
        click.option("--samples", type=int, help="Samples per prompt (needs temperature > 0)."),
        click.option("--sweep", multiple=True, metavar="KEY=V1,V2",
                     help="Run a grid, e.g. temperature=0.1,0.7 (repeatable)."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


@click.command("run")
@click.argument("suite", type=click.Path(path_type=Path))
@click.option("--base", default=EMBEDDED_NAME, show_default=True,
              help=f"Base model: '{EMBEDDED_NAME}' (embedded), '{GEMMA_NAME}' (pass --template), a model "
                   "directory or a .gguf file.")
@click.option("--adapter", "adapters", multiple=True, metavar="[NAME=]PATH",
              help="PEFT adapter to compare with the base (repeatable; a bare PATH is named 'tuned'). "
                   "A quoted glob such as 'out/checkpoint-*' adds one variant per folder, named step-N.")
@click.option("--model", "models", multiple=True, metavar="[NAME=]PATH",
              help="Full fine-tuned checkpoint to compare (repeatable; a quoted glob: one variant per folder, step-N).")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path),
              help="Run directory (default runs/<timestamp>-<name>). Rerun to resume.")
@click.option("--limit", type=int, help="Keep the first N prompts, for a quick look.")
@_generation_options
@click.option("--backend", type=click.Choice(backend_names(for_tests=False)), default=None,
              help="Generation backend (default hf; openai when --endpoint is given).")
@click.option("--template", type=click.Path(dir_okay=False, path_type=Path),
              help="Jinja chat template file, for a tokenizer without one.")
@click.option("--batch-size", type=click.IntRange(min=1),
              help="Most rows in flight (hf; default 128); the memory budget may hold fewer.")
@click.option("--max-memory", "max_memory", metavar="SIZE",
              help="Cap the whole process's memory (hf), e.g. 2GB or 1.5GiB: rows in flight get what is left "
                   "once the weights are loaded; rows that do not fit wait or swap to disk. "
                   "Default: the memory free, less 10% of the machine's (at least 512 MiB).")
@click.option("--dtype", type=click.Choice(["float32", "bfloat16", "float16"]), default="float32",
              show_default=True, help="Weights dtype (hf, vllm).")
@click.option("--allow-pickle", is_flag=True, help="Allow loading adapter weights from pickle (.bin) files.")
@click.option("--endpoint", help="OpenAI-compatible server URL, e.g. http://127.0.0.1:8000/v1.")
@click.option("--variant", "served", multiple=True, metavar="NAME=SERVED_MODEL",
              help="With --endpoint: a served model name per variant (repeatable; include base=...).")
@click.option("--api-key-env", help="Environment variable holding the server's API key.")
@click.option("--concurrency", type=int, default=8, show_default=True, help="Parallel requests (openai).")
@click.option("--interleave", is_flag=True, help="Mix variants' requests on the server (openai; see docs).")
@click.option("--timeout", "request_timeout", type=float, default=120.0, show_default=True,
              help="Per-request timeout in seconds (openai).")
@click.option("--no-template", is_flag=True, help="Send raw completions, not chat (openai).")
@click.option("--data", "training_data", type=click.Path(dir_okay=False, path_type=Path),
              help="The fine-tune's training data (JSONL): ood_drift compares ood answers with it.")
@click.option("--no-flags", is_flag=True, help="Do not compute flags after generating.")
@click.option("--strict", is_flag=True, help="Refuse to run when a pre-flight doctor check fails.")
@click.option("--probe/--no-probe", default=None,
              help="Run the doctor's live probe first (hf; default: for long runs with adapters).")
@click.option("-q", "--quiet", is_flag=True, help="No progress bars.")
def run_cmd(suite: Path, base: str, adapters: tuple[str, ...], models: tuple[str, ...], out: Path | None,
            limit: int | None, backend: str | None, template: Path | None, batch_size: int | None,
            max_memory: str | None, dtype: str,
            allow_pickle: bool, endpoint: str | None, served: tuple[str, ...], api_key_env: str | None,
            concurrency: int, interleave: bool, request_timeout: float, no_template: bool,
            training_data: Path | None, no_flags: bool, strict: bool, probe: bool | None, quiet: bool,
            **settings: Any) -> None:
    """Generate base and fine-tuned outputs for a review set into a run directory.

    Every variant gets byte-identical prompts and identical settings. Records are appended
    as each batch finishes; rerunning the same command resumes where it stopped.

    Before generating (hf), the doctor's quick checks run; before a long run with adapters
    (over 40,000 new tokens at most) its live probe too (--probe/--no-probe decide). Failures
    are printed; --strict refuses to run on one.

    \b
    Examples:
      tunediff run review.yaml --adapter tuned=./lora --out runs/first
      tunediff run review.yaml --adapter ep1=./ckpt-100 --adapter ep2=./ckpt-200
      tunediff run review.yaml --adapter 'out/checkpoint-*'     # step-N per checkpoint
      tunediff run review.yaml --adapter ./lora --preset structured --limit 4
      tunediff run review.yaml --adapter ./lora --sweep temperature=0.1,0.7,1.0
      tunediff run review.yaml --adapter ./lora --data train.jsonl   # ood_drift knows the training
      tunediff run review.yaml --base gemma3-270m --template qa.jinja --adapter ./lora
      tunediff run review.yaml --adapter ./lora --max-memory 2GB
      tunediff run review.yaml --endpoint http://127.0.0.1:8000/v1 \\
          --variant base=base --variant tuned=tuned
    """
    from ..backends.hf.libc_arena import one_malloc_arena
    from ..run import execute, plan_run
    from ..tokenizer_facts import load_template

    if template is not None:
        load_template(template)  # a template that does not render is a one-line error before any model loads
    one_malloc_arena()  # before the pre-flight checks start torch's threads
    if quiet:
        silence_library_progress()
    backend = backend or ("openai" if endpoint else "hf")
    if backend == "openai" and not endpoint:
        raise UserError("--backend openai needs --endpoint URL")
    if endpoint and backend != "openai":
        raise UserError(f"--endpoint works with the openai backend, not --backend {backend}")
    if max_memory is not None and backend != "hf":
        raise UserError(f"--max-memory works with the hf backend, not --backend {backend}")
    from ..backends.hf.memory_budget import parse_size

    max_bytes = None if max_memory is None else parse_size(max_memory)  # refused before anything loads
    settings["stop"] = settings.get("stop") or None
    settings["sweep"] = settings.pop("sweep", ())
    if training_data is not None:
        from ..flags.inputs import training_texts

        training_texts(training_data)  # a bad file is refused before any model loads
    plan = plan_run(suite, base=base, adapters=adapters, models=models, served=served, backend=backend,
                    limit=limit, template=template, dtype=dtype, **settings)
    options: dict[str, Any]
    if backend == "openai":
        options = {"endpoint": endpoint, "api_key_env": api_key_env, "concurrency": concurrency,
                   "interleave": interleave, "timeout": request_timeout, "chat": not no_template}
    else:
        options = {"batch_size": batch_size, "allow_pickle": allow_pickle, "progress": not quiet}
        if max_bytes is not None:
            options["max_memory"] = max_bytes
    if backend == "hf":
        _check_variant_files(plan, allow_pickle)  # before anything loads: a refusal costs nothing
        _preflight(plan, allow_pickle, strict, probe)
    out_dir = execute(plan, out, backend_options=options, progress=not quiet, flag=not no_flags,
                      training_data=training_data)
    click.echo(str(out_dir))
    if not quiet:
        click.echo(f"next: tunediff show {out_dir}   |   tunediff report {out_dir}", err=True)


def silence_library_progress() -> None:
    """-q: no progress bars from transformers and huggingface_hub either ("Loading weights")."""
    import os
    import sys

    os.environ["HF_HUB_DISABLE_PROGRESS_BARS"] = "1"  # read when huggingface_hub is first imported
    if "transformers" in sys.modules:
        from transformers.utils import logging

        logging.disable_progress_bar()


def _check_variant_files(plan: RunPlan, allow_pickle: bool) -> None:
    from ..adapter_files import locate_adapter, locate_model

    for variant in plan.variants:
        if variant.kind == "adapter":
            locate_adapter(variant.name, variant.path).weights(allow_pickle)
        elif variant.kind == "model":
            locate_model(variant.name, variant.path)


PROBE_ABOVE_TOKENS = 40_000
"""A run that may generate this many new tokens is long: the probe's minute is worth spending first."""


def _preflight(plan: RunPlan, allow_pickle: bool, strict: bool, probe: bool | None) -> None:
    """Quick doctor checks (and the probe, before a long run) before generating; failures are
    warnings unless --strict."""
    from ..doctor import quick_checks

    checks = quick_checks(plan, allow_pickle)
    adapters = [(v.name, v.path or "") for v in plan.variants if v.kind == "adapter"]
    if probe is None:
        probe = bool(adapters) and sum(r.settings.max_new_tokens for r in plan.requests()) >= PROBE_ABOVE_TOKENS
    if probe:
        from ..doctor.probe import safe_probe

        report = safe_probe(plan.base or EMBEDDED_NAME, adapters, template=plan.template, suite=plan.suite,
                            allow_pickle=allow_pickle, dtype=plan.dtype)
        checks += report.checks
        click.echo(report.summary(), err=True)
    failures = [c for c in checks if c.status == "fail"]
    for check in failures:
        click.echo(f"doctor: FAIL {check.id}: {check.message} (fix: {check.hint})", err=True)
    if failures and strict:
        raise UserError(f"{len(failures)} pre-flight check(s) failed and --strict was given; fix them or drop --strict")


@click.command("demo")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), help="Run directory (default runs/demo).")
@click.option("--limit", type=int, help="Keep the first N prompts.")
@click.option("-q", "--quiet", is_flag=True, help="No progress bars.")
def demo_cmd(out: Path | None, limit: int | None, quiet: bool) -> None:
    """Run the whole workflow on the embedded SmolLM2 and the demo adapter.

    Generates base vs demo-adapter outputs for the demo review set (order extraction to
    JSON), flags them, writes the report, and prints what to run next.

    \b
    Examples:
      tunediff demo
      tunediff demo --limit 6 --out runs/quick-demo
    """
    from ..demo import run_demo

    if quiet:
        silence_library_progress()
    run_demo(out=out, limit=limit, progress=not quiet)


COMMANDS: list[click.Command] = [run_cmd, demo_cmd]
