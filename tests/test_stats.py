"""Exact statistics against scipy (a test-only dependency; stats itself never imports it)."""

from __future__ import annotations

import math
import subprocess
import sys

import pytest
from scipy.stats import binomtest

from tunediff.ratings import Rating
from tunediff.stats import Tally, binom_cdf, binom_test, clopper_pearson, cohen_kappa, orient, pair_stats

CASES = [(0, 1), (1, 1), (0, 5), (5, 5), (3, 10), (1, 2), (7, 9), (0, 30), (30, 30), (12, 25), (49, 50),
         (1, 100), (55, 100), (3, 250)]


@pytest.mark.parametrize(("k", "n"), CASES)
def test_clopper_pearson_and_sign_test_match_scipy(k: int, n: int) -> None:
    ref = binomtest(k, n)
    ci = ref.proportion_ci(confidence_level=0.95, method="exact")
    lo, hi = clopper_pearson(k, n)
    assert lo == pytest.approx(ci.low, abs=1e-9)
    assert hi == pytest.approx(ci.high, abs=1e-9)
    assert binom_test(k, n) == pytest.approx(ref.pvalue, rel=1e-9, abs=1e-12)


@pytest.mark.parametrize("n", range(1, 16))
def test_every_k_for_small_n(n: int) -> None:
    for k in range(n + 1):
        ref = binomtest(k, n)
        ci = ref.proportion_ci(method="exact")
        assert clopper_pearson(k, n) == pytest.approx((ci.low, ci.high), abs=1e-9)
        assert binom_test(k, n) == pytest.approx(ref.pvalue, rel=1e-9)


def test_hand_computed_values() -> None:
    # 5 wins of 5: p = 2 * 0.5**5; the interval's lower end is 0.025 ** (1/5).
    assert binom_test(5, 5) == pytest.approx(0.0625)
    assert clopper_pearson(5, 5) == pytest.approx((0.025 ** 0.2, 1.0))
    assert clopper_pearson(0, 1) == pytest.approx((0.0, 0.975))


@pytest.mark.parametrize(("tally", "rate", "p", "ci"), [
    (Tally(tie=4), None, 1.0, (0.0, 1.0)),                # all ties: nothing decisive
    (Tally(tie=2, both_bad=3), None, 1.0, (0.0, 1.0)),
    (Tally(loss=6, tie=1), 0.0, 0.03125, None),           # zero wins
    (Tally(win=1), 1.0, 1.0, (0.025, 1.0)),               # one rating
    (Tally(win=8, tie=3, both_bad=1), 1.0, 2 * 0.5 ** 8, None),  # all wins, ties excluded
])
def test_tally_edge_cases(tally: Tally, rate: float | None, p: float, ci: tuple[float, float] | None) -> None:
    assert tally.win_rate == rate
    assert tally.p_value == pytest.approx(p)
    if ci is not None:
        assert tally.ci == pytest.approx(ci)
    if tally.decisive:
        ref = binomtest(tally.win, tally.decisive).proportion_ci(method="exact")
        assert tally.ci == pytest.approx((ref.low, ref.high), abs=1e-9)
    d = tally.to_dict()
    assert d["n"] == tally.total and d["decisive"] == tally.win + tally.loss


def test_cohen_kappa_by_hand() -> None:
    a = ["win", "win", "loss", "tie", "win", "loss"]
    b = ["win", "loss", "loss", "tie", "win", "win"]
    po = 4 / 6
    pe = (3 * 3 + 2 * 2 + 1 * 1) / 36  # a and b each: 3 win, 2 loss, 1 tie
    assert cohen_kappa(a, b) == pytest.approx((po - pe) / (1 - pe))
    assert cohen_kappa(a, a) == pytest.approx(1.0)
    assert cohen_kappa(["win"] * 3, ["win"] * 3) is None  # one label only: undefined
    assert cohen_kappa([], []) is None


def _r(rater: str, pid: str, a: str, b: str, choice: str) -> Rating:
    winner = {"a": a, "b": b}.get(choice)
    return Rating(rater, pid, "default", 0, a, b, choice, winner, (), "", "")


def test_pair_stats_orients_to_the_fine_tune_and_counts_per_category() -> None:
    ratings = [_r("al", "s1", "tuned", "base", "a"), _r("al", "s2", "base", "tuned", "a"),
               _r("al", "o1", "base", "tuned", "tie"), _r("bo", "s1", "base", "tuned", "b"),
               _r("bo", "s2", "tuned", "base", "both_bad")]
    [ps] = pair_stats(ratings, {"s1": "standard", "s2": "standard", "o1": "ood"}, ["base", "tuned"])
    assert (ps.reference, ps.candidate) == ("base", "tuned")
    o = ps.overall
    assert (o.win, o.loss, o.tie, o.both_bad) == (2, 1, 1, 1)
    assert list(ps.by_category) == ["standard", "ood"]
    assert ps.by_category["ood"].tie == 1
    assert [x["id"] for x in ps.lost] == ["s2"]
    assert set(ps.kappa) == {"al vs bo"}
    only = pair_stats(ratings, {}, ["base", "tuned"], only=("tuned", "base"))[0]
    assert (only.reference, only.candidate, only.overall.win) == ("tuned", "base", 1)


def test_orient_without_base_uses_run_order() -> None:
    assert orient({"ckpt-200", "ckpt-100"}, ["ckpt-100", "ckpt-200"]) == ("ckpt-100", "ckpt-200")
    assert orient({"tuned", "base"}, ["tuned", "base"]) == ("base", "tuned")


def test_stats_module_imports_no_scipy() -> None:
    code = "import sys, tunediff.stats; print('scipy' in sys.modules, 'numpy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "False"]
    assert math.isclose(binom_cdf(2, 4, 0.5), 11 / 16)
