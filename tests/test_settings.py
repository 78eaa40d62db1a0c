"""Settings precedence, presets, sweeps and per-output seeds."""

from __future__ import annotations

import pytest

from tunediff.errors import UserError
from tunediff.settings import PRESETS, expand_grid, parse_sweep, record_seed, resolve_settings


def test_precedence_defaults_preset_suite_cli():
    assert resolve_settings().temperature == 0.0
    s = resolve_settings({"preset": "conversational", "max_new_tokens": 64})
    assert (s.temperature, s.top_p, s.max_new_tokens) == (PRESETS["conversational"]["temperature"], 0.95, 64)
    s = resolve_settings({"preset": "conversational", "temperature": 0.3}, {"temperature": 0.9})
    assert s.temperature == 0.9  # the command line wins over the review set
    s = resolve_settings({"temperature": 0.3}, {"preset": "greedy"})
    assert s.temperature == 0.0 and s.preset == "greedy"


@pytest.mark.parametrize(("cli", "message"), [
    ({"max_new_tokens": 0}, "max_new_tokens must be > 0"),
    ({"temperature": -0.1}, "temperature must be >= 0"),
    ({"top_p": 0.0}, r"top_p must be in \(0, 1\]"),
    ({"top_p": 1.01}, r"top_p must be in \(0, 1\]"),
    ({"preset": "wild"}, "unknown preset"),
])
def test_invalid_settings(cli, message):
    with pytest.raises(UserError, match=message):
        resolve_settings({}, cli)


def test_sweep_grid_ids_and_validation():
    grid = parse_sweep(["temperature=0.1,0.7", "top_p=0.9,1"])
    points = expand_grid(resolve_settings(), grid)
    assert [p.id for p in points] == ["temperature=0.1,top_p=0.9", "temperature=0.1,top_p=1",
                                      "temperature=0.7,top_p=0.9", "temperature=0.7,top_p=1"]
    with pytest.raises(UserError, match="cannot sweep 'seed'"):
        parse_sweep(["seed=1,2"])
    with pytest.raises(UserError, match="KEY=V1,V2"):
        parse_sweep(["temperature"])
    with pytest.raises(UserError, match="greedy samples are identical"):
        expand_grid(resolve_settings({}, {"samples": 3}), {})


def test_seeds_are_shared_by_variants_and_differ_across_outputs():
    assert record_seed(0, "a", "default", 0) == record_seed(0, "a", "default", 0)
    seeds = {record_seed(0, p, "default", s) for p in "abc" for s in range(3)}
    assert len(seeds) == 9
    assert record_seed(1, "a", "default", 0) != record_seed(0, "a", "default", 0)
