"""examples/train_with_review.py and its notebook, on the real SmolLM2 at a reduced size.

The good recipe runs as the script, the collapse recipe as the notebook in a real Jupyter kernel:
both train the demo LoRA with the Trainer and ReviewCallback and leave a run directory that
`tunediff flags` reads as a checkpoint timeline.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import tunediff

REPO = Path(__file__).resolve().parents[2]
SRC = Path(tunediff.__file__).parents[1]
SMALL = ["--steps", "4", "--save-every", "2", "--per-category", "1", "--max-new-tokens", "24", "--examples", "16"]


def _flags(run: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(SRC), "COLUMNS": "120"}
    return subprocess.run([sys.executable, "-m", "tunediff", "flags", str(run)], capture_output=True, text=True,
                          env=env, timeout=300)


def _variants(run: Path) -> list[dict]:
    return json.loads((run / "run.json").read_text())["variants"]


@pytest.mark.slow
def test_script_good_recipe_reviews_base_and_each_checkpoint(tmp_path, smollm2_dir):
    run = tmp_path / "run"
    cmd = [sys.executable, str(REPO / "examples" / "train_with_review.py"), *SMALL, "--out", str(run),
           "--train-out", str(tmp_path / "ckpt")]
    done = subprocess.run(cmd, cwd=tmp_path, capture_output=True, text=True, timeout=900,
                          env={**os.environ, "PYTHONPATH": str(SRC)})
    assert done.returncode == 0, done.stderr[-3000:]
    assert "tunediff: step-4: 3 prompts in" in done.stderr  # seconds per checkpoint, logged as it finishes
    variants = _variants(run)
    assert [(v["name"], v.get("step")) for v in variants] == [("base", None), ("step-2", 2), ("step-4", 4)]
    assert all(v["train_loss"] > 0 and v["generation_s"] > 0 for v in variants[1:])
    records = [json.loads(line) for line in (run / "generations.jsonl").read_text().splitlines()]
    assert len(records) == 9 and {r["category"] for r in records} == {"standard", "edge", "ood"}
    flags = _flags(run)
    assert flags.returncode == 0, flags.stderr
    assert "step-2" in flags.stdout and "step-4" in flags.stdout


@pytest.mark.slow
def test_notebook_collapse_recipe_executes_in_a_real_kernel(tmp_path, smollm2_dir):
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(REPO / "examples" / "train_with_review.ipynb", as_version=4)
    params = next(c for c in nb.cells if "parameters" in c.metadata.get("tags", []))
    run = tmp_path / "nb-run"
    params.source = (f"RECIPE = 'collapse'\nSTEPS = 4\nSAVE_EVERY = 2\nPER_CATEGORY = 1\nMAX_NEW_TOKENS = 24\n"
                     f"EXAMPLES = 16\nOUT = {str(run)!r}")
    spec = tmp_path / "jupyter" / "kernels" / "tunediff-test"
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "tunediff test", "language": "python", "env": {"PYTHONPATH": str(SRC)}}))
    os.environ["JUPYTER_PATH"] = str(tmp_path / "jupyter")
    try:
        NotebookClient(nb, timeout=900, kernel_name="tunediff-test",
                       resources={"metadata": {"path": str(REPO / "examples")}}).execute()
    finally:
        os.environ.pop("JUPYTER_PATH", None)
    assert [v["name"] for v in _variants(run)] == ["base", "step-2", "step-4"]
    html = "".join(o.get("data", {}).get("text/html", "") for c in nb.cells for o in c.get("outputs", []))
    assert "step-4" in html  # the run as the notebook displays it
    text = "".join(o.get("text", "") for c in nb.cells for o in c.get("outputs", []))
    assert "step-2" in text  # `tunediff flags` printed from the last cell
