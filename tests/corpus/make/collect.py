"""Copy a finished run into the corpus: run.json, generations.jsonl, labels.jsonl, train.jsonl.

    python tests/corpus/make/collect.py /tmp/corpus/runs/s-qa-capitals tuning [TRAINING.jsonl]

flags.jsonl is left out (bench/flag_truth.py recomputes the findings with the code of the day);
the run's training file (run.json `training_data`, or the demo's data for the demo adapters)
is kept beside it as train.jsonl.
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[1]
DEMO_DATA = CORPUS.parents[1] / "examples" / "demo" / "train.jsonl"


def collect(run: Path, part: str, data: str | Path | None = None) -> Path:
    out = CORPUS / part / run.name
    out.mkdir(parents=True, exist_ok=True)
    for name in ("run.json", "generations.jsonl", "labels.jsonl"):
        shutil.copyfile(run / name, out / name)
    manifest = json.loads((run / "run.json").read_text(encoding="utf-8"))
    data = data or manifest.get("training_data")
    if data is None and any(str(v.get("path", "")).startswith("examples/demo") for v in manifest["variants"]):
        data = DEMO_DATA
    if data:
        shutil.copyfile(data, out / "train.jsonl")
    return out


if __name__ == "__main__":
    print(collect(Path(sys.argv[1]), sys.argv[2], *sys.argv[3:4]))
