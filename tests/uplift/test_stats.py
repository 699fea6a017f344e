"""The statistics against published or hand-computed values, and their behaviour at zero counts."""

from __future__ import annotations

import math

import pytest

from leadsignal.uplift import stats


def test_two_proportion_z_test_matches_hand_computation() -> None:
    # pooled 0.25, se = sqrt(0.25 * 0.75 * (2 / 100)) = 0.0612372, z = 1.632993
    assert stats.two_proportion_p(30, 100, 20, 100) == pytest.approx(0.102470, abs=1e-5)
    assert stats.two_proportion_p(20, 100, 30, 100) == stats.two_proportion_p(30, 100, 20, 100)


def test_wilson_interval_known_values() -> None:
    low, high = stats.wilson(0, 10)
    assert low == 0.0
    assert high == pytest.approx(0.2775, abs=1e-4)
    low, high = stats.wilson(81, 263)  # Newcombe (1998) single-proportion example: 0.2553 to 0.3662
    assert (low, high) == (pytest.approx(0.2553, abs=1e-4), pytest.approx(0.3662, abs=1e-4))


def test_newcombe_difference_interval_published_example() -> None:
    # Newcombe (1998), Statistics in Medicine 17:873, method 10: 56/70 - 48/80 = 0.2, CI 0.0524 to 0.3339
    diff, low, high = stats.newcombe_diff(56, 70, 48, 80) or (0.0, 0.0, 0.0)
    assert diff == pytest.approx(0.2)
    assert low == pytest.approx(0.0524, abs=1e-4)
    assert high == pytest.approx(0.3339, abs=1e-4)


def test_katz_log_risk_ratio_interval() -> None:
    # RR = 1.5, se(log RR) = sqrt(1/30 - 1/100 + 1/20 - 1/100) = 0.251661
    rel, low, high = stats.katz_relative(30, 100, 20, 100) or (0.0, 0.0, 0.0)
    se = math.sqrt(1 / 30 - 1 / 100 + 1 / 20 - 1 / 100)
    assert rel == pytest.approx(0.5)
    assert low == pytest.approx(1.5 * math.exp(-1.959964 * se) - 1, abs=1e-5)
    assert high == pytest.approx(1.5 * math.exp(1.959964 * se) - 1, abs=1e-5)
    assert (low, high) == (pytest.approx(-0.0840, abs=1e-4), pytest.approx(1.4564, abs=1e-4))


def test_zero_counts() -> None:
    assert stats.two_proportion_p(0, 50, 0, 50) == 1.0  # no conversions anywhere: no evidence of a difference
    assert stats.two_proportion_p(50, 50, 50, 50) == 1.0
    assert stats.two_proportion_p(3, 50, 0, 0) is None  # an empty arm
    assert stats.katz_relative(5, 50, 0, 50) is None  # no control conversions: a ratio is undefined
    rel, low, high = stats.katz_relative(0, 50, 5, 50) or (0.0, 0.0, 0.0)  # Haldane-Anscombe keeps it finite
    assert rel == -1.0
    assert -1 < low < high < 1
    assert math.isfinite(high)
    diff, low, high = stats.newcombe_diff(0, 50, 0, 50) or (1.0, 1.0, 1.0)
    assert diff == 0.0
    assert low < 0 < high
    assert stats.newcombe_diff(1, 0, 1, 10) is None


def test_sample_size_and_mde_and_power_agree() -> None:
    # 10% vs 12% at alpha 0.05 and 80% power: 3,841 per group (Fleiss, no continuity correction).
    size = stats.sample_size(0.10, 0.20, 0.5)
    assert size == stats.SampleSize(treatment=3841, control=3841)
    assert stats.power(0.10, 0.12, 3841, 3841) == pytest.approx(0.80, abs=0.005)
    assert stats.mde_absolute(0.10, 3841, 3841) == pytest.approx(0.0192, abs=2e-4)
    unequal = stats.sample_size(0.10, 0.20, 0.1)  # nine treated leads per control lead
    assert unequal is not None
    assert unequal.treatment < unequal.control * 9 + 9
    assert unequal.control < 3841 < unequal.treatment
    assert stats.sample_size(0.0, 0.2, 0.5) is None
    assert stats.mde_absolute(0.1, 0, 10) is None


def test_median() -> None:
    assert stats.median([]) is None
    assert stats.median([3.0, 1.0, 2.0]) == 2.0
    assert stats.median([4.0, 1.0, 2.0, 3.0]) == 2.5
