"""Review sets: load YAML or JSONL, validate with file/line/field errors, check balance."""

from __future__ import annotations

import hashlib
import json
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

import yaml

from .errors import UserError
from .expect import expect_problem
from .records import CATEGORIES, Category
from .textfiles import decode_utf8

PROMPT_KEYS = {"id", "category", "prompt", "messages", "expect", "reference", "system"}
SUITE_KEYS = {"name", "system", "defaults", "prompts", "description"}
ROLES = {"system", "user", "assistant"}
MIN_PROMPTS, MAX_PROMPTS, MIN_PER_CATEGORY = 20, 50, 5


@dataclass(frozen=True)
class Prompt:
    """One review prompt. `messages` is the full chat sent (system prompt included)."""

    id: str
    category: Category
    messages: tuple[dict[str, str], ...]
    expect: dict[str, Any] | None = None
    reference: str | tuple[str, ...] | None = None
    """A string, or accepted short answers (a list in the review set)."""
    line: int | None = None

    @property
    def text(self) -> str:
        """The last user message: what a reader calls 'the prompt'."""
        for msg in reversed(self.messages):
            if msg["role"] == "user":
                return msg["content"]
        return self.messages[-1]["content"]


@dataclass(frozen=True)
class Suite:
    """A loaded, validated review set."""

    name: str
    prompts: tuple[Prompt, ...]
    defaults: dict[str, Any] = field(default_factory=dict)
    system: str | None = None
    path: str | None = None
    sha256: str = ""

    def by_category(self) -> dict[str, list[Prompt]]:
        out: dict[str, list[Prompt]] = {c: [] for c in CATEGORIES}
        for p in self.prompts:
            out[p.category].append(p)
        return out

    def limit(self, n: int | None) -> Suite:
        """The first n prompts, for a quick look."""
        if n is None:
            return self
        if n <= 0:
            raise UserError(f"--limit must be > 0, got {n}")
        return Suite(self.name, self.prompts[:n], self.defaults, self.system, self.path, self.sha256)


class _Mapping(dict):
    """A YAML mapping that remembers its line and the line of each key (1-based)."""

    line: int = 0
    key_lines: dict[str, int]


# libyaml's parser when present: the pure-Python one takes ~10 s of CPU for a 10 MB prompt.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
# A 50-prompt review set has a few thousand YAML values; an alias bomb (&a/*a nested) billions.
MAX_YAML_VALUES = 100_000


class _Builder:
    """Python values from a composed YAML node tree, remembering lines, with a bound on expansion."""

    def __init__(self, path: Path):
        self.path, self.left = path, MAX_YAML_VALUES
        self.loader = yaml.SafeLoader("")

    def build(self, node: yaml.Node) -> Any:
        self.left -= 1
        if self.left < 0:
            raise UserError(
                f"{self.path}: expands to more than {MAX_YAML_VALUES:,} values (YAML aliases *name repeat what "
                "&name marks); write the repeated part out once per prompt, or use fewer aliases"
            )
        if isinstance(node, yaml.MappingNode):
            out = _Mapping()
            out.line = node.start_mark.line + 1
            out.key_lines = {}
            for key_node, value_node in node.value:
                key, line = str(self.build(key_node)), key_node.start_mark.line + 1
                if key in out.key_lines:  # PyYAML would silently keep the last one
                    raise UserError(f"{self.path}:{line}: key '{key}' given twice (first at line "
                                    f"{out.key_lines[key]}); keep one")
                out[key] = self.build(value_node)
                out.key_lines[key] = line
            return out
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item) for item in node.value]
        return self.loader.construct_object(node, deep=True)


def _line_of(obj: Any, key: str | None = None, default: int | None = None) -> int | None:
    if isinstance(obj, _Mapping):
        if key is not None and key in obj.key_lines:
            return obj.key_lines[key]
        return obj.line
    return default


def load_suite(path: str | Path) -> Suite:
    """Load a review set from YAML (`.yaml`/`.yml`) or JSONL (one prompt object per line)."""
    p = Path(path)
    if not p.is_file():
        raise UserError(f"{p}: no such review set; create one with `tunediff init {p}`")
    try:
        raw = p.read_bytes()
    except OSError as exc:
        raise UserError(f"{p}: cannot read ({exc.strerror})") from None
    text = decode_utf8(p, raw).removeprefix("\ufeff")  # the byte-order mark some Windows editors write
    if p.suffix == ".jsonl":
        doc = _load_jsonl(p, text)
    else:
        doc = _load_yaml(p, text)
    return _build_suite(p, doc, hashlib.sha256(raw).hexdigest())


