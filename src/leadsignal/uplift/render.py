"""The uplift and precision reports as CSV (one row per segment) and as a self-contained HTML page."""

from __future__ import annotations

import csv
import html
import io
from typing import Any

from leadsignal.uplift.precision import PrecisionReport
from leadsignal.uplift.report import MetricComparison, UpliftReport, UpliftSegment

_METRICS = ("payment_plan", "first_payment")


def _flat(seg: UpliftSegment) -> dict[str, Any]:
    row: dict[str, Any] = {"signal_type": seg.signal_type}
    for arm_name in ("treatment", "control"):
        for key, value in getattr(seg, arm_name).model_dump().items():
            row[f"{arm_name}_{key}"] = value
    for metric in _METRICS:
        m: MetricComparison = getattr(seg, metric)
        for key, value in m.model_dump().items():
            if isinstance(value, tuple | list):
                row[f"{metric}_{key}_low"], row[f"{metric}_{key}_high"] = value
            elif key.endswith("_ci"):
                row[f"{metric}_{key}_low"] = row[f"{metric}_{key}_high"] = None
            else:
                row[f"{metric}_{key}"] = value
    return row


def uplift_csv(report: UpliftReport) -> str:
    rows = [_flat(report.overall), *(_flat(s) for s in report.by_signal_type)]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def precision_csv(report: PrecisionReport) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["week", "signal_type", "confirmed", "rejected", "wrong_person", "judged", "precision",
                     "ci_low", "ci_high"])  # fmt: skip
    for c in [*report.weeks, *report.by_signal_type, report.overall]:
        low, high = c.ci or (None, None)
        writer.writerow([c.week, c.signal_type, c.confirmed, c.rejected, c.wrong_person, c.judged, c.precision,
                         low, high])  # fmt: skip
    return out.getvalue()


def _pct(value: float | None, signed: bool = False) -> str:
    if value is None:
        return "–"
    return f"{value * 100:+.1f}%" if signed else f"{value * 100:.1f}%"


def _ci(ci: tuple[float, float] | None) -> str:
    return "–" if ci is None else f"{_pct(ci[0], True)} to {_pct(ci[1], True)}"


def _pp(value: float | None) -> str:
    """A difference of rates, in percentage points."""
    return "–" if value is None else f"{value * 100:+.1f} pp"


def _pp_ci(ci: tuple[float, float] | None) -> str:
    return "–" if ci is None else f"{_pp(ci[0])} to {_pp(ci[1])}"


def _metric_cells(m: MetricComparison) -> str:
    verdict = "significant" if m.significant else "not yet"
    need = ""
    if m.additional_treatment_needed is not None:
        need = f"+{m.additional_treatment_needed} / +{m.additional_control_needed}"
    p = "–" if m.p_value is None else f"{m.p_value:.3f}"
    cells = (
        _pct(m.treatment_rate), _pct(m.control_rate), _pct(m.relative_uplift, True), _ci(m.relative_ci),
        _pp(m.absolute_uplift), _pp_ci(m.absolute_ci), p, verdict, _pct(m.mde_relative), need or "–",
    )  # fmt: skip
    return "".join(f"<td>{html.escape(c)}</td>" for c in cells)


def uplift_html(report: UpliftReport) -> str:
    head = ("Signal type", "Leads T / C", "Rate T", "Rate C", "Relative uplift", "95% CI", "Absolute (points)",
            "95% CI", "p", "Verdict", "MDE (80%)", "Still needed T / C")  # fmt: skip
    sections = []
    for metric, title in (("payment_plan", "Signal to payment plan"), ("first_payment", "Signal to first payment")):
        rows = []
        for seg in [report.overall, *report.by_signal_type]:
            cls = ' class="overall"' if seg.signal_type == "all" else ""
            cells = _metric_cells(getattr(seg, metric))
            rows.append(f"<tr{cls}><th>{html.escape(seg.signal_type)}</th>"
                        f"<td>{seg.treatment.leads} / {seg.control.leads}</td>{cells}</tr>")  # fmt: skip
        sections.append(f"<h2>{title}</h2><table><thead><tr>{''.join(f'<th>{h}</th>' for h in head)}</tr></thead>"
                        f"<tbody>{''.join(rows)}</tbody></table>")  # fmt: skip
    money = []
    for seg in [report.overall, *report.by_signal_type]:
        t, c = seg.treatment, seg.control
        money.append(f"<tr><th>{html.escape(seg.signal_type)}</th><td>{_num(t.median_days_to_payment)}</td>"
                     f"<td>{_num(c.median_days_to_payment)}</td><td>{_num(t.recovered_per_lead)}</td>"
                     f"<td>{_num(c.recovered_per_lead)}</td>"
                     f"<td>{t.leads_observing + c.leads_observing}</td></tr>")  # fmt: skip
    sections.append("<h2>Speed and money</h2><table><thead><tr><th>Signal type</th><th>Median days to payment T</th>"
                    "<th>C</th><th>Recovered per lead T</th><th>C</th><th>Leads still in window</th></tr></thead>"
                    f"<tbody>{''.join(money)}</tbody></table>")  # fmt: skip
    notes = "".join(f"<li>{html.escape(n)}</li>" for n in report.notes)
    since = report.since.isoformat() if report.since else "the start"
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Uplift report: {html.escape(report.experiment)}</title>
<style>
body{{font-family:system-ui,sans-serif;margin:2rem;color:#1a1a1a;max-width:80rem}}
table{{border-collapse:collapse;margin-bottom:1.5rem;width:100%}}
th,td{{border-bottom:1px solid #ddd;padding:.35rem .6rem;text-align:right;font-variant-numeric:tabular-nums}}
th:first-child{{text-align:left}} thead th{{background:#f3f4f6}} tr.overall{{font-weight:600;background:#fafafa}}
.meta{{color:#555}}
</style></head><body>
<h1>Uplift report: experiment {html.escape(report.experiment)}</h1>
<p class="meta">Generated {report.generated_at:%Y-%m-%d %H:%M} UTC; leads assigned since {since};
conversions within {report.window_days} days of assignment; T = treatment (alerted), C = control (held back);
alpha {report.alpha}, power {report.power:.0%}, target uplift {report.target_relative_uplift:.0%}.</p>
{"".join(sections)}
<h2>Read with care</h2><ul>{notes}</ul>
</body></html>
"""


def _num(value: float | None) -> str:
    return "–" if value is None else f"{value:,.2f}"
