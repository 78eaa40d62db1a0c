"""The clean demo setup (embedded SmolLM2, the committed demo adapter and data) passes every check."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from tunediff.cli import main

DEMO = Path(__file__).resolve().parents[2] / "examples" / "demo"


@pytest.mark.slow
def test_demo_setup_passes_every_check():
    adapter, data = DEMO / "adapter", DEMO / "train.jsonl"
    assert (adapter / "adapter_config.json").is_file(), f"{adapter}: demo adapter missing (train_demo_adapter.py)"
    assert data.is_file(), f"{data}: demo training data missing (train_demo_adapter.py writes it)"
    result = CliRunner().invoke(main, ["doctor", "--base", "smollm2-135m", "--adapter", f"tuned={adapter}",
                                       "--data", str(data), "--json"])
    assert result.exit_code == 0, result.output
    checks = json.loads(result.stdout)["checks"]
    assert [c for c in checks if c["status"] != "pass"] == []
    ids = {c["id"] for c in checks}
    assert {"template.base", "stopping.eos", "stopping.pad", "adapter.zero:tuned", "adapter.shapes:tuned",
            "data.end_token", "data.markers", "data.duplicates", "data.lengths"} <= ids