def _load_yaml(p: Path, text: str) -> Any:
    try:
        node = yaml.compose(text, Loader=_LOADER)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f":{mark.line + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise UserError(f"{p}{line}: malformed YAML ({problem}); fix the syntax on that line") from None
    if node is None:
        raise UserError(f"{p}: empty review set; add a `prompts:` list (see `tunediff init`)")
    return _Builder(p).build(node)


def _load_jsonl(p: Path, text: str) -> Any:
    doc = _Mapping()
    doc.line, doc.key_lines = 1, {"prompts": 1}
    prompts = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise UserError(f"{p}:{number}: malformed JSON ({exc.msg}); one prompt object per line") from None
        if not isinstance(obj, dict):
            raise UserError(f"{p}:{number}: expected a JSON object with id, category and prompt")
        item = _Mapping(obj)
        item.line, item.key_lines = number, {k: number for k in obj}
        prompts.append(item)
    doc["prompts"] = prompts
    doc["name"] = p.stem
    return doc


def _build_suite(p: Path, doc: Any, sha: str) -> Suite:
    if not isinstance(doc, dict):
        raise UserError(f"{p}:1: expected a mapping with `prompts:` at the top level")
    for key in doc:
        if key not in SUITE_KEYS:
            raise UserError(f"{p}:{_line_of(doc, key)}: unknown key '{key}'; allowed: {', '.join(sorted(SUITE_KEYS))}")
    system = doc.get("system")
    if system is not None and not isinstance(system, str):
        raise UserError(f"{p}:{_line_of(doc, 'system')}: system must be a string")
    defaults = doc.get("defaults") or {}
    if not isinstance(defaults, dict):
        raise UserError(f"{p}:{_line_of(doc, 'defaults')}: defaults must be a mapping such as {{preset: greedy}}")
    items = doc.get("prompts")
    if not isinstance(items, list) or not items:
        raise UserError(f"{p}:{_line_of(doc, 'prompts')}: `prompts:` must be a non-empty list")
    seen: dict[str, int | None] = {}
    prompts = []
    for index, item in enumerate(items):
        prompt = _build_prompt(p, item, index, system)
        if prompt.id in seen:
            raise UserError(
                f"{p}:{prompt.line}: id: duplicate id '{prompt.id}' "
                f"(first at line {seen[prompt.id]}); ids must be unique"
            )
        seen[prompt.id] = prompt.line
        prompts.append(prompt)
    name = doc.get("name") or p.stem
    if not isinstance(name, str | int | float):
        raise UserError(f"{p}:{_line_of(doc, 'name')}: name must be a string such as order-extraction")
    # Validate defaults now so a bad value names the review set, not the run.
    from .settings import resolve_settings

    resolve_settings(defaults, suite_source=f"{p}:{_line_of(doc, 'defaults')}: defaults")
    return Suite(str(name), tuple(prompts), dict(defaults), system, str(p), sha)


