"""The review app's data side: items to rate, per-rater sides and progress, validated ratings.

No HTTP here (server.py does that): `items_for(rater)` is GET /api/items and `rate(body)` is
POST /api/rate. Variant names and flags of an item are only sent once the rater has rated it,
so nothing on the page can bias the choice.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ...errors import UserError
from ...ratings import CHOICES, Rating, connect, ratings_path, save_rating
from ...rundir import RunDir
from .assignment import ItemKey, Sides, assign

# The flag names of DESIGN.md ("Flags"), used when the flags registry cannot be imported.
FLAG_NAMES = ("no_stop", "next_turn", "special_tokens", "repetition", "ramble", "format", "ungrounded",
              "inconsistent", "empty", "collapse", "identical_to_base", "ood_drift", "serving_mismatch")
MAX_RATER = 64
MAX_NOTE = 4000


class ApiError(Exception):
    """A rejected request: HTTP status and a one-line reason. Nothing was stored."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass
class Item:
    """One (prompt, setting, sample) with the two texts to compare."""

    key: ItemKey
    category: str | None
    prompt: str
    context: list[dict[str, str]]
    texts: dict[str, str]
    flags: dict[str, list[dict[str, str]]] = field(default_factory=dict)

    @property
    def key_str(self) -> str:
        return f"{self.key[0]}|{self.key[1]}|{self.key[2]}"


def pick_pair(variants: list[str], wanted: str | None) -> tuple[str, str]:
    """The two variants to compare: `--variants A,B`, or base vs the first other variant."""
    if wanted is None:
        if len(variants) < 2:
            raise UserError(f"this run has only the variant(s) {', '.join(variants) or 'none'}; "
                            "blind review needs two")
        return variants[0], variants[1]
    names = [n.strip() for n in wanted.split(",")]
    if len(names) != 2 or not all(names) or names[0] == names[1]:
        raise UserError(f"--variants '{wanted}': give two different variant names, e.g. --variants base,tuned")
    unknown = [n for n in names if n not in variants]
    if unknown:
        raise UserError(f"--variants: no variant '{unknown[0]}' in this run; it has {', '.join(variants)}")
    return names[0], names[1]


