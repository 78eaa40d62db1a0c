"""run.json as one typed model: what the run is (the plan), what the backend found, how it went.

`Manifest.read` and `Manifest.write` are the only code that touches run.json. Backends return
a `BackendFacts` from `describe()`; `Manifest.with_facts` folds it in. Nothing here imports a
backend, torch or transformers: views and flags read run.json through this module alone.

Keys this version does not know (written by a newer tunediff, or added by hand) are kept and
written back as they were. A run.json that cannot be read is a one-line error saying what to do.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_serializer, model_validator

from .errors import UserError
from .records import write_json_atomic
from .settings import GenerationSettings
from .textfiles import read_utf8
from .variants import Variant, VariantKind

if TYPE_CHECKING:
    from .settings import SettingPoint

FORMAT = 1
"""run.json's `tunediff_run`: the format version this code writes and reads."""

RunStatus = Literal["running", "partial", "complete"]


class _Open(BaseModel):
    """Keeps keys it does not know, so a newer writer's additions survive a rewrite."""

    model_config = ConfigDict(extra="allow")


class SuiteInfo(_Open):
    """The review set the run was made from."""

    name: str | None = None
    path: str | None = None
    """The review-set file, as given (None for a set built in code)."""
    sha256: str = ""
    """Hash of the review set's prompts: a run directory holds one review set."""
    n_prompts: int = 0
    """Prompts in the whole review set (a --limit run generates fewer)."""
    system: str | None = None
    """The review set's system prompt, if any."""


class VariantEntry(_Open):
    """One side of the comparison: the fields of `Variant` (variants.py documents them), then what
    an in-memory pass measured."""

    name: str
    kind: VariantKind
    path: str | None = None
    step: int | None = None
    epoch: float | None = None
    train_loss: float | None = None
    generation_s: float | None = None
    """Seconds of the in-memory pass that generated this variant (`ReviewCallback`, `compare`)."""
    n_generated: int | None = None
    """Records that pass generated for this variant."""

    @classmethod
    def of(cls, variant: Variant) -> VariantEntry:
        """Checkpoint facts only when known: run.json lists what was set (see `Manifest.write`)."""
        known = {k: getattr(variant, k) for k in ("step", "epoch", "train_loss") if getattr(variant, k) is not None}
        return cls(name=variant.name, kind=variant.kind, path=variant.path, **known)


class SettingsEntry(BaseModel):
    """One point of the settings grid. On disk flat: `{"id": ..., "temperature": ..., ...}`."""

    id: str = "default"
    """`default`, or the sweep point such as `temperature=0.7`; records name it in `setting`."""
    settings: GenerationSettings = Field(default_factory=GenerationSettings)

    @classmethod
    def of(cls, point: SettingPoint) -> SettingsEntry:
        return cls(id=point.id, settings=point.settings)

    @model_validator(mode="before")
    @classmethod
    def _from_flat(cls, data: Any) -> Any:
        if isinstance(data, dict) and "settings" not in data:
            known = set(GenerationSettings.__dataclass_fields__)
            return {"id": data.get("id", "default"), "settings": {k: v for k, v in data.items() if k in known}}
        return data

    @model_serializer
    def _flat(self) -> dict[str, Any]:
        return {"id": self.id, **self.settings.to_dict()}

    def items(self) -> list[tuple[str, Any]]:
        """The settings as (name, value) pairs, for tables."""
        return list(self.settings.to_dict().items())


class Timings(_Open):
    started: str | None = None
    """When the first command of this run started (ISO 8601, UTC)."""
    resumed: str | None = None
    """When the latest command resumed it (None: never resumed)."""
    load_s: float | None = None
    """Seconds the backend took to load the models (latest command)."""
    generation_s: float | None = None
    """Seconds the latest command took to generate."""
    finished: str | None = None
    """When the latest command finished generating."""


