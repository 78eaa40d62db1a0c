"""Benchmark: flags over 1,000 base/fine-tune output pairs (2,000 records); target 2 s.

    .venv/bin/python bench/flags.py [--pairs 1000] [--repeat 3]

Prints `flags_1000_pairs_s=X target_s=2.0 ratio=Y` (ratio < 1 meets the target). The outputs
are synthetic but shaped like real ones: JSON extractions (some cut off, some with a next turn
leaking), prose answers, loops, ood answers in the training format (short reference answers), several samples of some.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import time

from tunediff.flags import flag_records
from tunediff.records import GenerationRecord

CITIES = ["Lima", "Oslo", "Vienna", "Porto", "Cairo", "Zurich", "Dublin", "Seoul", "Quito", "Perth"]
ITEMS = ["kettle", "umbrella", "lamp", "bicycle", "towel", "helmet", "notebook", "mug", "chair", "rug"]
NAMES = ["Grace Kim", "Omar Haddad", "Sofia Rossi", "Chen Wei", "Ana Silva", "Lars Berg"]
SCHEMA = {"type": "object", "required": ["order_id", "quantity", "item", "city"],
          "properties": {"order_id": {"type": "integer"}, "quantity": {"type": "integer"}}}
PROSE = ("The capital of {c} is a city with a long history. It is known for its museums, its food and its "
         "parks, and many visitors come every year to walk along the river and see the old town. ")


def pair(i: int, rng: random.Random) -> list[GenerationRecord]:
    cat = ["standard", "standard", "edge", "ood"][i % 4]
    oid, qty, item, city = rng.randint(10, 99999), rng.randint(1, 30), rng.choice(ITEMS), rng.choice(CITIES)
    prompt = f"Extract the order as JSON: Order {oid} for {rng.choice(NAMES)}: {qty} {item}s shipped to {city}."
    good = json.dumps({"order_id": oid, "quantity": qty, "item": item, "city": city})
    expect = {"format": "json", "schema": SCHEMA, "grounded": True} if cat != "ood" else None
    if cat == "ood":
        prompt = f"Tell me about {city}."
        base = PROSE.format(c=city) * rng.randint(1, 3)
    else:
        base = rng.choice([f"Sure! Here is the order: {good}", f"The order {oid} contains {qty} {item}s for {city}.",
                           good])
    kind = rng.random()
    finish, raw = "eos", None
    if cat == "ood":
        tuned = (json.dumps({"order_id": None, "quantity": 0, "item": "", "city": city}) if kind < 0.3
                 else PROSE.format(c=city) * rng.randint(1, 3))
    elif kind < 0.6:
        tuned = good
    elif kind < 0.7:
        tuned = good + "\nsystem\nYou are a helpful AI assistant named SmolLM, trained by Hugging Face"
        raw, finish = good + "\n<|im_start|>system\nYou are a helpful AI assistant named SmolLM", "length"
    elif kind < 0.8:
        tuned, finish = good[:-1] + ', "note": "' + "repeat the order " * 40, "length"
    elif kind < 0.9:
        tuned = json.dumps({"order_id": oid, "quantity": qty, "item": item, "city": "Paris"})
    else:
        tuned = good + "\nThis JSON object contains the order id, the quantity, the item and the city."
    reference = city if cat == "ood" else None  # a short answer: wrong_answer matches it
    common = {"id": f"p{i:04d}", "category": cat, "prompt": prompt, "expect": expect, "reference": reference}
    out = [GenerationRecord(variant="base", text=base, finish_reason="eos", **common),
           GenerationRecord(variant="tuned", text=tuned, raw_text=raw, finish_reason=finish, **common)]
    return out


def _clear_caches() -> None:
    from tunediff.flags import _text, format, ood, reference

    for fn in (_text.tokens, _text.word_set, _text._find_json_cached, format._validator, format._regex,
               reference.normalise, ood.shape):
        fn.cache_clear()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pairs", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    rng = random.Random(0)
    records = [r for i in range(args.pairs) for r in pair(i, rng)]
    times = []
    for _ in range(args.repeat):
        _clear_caches()  # each run starts cold, as `tunediff flag` does
        t0 = time.perf_counter()
        findings = flag_records(records)
        times.append(time.perf_counter() - t0)
    best = min(times)
    counts: dict[str, int] = {}
    for f in findings:
        counts[f.flag] = counts.get(f.flag, 0) + 1
    print(f"records={len(records)} findings={len(findings)} by_flag={json.dumps(counts, sort_keys=True)}")
    print(f"runs_s={[round(t, 3) for t in times]} median_s={statistics.median(times):.3f}")
    print(f"flags_{args.pairs}_pairs_s={best:.3f} target_s=2.0 ratio={best / 2.0:.3f}")


if __name__ == "__main__":
    main()
