"""A prompt's `expect` checks, validated one way for every entry point.

Review sets (`suite check`, `run`) and other tools' outputs (`tunediff flag IN.jsonl`) both
go through `expect_problem`, so a regex that does not compile, a schema that is not a JSON
Schema or `grounded: maybe` is refused in all of them instead of flagging every output.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from typing import Any

EXPECT_KEYS = {"format", "schema", "grounded", "regex", "max_words"}
FORMATS = ("json", "text")


def expect_problem(expect: Any) -> str | None:
    """What is wrong with an `expect` mapping, as the end of a one-line error; None when it is valid."""
    if isinstance(expect, dict):  # every record of a prompt repeats its expect: check each one once
        try:
            return _problem_of_json(json.dumps(expect, sort_keys=True))
        except (TypeError, ValueError):
            pass
    return _problem(expect)


@lru_cache(maxsize=1024)
def _problem_of_json(text: str) -> str | None:
    return _problem(json.loads(text))


def _problem(expect: Any) -> str | None:
    if not isinstance(expect, dict):
        return "must be a mapping (format, schema, grounded, regex, max_words)"
    for key in expect:
        if key not in EXPECT_KEYS:
            return f"unknown check '{key}'; allowed: {', '.join(sorted(EXPECT_KEYS))}"
    if "format" in expect and expect["format"] not in FORMATS:
        return f"format '{expect['format']}' must be json or text"
    if "grounded" in expect and not isinstance(expect["grounded"], bool):
        return f"grounded must be true or false, got {expect['grounded']!r}"
    max_words = expect.get("max_words")
    if "max_words" in expect and (isinstance(max_words, bool) or not isinstance(max_words, int) or max_words <= 0):
        return "max_words must be a positive integer"
    if "regex" in expect:
        regex = expect["regex"]
        if isinstance(regex, bool) or not isinstance(regex, str | int | float):
            return "regex must be a string"
        try:
            re.compile(str(regex))
        except re.error as exc:
            return f"regex does not compile ({exc}); fix the pattern (quote it in YAML)"
    if "schema" in expect:
        return _schema_problem(expect["schema"])
    return None


def _schema_problem(schema: Any) -> str | None:
    if not isinstance(schema, dict):
        return "schema must be a JSON Schema mapping"
    import jsonschema  # only when a schema is present: the import costs ~50 ms

    cls = jsonschema.validators.validator_for(schema, default=jsonschema.Draft202012Validator)
    try:
        cls.check_schema(schema)
    except jsonschema.SchemaError as exc:
        where = "/".join(str(p) for p in exc.absolute_path) or "top level"
        return f"schema is not a valid JSON Schema at {where}: {exc.message[:120]}"
    return None
