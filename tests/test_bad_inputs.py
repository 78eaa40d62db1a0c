"""Every bad input of issue 15, and more: one line on stderr, exit 2, no traceback, nothing changed.

Each row is a command a user could type. The run directory a row touches is hashed before and
after: a refused command leaves every file as it was. Runs go to a small OpenAI-compatible
server in this process (tests/backends/_fake_openai.py) or are refused before any model loads,
so the table needs no model. The read-only rows use a real read-only folder (a read-only bind
mount when running as root, where permission bits do not bind).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from tunediff.cli import main

sys.path.insert(0, str(Path(__file__).parent / "backends"))
from _fake_openai import FakeOpenAI  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
DEMO_SET = REPO / "examples" / "demo" / "review.yaml"
DEMO_ADAPTER = REPO / "examples" / "demo" / "adapter"


@dataclass
class Env:
    """A per-test folder holding a finished served run `run` and the files the rows need."""

    tmp: Path
    url: str

    @property
    def run(self) -> Path:
        return self.tmp / "run"

    @property
    def served(self) -> list[str]:
        return ["--endpoint", self.url, "--variant", "base=base", "--variant", "tuned=tuned"]

    def file(self, name: str, data: str | bytes) -> Path:
        path = self.tmp / name
        path.write_bytes(data.encode() if isinstance(data, str) else data)
        return path

    def suite(self, name: str, prompt_line: str) -> Path:
        return self.file(name, f"name: x\nprompts:\n  - {prompt_line}\n")


@dataclass
class Case:
    id: str
    argv: Callable[[Env], list[str]]
    error: str
    """A regex the one error line must match: it names the file, line, option or field."""
    touches: Callable[[Env], Path] | None = None
    """The folder whose files must be unchanged (hashed before and after)."""
    prepare: Callable[[Env], object] | None = None


def _bad_middle_line(env: Env, name: str) -> None:
    path = env.run / name
    lines = path.read_bytes().splitlines(keepends=True)
    lines.insert(1, b'{"id": "caf\xe9"}\n')  # Latin-1, not UTF-8, and not the last line
    path.write_bytes(b"".join(lines))


def _append(env: Env, name: str, data: str) -> None:
    with open(env.run / name, "a", encoding="utf-8") as fh:
        fh.write(data)


def _replace(env: Env, name: str, data: str) -> None:
    (env.run / name).write_text(data, encoding="utf-8")


def _pickle_adapter(env: Env) -> Path:
    folder = env.tmp / "pickled"
    folder.mkdir()
    shutil.copy(DEMO_ADAPTER / "adapter_config.json", folder)
    (folder / "adapter_model.bin").write_bytes(os.urandom(64))
    return folder


def _bomb(env: Env) -> Path:
    levels = ["        l0: &a0 {type: string}"]
    levels += [f"        l{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 9)]
    return env.file("bomb.yaml", "name: bomb\nprompts:\n  - id: p1\n    category: standard\n    prompt: hi\n"
                    "    expect:\n      schema:\n" + "\n".join(levels) + "\n")


def _dangling(env: Env) -> Path:
    link = env.tmp / "link"
    link.symlink_to(env.tmp / "nowhere" / "run")
    return link


def _gens(expect: str) -> Callable[[Env], Path]:
    return lambda env: env.file("g.jsonl", '{"id": "a", "variant": "base", "text": "x", "expect": ' + expect + "}\n")


RUN = lambda env: env.run  # noqa: E731
SERVED = ["--no-flags", "-q"]

CASES = [
    # -- run directory integrity (the lock has its own tests with two real processes)
    Case("15.2 another review set into a run", lambda e: ["run", e.file("other.yaml", DEMO_SET.read_text() + "\n#"),
         *e.served, "--limit", "4", "--out", e.run, *SERVED], r"another review set .*other\.yaml", RUN),
    # -- tracebacks that must be one line
    Case("15.3 --base random bytes .gguf", lambda e: ["run", DEMO_SET, "--adapter", DEMO_ADAPTER, "--base",
         e.file("garbage.gguf", os.urandom(3000)), "--limit", "2", "-q"], r"--base .*garbage\.gguf: not a GGUF"),
    Case("15.4 --out /proc/x", lambda e: ["run", DEMO_SET, *e.served, "--out", "/proc/x", *SERVED],
         r"--out /proc/x: cannot create"),
    Case("15.4 --out through a file", lambda e: ["run", DEMO_SET, *e.served, "--out", e.file("afile", "x") / "sub",
         *SERVED], r"--out .*afile/sub: part of this path is a file"),
    *[Case(f"15.5 undecodable generations line: {cmd}", lambda e, cmd=cmd: [*cmd.split(), e.run],
           r"generations\.jsonl:2: not UTF-8 text", RUN, lambda e: _bad_middle_line(e, "generations.jsonl"))
      for cmd in ("show", "flags", "stats", "export -f md", "report")],
    Case("15.5 undecodable flags line: show", lambda e: ["show", e.run], r"flags\.jsonl:2: not UTF-8", RUN,
         lambda e: _bad_middle_line(e, "flags.jsonl")),
    Case("15.5 undecodable generations line: run resume", lambda e: ["run", DEMO_SET, *e.served, "--out", e.run,
         *SERVED], r"generations\.jsonl:2: not UTF-8", RUN, lambda e: _bad_middle_line(e, "generations.jsonl")),
    *[Case(f"15.6 run.json [1,2]: {cmd}", lambda e, cmd=cmd: [cmd, e.run], r"run\.json: expected a JSON object",
           RUN, lambda e: _replace(e, "run.json", "[1,2]")) for cmd in ("show", "report", "stats")],
    Case("15.7 report --out /proc/x.html", lambda e: ["report", e.run, "--out", "/proc/x.html"],
         r"/proc/x\.html: cannot write", RUN),
    Case("15.7 report --out a folder", lambda e: ["report", e.run, "--out", e.tmp], r"cannot write: that is a folder",
         RUN),
    Case("15.7 export --out a folder", lambda e: ["export", e.run, "-f", "csv", "--out", e.tmp],
         r"cannot write: that is a folder", RUN),
    Case("15.7 flag --out /proc/x.jsonl", lambda e: ["flag", e.run / "generations.jsonl", "--out", "/proc/x.jsonl"],
         r"/proc/x\.jsonl: cannot write", RUN),
    Case("15.9 --endpoint nothing listens", lambda e: ["run", DEMO_SET, "--endpoint", "http://127.0.0.1:1/v1",
         "--variant", "base=a", "--variant", "tuned=b", "--out", e.tmp / "new", *SERVED],
         r"127\.0\.0\.1:1/v1/models: .*[Cc]onnection refused.*is the server running"),
    *[Case(f"15.10 --template {what}", lambda e, body=body: ["run", DEMO_SET, "--adapter", DEMO_ADAPTER,
           "--template", e.file("t.jinja", body), "--out", e.tmp / "new", "-q"], pattern)
      for what, body, pattern in [
          ("a binary file", bytes(range(256)) * 4, r"--template .*t\.jinja: not a text file"),
          ("broken Jinja", "{% for m in messages %}{{ m.content }", r"t\.jinja:1: the chat template does not render"),
          ("an unknown variable", "{% for m in messages %}{{ nosuch.x }}{% endfor %}", r"'nosuch' is undefined")]],
    Case("15.10 --model an empty folder", lambda e: ["run", DEMO_SET, "--model", f"m={e.tmp}", "--out",
         e.tmp / "new", "-q"], r"--model m=.*no config\.json"),
    Case("15.11 init /proc/x.yaml", lambda e: ["init", "/proc/x.yaml"], r"/proc/x\.yaml: cannot write"),
    Case("15.11 suite sample, not UTF-8", lambda e: ["suite", "sample", e.file("t.jsonl", b'{"text": "a"}\n'
         b'{"text": "\xff"}\n')], r"t\.jsonl:2: not UTF-8 text .*iconv"),
    # -- hang
    Case("15.12 YAML alias bomb", lambda e: ["suite", "check", _bomb(e)], r"bomb\.yaml: expands to more than"),
    # -- unclear or wrong messages
    Case("15.13 pickle adapter without --allow-pickle", lambda e: ["run", DEMO_SET, "--adapter", _pickle_adapter(e),
         "--out", e.tmp / "new", "-q"], r"--adapter tuned=.*pickle format .*--allow-pickle"),
    Case("15.14 usage: --out a file", lambda e: ["run", DEMO_SET, "--out", e.file("afile", "x")],
         r"'--out'.*is a file\. \(see `.*run --help`\)"),
    Case("15.14 usage: export --format nonsense", lambda e: ["export", e.run, "--format", "nonsense"],
         r"'--format': 'nonsense' is not one of 'dpo', 'csv', 'jsonl', 'md'", RUN),
    Case("15.14 usage: export without --format", lambda e: ["export", e.run], r"'--format'\. Choose from: dpo, csv"),
    Case("15.14 usage: show -c weird", lambda e: ["show", e.run, "-c", "weird"],
         r"'--category': 'weird' is not one of 'standard', 'edge', 'ood'"),
    Case("15.14 usage: init a folder", lambda e: ["init", e.tmp], r"'PATH'.*is a directory"),
    Case("15.14 usage: flag a folder", lambda e: ["flag", e.run], r"'IN\.jsonl'.*is a directory"),
    Case("15.14 usage: review --port -1", lambda e: ["review", e.run, "--port", "-1"], r"'--port': -1 is not in"),
    Case("15.15 prompt: [1,2]", lambda e: ["suite", "check", e.suite("s.yaml", "{id: a, category: edge, "
         "prompt: [1,2]}")], r"s\.yaml:3: prompt: must be a string, got a list"),
    Case("15.15 --base an existing file", lambda e: ["run", DEMO_SET, "--adapter", DEMO_ADAPTER, "--base",
         e.file("notes.txt", "x"), "-q"], r"--base .*notes\.txt: a file, not a model"),
    Case("15.15 --adapter base=", lambda e: ["run", DEMO_SET, "--adapter", f"base={DEMO_ADAPTER}", "-q"],
         r"'base' is reserved for the base model"),
    Case("15.15 review set not UTF-8", lambda e: ["suite", "check", e.file("l1.yaml", b"name: x\nprompts:\n"
         b"  - {id: a, category: edge, prompt: caf\xe9}\n")], r"l1\.yaml:3: not UTF-8 text .*column 40.*iconv"),
    # -- accepted in silence
    Case("15.16 flag: regex does not compile", lambda e: ["flag", _gens('{"regex": "([a"}')(e)],
         r"g\.jsonl:1: field 'expect': regex does not compile"),
    Case("15.16 flag: schema type objekt", lambda e: ["flag", _gens('{"schema": {"type": "objekt"}}')(e)],
         r"g\.jsonl:1: field 'expect': schema is not a valid JSON Schema"),
    Case("15.16 flag: grounded maybe", lambda e: ["flag", _gens('{"grounded": "maybe"}')(e)],
         r"g\.jsonl:1: field 'expect': grounded must be true or false"),
    Case("15.16 suite check: schema type objekt", lambda e: ["suite", "check", e.suite("s.yaml", "{id: a, category: "
         "edge, prompt: hi, expect: {schema: {type: objekt}}}")], r"s\.yaml:3: expect: schema is not a valid"),
    Case("15.16 run: grounded maybe", lambda e: ["run", e.suite("s.yaml", "{id: a, category: edge, prompt: hi, "
         "expect: {grounded: maybe}}"), *e.served, *SERVED], r"s\.yaml:3: expect: grounded must be true or false"),
    Case("15.16 flags on a run: regex in a record", lambda e: ["flags", e.run, "--recompute"],
         r"generations\.jsonl:1: field 'expect': regex does not compile", RUN,
         lambda e: _replace(e, "generations.jsonl", '{"id": "a", "variant": "base", "text": "x", '
                            '"expect": {"regex": "([a"}}\n')),
    Case("15.17 show --width -5", lambda e: ["show", e.run, "--width", "-5"], r"'--width': -5 is not in the range",
         RUN),
    # -- more hostile cases of our own
    Case("own: --temperature nan", lambda e: ["run", DEMO_SET, *e.served, "--temperature", "nan", *SERVED],
         r"temperature must be a finite number"),
    Case("own: --temperature inf", lambda e: ["run", DEMO_SET, *e.served, "--temperature", "inf", *SERVED],
         r"temperature must be a finite number"),
    Case("own: --repetition-penalty nan in the set", lambda e: ["run", e.file("d.yaml", "defaults: "
         "{repetition_penalty: .nan}\nprompts:\n  - {id: a, category: edge, prompt: hi}\n"), *e.served, *SERVED],
         r"d\.yaml:1: defaults.* repetition_penalty must be a finite number"),
    Case("own: --stop ''", lambda e: ["run", DEMO_SET, *e.served, "--stop", "", *SERVED],
         r"stop strings must not be empty"),
    Case("own: --timeout -1", lambda e: ["run", DEMO_SET, *e.served, "--timeout", "-1", *SERVED],
         r"--timeout must be a number of seconds > 0"),
    Case("own: --batch-size 0", lambda e: ["run", DEMO_SET, "--batch-size", "0"], r"'--batch-size': 0 is not in"),
    Case("own: a key twice in a prompt", lambda e: ["suite", "check", e.file("k.yaml", "prompts:\n  - id: a\n"
         "    category: edge\n    prompt: one\n    prompt: two\n")], r"k\.yaml:5: key 'prompt' given twice"),
    Case("own: run.json with a wrong type", lambda e: ["show", e.run], r"run\.json: field 'variants' must be",
         RUN, lambda e: _replace(e, "run.json", '{"variants": "base,tuned"}')),
    Case("own: a generations line of the wrong shape", lambda e: ["show", e.run],
         r"generations\.jsonl:\d+: field 'id'", RUN,
         lambda e: _append(e, "generations.jsonl", '{"id": 5, "variant": [], "text": 1}\n')),
    Case("own: a flags line of the wrong shape", lambda e: ["show", e.run], r"flags\.jsonl:\d+: field 'flag'",
         RUN, lambda e: _append(e, "flags.jsonl", '{"id": "a", "variant": "base", "message": "m"}\n')),
    Case("own: a flags line of the wrong shape in the report", lambda e: ["report", e.run],
         r"flags\.jsonl:\d+: field 'flag'", RUN,
         lambda e: _append(e, "flags.jsonl", '{"id": "a", "variant": "base", "message": "m"}\n')),
    Case("own: generations.jsonl is a folder", lambda e: ["show", e.run], r"generations\.jsonl", RUN,
         lambda e: ((e.run / "generations.jsonl").unlink(), (e.run / "generations.jsonl").mkdir())),
    Case("own: a prompt id with an escape", lambda e: ["suite", "check", e.suite("s.yaml", '{id: "a\\e]0;x\\a", '
         "category: edge, prompt: hi}")], r"s\.yaml:3: id: .* holds a control character"),
    Case("own: a review-set name that is a list", lambda e: ["suite", "check", e.file("n.yaml", "name: [1]\n"
         "prompts:\n  - {id: a, category: edge, prompt: hi}\n")], r"n\.yaml:1: name must be a string"),
    Case("own: --out a dangling symbolic link", lambda e: ["run", DEMO_SET, *e.served, "--out",
         _dangling(e), *SERVED], r"--out .*: a symbolic link to .*nowhere/run, which does not exist"),
    Case("own: review set is a folder", lambda e: ["suite", "check", e.tmp], r"no such review set"),
]


@pytest.fixture(scope="module")
def server():
    fake = FakeOpenAI().start()
    yield fake
    fake.stop()


@pytest.fixture(scope="module")
def finished_run(server, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("finished") / "run"
    result = CliRunner().invoke(main, ["run", str(DEMO_SET), "--endpoint", server.url, "--variant", "base=base",
                                       "--variant", "tuned=tuned", "--limit", "4", "--out", str(out), "-q"])
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture
def env(tmp_path, finished_run, server, monkeypatch) -> Env:
    shutil.copytree(finished_run, tmp_path / "run")
    monkeypatch.chdir(tmp_path)
    import tunediff.backends.openai as openai_backend

    monkeypatch.setattr(openai_backend, "backoff_delay", lambda *a, **k: 0.0)  # refused connections, at once
    return Env(tmp_path, server.url)


def hashes(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else "dir"
            for p in sorted(folder.rglob("*"))}


def invoke(args: list) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, [str(a) for a in args])
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return result.exit_code, result.stdout, result.stderr


def assert_refused(code: int, stderr: str, pattern: str) -> None:
    import re

    assert "Traceback" not in stderr
    assert code == 2, stderr
    lines = stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), stderr
    assert re.search(pattern, lines[0]), lines[0]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_input_is_one_line_exit_2_and_changes_nothing(case: Case, env: Env):
    if case.prepare:
        case.prepare(env)
    argv = case.argv(env)
    watched = case.touches(env) if case.touches else None
    before = hashes(watched) if watched else None
    code, _, stderr = invoke(argv)
    assert_refused(code, stderr, case.error)
    if watched:
        assert hashes(watched) == before, "a refused command changed the run directory"
    assert not (env.tmp / "new").exists(), "a refused run left a folder behind"


# ---------------------------------------------------------------------------- read-only run directory


@pytest.fixture
def read_only_run(env):
    """The run directory made read-only for real: chmod for a normal user, a bind mount for root."""
    folder = env.run
    (folder / "flags.jsonl").unlink()
    if os.geteuid() != 0:
        folder.chmod(0o555)
        yield folder
        folder.chmod(0o755)
        return
    mounted = subprocess.run(["mount", "--bind", folder, folder], capture_output=True).returncode == 0
    if not mounted or subprocess.run(["mount", "-o", "remount,ro,bind", folder], capture_output=True).returncode:
        if mounted:
            subprocess.run(["umount", folder])
        pytest.skip("running as root without the right to mount: cannot make a folder read-only")
    try:
        yield folder
    finally:
        subprocess.run(["umount", folder], check=True)


@pytest.mark.parametrize("args, pattern", [
    (["report"], r"report\.html: cannot write: the folder .* is read-only .*--out"),
    (["flags"], r"flags\.jsonl: cannot write: the folder .* is read-only .*cp -r"),
    (["flags", "--recompute"], r"flags\.jsonl: cannot write: the folder .* is read-only .*cp -r"),
    (["review", "--no-browser", "--port", "0"], r"cannot write ratings here .*read-only: .*cp -r"),
], ids=["15.8 report", "15.8 flags without flags.jsonl", "15.8 flags --recompute", "15.15 review"])
def test_a_read_only_run_directory_is_named_with_somewhere_else_to_write(read_only_run, args, pattern):
    before = hashes(read_only_run)
    code, _, stderr = invoke([args[0], read_only_run, *args[1:]])
    assert_refused(code, stderr, pattern)
    assert hashes(read_only_run) == before


def test_report_with_out_elsewhere_works_on_a_read_only_run(read_only_run, tmp_path):
    code, stdout, stderr = invoke(["report", read_only_run, "--out", tmp_path / "elsewhere.html"])
    assert code == 0, stderr
    assert (tmp_path / "elsewhere.html").is_file()