class ReviewApp:
    """Everything the server needs, opened once: items, the pair, the ratings store."""

    def __init__(self, run_dir: str | Path, variants: str | None = None, rater: str | None = None):
        self.run = RunDir.open(run_dir)
        self.pair = pick_pair(self.run.variants, variants)
        self.default_rater = check_rater(rater) if rater else None
        self.items = _build_items(self.run, self.pair)
        if not self.items:
            raise UserError(f"{self.run.generations_path}: no prompt has outputs from both "
                            f"{self.pair[0]} and {self.pair[1]}; nothing to compare")
        self.by_key = {item.key_str: item for item in self.items}
        known = _flag_names()
        seen = {f.flag for f in self.run.findings}
        self.tags = [*known, *sorted(seen - set(known) - {"other"}), "other"]
        self.conn = connect(run_dir)
        self._check_store()
        self.lock = threading.Lock()  # one sqlite connection shared by the handler threads

    def _check_store(self) -> None:
        try:
            self.conn.execute("SELECT count(*) FROM ratings").fetchone()
            self.conn.execute("PRAGMA quick_check").fetchone()
        except sqlite3.DatabaseError as exc:
            raise UserError(f"{ratings_path(self.run.path)}: not a readable ratings database ({exc}); "
                            "move it aside and rate again") from None

    def close(self) -> None:
        self.conn.close()

    def config(self) -> dict[str, Any]:
        """What the page needs before it knows the rater (embedded in the HTML)."""
        manifest = self.run.manifest
        return {"rater": self.default_rater, "tags": self.tags, "choices": list(CHOICES),
                "run": manifest.suite.name or self.run.path.name, "sweep": manifest.sweep}

    def items_for(self, rater: str | None) -> dict[str, Any]:
        rater = _api_rater(rater)
        with self.lock:
            sides = assign(self.conn, rater, [i.key for i in self.items], self.pair)
            rated = self._ratings_of(rater)
        out = []
        for item in self.items:
            rating = rated.get(item.key)
            out.append(self._item_json(item, sides[item.key], rating))
        n_rated = sum(1 for item in self.items if item.key in rated)
        first = next((i for i, item in enumerate(self.items) if item.key not in rated), None)
        return {"rater": rater, "total": len(self.items), "rated": n_rated, "first_unrated": first, "items": out}

    def rate(self, body: Any) -> dict[str, Any]:
        """Validate and store one rating; raises ApiError (and stores nothing) on bad input."""
        if not isinstance(body, dict):
            raise ApiError(400, "the body must be a JSON object")
        unknown = set(body) - {"rater", "key", "choice", "tags", "note"}
        if unknown:
            raise ApiError(400, f"unknown field '{sorted(unknown)[0]}'")
        rater = _api_rater(body.get("rater"))
        key = body.get("key")
        item = self.by_key.get(key) if isinstance(key, str) else None
        if item is None:
            raise ApiError(404, f"no item '{body.get('key')}' in this run")
        choice = body.get("choice")
        if choice not in CHOICES:
            raise ApiError(422, f"choice {choice!r} is not one of {', '.join(CHOICES)}")
        tags = body.get("tags", [])
        if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
            raise ApiError(400, "tags must be a list of strings")
        bad = [t for t in tags if t not in self.tags]
        if bad:
            raise ApiError(422, f"unknown tag '{bad[0]}'; tags are {', '.join(self.tags)}")
        note = body.get("note", "")
        if not isinstance(note, str) or len(note) > MAX_NOTE:
            raise ApiError(400, f"note must be a string of at most {MAX_NOTE} characters")
        tags = sorted(set(tags), key=self.tags.index)
        with self.lock:
            sides = assign(self.conn, rater, [item.key], self.pair)[item.key]
            save_rating(self.conn, Rating(rater, *item.key, sides.variant_a, sides.variant_b, choice,
                                          sides.winner(choice), tuple(tags), note, ""))
            rated = self._ratings_of(rater)
        reveal = self._item_json(item, sides, rated[item.key])
        return {"ok": True, "item": reveal, "rated": len(set(rated) & {i.key for i in self.items}),
                "total": len(self.items)}

    def _ratings_of(self, rater: str) -> dict[ItemKey, dict[str, Any]]:
        a, b = self.pair
        rows = self.conn.execute(
            "SELECT prompt_id, setting, sample, choice, tags, note, winner FROM ratings WHERE rater = ?"
            " AND ((variant_a = ? AND variant_b = ?) OR (variant_a = ? AND variant_b = ?))",
            (rater, a, b, b, a)).fetchall()
        return {(r[0], r[1], int(r[2])): {"choice": r[3], "tags": json.loads(r[4] or "[]"), "note": r[5],
                                          "winner": r[6]} for r in rows}

    def _item_json(self, item: Item, sides: Sides, rating: dict[str, Any] | None) -> dict[str, Any]:
        """Blind until rated: texts as A and B only; names and flags join once a rating exists."""
        out: dict[str, Any] = {
            "key": item.key_str, "id": item.key[0], "setting": item.key[1], "sample": item.key[2],
            "category": item.category, "prompt": item.prompt, "context": item.context,
            "a": item.texts[sides.variant_a], "b": item.texts[sides.variant_b], "rating": None,
        }
        if rating is not None:
            out["rating"] = {**rating, "variant_a": sides.variant_a, "variant_b": sides.variant_b,
                             "flags_a": item.flags.get(sides.variant_a, []),
                             "flags_b": item.flags.get(sides.variant_b, [])}
        return out


def _flag_names() -> list[str]:
    """Failure tags: every registered flag, so a rater can tag what the detectors missed."""
    try:
        from ...flags import flag_names
    except ImportError:
        return list(FLAG_NAMES)
    return flag_names()


def check_rater(name: Any) -> str:
    """A rater name: 1-64 printable characters (it is a key in the store and shown on the page)."""
    if not isinstance(name, str) or not name.strip():
        raise UserError("rater name is empty; give one with --rater NAME or ?rater=NAME")
    name = name.strip()
    if len(name) > MAX_RATER or not name.isprintable():
        raise UserError(f"rater name must be at most {MAX_RATER} printable characters")
    return name


def _api_rater(name: Any) -> str:
    try:
        return check_rater(name)
    except UserError as exc:
        raise ApiError(400, str(exc)) from None


def _build_items(run: RunDir, pair: tuple[str, str]) -> list[Item]:
    """One item per (prompt, setting, sample) that has an output from both variants, in run order."""
    items: dict[ItemKey, Item] = {}
    for rec in run.records:
        if rec.variant not in pair:
            continue
        key = (rec.id, rec.setting, rec.sample)
        if key not in items:
            messages = list(rec.messages or [])
            context = messages[:-1] if messages and messages[-1].get("role") == "user" else messages
            items[key] = Item(key, rec.category, rec.prompt or "", context, {})
        items[key].texts[rec.variant] = rec.text
    for f in run.findings:
        item = items.get((f.id, f.setting, f.sample))
        if item is not None and f.variant in pair:
            item.flags.setdefault(f.variant, []).append({"flag": f.flag, "severity": f.severity,
                                                          "message": f.message})
    return [item for item in items.values() if len(item.texts) == 2]
