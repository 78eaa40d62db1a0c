"""Which variant a rater sees on the left ("A") for each item: seeded, stable and recorded.

The side is a pure function of (rater, prompt key, pair), so a restarted server or a second
server on the same run shows a rater the same sides. The first time a rater sees an item the
mapping is written to the `assignments` table; from then on the table is the truth (a changed
seeding rule can never flip the sides of an item a rater has already seen).
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass

ItemKey = tuple[str, str, int]  # (prompt id, setting id, sample)


@dataclass(frozen=True)
class Sides:
    """The variant shown as A (left) and as B (right), and the seed that chose them."""

    variant_a: str
    variant_b: str
    seed: int

    def winner(self, choice: str) -> str | None:
        """The variant name a choice prefers (None for tie and both_bad)."""
        return {"a": self.variant_a, "b": self.variant_b}.get(choice)


def side_seed(rater: str, key: ItemKey, pair: tuple[str, str]) -> int:
    """A 32-bit seed from the rater and the item; the pair is sorted so its order does not matter."""
    prompt_id, setting, sample = key
    first, second = sorted(pair)
    text = "\x1f".join((rater, prompt_id, setting, str(sample), first, second))
    return int.from_bytes(hashlib.sha256(text.encode("utf-8")).digest()[:4], "big")


def choose_sides(rater: str, key: ItemKey, pair: tuple[str, str]) -> Sides:
    """Seeded coin flip: even seed keeps the pair's order, odd seed swaps it."""
    seed = side_seed(rater, key, pair)
    first, second = sorted(pair)
    return Sides(first, second, seed) if seed % 2 == 0 else Sides(second, first, seed)


def assign(conn: sqlite3.Connection, rater: str, keys: Iterable[ItemKey],
           pair: tuple[str, str]) -> dict[ItemKey, Sides]:
    """Sides for each item, reusing recorded ones and recording new ones in one transaction."""
    keys = list(keys)
    recorded = _recorded(conn, rater, pair)
    fresh = {key: choose_sides(rater, key, pair) for key in keys if key not in recorded}
    if fresh:
        conn.execute("BEGIN IMMEDIATE")
        try:
            conn.executemany(
                "INSERT OR IGNORE INTO assignments (rater, prompt_id, setting, sample, variant_a, variant_b, seed)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                [(rater, *key, s.variant_a, s.variant_b, s.seed) for key, s in fresh.items()],
            )
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        # Another server on the same file may have won a race: re-read what is recorded.
        recorded = _recorded(conn, rater, pair)
    return {key: recorded[key] for key in keys}


def _recorded(conn: sqlite3.Connection, rater: str, pair: tuple[str, str]) -> dict[ItemKey, Sides]:
    rows = conn.execute(
        "SELECT prompt_id, setting, sample, variant_a, variant_b, seed FROM assignments"
        " WHERE rater = ? AND ((variant_a = ? AND variant_b = ?) OR (variant_a = ? AND variant_b = ?))",
        (rater, pair[0], pair[1], pair[1], pair[0]),
    ).fetchall()
    return {(r[0], r[1], int(r[2])): Sides(r[3], r[4], int(r[5])) for r in rows}
