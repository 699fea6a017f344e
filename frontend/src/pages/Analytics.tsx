/**
 * Analytics: signals per day or week by type, conversion by signal type, response times, outcomes
 * and the hold-out uplift, for a period kept in the URL. The aggregates come from the API (cached
 * there); this page is loaded lazily with the charting library so no other screen pays for it.
 */
import { useQuery } from "@tanstack/react-query";
import { useEffect, useId, useState, type FormEvent } from "react";
import { useSearchParams } from "react-router-dom";
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { downloadFile, request } from "../api/client";
import { OUTCOME_LABELS, type AnalyticsOverview, type TeamOut, type UpliftReport, type UpliftSegment } from "../api/contracts";
import type { Page } from "../api/types";
import { useAuth } from "../auth/AuthContext";
import { can } from "../auth/roles";
import { ErrorState, Spinner } from "../components/States";
import {
  formatMinutes,
  formatPValue,
  formatRate,
  formatSignedRate,
  groupResponseTimes,
  pivotSignals,
  significanceNote,
  totalsByType,
} from "../lib/analytics";
import { apiQuery, paramsFromRange, PRESETS, rangeFromParams, rangeProblem, type RangeState } from "../lib/dateRange";
import { formatDateTime, formatMoney, signalTypeLabel } from "../lib/format";

// Distinguishable, colour-blind friendly palette (Okabe–Ito).
const COLOURS = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000", "#999999"];
const AXIS = { fontSize: 11, fill: "#334155" };
const DATASETS = [
  { key: "signals", label: "Signals" },
  { key: "conversion", label: "Conversion" },
  { key: "response_times", label: "Response times" },
  { key: "outcomes", label: "Outcomes" },
] as const;

function RangePicker({ range, onChange }: { range: RangeState; onChange: (r: RangeState) => void }) {
  const { user } = useAuth();
  const ids = { preset: useId(), since: useId(), until: useId(), bucket: useId(), team: useId(), err: useId() };
  const [custom, setCustom] = useState({ since: range.since, until: range.until });
  const [showCustom, setShowCustom] = useState(range.preset === "custom");
  const [problem, setProblem] = useState<string | null>(range.problem);
  useEffect(() => setCustom({ since: range.since, until: range.until }), [range.since, range.until]);
  const teams = useQuery({
    queryKey: ["teams"],
    queryFn: () => request<Page<TeamOut>>("/teams", { query: { limit: 200 } }),
    enabled: !!user && can.filterByTeam(user.role),
    staleTime: 5 * 60_000,
  });
  const applyCustom = (e: FormEvent) => {
    e.preventDefault();
    const found = rangeProblem(custom.since, custom.until);
    setProblem(found);
    if (!found) onChange({ ...range, preset: "custom", since: custom.since, until: custom.until, problem: null });
  };

  return (
    <form onSubmit={applyCustom} aria-label="Analytics period" className="card mb-4 flex flex-wrap items-end gap-3 p-3">
      <div>
        <label htmlFor={ids.preset} className="field-label">
          Period
        </label>
        <select
          id={ids.preset}
          className="field-input"
          value={showCustom ? "custom" : range.preset}
          onChange={(e) => {
            if (e.target.value === "custom") return setShowCustom(true);
            setShowCustom(false);
            setProblem(null);
            onChange({ ...range, preset: e.target.value });
          }}
        >
          {PRESETS.map((p) => (
            <option key={p.key} value={p.key}>
              {p.label}
            </option>
          ))}
          <option value="custom">Custom dates…</option>
        </select>
      </div>
      {showCustom && (
        <>
          <div>
            <label htmlFor={ids.since} className="field-label">
              From
            </label>
            <input
              id={ids.since}
              type="date"
              className="field-input"
              value={custom.since}
              aria-invalid={!!problem}
              aria-describedby={problem ? ids.err : undefined}
              onChange={(e) => setCustom((c) => ({ ...c, since: e.target.value }))}
            />
          </div>
          <div>
            <label htmlFor={ids.until} className="field-label">
              To
            </label>
            <input
              id={ids.until}
              type="date"
              className="field-input"
              value={custom.until}
              aria-invalid={!!problem}
              aria-describedby={problem ? ids.err : undefined}
              onChange={(e) => setCustom((c) => ({ ...c, until: e.target.value }))}
            />
          </div>
          <button type="submit" className="btn-primary">
            Apply dates
          </button>
        </>
      )}
      <div>
        <label htmlFor={ids.bucket} className="field-label">
          Group by
        </label>
        <select id={ids.bucket} className="field-input" value={range.bucket} onChange={(e) => onChange({ ...range, bucket: e.target.value === "week" ? "week" : "day" })}>
          <option value="day">Day</option>
          <option value="week">Week</option>
        </select>
      </div>
      {teams.data && teams.data.items.length > 1 && (
        <div>
          <label htmlFor={ids.team} className="field-label">
            Team
          </label>
          <select
            id={ids.team}
            className="field-input"
            value={range.teamId ?? ""}
            onChange={(e) => onChange({ ...range, teamId: e.target.value ? Number(e.target.value) : null })}
          >
            <option value="">All teams</option>
            {teams.data.items.map((t) => (
              <option key={t.id} value={t.id}>
                {t.name}
              </option>
            ))}
          </select>
        </div>
      )}
      {problem && (
        <p id={ids.err} role="alert" className="w-full text-sm text-red-800">
          {problem}
        </p>
      )}
    </form>
  );
}