class MemoryBudgetFacts(_Open):
    """The memory the hf backend's KV cache was given and where it came from (backends/hf/memory_budget.py)."""

    source: str
    """`MemAvailable` (the memory free: the default), `cuda mem_get_info` (a GPU's) or `--max-memory`."""
    limit_bytes: int
    """The memory free before the margin, or --max-memory."""
    margin_bytes: int = 0
    """Left free for the rest of the machine (default budget): 10% of its memory, at least 512 MiB."""
    held_bytes: int = 0
    """Already held: the process's RSS once its weights were read (--max-memory), or the file pages it
    maps (the default: MemAvailable counts them as available)."""
    reserve_bytes: int = 0
    """Kept for one prefill pass's activations and the allocator's slack."""
    kv_bytes: int
    """What was left for the rows in flight."""
    bytes_per_token: int
    """Keys and values of one token in every layer."""
    row_overhead_tokens: int = 0
    """Charged per row in flight on top of its tokens: its logits, activations and page rounding."""
    one_row_tokens: int = 0
    """The longest row: longest prompt plus --max-new-tokens."""
    token_budget: int
    """kv_bytes in tokens: what the rows in flight were held to."""
    rss_bytes: int = 0
    """The process's resident memory when the budget was set (CPU)."""


class KVBudget(_Open):
    """One group of rows the hf backend decoded together."""

    token_budget: int | None = None
    """Tokens the KV cache could hold (None in runs made before the memory budget, with --batch-size)."""
    peak_rows: int = 0
    """Most rows decoded at once."""
    rows_swapped: int = 0
    """Rows moved to disk and back to stay within the budget."""
    memory_budget: MemoryBudgetFacts | None = None
    """How the budget was derived, and from what."""
    peak_kv_tokens: int | None = None
    """Most tokens the cache held at once."""
    new_tokens: int | None = None
    gen_s: float | None = None
    """Seconds this group took, prefill and decode together."""
    prefill_s: float | None = None
    decode_steps: int | None = None
    decode_s: float | None = None


class BackendDetail(_Open):
    """How the backend ran: device, dtype, batching (hf), interpreter and version (vllm)."""

    name: str
    device: str | None = None
    dtype: str | None = None
    batch_size: int | Literal["auto"] | None = None
    """--batch-size, or `auto` (as many as the token budget holds)."""
    max_memory: int | None = None
    """--max-memory in bytes (None: derived from the machine's free memory)."""
    batch_sizes_used: list[int] = []
    kv_cache: list[KVBudget] = []
    threads: int | None = None
    python: str | None = None
    """The interpreter vLLM's worker ran under."""
    vllm: str | None = None
    """vLLM's version."""


class BaseWeights(_Open):
    """The base model that was loaded (or, behind a server, its root model's name)."""

    spec: str | None = None
    """--base as given (`smollm2-135m`, a folder, a .gguf), or the served models' root."""
    path: str | None = None
    """The folder the weights were read from."""
    sha256: str | None = None
    """Hash of the weight files (hex of the per-file hashes)."""
    architecture: str | None = None
    n_params: int | None = None
    """Parameters of the base, adapters excluded."""

    @model_validator(mode="before")
    @classmethod
    def _from_name(cls, data: Any) -> Any:
        return {"spec": data} if isinstance(data, str) else data  # openai and fake runs wrote a bare name


class ProbeMismatch(_Open):
    """A record whose answer alone differs from its answer inside the run."""

    id: str
    variant: str
    setting: str = "default"
    sample: int = 0
    run_text: str = ""
    alone_text: str = ""
    same_as_variant: str | None = None
    """Another variant whose run answer equals this record's: the signature of an adapter mix-up."""


class ServingProbe(_Open):
    """The openai backend's integrity probe: a few prompts per variant asked again one at a time."""

    checked: int = 0
    skipped: int = 0
    """Probes skipped because the server does not honour the seed (sampled answers differ)."""
    interleave: bool | None = None
    mismatches: list[ProbeMismatch] = []


class BackendFacts(_Open):
    """What a backend learns by loading and generating; `Backend.describe()` returns it."""

    backend_detail: BackendDetail | None = None
    base_model: BaseWeights | None = None
    variant_details: dict[str, dict[str, Any]] = {}
    """Per variant: path, sha256, adapter_config or EOS ids, as the backend checked them."""
    chat_template: str | None = None
    """The chat template every variant's prompts were rendered with (`server`: the server's)."""
    eos_token_ids: list[int] = []
    """Token ids that end an output."""
    end_of_turn_token: str | None = None
    """The special token that closes a turn in the chat template (`<|im_end|>` for ChatML)."""
    endpoint: str | None = None
    """The OpenAI-compatible server's URL (openai)."""
    served_models: dict[str, str | None] = {}
    """Variant -> the model name the server was asked for (openai)."""
    server_models: list[dict[str, Any]] = []
    """The server's /models list: id, root, parent, owned_by (openai)."""
    prompt_format: str | None = None
    """`chat`, or how plain completions were formatted (openai --no-template)."""
    concurrency: int | None = None
    interleave: bool | None = None
    """Whether variants' requests were mixed on the server (openai --interleave)."""
    serving_probe: ServingProbe | None = None
    turn_markers: list[str] | None = None
    """Turn markers of the template in use (`tokenizer_facts.turn_markers`): next_turn reads them.
    None: not recorded (runs made before they were); `flags.run_turn_markers` derives them then."""
    prompts_start_with_bos: bool | None = None
    """Whether the rendered prompts start with the tokenizer's BOS token (None: unknown)."""


