"""Blind review ratings in `RUN/ratings.sqlite`: the store the review app writes and stats reads.

WAL mode and one committed transaction per rating, so a killed server loses nothing.
A rating compares two variants shown as A (left) and B (right); `winner` is the variant
name the rater preferred (None for tie and both_bad).
"""

from __future__ import annotations

import json
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from .errors import UserError
from .records import RATINGS

CHOICES = ("a", "b", "tie", "both_bad")

SCHEMA = """
CREATE TABLE IF NOT EXISTS assignments (
    rater TEXT NOT NULL,
    prompt_id TEXT NOT NULL,
    setting TEXT NOT NULL DEFAULT 'default',
    sample INTEGER NOT NULL DEFAULT 0,
    variant_a TEXT NOT NULL,          -- shown on the left as "A"
    variant_b TEXT NOT NULL,          -- shown on the right as "B"
    seed INTEGER NOT NULL,            -- the seed that chose the sides
    PRIMARY KEY (rater, prompt_id, setting, sample, variant_a, variant_b)
);
CREATE TABLE IF NOT EXISTS ratings (
    rater TEXT NOT NULL,
    prompt_id TEXT NOT NULL,
    setting TEXT NOT NULL DEFAULT 'default',
    sample INTEGER NOT NULL DEFAULT 0,
    variant_a TEXT NOT NULL,
    variant_b TEXT NOT NULL,
    choice TEXT NOT NULL CHECK (choice IN ('a', 'b', 'tie', 'both_bad')),
    winner TEXT,                      -- variant name preferred, NULL for tie / both_bad
    tags TEXT NOT NULL DEFAULT '[]',  -- JSON list of failure tags (flag names, "other")
    note TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    PRIMARY KEY (rater, prompt_id, setting, sample, variant_a, variant_b)
);
"""


@dataclass(frozen=True)
class Rating:
    rater: str
    prompt_id: str
    setting: str
    sample: int
    variant_a: str
    variant_b: str
    choice: str
    winner: str | None
    tags: tuple[str, ...]
    note: str
    created_at: str

    def pair(self) -> frozenset[str]:
        return frozenset((self.variant_a, self.variant_b))

    def outcome_for(self, variant: str) -> str:
        """`win`, `loss`, `tie` or `both_bad` from `variant`'s point of view."""
        if self.choice in ("tie", "both_bad"):
            return self.choice
        return "win" if self.winner == variant else "loss"


def ratings_path(run_dir: str | Path) -> Path:
    return Path(run_dir) / RATINGS


def connect(run_dir: str | Path, create: bool = True) -> sqlite3.Connection:
    """Open (and create) the ratings store; a corrupt file is a one-line error."""
    path = ratings_path(run_dir)
    if not create and not path.is_file():
        raise UserError(f"{path}: no ratings yet; rate the pairs with `tunediff review {run_dir}`")
    try:
        conn = sqlite3.connect(path, timeout=10, isolation_level=None, check_same_thread=False)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=FULL")
        conn.executescript(SCHEMA)
    except sqlite3.OperationalError as exc:
        if not path.is_file() or not os.access(path.parent, os.W_OK) or "readonly" in str(exc):
            raise UserError(f"{path.parent}: cannot write ratings here ({exc}); the folder is read-only: "
                            "copy the run directory somewhere writable (cp -r RUN NEW) and review the copy") from None
        raise UserError(f"{path}: not a readable ratings database ({exc}); move it aside and rate again") from None
    except sqlite3.DatabaseError as exc:
        raise UserError(f"{path}: not a readable ratings database ({exc}); move it aside and rate again") from None
    return conn


def save_rating(conn: sqlite3.Connection, rating: Rating) -> None:
    """Insert or replace one rating in its own committed transaction."""
    if rating.choice not in CHOICES:
        raise UserError(f"choice '{rating.choice}' is not one of {', '.join(CHOICES)}")
    conn.execute("BEGIN IMMEDIATE")
    try:
        conn.execute(
            "INSERT OR REPLACE INTO ratings (rater, prompt_id, setting, sample, variant_a, variant_b, choice, winner,"
            " tags, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (rating.rater, rating.prompt_id, rating.setting, rating.sample, rating.variant_a, rating.variant_b,
             rating.choice, rating.winner, json.dumps(list(rating.tags)), rating.note),
        )
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


def load_ratings(run_dir: str | Path) -> list[Rating]:
    """Every rating in the run (empty when nobody has rated yet)."""
    if not ratings_path(run_dir).is_file():
        return []
    conn = connect(run_dir)
    try:
        rows = conn.execute(
            "SELECT rater, prompt_id, setting, sample, variant_a, variant_b, choice, winner, tags, note, created_at"
            " FROM ratings ORDER BY created_at, rowid"
        ).fetchall()
    except sqlite3.DatabaseError as exc:
        raise UserError(f"{ratings_path(run_dir)}: not a readable ratings database ({exc})") from None
    finally:
        conn.close()
    return [Rating(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], tuple(json.loads(r[8] or "[]")), r[9], r[10])
            for r in rows]
