"""Reading generation records made by any other tool, for `tunediff flag IN.jsonl`.

Required: id, variant, text. Optional: category, prompt, messages, finish_reason, raw_text,
sample, setting, expect, reference. Every error names the file, the line and the field.
"""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import ValidationError

from ..errors import UserError
from ..expect import expect_problem
from ..records import GenerationRecord
from ..textfiles import read_utf8
from ._core import TrainingTexts

REQUIRED = ("id", "variant", "text")


def read_input(path: str | Path) -> list[GenerationRecord]:
    p = Path(path)
    lines = read_utf8(p).removeprefix("\ufeff").splitlines()
    records: list[GenerationRecord] = []
    seen: dict[tuple[str, str, str, int], int] = {}
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        rec = _parse_line(p, number, line)
        if rec.key in seen:
            raise UserError(f"{p}:{number}: duplicate record (id {rec.id!r}, variant {rec.variant!r}, "
                            f"setting {rec.setting!r}, sample {rec.sample}) of line {seen[rec.key]}; "
                            "give each sample its own `sample` number")
        seen[rec.key] = number
        records.append(rec)
    if not records:
        raise UserError(f"{p}: no records (the file is empty); expected one JSON object per line with "
                        "at least id, variant and text")
    return records


def _parse_line(p: Path, number: int, line: str) -> GenerationRecord:
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as exc:
        raise UserError(f"{p}:{number}: not valid JSON ({exc.msg} at column {exc.colno})") from None
    if not isinstance(obj, dict):
        raise UserError(f"{p}:{number}: expected a JSON object with id, variant and text, "
                        f"got {type(obj).__name__}")
    missing = [k for k in REQUIRED if k not in obj]
    if missing:
        raise UserError(f"{p}:{number}: missing required field '{missing[0]}' (required: id, variant, text)")
    for key in ("id", "variant"):  # ints as ids are a common export: accept, but not floats or objects
        if isinstance(obj[key], int) and not isinstance(obj[key], bool):
            obj[key] = str(obj[key])
    problem = expect_problem(obj["expect"]) if obj.get("expect") is not None else None
    if problem:
        raise UserError(f"{p}:{number}: field 'expect': {problem}")
    try:
        return GenerationRecord.model_validate(obj, strict=False)
    except ValidationError as exc:
        err = exc.errors()[0]
        field = ".".join(str(part) for part in err["loc"]) or "record"
        got = err.get("input")
        shown = json.dumps(got, ensure_ascii=False)[:40] if not isinstance(got, dict) else "an object"
        raise UserError(f"{p}:{number}: field '{field}': {err['msg']} (got {shown})") from None


def training_texts(path: str | Path) -> TrainingTexts:
    """The prompts and answers of a training file (any format `tunediff.training_data` reads)."""
    from ..training_data import read_training_data

    examples = read_training_data(path)
    prompts = tuple(e.prompt for e in examples if e.messages)
    answers = tuple(e.answer if e.answer is not None else (e.text or "") for e in examples)
    pairs = tuple((e.prompt, e.answer) for e in examples if e.messages and e.answer and e.answer.strip())
    return TrainingTexts(prompts, tuple(a for a in answers if a.strip()), pairs)
