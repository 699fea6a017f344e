"""Two-proportion statistics for treatment versus control, by normal approximation (no SciPy).

Conventions: ``x`` conversions out of ``n`` leads; arm 1 is treatment, arm 0 control; two-sided
tests at ``alpha``. Zero counts:

- the z-test needs a non-zero pooled variance: with no conversions (or only conversions) in both
  arms there is no evidence of a difference and the p-value is 1.0; with an empty arm it is None;
- the absolute difference uses Newcombe's hybrid score interval (Wilson intervals per arm), which
  stays inside [-1, 1] and is defined for zero counts; it is None only for an empty arm;
- the relative uplift (risk ratio - 1) uses Katz's log interval; when one arm has zero conversions
  0.5 is added to every cell (Haldane-Anscombe) so the interval stays finite; when the control arm
  has no conversions the point estimate is undefined and everything relative is None.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from statistics import NormalDist

_N = NormalDist()


def z_for(alpha: float) -> float:
    """The two-sided critical value, e.g. 1.95996 for alpha 0.05."""
    return _N.inv_cdf(1 - alpha / 2)


def rate(x: int, n: int) -> float | None:
    return x / n if n else None


def wilson(x: int, n: int, *, alpha: float = 0.05) -> tuple[float, float]:
    """Wilson score interval for one proportion (n > 0)."""
    z = z_for(alpha)
    p = x / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    low = 0.0 if x == 0 else max(0.0, centre - half)
    return low, 1.0 if x == n else min(1.0, centre + half)


def two_proportion_p(x1: int, n1: int, x0: int, n0: int) -> float | None:
    """Two-sided p-value of the pooled two-proportion z-test."""
    if not n1 or not n0:
        return None
    pooled = (x1 + x0) / (n1 + n0)
    variance = pooled * (1 - pooled) * (1 / n1 + 1 / n0)
    if variance <= 0:
        return 1.0
    z = (x1 / n1 - x0 / n0) / math.sqrt(variance)
    return min(1.0, 2 * (1 - _N.cdf(abs(z))))


def newcombe_diff(x1: int, n1: int, x0: int, n0: int, *, alpha: float = 0.05) -> tuple[float, float, float] | None:
    """(p1 - p0, low, high) with Newcombe's hybrid score interval (his method 10)."""
    if not n1 or not n0:
        return None
    p1, p0 = x1 / n1, x0 / n0
    l1, u1 = wilson(x1, n1, alpha=alpha)
    l0, u0 = wilson(x0, n0, alpha=alpha)
    diff = p1 - p0
    low = diff - math.sqrt((p1 - l1) ** 2 + (u0 - p0) ** 2)
    high = diff + math.sqrt((u1 - p1) ** 2 + (p0 - l0) ** 2)
    return diff, low, high


def katz_relative(x1: int, n1: int, x0: int, n0: int, *, alpha: float = 0.05) -> tuple[float, float, float] | None:
    """(RR - 1, low, high): relative uplift with Katz's log risk-ratio interval."""
    if not n1 or not n0 or x0 == 0:
        return None
    rr = (x1 / n1) / (x0 / n0)
    a, b, c, d = float(x1), float(n1), float(x0), float(n0)
    if x1 == 0:  # Haldane-Anscombe: half a conversion and half a lead added to every cell
        a, b, c, d = a + 0.5, b + 1, c + 0.5, d + 1
    se = math.sqrt(1 / a - 1 / b + 1 / c - 1 / d)
    log_rr = math.log((a / b) / (c / d))
    z = z_for(alpha)
    return rr - 1, math.exp(log_rr - z * se) - 1, math.exp(log_rr + z * se) - 1


def mde_absolute(p0: float, n1: int, n0: int, *, alpha: float = 0.05, power: float = 0.8) -> float | None:
    """Smallest absolute difference detectable with this power at these sizes, around baseline p0."""
    if not n1 or not n0 or not 0 < p0 < 1:
        return None
    return (z_for(alpha) + _N.inv_cdf(power)) * math.sqrt(p0 * (1 - p0) * (1 / n1 + 1 / n0))


@dataclass(frozen=True)
class SampleSize:
    treatment: int
    control: int


def sample_size(
    p0: float, relative_effect: float, control_share: float, *, alpha: float = 0.05, power: float = 0.8
) -> SampleSize | None:
    """Leads per arm for a two-sided z-test to detect p1 = p0 * (1 + effect) with this allocation.

    Unequal arms (control share ``s``, ratio k = s / (1 - s) controls per treated lead) follow
    Fleiss' formula without continuity correction.
    """
    p1 = p0 * (1 + relative_effect)
    if not 0 < p0 < 1 or not 0 < p1 < 1 or not 0 < control_share < 1 or relative_effect == 0:
        return None
    k = control_share / (1 - control_share)
    pbar = (p1 + k * p0) / (1 + k)
    za, zb = z_for(alpha), _N.inv_cdf(power)
    root = za * math.sqrt(pbar * (1 - pbar) * (1 + 1 / k)) + zb * math.sqrt(p1 * (1 - p1) + p0 * (1 - p0) / k)
    n1 = math.ceil(root**2 / (p1 - p0) ** 2)
    return SampleSize(treatment=n1, control=math.ceil(n1 * k))


def median(values: list[float]) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    mid = len(ordered) // 2
    return ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2


def power(p0: float, p1: float, n1: int, n0: int, *, alpha: float = 0.05) -> float | None:
    """Approximate power of the two-sided pooled z-test to detect p1 against p0 with these sizes."""
    if not n1 or not n0 or not 0 < p0 < 1 or not 0 < p1 < 1:
        return None
    pbar = (n1 * p1 + n0 * p0) / (n1 + n0)
    null_se = math.sqrt(pbar * (1 - pbar) * (1 / n1 + 1 / n0))
    alt_se = math.sqrt(p1 * (1 - p1) / n1 + p0 * (1 - p0) / n0)
    return _N.cdf((abs(p1 - p0) - z_for(alpha) * null_se) / alt_se)
