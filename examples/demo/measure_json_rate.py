"""Valid-JSON rate on the standard prompts, per variant, from a tunediff run directory.

    python examples/demo/measure_json_rate.py RUN_DIR

Reads RUN_DIR/generations.jsonl only (no model). An output counts as valid JSON when
`json.loads(text.strip())` gives an object (a dict): the whole answer is the JSON, with no
chatter around it. Also prints how many outputs stopped by themselves (finish_reason eos/stop).
"""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from pathlib import Path


def is_json_object(text: str) -> bool:
    try:
        return isinstance(json.loads(text.strip()), dict)
    except ValueError:
        return False


def json_rates(path: Path, category: str = "standard") -> dict[str, tuple[int, int, int]]:
    """variant -> (valid JSON, stopped by itself, outputs) over one category's records."""
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if not line.strip():
                continue
            rec = json.loads(line)
            if rec.get("category") != category:
                continue
            row = counts[rec["variant"]]
            row[0] += is_json_object(rec["text"])
            row[1] += rec.get("finish_reason") in ("eos", "stop")
            row[2] += 1
    return {variant: (v, s, n) for variant, (v, s, n) in counts.items()}


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python examples/demo/measure_json_rate.py RUN_DIR", file=sys.stderr)
        return 2
    path = Path(argv[0])
    if path.is_dir():
        path = path / "generations.jsonl"
    if not path.is_file():
        print(f"error: {path}: no generations.jsonl; give a tunediff run directory", file=sys.stderr)
        return 2
    rates = json_rates(path)
    if not rates:
        print(f"error: {path}: no records of category 'standard'", file=sys.stderr)
        return 2
    # base first, then the fine-tunes in name order
    for variant in sorted(rates, key=lambda v: (v != "base", v)):
        valid, stopped, n = rates[variant]
        print(f"{variant}: valid JSON {valid}/{n} ({100 * valid / n:.0f}%), "
              f"stopped by itself {stopped}/{n} ({100 * stopped / n:.0f}%)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
