"""What tunediff writes to disk, as pydantic models, and the run directory's file layout.

Nothing here imports a backend, torch or transformers: flags, views, stats and exports
work from the run directory alone.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections import defaultdict
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .errors import UserError
from .expect import expect_problem
from .textfiles import ELSEWHERE, decode_utf8, writing

FinishReason = Literal["eos", "stop", "length"]
Category = Literal["standard", "edge", "ood"]
CATEGORIES: tuple[str, ...] = get_args(Category)
"""The review set's categories in display order; every view and option lists them from here."""
MISSING_CATEGORY = "uncategorised"
"""The label every view gives an output whose prompt has no category."""


def category_rank(category: str) -> tuple[int, str]:
    """Sort key: the known categories in CATEGORIES order, then others by name."""
    return (CATEGORIES.index(category) if category in CATEGORIES else len(CATEGORIES), category)

MANIFEST = "run.json"
GENERATIONS = "generations.jsonl"
FLAGS = "flags.jsonl"
RATINGS = "ratings.sqlite"
REPORT = "report.html"
LOCK = ".lock"  # held by the one process writing the run (see RunDir.writer_lock)


class GenerationRecord(BaseModel):
    """One output: (prompt id, variant, setting, sample) -> text. One line of generations.jsonl."""

    model_config = ConfigDict(extra="allow")

    id: str
    """Prompt id from the review set."""
    variant: str
    """Variant name: `base`, or the name given with --adapter/--model/--variant."""
    setting: str = "default"
    """Setting id: `default`, or the sweep point such as `temperature=0.7`."""
    sample: int = 0
    """Sample index, 0 .. samples-1."""
    category: Category | None = None
    """Review-set category of the prompt."""
    prompt: str | None = None
    """The prompt's user text (for multi-turn prompts, the last user message)."""
    messages: list[dict[str, str]] | None = None
    """The full chat sent (system and earlier turns included)."""
    text: str
    """The visible output: special tokens removed, cut at a stop string."""
    raw_text: str | None = None
    """The decoded new tokens with special tokens kept, up to and including EOS."""
    finish_reason: FinishReason | None = None
    """`eos` (an end-of-sequence id), `stop` (a stop string) or `length` (token limit)."""
    prompt_tokens: int | None = None
    """Tokens in the rendered prompt."""
    new_tokens: int | None = None
    """Tokens generated, EOS included."""
    latency_s: float | None = None
    """Share of the batch's wall time attributed to this record (batch time / rows)."""
    batch_latency_s: float | None = None
    """Wall time of the batch this record was generated in."""
    seed: int | None = None
    """Seed used for this record's sampling (identical across variants)."""
    expect: dict[str, Any] | None = None
    """The prompt's `expect` checks, copied from the review set."""
    reference: str | list[str] | None = None
    """The prompt's reference answer, copied from the review set: a string, or a list of accepted
    short answers (`tunediff.flags.reference.accepted_answers` says which are matched)."""

    @property
    def key(self) -> tuple[str, str, str, int]:
        return (self.id, self.variant, self.setting, self.sample)


class Evidence(BaseModel):
    """Why a flag fired: where in the text and which measurement crossed which threshold."""

    span: tuple[int, int] | None = None
    """Character range [start, end) in the record's `text` (None: the whole output)."""
    metric: str | None = None
    value: float | str | None = None
    threshold: float | str | None = None


class Finding(BaseModel):
    """One flag on one output. One line of flags.jsonl."""

    id: str
    variant: str
    setting: str = "default"
    sample: int = 0
    flag: str
    severity: Literal["info", "warn", "error"] = "warn"
    message: str
    evidence: Evidence = Field(default_factory=Evidence)


# ---------------------------------------------------------------------------- JSONL I/O


def append_jsonl(path: Path, rows: Iterable[BaseModel | dict[str, Any]]) -> None:
    """Append rows and fsync, so a killed process loses at most the batch in flight."""
    lines = []
    for row in rows:
        data = row.model_dump(mode="json", exclude_none=True) if isinstance(row, BaseModel) else row
        lines.append(json.dumps(data, ensure_ascii=False) + "\n")
    if not lines:
        return
    with writing(path), open(path, "a", encoding="utf-8") as fh:
        fh.write("".join(lines))
        fh.flush()
        os.fsync(fh.fileno())


