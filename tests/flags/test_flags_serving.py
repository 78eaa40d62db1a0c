"""serving_mismatch: probe mismatches recorded in run.json become findings in flags.jsonl."""

from __future__ import annotations

import json

from tunediff.flags import flag_run_dir
from tunediff.run import run


def test_probe_mismatch_in_manifest_becomes_a_finding(mini_suite, tmp_path):
    out = run(mini_suite, backend="fake", adapters=["tuned=x"], out=tmp_path / "r", flag=False, progress=False)
    manifest = json.loads((out / "run.json").read_text())
    assert not [f for f in flag_run_dir(out) if f.flag == "serving_mismatch"]
    manifest["serving_probe"] = {"checked": 2, "skipped": 0, "interleave": True, "mismatches": [
        {"id": "s1", "variant": "base", "setting": "default", "sample": 0, "run_text": "tuned answer to s1",
         "alone_text": "base answer to s1", "same_as_variant": "tuned"}]}
    (out / "run.json").write_text(json.dumps(manifest))
    found = [f for f in flag_run_dir(out) if f.flag == "serving_mismatch"]
    assert [(f.id, f.variant, f.severity) for f in found] == [("s1", "base", "error")]
    assert "tuned's answer" in found[0].message and found[0].evidence.span == (0, len("base answer to s1"))
    lines = (out / "flags.jsonl").read_text().splitlines()
    assert any(json.loads(x)["flag"] == "serving_mismatch" for x in lines)
