"""Precision and recall of every flag against the labelled corpus, on each part (tuning, held-out).

    .venv/bin/python bench/flag_truth.py                     # both parts, table at the end
    .venv/bin/python bench/flag_truth.py --part tuning --misses   # list false positives / negatives
    .venv/bin/python bench/flag_truth.py --without-data      # as runs made without --data

The corpus (tests/corpus/, see its README) holds real run directories (run.json,
generations.jsonl, train.jsonl) with labels.jsonl beside them: one line per output naming the
flags a reader found to apply. Each run is flagged as `tunediff flags RUN --recompute` flags it
(without writing flags.jsonl into the corpus), and every (output, flag) pair
is counted: tp = flagged and labelled, fp = flagged but not labelled, fn = labelled but not
flagged. Set-level flags report on each output they concern, so all flags count per output.
Flags nobody labels (serving_mismatch) are left out.

`--without-data` flags each run as if it had been made without `--data` (no train.jsonl beside
it): what a user who does not pass the training file gets.

Use `--misses` on the tuning part only: the held-out part measures rules not fitted to it.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from tunediff.flags import run_findings_of
from tunediff.records import GENERATIONS, MANIFEST, read_jsonl, read_records
from tunediff.rundir import RunDir

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "corpus"
PARTS = ("tuning", "heldout")
LABELS = "labels.jsonl"
TRAINING = "train.jsonl"
LABELLED_FLAGS = ("empty", "no_stop", "next_turn", "special_tokens", "repetition", "ramble", "format", "ungrounded",
                  "inconsistent", "wrong_answer", "collapse", "identical_to_base", "ood_drift")

Key = tuple[str, str, str, str, int]
"""(run folder, prompt id, variant, setting, sample): one output."""


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float | None:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> float | None:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None


def score(truth: Mapping[Key, set[str]], predicted: Mapping[Key, set[str]],
          flags: Iterable[str] = LABELLED_FLAGS) -> dict[str, Counts]:
    """Per flag, tp/fp/fn over the outputs in `truth` (predictions for unlabelled outputs are errors)."""
    stray = set(predicted) - set(truth)
    if stray:
        raise ValueError(f"findings on outputs that have no label line: {sorted(stray)[:3]}")
    counts = {f: Counts() for f in flags}
    for key, labelled in truth.items():
        flagged = predicted.get(key, set())
        for name, c in counts.items():
            c.tp += name in labelled and name in flagged
            c.fp += name not in labelled and name in flagged
            c.fn += name in labelled and name not in flagged
    return counts


def read_labels(run: Path) -> dict[Key, set[str]]:
    """labels.jsonl of one run folder, checked against its generations (one label line per output)."""
    path = run / LABELS
    labels: dict[Key, set[str]] = {}
    for line, obj in read_jsonl(path):
        key = (run.name, str(obj["id"]), str(obj["variant"]), str(obj.get("setting", "default")),
               int(obj.get("sample", 0)))
        unknown = set(obj["flags"]) - set(LABELLED_FLAGS)
        if unknown:
            raise SystemExit(f"{path}:{line}: unknown flag(s) {sorted(unknown)}; use {', '.join(LABELLED_FLAGS)}")
        if key in labels:
            raise SystemExit(f"{path}:{line}: a second label line for {key[1:]}")
        labels[key] = set(obj["flags"])
    outputs = {(run.name, r.id, r.variant, r.setting, r.sample) for r in read_records(run / GENERATIONS)}
    if outputs != set(labels):
        missing, extra = sorted(outputs - set(labels)), sorted(set(labels) - outputs)
        raise SystemExit(f"{path}: labels do not match the outputs (unlabelled {missing[:3]}, unknown {extra[:3]})")
    return labels


def flag_run(run: Path, with_data: bool = True) -> dict[Key, set[str]]:
    """The run's findings as `tunediff flags RUN --recompute` computes them, without writing.

    run.json names the training file by the absolute path of the machine that made the run;
    the corpus keeps that file beside it as train.jsonl, so that copy stands in for it (or
    none does, `with_data=False`: the run as made without --data).
    """
    folder = RunDir.open(run)
    training = str((run / TRAINING).resolve()) if with_data and (run / TRAINING).is_file() else None
    # A cached property: this instance reads the corrected copy.
    folder.manifest = folder.manifest.model_copy(update={"training_data": training})
    out: dict[Key, set[str]] = {}
    for f in run_findings_of(folder):
        out.setdefault((run.name, f.id, f.variant, f.setting, f.sample), set()).add(f.flag)
    return out


def run_folders(part: Path) -> list[Path]:
    return sorted(p for p in part.iterdir() if (p / MANIFEST).is_file() and (p / LABELS).is_file())


def measure(part: Path, with_data: bool = True
            ) -> tuple[dict[str, Counts], dict[Key, set[str]], dict[Key, set[str]]]:
    """(counts per flag, labels, flags) over every run of one part of the corpus."""
    truth: dict[Key, set[str]] = {}
    predicted: dict[Key, set[str]] = {}
    for run in run_folders(part):
        truth.update(read_labels(run))
        predicted.update({k: v & set(LABELLED_FLAGS) for k, v in flag_run(run, with_data).items()})
    return score(truth, predicted), truth, predicted


def fmt(value: float | None) -> str:
    return "   -" if value is None else f"{value:.2f}"


def cell(c: Counts) -> str:
    return f"{fmt(c.precision)}/{fmt(c.recall)} ({c.tp}/{c.fp}/{c.fn})"


def misses(truth: Mapping[Key, set[str]], predicted: Mapping[Key, set[str]]) -> list[str]:
    lines = []
    for key in sorted(truth):
        flagged, labelled = predicted.get(key, set()), truth[key]
        for name in sorted(flagged - labelled):
            lines.append(f"  fp {name:17} {'/'.join(map(str, key))}")
        for name in sorted(labelled - flagged):
            lines.append(f"  fn {name:17} {'/'.join(map(str, key))}")
    return lines


def main(argv: list[str] | None = None, corpus: Path = CORPUS) -> dict[str, dict[str, Counts]]:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--part", choices=PARTS, action="append", help="part(s) to measure (default: both)")
    parser.add_argument("--misses", action="store_true", help="list each false positive and false negative")
    parser.add_argument("--json", action="store_true", help="print the counts as JSON instead of the table")
    parser.add_argument("--without-data", action="store_true",
                        help="flag each run as made without --data (its train.jsonl not read)")
    args = parser.parse_args(argv)
    results: dict[str, dict[str, Counts]] = {}
    for name in args.part or PARTS:
        part = corpus / name
        if not part.is_dir():
            print(f"{part}: no such part of the corpus", file=sys.stderr)
            continue
        counts, truth, predicted = measure(part, not args.without_data)
        results[name] = counts
        runs = len(run_folders(part))
        print(f"# {name}: {len(truth)} outputs in {runs} runs", file=sys.stderr)
        if args.misses:
            print("\n".join(misses(truth, predicted)), file=sys.stderr)
    if args.json:
        print(json.dumps({p: {f: vars(c) for f, c in cs.items()} for p, cs in results.items()}, indent=1))
        return results
    header = f"{'flag':18}" + "".join(f"{p + ' P/R (tp/fp/fn)':>30}" for p in results)
    print(header)
    for flag in LABELLED_FLAGS:
        print(f"{flag:18}" + "".join(f"{cell(results[p][flag]):>30}" for p in results))
    return results


if __name__ == "__main__":
    main()