def read_jsonl(path: Path, tolerate_torn_tail: bool = False) -> Iterator[tuple[int, dict[str, Any]]]:
    """Yield (line number, object). A torn last line (a write cut by a kill) can be skipped.

    A last line that is not UTF-8 counts as torn too (a kill can cut a character in half);
    anywhere else it is an error naming the line.
    """
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise UserError(f"{path}: cannot read ({exc.strerror})") from None
    lines = raw.removeprefix(b"\xef\xbb\xbf").split(b"\n")  # a byte-order mark some Windows tools write
    ends_with_newline = lines[-1] == b""
    if ends_with_newline:
        lines.pop()
    for number, chunk in enumerate(lines, start=1):
        tail = tolerate_torn_tail and number == len(lines)
        try:
            line = chunk.decode("utf-8")
        except UnicodeDecodeError:
            if tail:
                return
            decode_utf8(path, chunk, first_line=number)  # raises, naming the line
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            if tail and not ends_with_newline:
                return
            raise UserError(f"{path}:{number}: not valid JSON ({exc.msg}); fix or remove this line") from None
        if not isinstance(obj, dict):
            raise UserError(f"{path}:{number}: expected a JSON object, got {type(obj).__name__}")
        yield number, obj


def read_records(path: Path, tolerate_torn_tail: bool = True) -> list[GenerationRecord]:
    """Read generations.jsonl; later duplicates of a key replace earlier ones."""
    by_key: dict[tuple[str, str, str, int], GenerationRecord] = {}
    for number, obj in read_jsonl(path, tolerate_torn_tail):
        try:
            rec = GenerationRecord.model_validate(obj)
        except ValidationError as exc:
            err = exc.errors()[0]
            field = ".".join(str(p) for p in err["loc"]) or "record"
            raise UserError(f"{path}:{number}: field '{field}': {err['msg']}") from None
        problem = expect_problem(rec.expect) if rec.expect is not None else None
        if problem:
            raise UserError(f"{path}:{number}: field 'expect': {problem}")
        by_key[rec.key] = rec
    return list(by_key.values())


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _readable(fd: int) -> None:
    """mkstemp makes files 0600; a report or manifest is meant to be read and shared like any file."""
    os.fchmod(fd, 0o666 & ~_umask())


def write_json_atomic(path: Path, data: Any) -> None:
    """Write JSON through a temporary file and a rename: readers never see half a file."""
    write_text_atomic(path, json.dumps(data, indent=2, ensure_ascii=False) + "\n")


def write_text_atomic(path: Path, text: str, elsewhere: str = ELSEWHERE) -> None:
    """Write a text file (a report, an export) through a temporary file and a rename.

    `elsewhere` says how to write it elsewhere when the folder is read-only.
    """
    with writing(path, elsewhere):
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
        try:
            _readable(fd)
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(text)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, path)
        except BaseException:
            if os.path.exists(tmp):
                os.unlink(tmp)
            raise


# ---------------------------------------------------------------------------- grouping for views


def findings_by_record(findings: Iterable[Finding]) -> dict[tuple[str, str, str, int], list[Finding]]:
    """Findings keyed like records: (id, variant, setting, sample)."""
    out: dict[tuple[str, str, str, int], list[Finding]] = defaultdict(list)
    for f in findings:
        out[(f.id, f.variant, f.setting, f.sample)].append(f)
    return out


def records_by_output(records: Iterable[GenerationRecord]) -> dict[tuple[str, str, int], list[GenerationRecord]]:
    """The variants' records of one output slot (prompt id, setting, sample), in record order."""
    out: dict[tuple[str, str, int], list[GenerationRecord]] = defaultdict(list)
    for rec in records:
        out[(rec.id, rec.setting, rec.sample)].append(rec)
    return out