function ExportButtons({ range }: { range: RangeState }) {
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const get = async (dataset: string) => {
    setBusy(dataset);
    setError(null);
    try {
      await downloadFile("/analytics/export.csv", { dataset, ...apiQuery(range) }, `analytics-${dataset}-${range.since}-${range.until}.csv`);
    } catch (e) {
      setError(e instanceof Error ? e.message : "The export failed.");
    } finally {
      setBusy(null);
    }
  };
  return (
    <section aria-labelledby="export-title" className="mt-8">
      <h2 id="export-title" className="mb-2 text-lg font-semibold">
        Export as CSV
      </h2>
      <div className="flex flex-wrap gap-2">
        {DATASETS.map((d) => (
          <button key={d.key} type="button" className="btn-secondary" disabled={busy !== null} onClick={() => void get(d.key)}>
            {busy === d.key ? "Preparing…" : `${d.label} (CSV)`}
          </button>
        ))}
      </div>
      {error && (
        <p role="alert" className="mt-2 text-sm text-red-800">
          Could not export: {error}
        </p>
      )}
    </section>
  );
}

function SignalsSection({ data }: { data: AnalyticsOverview }) {
  const { rows, types } = pivotSignals(data);
  const totals = totalsByType(data.signals);
  const per = data.bucket === "week" ? "week" : "day";
  return (
    <section aria-labelledby="signals-title">
      <h2 id="signals-title" className="mb-2 text-lg font-semibold">
        Signals detected per {per}
      </h2>
      <div className="card p-3" role="img" aria-label={`Stacked bar chart of signals per ${per} by type, ${data.since} to ${data.until}; the table below has the totals`}>
        <div className="h-72 w-full">
          <ResponsiveContainer width="100%" height="100%">
            <BarChart data={rows} margin={{ top: 8, right: 8, bottom: 8, left: -16 }}>
              <CartesianGrid strokeDasharray="3 3" stroke="#cbd5e1" />
              <XAxis dataKey="bucket" tick={AXIS} tickFormatter={(d: string) => d.slice(5)} />
              <YAxis allowDecimals={false} tick={AXIS} />
              <Tooltip labelFormatter={(d) => (per === "week" ? `Week of ${String(d)}` : String(d))} formatter={(v, name) => [v, signalTypeLabel(String(name))]} />
              <Legend formatter={(t: string) => <span className="text-slate-800">{signalTypeLabel(t)}</span>} />
              {types.map((t, i) => (
                <Bar key={t} dataKey={t} name={t} stackId="a" fill={COLOURS[i % COLOURS.length]} isAnimationActive={false} />
              ))}
            </BarChart>
          </ResponsiveContainer>
        </div>
      </div>
      <table className="mt-3 w-full max-w-md text-left text-sm">
        <caption className="mb-1 text-left font-semibold">Signals by type</caption>
        <thead>
          <tr className="border-b border-slate-300">
            <th scope="col" className="py-1.5">
              Signal type
            </th>
            <th scope="col" className="py-1.5 text-right">
              Signals
            </th>
          </tr>
        </thead>
        <tbody>
          {totals.length === 0 && (
            <tr>
              <td colSpan={2} className="py-2 text-slate-700">
                No signals in this period.
              </td>
            </tr>
          )}
          {totals.map((t) => (
            <tr key={t.type} className="border-b border-slate-200">
              <td className="py-1.5">{signalTypeLabel(t.type)}</td>
              <td className="py-1.5 text-right tabular-nums">{t.count}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function ConversionSection({ rows }: { rows: AnalyticsOverview["conversion"] }) {
  const chart = rows.map((r) => ({ type: signalTypeLabel(r.signal_type), plan: (r.plan_rate ?? 0) * 100, paid: (r.payment_rate ?? 0) * 100 }));
  return (
    <section aria-labelledby="conversion-title" className="mt-8">
      <h2 id="conversion-title" className="mb-2 text-lg font-semibold">
        Conversion by signal type
      </h2>
      {rows.length > 0 && (
        <div className="card mb-3 p-3" role="img" aria-label="Bar chart of payment plan and payment rates by signal type; the table below has the figures">
          <div className="h-64 w-full">
            <ResponsiveContainer width="100%" height="100%">
              <BarChart data={chart} margin={{ top: 8, right: 8, bottom: 8, left: -16 }}>
                <CartesianGrid strokeDasharray="3 3" stroke="#cbd5e1" />
                <XAxis dataKey="type" tick={AXIS} interval={0} />
                <YAxis tick={AXIS} unit="%" />
                <Tooltip formatter={(v) => `${Number(v).toFixed(1)}%`} />
                <Legend formatter={(t: string) => <span className="text-slate-800">{t}</span>} />
                <Bar dataKey="plan" name="Payment plan rate" fill={COLOURS[0]} isAnimationActive={false} />
                <Bar dataKey="paid" name="Payment rate" fill={COLOURS[2]} isAnimationActive={false} />
              </BarChart>
            </ResponsiveContainer>
          </div>
        </div>
      )}
      <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white" tabIndex={0} role="region" aria-label="Conversion table, scrolls sideways on small screens">
        <table className="w-full min-w-[40rem] text-left text-sm">
          <caption className="sr-only">Conversion by signal type</caption>
          <thead className="bg-slate-100">
            <tr>
              <th scope="col" className="px-3 py-2">Signal type</th>
              <th scope="col" className="px-3 py-2 text-right">Signals</th>
              <th scope="col" className="px-3 py-2 text-right">Leads</th>
              <th scope="col" className="px-3 py-2 text-right">Contacted</th>
              <th scope="col" className="px-3 py-2 text-right">Payment plan</th>
              <th scope="col" className="px-3 py-2 text-right">Paid</th>
              <th scope="col" className="px-3 py-2 text-right">Plan rate</th>
              <th scope="col" className="px-3 py-2 text-right">Payment rate</th>
            </tr>
          </thead>
          <tbody>
            {rows.length === 0 && (
              <tr>
                <td colSpan={8} className="px-3 py-2 text-slate-700">
                  No signals in this period.
                </td>
              </tr>
            )}
            {rows.map((r) => (
              <tr key={r.signal_type} className="border-t border-slate-200 tabular-nums">
                <th scope="row" className="px-3 py-2 text-left font-medium">{signalTypeLabel(r.signal_type)}</th>
                <td className="px-3 py-2 text-right">{r.signals}</td>
                <td className="px-3 py-2 text-right">{r.leads}</td>
                <td className="px-3 py-2 text-right">{r.contacted}</td>
                <td className="px-3 py-2 text-right">{r.payment_plan}</td>
                <td className="px-3 py-2 text-right">{r.payment_received}</td>
                <td className="px-3 py-2 text-right">{formatRate(r.plan_rate)}</td>
                <td className="px-3 py-2 text-right">{formatRate(r.payment_rate)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function ResponseTimesSection({ rows }: { rows: AnalyticsOverview["response_times"] }) {
  const groups = groupResponseTimes(rows);
  const cells = (r: AnalyticsOverview["response_times"][number]) => (
    <>
      <td className="px-3 py-2 text-right">{r.signals}</td>
      <td className="px-3 py-2 text-right">{r.acknowledged}</td>
      <td className="px-3 py-2 text-right">{formatMinutes(r.median_ack_minutes)}</td>
      <td className="px-3 py-2 text-right">{formatMinutes(r.p90_ack_minutes)}</td>
      <td className="px-3 py-2 text-right">{r.contacted}</td>
      <td className="px-3 py-2 text-right">{formatMinutes(r.median_contact_minutes)}</td>
    </>
  );
  return (
    <section aria-labelledby="response-title" className="mt-8">
      <h2 id="response-title" className="mb-1 text-lg font-semibold">
        Response times
      </h2>
      <p className="mb-2 text-sm text-slate-700">From detection to acknowledgement, and to first contact.</p>
      <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white" tabIndex={0} role="region" aria-label="Response times table, scrolls sideways on small screens">
        <table className="w-full min-w-[44rem] text-left text-sm">
          <caption className="sr-only">Response times by team and agent</caption>
          <thead className="bg-slate-100">
            <tr>
              <th scope="col" className="px-3 py-2">Team / agent</th>
              <th scope="col" className="px-3 py-2 text-right">Signals</th>
              <th scope="col" className="px-3 py-2 text-right">Acknowledged</th>
              <th scope="col" className="px-3 py-2 text-right">Median to ack.</th>
              <th scope="col" className="px-3 py-2 text-right">90th pct to ack.</th>
              <th scope="col" className="px-3 py-2 text-right">Contacted</th>
              <th scope="col" className="px-3 py-2 text-right">Median to contact</th>
            </tr>
          </thead>
          <tbody className="tabular-nums">
            {groups.length === 0 && (
              <tr>
                <td colSpan={7} className="px-3 py-2 text-slate-700">
                  No signals in this period.
                </td>
              </tr>
            )}
            {groups.map((g) => (
              <TeamRows key={g.teamName} name={g.teamName} team={g.team} agents={g.agents} cells={cells} />
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function TeamRows({
  name,
  team,
  agents,
  cells,
}: {
  name: string;
  team: AnalyticsOverview["response_times"][number] | null;
  agents: AnalyticsOverview["response_times"];
  cells: (r: AnalyticsOverview["response_times"][number]) => JSX.Element;
}) {
  return (
    <>
      <tr className="border-t-2 border-slate-300 bg-slate-50 font-semibold">
        <th scope="row" className="px-3 py-2 text-left">
          {name} <span className="font-normal text-slate-700">(team)</span>
        </th>
        {team ? cells(team) : <td colSpan={6} className="px-3 py-2 text-slate-700">—</td>}
      </tr>
      {agents.map((a) => (
        <tr key={`${a.team_id}-${a.user_id}`} className="border-t border-slate-200">
          <th scope="row" className="px-3 py-2 pl-6 text-left font-normal">
            {a.user_email ?? `User #${a.user_id}`}
          </th>
          {cells(a)}
        </tr>
      ))}
    </>
  );
}

function OutcomesSection({ rows }: { rows: AnalyticsOverview["outcomes"] }) {
  return (
    <section aria-labelledby="outcomes-title" className="mt-8">
      <h2 id="outcomes-title" className="mb-2 text-lg font-semibold">
        Engagement outcomes
      </h2>
      <table className="w-full max-w-lg text-left text-sm">
        <caption className="sr-only">Outcomes recorded in this period</caption>
        <thead>
          <tr className="border-b border-slate-300">
            <th scope="col" className="py-1.5">Outcome</th>
            <th scope="col" className="py-1.5 text-right">Count</th>
            <th scope="col" className="py-1.5 text-right">Amount</th>
          </tr>
        </thead>
        <tbody>
          {rows.length === 0 && (
            <tr>
              <td colSpan={3} className="py-2 text-slate-700">
                No outcomes recorded in this period.
              </td>
            </tr>
          )}
          {rows.map((r) => (
            <tr key={r.outcome} className="border-b border-slate-200 tabular-nums">
              <th scope="row" className="py-1.5 text-left font-normal">{OUTCOME_LABELS[r.outcome] ?? r.outcome}</th>
              <td className="py-1.5 text-right">{r.count}</td>
              <td className="py-1.5 text-right">{r.amount == null ? "—" : formatMoney(r.amount)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function UpliftRow({ s, label }: { s: UpliftSegment; label: string }) {
  const c = s.payment_plan;
  const ci = c.relative_ci ? `${formatSignedRate(c.relative_ci[0])} to ${formatSignedRate(c.relative_ci[1])}` : "—";
  return (
    <tr className="border-t border-slate-200 align-top tabular-nums">
      <th scope="row" className="px-3 py-2 text-left font-medium">{label}</th>
      <td className="px-3 py-2 text-right">
        {formatRate(c.treatment_rate)} <span className="block text-xs text-slate-700">of {s.treatment.leads}</span>
      </td>
      <td className="px-3 py-2 text-right">
        {formatRate(c.control_rate)} <span className="block text-xs text-slate-700">of {s.control.leads}</span>
      </td>
      <td className="px-3 py-2 text-right">{formatSignedRate(c.relative_uplift)}</td>
      <td className="px-3 py-2 text-right">{ci}</td>
      <td className="px-3 py-2 text-right">{formatPValue(c.p_value)}</td>
      <td className={`px-3 py-2 ${c.significant ? "font-semibold text-green-800" : "text-slate-800"}`}>{significanceNote(c)}</td>
    </tr>
  );
}

function UpliftSection() {
  const uplift = useQuery({ queryKey: ["analytics", "uplift"], queryFn: () => request<UpliftReport>("/reports/uplift"), staleTime: 60_000 });
  return (
    <section aria-labelledby="uplift-title" className="mt-8">
      <h2 id="uplift-title" className="mb-1 text-lg font-semibold">
        Uplift from alerts
      </h2>
      <p className="mb-2 text-sm text-slate-700">
        Leads whose signals were alerted (treatment) against a held-out group whose signals were not (control): payment plan
        enrolment within the observation window, with the 95% interval of the relative uplift.
      </p>
      {uplift.isPending && <Spinner label="Loading the uplift report…" />}
      {uplift.isError && <ErrorState error={uplift.error} retry={() => void uplift.refetch()} />}
      {uplift.isSuccess && (
        <>
          <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white" tabIndex={0} role="region" aria-label="Uplift table, scrolls sideways on small screens">
            <table className="w-full min-w-[48rem] text-left text-sm">
              <caption className="sr-only">Treatment against control by signal type</caption>
              <thead className="bg-slate-100">
                <tr>
                  <th scope="col" className="px-3 py-2">Signal type</th>
                  <th scope="col" className="px-3 py-2 text-right">Treatment</th>
                  <th scope="col" className="px-3 py-2 text-right">Control</th>
                  <th scope="col" className="px-3 py-2 text-right">Relative uplift</th>
                  <th scope="col" className="px-3 py-2 text-right">95% interval</th>
                  <th scope="col" className="px-3 py-2 text-right">p-value</th>
                  <th scope="col" className="px-3 py-2">Status</th>
                </tr>
              </thead>
              <tbody>
                <UpliftRow s={uplift.data.overall} label="All types" />
                {uplift.data.by_signal_type.map((s) => (
                  <UpliftRow key={s.signal_type} s={s} label={signalTypeLabel(s.signal_type)} />
                ))}
              </tbody>
            </table>
          </div>
          <p className="mt-1 text-xs text-slate-700">
            Window {uplift.data.window_days} days · generated {formatDateTime(uplift.data.generated_at)}
          </p>
          {uplift.data.notes.length > 0 && (
            <ul className="mt-2 list-disc pl-5 text-sm text-slate-800">
              {uplift.data.notes.map((n, i) => (
                <li key={i}>{n}</li>
              ))}
            </ul>
          )}
        </>
      )}
    </section>
  );
}

export default function AnalyticsPage() {
  const [params, setParams] = useSearchParams();
  const range = rangeFromParams(params);
  const query = apiQuery(range);
  const data = useQuery({
    queryKey: ["analytics", "overview", query],
    queryFn: ({ signal }) => request<AnalyticsOverview>("/analytics/overview", { query, signal }),
    staleTime: 60_000,
  });

  return (
    <section aria-labelledby="analytics-title">
      <div className="mb-3">
        <h1 id="analytics-title" className="text-2xl font-bold">
          Analytics
        </h1>
        <p className="text-sm text-slate-700">
          {range.since} to {range.until} (UTC days)
          {data.data && ` · updated ${formatDateTime(data.data.generated_at)}${data.data.cached ? " (cached)" : ""}`}
        </p>
      </div>
      <RangePicker range={range} onChange={(r) => setParams(paramsFromRange(r))} />
      {data.isPending && <Spinner label="Loading analytics…" />}
      {data.isError && <ErrorState error={data.error} retry={() => void data.refetch()} />}
      {data.isSuccess && (
        <>
          <SignalsSection data={data.data} />
          <ConversionSection rows={data.data.conversion} />
          <ResponseTimesSection rows={data.data.response_times} />
          <OutcomesSection rows={data.data.outcomes} />
          <ExportButtons range={range} />
        </>
      )}
      <UpliftSection />
    </section>
  );
}