def _build_prompt(p: Path, item: Any, index: int, system: str | None) -> Prompt:
    if not isinstance(item, dict):
        raise UserError(f"{p}: prompts[{index}]: expected a mapping with id, category and prompt")
    line = _line_of(item)

    def err(key: str | None, message: str) -> UserError:
        at = _line_of(item, key, line)
        return UserError(f"{p}:{at}: {key or 'prompt'}: {message}")

    for key in item:
        if key not in PROMPT_KEYS:
            raise err(key, f"unknown key '{key}'; allowed: {', '.join(sorted(PROMPT_KEYS))}")
    pid = item.get("id")
    if pid is None or (isinstance(pid, str) and not pid.strip()):
        raise err("id", "missing id; give every prompt a unique id such as std-01")
    if not isinstance(pid, str | int):
        raise err("id", "must be a string")
    pid = str(pid)
    if any(unicodedata.category(ch) == "Cc" for ch in pid):  # ids land in terminals, errors and file rows
        raise err("id", f"{pid!r} holds a control character (newline, tab, escape); use letters, digits and -")
    category = item.get("category")
    if category not in CATEGORIES:
        raise err("category", f"'{category}' is not a category; use standard, edge or ood")
    has_prompt, has_messages = "prompt" in item, "messages" in item
    if has_prompt == has_messages:
        raise err(None, "give exactly one of `prompt` (a string) or `messages` (a chat)")
    messages: list[dict[str, str]] = []
    own_system = item.get("system", system)
    if has_prompt:
        text = item["prompt"]
        if not isinstance(text, str):
            raise err("prompt", f"must be a string, got {_yaml_kind(text)}; quote it, or use `messages:` for a chat")
        if not text.strip():
            raise err("prompt", "empty prompt; write the text to send")
        if own_system:
            messages.append({"role": "system", "content": own_system})
        messages.append({"role": "user", "content": text})
    else:
        chat = item["messages"]
        if not isinstance(chat, list) or not chat:
            raise err("messages", "must be a non-empty list of {role, content}")
        if own_system and not (isinstance(chat[0], dict) and chat[0].get("role") == "system"):
            messages.append({"role": "system", "content": own_system})
        for turn in chat:
            if not isinstance(turn, dict) or set(turn) != {"role", "content"}:
                raise err("messages", "each message needs exactly `role` and `content`")
            if turn["role"] not in ROLES:
                raise err("messages", f"role '{turn['role']}' is not one of {', '.join(sorted(ROLES))}")
            if not isinstance(turn["content"], str) or not turn["content"].strip():
                raise err("messages", "empty message content")
            messages.append({"role": str(turn["role"]), "content": turn["content"]})
        if messages[-1]["role"] == "assistant":
            raise err("messages", "the last message must be from the user, not the assistant")
    expect = item.get("expect")
    if expect is not None:
        expect = _check_expect(expect, err)
    reference = _check_reference(item.get("reference"), err)
    return Prompt(pid, cast(Category, category), tuple(messages), expect, reference, line)  # checked above


def _yaml_kind(value: Any) -> str:
    return {list: "a list", dict: "a mapping", bool: "true/false", type(None): "nothing"}.get(
        type(value) if not isinstance(value, dict) else dict, f"a {type(value).__name__}")


def _check_reference(reference: Any, err: Any) -> str | tuple[str, ...] | None:
    """A string; a list of short accepted answers (strings or numbers); any other value is an
    expected output written as YAML, kept as its JSON text."""
    if isinstance(reference, list) and all(isinstance(r, str | int | float) and not isinstance(r, bool)
                                           for r in reference):
        answers = tuple(str(r).strip() for r in reference)
        if not answers or not all(answers):
            raise err("reference", "a list of accepted answers needs at least one non-empty answer, "
                                   "e.g. [366, three hundred sixty-six]")
        return answers
    if reference is not None and not isinstance(reference, str):
        return json.dumps(reference, ensure_ascii=False)
    return reference


def _check_expect(expect: Any, err: Any) -> dict[str, Any]:
    problem = expect_problem(expect)
    if problem:
        raise err("expect", problem)
    return json.loads(json.dumps(dict(expect)))


# ---------------------------------------------------------------------------- balance


@dataclass(frozen=True)
class CheckResult:
    counts: dict[str, int]
    warnings: tuple[str, ...]


def check_suite(suite: Suite) -> CheckResult:
    """Balance warnings: 20-50 prompts, all three categories, at least 5 in each."""
    counts = {c: len(ps) for c, ps in suite.by_category().items()}
    total = sum(counts.values())
    warnings = []
    if total < MIN_PROMPTS:
        warnings.append(f"{total} prompts: fewer than {MIN_PROMPTS}; too few to tell a pattern from noise")
    if total > MAX_PROMPTS:
        warnings.append(f"{total} prompts: more than {MAX_PROMPTS}; a person will not read them all carefully")
    for cat, n in counts.items():
        if n == 0:
            warnings.append(f"category '{cat}' is missing; {_WHY[cat]}")
        elif n < MIN_PER_CATEGORY:
            warnings.append(f"category '{cat}' has {n} prompts, fewer than {MIN_PER_CATEGORY}; {_WHY[cat]}")
    no_expect = [p.id for p in suite.prompts if p.category == "standard" and not p.expect]
    if counts["standard"] and len(no_expect) == counts["standard"]:
        warnings.append("no standard prompt has `expect` checks; add format/schema checks so format flags can fire")
    return CheckResult(counts, tuple(warnings))


_WHY = {
    "standard": "add prompts shaped like the training data",
    "edge": "add unusual phrasings, long or incomplete requests",
    "ood": "add prompts unrelated to the training data to see whether general knowledge survived",
}
