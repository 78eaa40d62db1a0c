"""Set-level flags over one variant's outputs, each judged against the base.

- collapse: near-identical outputs for different prompts, where the base answered them
  differently. Near-duplicates are found with MinHash over word 3-shingles and banded LSH
  (Broder 1997), so 1,000 outputs cost linear time, not all pairs.
- identical_to_base: (almost) every output byte-identical to the base's: the adapter does nothing.
- ood_drift: an ood answer in the variant's training format (JSON, or closer to its own
  standard outputs than to the base's answer), where the base did not answer that way.
- serving_mismatch: emitted by the openai backend; registered here so it is documented.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Sequence

from ..records import Finding, GenerationRecord
from ._core import Context, finding, register, whole
from ._text import jaccard, looks_like_json, tokens, word_count, word_set

_MASKS = [random.Random(seed).getrandbits(64) for seed in range(32)]
_ROWS = 4  # rows per LSH band: 8 bands of 4 make pairs with Jaccard >= 0.7 candidates ~90% of the time
_MAX_SHINGLE_WORDS = 300
_STD_SAMPLE = 60  # standard outputs an ood answer is compared with


def shingles(text: str) -> frozenset[int]:
    # Punctuation tokens count: a collapsed model may emit nothing but quotes and colons.
    w = [t[0] for t in tokens(text)[:_MAX_SHINGLE_WORDS]]
    if len(w) < 3:
        return frozenset({hash(tuple(w))}) if w else frozenset()
    return frozenset(hash((w[i], w[i + 1], w[i + 2])) for i in range(len(w) - 2))


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


def _by_variant_setting(ctx: Context) -> dict[tuple[str, str], list[GenerationRecord]]:
    out: dict[tuple[str, str], list[GenerationRecord]] = defaultdict(list)
    for r in ctx.records:
        out[(r.variant, r.setting)].append(r)
    return out


@register("collapse", "set", "Near-identical outputs for different prompts, which the base answered differently.")
def collapse(ctx: Context) -> list[Finding]:
    groups = _by_variant_setting(ctx)
    sim = ctx.t("collapse.similarity")
    labels = {key: near_duplicate_groups([r.text for r in recs], sim) for key, recs in groups.items()}
    out: list[Finding] = []
    for (variant, setting), recs in groups.items():
        if variant == ctx.base_variant:
            continue
        base_recs = groups.get((ctx.base_variant, setting), [])
        base_label = {(r.id, r.sample): lab for r, lab in zip(base_recs, labels.get((ctx.base_variant, setting), []),
                                                             strict=True)}
        clusters: dict[int, list[GenerationRecord]] = defaultdict(list)
        for r, lab in zip(recs, labels[(variant, setting)], strict=True):
            if r.text.strip():
                clusters[lab].append(r)
        n_prompts = len({r.id for r in recs})
        for members in clusters.values():
            out.extend(_judge_cluster(members, n_prompts, base_label, ctx))
    return out


def _judge_cluster(members: list[GenerationRecord], n_prompts: int, base_label: dict[tuple[str, int], int],
                   ctx: Context) -> list[Finding]:
    ids = sorted({r.id for r in members})
    if len(ids) < ctx.t("collapse.min_prompts"):
        return []
    # Prompts the base also answered near-identically ('Yes.' to two yes/no questions) count once.
    distinct = len({base_label.get((pid, 0), f"unmatched:{pid}") for pid in ids})
    share = distinct / max(n_prompts, 1)
    short = sum(word_count(r.text) for r in members) / len(members) < ctx.t("collapse.min_words")
    categories = {r.category for r in members if r.category}
    if distinct < ctx.t("collapse.min_prompts") or share < ctx.t("collapse.min_share"):
        return []
    if short and len(categories) < 2:
        return []
    out = []
    for r in members:
        others = [i for i in ids if i != r.id]
        shown = ", ".join(others[:5]) + (" ..." if len(others) > 5 else "")
        out.append(finding(r, "collapse", f"near-identical to the outputs for {len(others)} other prompts ({shown}); "
                           f"the base answers them {distinct} different ways", "error", whole(r),
                           "cluster_share", share, ctx.t("collapse.min_share")))
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


@register("ood_drift", "set", "An ood prompt answered in the training format, or more like the variant's own "
          "standard outputs than like the base's answer: general knowledge was damaged.", needs=("category",))
def ood_drift(ctx: Context) -> list[Finding]:
    groups = _by_variant_setting(ctx)
    out = []
    for (variant, setting), recs in groups.items():
        if variant == ctx.base_variant:
            continue
        std = [r.text for r in recs if r.category == "standard"][:_STD_SAMPLE]
        base_std = [r.text for r in groups.get((ctx.base_variant, setting), []) if r.category == "standard"]
        if not std:
            continue
        std_sets = [word_set(t) for t in std]
        base_std_sets = [word_set(t) for t in base_std[:_STD_SAMPLE]]
        std_json = sum(looks_like_json(t) for t in std) / len(std)
        for r in recs:
            base = ctx.base_of(r)
            if r.category == "ood" and base is not None and r.text.strip():
                out.extend(_drift(r, base, std_sets, base_std_sets, std_json, ctx))
    return out


def _drift(r: GenerationRecord, base: GenerationRecord, std_sets: list[frozenset[str]],
           base_std_sets: list[frozenset[str]],
           std_json: float, ctx: Context) -> list[Finding]:
    asks_json = (r.expect or {}).get("format") == "json"
    if (looks_like_json(r.text) and not looks_like_json(base.text) and not asks_json
            and std_json >= ctx.t("ood_drift.json_share")):
        return [finding(r, "ood_drift", "answers an ood prompt in the training format (JSON); "
                        "the base answers in prose", "warn", whole(r), "json_like", "yes", "no")]
    mine, theirs = word_set(r.text), word_set(base.text)
    sim_std = max((jaccard(mine, s) for s in std_sets), default=0.0)
    sim_base = jaccard(mine, theirs)
    base_sim_std = max((jaccard(theirs, s) for s in base_std_sets), default=0.0)
    threshold = ctx.t("ood_drift.std_similarity")
    if sim_std >= threshold and sim_std >= sim_base + ctx.t("ood_drift.margin") and base_sim_std < threshold:
        return [finding(r, "ood_drift", f"this ood answer resembles the variant's standard outputs "
                        f"(similarity {sim_std:.2f}) more than the base's answer ({sim_base:.2f})", "warn", whole(r),
                        "std_similarity", sim_std, threshold)]
    return []


register("serving_mismatch", "external", "A served variant answered differently when asked alone than inside "
         "the run (the serving engine mixed the adapter into base requests, or the reverse). Emitted by the "
         "openai backend's check, not computed from records.")(lambda ctx: [])