class Manifest(BackendFacts):
    """run.json: the plan, the backend's facts and the run's progress."""

    tunediff_run: int = FORMAT
    """The format version of this file."""
    status: RunStatus | None = None
    """`running` while generating; `complete` once every prompt the run holds has all its records."""
    fingerprint: str | None = None
    """Hash of the plan (variants, settings, backend, base): a command resumes only its own run."""
    suite: SuiteInfo = Field(default_factory=SuiteInfo)
    prompt_ids: list[str] = []
    """The prompts this run holds, in review-set order (--limit commands add to it)."""
    backend: str | None = None
    base: str | None = None
    """--base as given (None for the openai backend: the server holds the model)."""
    template: str | None = None
    """--template: the chat template file used instead of the tokenizer's own."""
    variants: list[VariantEntry] = []
    """Base first, then the fine-tunes, in the order given."""
    settings: list[SettingsEntry] = []
    sweep: bool = False
    """More than one settings point (--sweep)."""
    versions: dict[str, str] = {}
    """Python and library versions of the latest command."""
    timings: Timings = Field(default_factory=Timings)
    command: list[str] | None = None
    """argv of the latest `tunediff` command (None when called from Python)."""
    n_records: int | None = None
    rendered_prompts: dict[str, str | None] = {}
    """Prompt id -> the exact text every variant received (None: the server rendered it)."""
    training_data: str | None = None
    """The fine-tune's training file, when known: ood_drift compares outputs with it."""

    @field_validator("tunediff_run")
    @classmethod
    def _known_format(cls, value: int) -> int:
        if value > FORMAT:
            raise ValueError(f"format {value} is newer than this tunediff reads ({FORMAT})")
        return value

    @classmethod
    def read(cls, path: Path) -> Manifest:
        """run.json at `path`; an empty manifest when there is none; one-line errors otherwise."""
        if not path.is_file():
            return cls()
        fix = "restore it, or make the run again with this tunediff (same command, a new --out)"
        try:
            data = json.loads(read_utf8(path))
        except json.JSONDecodeError as exc:
            raise UserError(f"{path}:{exc.lineno}: not valid JSON ({exc.msg}); {fix}") from None
        if not isinstance(data, dict):
            raise UserError(f"{path}: expected a JSON object, got {type(data).__name__}; {fix}")
        try:
            return cls.model_validate(data)
        except ValidationError as exc:
            err = exc.errors()[0]
            field = ".".join(str(p) for p in err["loc"]) or "run.json"
            if field == "tunediff_run":
                raise UserError(f"{path}: field 'tunediff_run': {err['msg'].removeprefix('Value error, ')}; "
                                "upgrade tunediff (pip install -U tunediff) to open this run") from None
            raise UserError(f"{path}: field '{field}' must be valid: {err['msg']}; {fix}") from None

    def write(self, path: Path) -> None:
        """Atomically, through a temporary file: readers never see half a manifest.

        Only fields that were set are written (a null that was set stays null), so each backend's
        run.json holds its own facts and not every other backend's empty ones.
        """
        write_json_atomic(path, self.model_dump(mode="json", exclude_unset=True))

    def with_facts(self, facts: BackendFacts) -> Manifest:
        """This manifest with what the backend reported; facts it did not report are kept."""
        return self.model_copy(update={name: getattr(facts, name) for name in facts.model_fields_set})

    @property
    def variant_names(self) -> list[str]:
        return [v.name for v in self.variants]

    def variant(self, name: str) -> VariantEntry | None:
        return next((v for v in self.variants if v.name == name), None)


def plan_entries(variants: Sequence[Variant], points: Sequence[SettingPoint]) -> dict[str, Any]:
    """The plan's variants and settings as run.json holds them: the one place they are serialised."""
    return {"variants": [VariantEntry.of(v) for v in variants], "settings": [SettingsEntry.of(p) for p in points]}
