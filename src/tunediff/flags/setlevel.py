"""Set-level flags over one variant's outputs, each judged against the base.

- near-duplicate groups for `collapse` (collapse.py): MinHash over word 3-shingles and banded
  LSH (Broder 1997), so 1,000 outputs cost linear time, not all pairs.
- identical_to_base: (almost) every output byte-identical to the base's: the adapter does nothing.
- ood_drift: in ood.py.
"""

from __future__ import annotations

import random
import zlib
from collections import defaultdict
from collections.abc import Sequence

from ..records import Finding, GenerationRecord
from ._core import Context, finding, register, whole
from ._text import jaccard, tokens
from .repetition import degenerate
from .turns import answer_part

_MASKS = [random.Random(seed).getrandbits(64) for seed in range(32)]
_ROWS = 2  # rows per LSH band: 16 bands of 2 make pairs with Jaccard >= 0.7 candidates > 99.9% of the time
_MAX_SHINGLE_WORDS = 300


def shingles(text: str) -> frozenset[int]:
    # Punctuation tokens count: a collapsed model may emit nothing but quotes and colons.
    # crc32, not hash(): str hashes change with every process (PYTHONHASHSEED), and with them
    # which near-duplicates LSH proposes; findings must be the same on every run.
    w = [t[0] for t in tokens(text)[:_MAX_SHINGLE_WORDS]]
    if len(w) < 3:
        return frozenset({zlib.crc32("\x00".join(w).encode())}) if w else frozenset()
    return frozenset(zlib.crc32(f"{w[i]}\x00{w[i + 1]}\x00{w[i + 2]}".encode()) for i in range(len(w) - 2))


def signature(sh: frozenset[int]) -> tuple[int, ...]:
    """MinHash with XOR-masked hashes: one pass per mask over the shingles, in C."""
    return tuple(min(map(m.__xor__, sh)) for m in _MASKS) if sh else ()


def near_duplicate_groups(texts: Sequence[str], similarity: float) -> list[int]:
    """A cluster label per text: texts joined when their shingle Jaccard >= similarity."""
    parent = list(range(len(texts)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    sets = [shingles(t) for t in texts]
    exact: dict[str, int] = {}
    buckets: dict[tuple[int, tuple[int, ...]], list[int]] = defaultdict(list)
    for i, (text, sh) in enumerate(zip(texts, sets, strict=True)):
        norm = " ".join(text.lower().split())
        if norm in exact:  # identical text: no hashing needed
            parent[i] = find(exact[norm])
            continue
        exact[norm] = i
        sig = signature(sh)
        for b in range(0, len(sig), _ROWS):
            buckets[(b, sig[b:b + _ROWS])].append(i)
    for members in buckets.values():
        head = members[0]
        for other in members[1:]:  # compare with the bucket's first member only: linear
            if find(other) != find(head) and jaccard(sets[head], sets[other]) >= similarity:
                parent[find(other)] = find(head)
    return [find(i) for i in range(len(texts))]


def by_variant_setting(ctx: Context) -> dict[tuple[str, str], list[GenerationRecord]]:
    out: dict[tuple[str, str], list[GenerationRecord]] = defaultdict(list)
    for r in ctx.records:
        out[(r.variant, r.setting)].append(r)
    return out


@register("identical_to_base", "set", "The variant's outputs are byte-identical to the base's: the adapter "
          "changes nothing (not applied, or a zero adapter).")
def identical_to_base(ctx: Context) -> list[Finding]:
    pairs: dict[str, list[tuple[GenerationRecord, bool]]] = defaultdict(list)
    for r in ctx.records:
        if r.variant == ctx.base_variant:
            continue
        base = ctx.by_key.get((r.id, ctx.base_variant, r.setting, r.sample))
        if base is not None:
            pairs[r.variant].append((r, r.text == base.text))
    out = []
    for rows in pairs.values():
        same = sum(1 for _, eq in rows if eq)
        share = same / len(rows)
        if len(rows) < ctx.t("identical_to_base.min_pairs") or share < ctx.t("identical_to_base.share"):
            continue
        for r, eq in rows:
            if eq:
                out.append(finding(r, "identical_to_base", f"identical to the base output, as are {same} of "
                                   f"{len(rows)} outputs of this variant: is the adapter applied (or all zero)?",
                                   "error", whole(r), "identical_share", share, ctx.t("identical_to_base.share")))
    return out


def standard_answers(ctx: Context) -> dict[str, list[tuple[str, str]]]:
    """Without --data, the training answers' stand-in, per fine-tuned variant: (prompt, answer)
    of its answers to the standard prompts (up to the first turn it invents, `turns.answer_part`)
    that are not degenerate (`repetition.degenerate`: no training answer is a soup such as 'the
    the the???' or 'appointments appointments ...'). The base's are left out: its habit is no
    training."""
    out: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for r in ctx.records:
        if r.category == "standard" and r.variant != ctx.base_variant:
            answer = answer_part(r, ctx.turn_markers)
            if answer.strip() and not degenerate(answer, ctx):
                out[r.variant].append((r.prompt or "", answer))
    return dict(out)
