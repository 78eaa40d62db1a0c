"""Format checks from a prompt's `expect`: JSON validity, extra text, JSON Schema, regex, max_words."""

from __future__ import annotations

import json
import re
from functools import lru_cache
from typing import Any

from ..records import Finding, GenerationRecord
from ._core import Context, finding, register, whole
from ._text import JsonError, JsonFound, find_json, looks_like_json, word_count


@register("format", "output",
          "Invalid JSON, extra text around JSON, JSON Schema violations, regex mismatch, too many words "
          "(checks from the prompt's `expect`).", needs=("expect",))
def format_flag(rec: GenerationRecord, ctx: Context) -> list[Finding]:
    expect = rec.expect or {}
    out: list[Finding] = []
    if expect.get("format") == "json" or "schema" in expect:
        out.extend(_json_checks(rec, expect, ctx))
    if "regex" in expect and not _regex(str(expect["regex"])).search(rec.text):
        out.append(finding(rec, "format", f"does not match the expected pattern /{expect['regex']}/", "warn",
                           whole(rec), "regex", "no match", str(expect["regex"])))
    if "max_words" in expect:
        n, limit = word_count(rec.text), int(expect["max_words"])
        if n > limit:
            out.append(finding(rec, "format", f"{n} words, more than the expected {limit}", "warn",
                               whole(rec), "words", n, limit))
    return out


def _json_checks(rec: GenerationRecord, expect: dict[str, Any], ctx: Context) -> list[Finding]:
    if not rec.text.strip():
        return []  # `empty` says it better
    found = find_json(rec.text)
    if isinstance(found, JsonError):
        return [_invalid(rec, found)]
    out = []
    if not found.bare:
        where = "before and after" if found.before and found.after else ("before" if found.before else "after")
        span = (found.end, len(rec.text)) if found.after and not found.before else (0, found.start)
        extra = found.after if found.after else found.before
        out.append(finding(rec, "format", f"extra text {where} the JSON: {extra[:50]!r}", "warn", span,
                           "extra_chars", len(found.before) + len(found.after), 0))
    if isinstance(expect.get("schema"), dict):
        out.extend(_schema_errors(rec, found, expect["schema"], ctx))
    return out


def _invalid(rec: GenerationRecord, err: JsonError) -> Finding:
    if looks_like_json(rec.text):
        message = f"invalid JSON: {err.message} at char {err.position}"
        span = (err.position, len(rec.text))
        if rec.finish_reason == "length":
            message += " (cut off by the token limit)"
    else:
        message = "no JSON in the output"
        span = whole(rec)
    return finding(rec, "format", message, "error", span, "json", "invalid", "valid JSON")


def _schema_errors(rec: GenerationRecord, found: JsonFound, schema: dict[str, Any], ctx: Context) -> list[Finding]:
    validator = _validator(json.dumps(schema, sort_keys=True))
    if validator is None:
        return []
    errors = sorted(validator.iter_errors(found.value), key=lambda e: list(e.absolute_path))
    out = []
    for err in errors[: int(ctx.t("format.max_schema_errors"))]:
        path = "/".join(str(p) for p in err.absolute_path) or "(root)"
        out.append(finding(rec, "format", f"schema: {path}: {err.message[:120]}", "warn",
                           (found.start, found.end), "schema", path, err.validator))
    return out


@lru_cache(maxsize=256)
def _validator(schema_json: str) -> Any:
    import jsonschema  # only when a schema is present: import costs ~50 ms

    schema = json.loads(schema_json)
    cls = jsonschema.validators.validator_for(schema, default=jsonschema.Draft202012Validator)
    try:
        cls.check_schema(schema)
    except jsonschema.SchemaError:
        return None  # suite check reports bad schemas; a flag should not crash on one
    return cls(schema)


@lru_cache(maxsize=256)
def _regex(pattern: str) -> re.Pattern[str]:
    try:
        return re.compile(pattern, re.S)
    except re.error:
        return re.compile(re.escape(pattern))
