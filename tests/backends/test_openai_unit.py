"""Fast tests of the openai backend against a stdlib fake server (no model)."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from _fake_openai import FakeOpenAI

from tunediff.backends.openai import OpenAIBackend, backoff_delay, map_finish, normalise_endpoint, render_plain
from tunediff.errors import UserError
from tunediff.run import execute, plan_run
from tunediff.rundir import RunDir
from tunediff.suite import Prompt, Suite
from tunediff.variants import Variant

HERE = Path(__file__).resolve().parent


def small_suite(n: int = 6, words: tuple[str, ...] = ()) -> Suite:
    prompts = tuple(Prompt(f"p{i}", "standard", ({"role": "system", "content": "Be brief."},
                                                  {"role": "user", "content": " ".join((f"question {i}", *words))}))
                    for i in range(n))
    return Suite("unit", prompts)


def run_fake(server: FakeOpenAI, out: Path, suite: Suite | None = None, variants=("base=base", "tuned=tuned"),
             sleeps: list[float] | None = None, **options):
    plan = plan_run(suite or small_suite(), served=list(variants), backend="openai")
    opts = {"endpoint": server.url, "concurrency": 4, "timeout": 5.0, "sleep": (sleeps.append if sleeps is not None
                                                                             else lambda s: None), **options}
    return execute(plan, out, backend_options=opts, progress=False, flag=False)


@pytest.fixture
def fake():
    server = FakeOpenAI().start()
    yield server
    server.stop()


@pytest.mark.parametrize("choice, stop, expected", [
    ({"finish_reason": "length"}, (), ("length", None, False)),
    ({"finish_reason": "stop", "stop_reason": None}, ("###",), ("eos", None, False)),
    ({"finish_reason": "stop", "stop_reason": "###"}, ("###",), ("stop", "###", False)),
    ({"finish_reason": "stop", "stop_reason": 2}, (), ("eos", None, False)),          # a stop token id
    ({"finish_reason": "stop", "matched_stop": "END"}, ("END",), ("stop", "END", False)),  # SGLang
    ({"finish_reason": "stop"}, (), ("eos", None, False)),                            # no stop strings sent
    ({"finish_reason": "stop"}, ("###",), ("stop", None, True)),                      # ambiguous: marked
    ({"finish_reason": "eos_token"}, ("###",), ("eos", None, False)),                 # TGI
])
def test_finish_reason_mapping(choice, stop, expected):
    assert map_finish(choice, stop) == expected


def test_endpoint_and_plain_rendering():
    assert normalise_endpoint("http://127.0.0.1:8000/") == "http://127.0.0.1:8000/v1"
    assert normalise_endpoint("http://h:1/v1") == "http://h:1/v1"
    with pytest.raises(UserError, match="--endpoint"):
        normalise_endpoint("127.0.0.1:8000")
    assert render_plain([{"role": "system", "content": "S"}, {"role": "user", "content": "U"}]) == \
        "system: S\nuser: U\nassistant:"


def test_backoff_grows_exponentially_with_jitter_and_honours_retry_after():
    delays = [backoff_delay(a, 0.5, 100.0) for a in range(5)]
    for attempt, d in enumerate(delays):
        assert 0.25 * 2 ** attempt <= d <= 0.5 * 2 ** attempt
    assert backoff_delay(10, 0.5, 20.0) <= 20.0
    assert backoff_delay(0, 0.5, 20.0, retry_after="3") == 3.0


def test_run_writes_records_and_same_settings_for_every_variant(fake, tmp_path):
    out = run_fake(fake, tmp_path / "run", suite=small_suite(3, ("STOP",)), concurrency=2)
    rd = RunDir.open(out)
    records = {r.key: r for r in rd.records}
    assert len(records) == 6
    rec = records[("p1", "tuned", "default", 0)]
    assert rec.text == "tuned says: question 1 STOP" and rec.finish_reason == "eos"
    assert rec.new_tokens == 5 and rec.latency_s is not None
    bodies = {}
    for entry in fake.log:
        body = dict(entry["body"])
        bodies.setdefault(body.pop("model"), []).append(json.dumps(body, sort_keys=True))
    assert sorted(bodies["base"]) == sorted(bodies["tuned"])  # identical settings, messages and seeds
    assert rd.manifest.served_models == {"base": "base", "tuned": "tuned"}
    probe = rd.manifest.serving_probe
    assert probe is not None and (probe.checked, probe.skipped, probe.mismatches, probe.interleave) == (6, 0, [], False)


def test_stop_string_and_length(fake, tmp_path):
    suite = Suite("u", (Prompt("s", "standard", ({"role": "user", "content": "STOP here"},)),
                        Prompt("l", "standard", ({"role": "user", "content": "LONG one"},))))
    plan = plan_run(suite, served=["base=base", "tuned=tuned"], backend="openai", stop=["###"])
    out = execute(plan, tmp_path / "r", backend_options={"endpoint": fake.url, "probe": 0}, progress=False, flag=False)
    records = {(r.id, r.variant): r for r in RunDir.open(out).records}
    assert records[("s", "base")].finish_reason == "stop"
    assert records[("s", "base")].raw_text == "base says: STOP here###"
    assert records[("l", "base")].finish_reason == "length"
    assert all(e["body"]["stop"] == ["###"] for e in fake.log)


def test_no_template_sends_plain_completions(fake, tmp_path):
    out = run_fake(fake, tmp_path / "r", suite=small_suite(2), chat=False, probe=0)
    assert {e["path"] for e in fake.log} == {"/v1/completions"}
    assert {e["body"]["prompt"] for e in fake.log} == {f"system: Be brief.\nuser: question {i}\nassistant:"
                                                       for i in range(2)}
    manifest = RunDir.open(out).manifest
    assert manifest.rendered_prompts["p0"] == "system: Be brief.\nuser: question 0\nassistant:"


def test_500_twice_then_200_is_retried_transparently(tmp_path):
    server = FakeOpenAI(fail_first=2).start()
    sleeps: list[float] = []
    try:
        out = run_fake(server, tmp_path / "r", suite=small_suite(1), concurrency=1, sleeps=sleeps, probe=0)
    finally:
        server.stop()
    assert [e["status"] for e in server.log][:3] == [500, 500, 200]
    assert len(RunDir.open(out).records) == 2
    assert len(sleeps) == 2 and sleeps[1] > sleeps[0] * 0.99 * 0.5  # backoff before each retry


def test_variants_run_as_separate_phases_by_default(tmp_path):
    server = FakeOpenAI(delay=0.05).start()
    try:
        run_fake(server, tmp_path / "r", suite=small_suite(6), probe=0)
    finally:
        server.stop()
    base = [e for e in server.log if e["body"]["model"] == "base"]
    tuned = [e for e in server.log if e["body"]["model"] == "tuned"]
    assert max(e["end"] for e in base) <= min(e["start"] for e in tuned)  # never on the server together
    # ... but concurrent within a phase
    assert any(a["start"] < b["end"] and b["start"] < a["end"] for a in base for b in base if a is not b)


def test_interleave_mixup_is_caught_by_the_probe(tmp_path, capfd):
    server = FakeOpenAI(delay=0.05, mixup=True).start()
    try:
        out = run_fake(server, tmp_path / "r", suite=small_suite(6), interleave=True, probe=3)
    finally:
        server.stop()
    probe = RunDir.open(out).manifest.serving_probe
    assert probe is not None and probe.interleave is True and probe.checked == 6
    assert probe.mismatches, "the mix-up must be reported"
    first = probe.mismatches[0]
    assert first.alone_text == f"{first.variant} says: {first.alone_text.split(': ', 1)[1]}"
    assert first.run_text != first.alone_text
    assert "WARNING: serving integrity probe" in capfd.readouterr().err


def test_default_phases_avoid_the_mixup(tmp_path):
    server = FakeOpenAI(delay=0.02, mixup=True).start()
    try:
        out = run_fake(server, tmp_path / "r", suite=small_suite(6))
    finally:
        server.stop()
    rd = RunDir.open(out)
    assert all(r.text.startswith(f"{r.variant} says") for r in rd.records)
    assert rd.manifest.serving_probe is not None and rd.manifest.serving_probe.mismatches == []


@pytest.mark.parametrize("list_models", [True, False])  # checked at load, or from the 404 body
def test_bad_model_name_is_one_line_error_naming_the_variant(tmp_path, list_models):
    server = FakeOpenAI(list_models=list_models).start()
    try:
        with pytest.raises(UserError) as err:
            run_fake(server, tmp_path / "r", variants=("base=base", "tuned=tunedd"))
    finally:
        server.stop()
    assert "--variant tuned=tunedd" in str(err.value) and "\n" not in str(err.value)


def test_timeouts_are_retried_then_a_one_line_error(tmp_path):
    server = FakeOpenAI(delay=1.0).start()
    try:
        with pytest.raises(UserError) as err:
            run_fake(server, tmp_path / "r", suite=small_suite(1), timeout=0.2, retries=2)
    finally:
        server.stop()
    assert "failed after 2 retries (timed out" in str(err.value) and "\n" not in str(err.value)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _spawn(port: int, delay: float) -> subprocess.Popen:
    proc = subprocess.Popen([sys.executable, str(HERE / "_fake_openai.py"), str(port), str(delay)],
                            stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "ready"
    return proc


def test_server_killed_mid_run_keeps_records_and_rerun_completes(tmp_path):
    port = _free_port()
    proc = _spawn(port, 0.05)
    out = tmp_path / "r"
    gen = out / "generations.jsonl"

    def kill_after_some_records() -> None:
        while not (gen.is_file() and len(gen.read_text().splitlines()) >= 5):
            time.sleep(0.01)
        proc.kill()

    killer = threading.Thread(target=kill_after_some_records, daemon=True)
    killer.start()
    plan = plan_run(small_suite(20), served=["base=base", "tuned=tuned"], backend="openai")
    opts = {"endpoint": f"http://127.0.0.1:{port}/v1", "concurrency": 2, "sleep": lambda s: None, "retries": 3}
    try:
        with pytest.raises(UserError) as err:
            execute(plan, out, backend_options=opts, progress=False, flag=False)
        message = str(err.value)
        assert "\n" not in message and "failed after 3 retries" in message and "rerun the same command" in message
        kept = RunDir.open(out).records
        assert 5 <= len(kept) < 40
        assert RunDir.open(out).manifest.status == "running"
        proc = _spawn(port, 0.0)
        execute(plan, out, backend_options=opts, progress=False, flag=False)
        rd = RunDir.open(out)
        assert rd.manifest.status == "complete"
        lines = [json.loads(x) for x in gen.read_text().splitlines()]
        assert len(lines) == 40 and len({(x["id"], x["variant"]) for x in lines}) == 40  # nothing twice
    finally:
        proc.kill()
        proc.wait()


def test_api_key_env_is_sent_and_missing_variable_is_an_error(fake, tmp_path, monkeypatch):
    with pytest.raises(UserError, match="--api-key-env NO_SUCH_VAR"):
        OpenAIBackend(endpoint=fake.url, api_key_env="NO_SUCH_VAR")
    monkeypatch.setenv("MY_KEY", "sekrit")
    backend = OpenAIBackend(endpoint=fake.url, api_key_env="MY_KEY")
    assert backend._client.headers["Authorization"] == "Bearer sekrit"
    backend.close()


def test_nothing_listening_fails_at_once_without_backoff(tmp_path):
    slept: list[float] = []
    backend = OpenAIBackend(endpoint=f"http://127.0.0.1:{_free_port()}/v1", sleep=slept.append, retries=5)
    with pytest.raises(UserError) as err:
        backend.load([Variant(name="base", kind="served", path="base")])
    message = str(err.value)
    assert "connection refused" in message and "is the server running?" in message and "\n" not in message
    assert slept == []  # a mistyped port is told at once, not after ~12 s of retries
