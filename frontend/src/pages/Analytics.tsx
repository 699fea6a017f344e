/**
 * Analytics (placeholder until the aggregates endpoint exists): signals per day by type, counted
 * from the signal list. Loaded lazily with the charting library so no other screen pays for it.
 */
import { useQuery } from "@tanstack/react-query";
import { useSearchParams } from "react-router-dom";
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { fetchSignals } from "../api/signals";
import type { Signal } from "../api/types";
import { ErrorState, Spinner } from "../components/States";
import { signalsPerDay, totalsByType } from "../lib/aggregate";
import { dayStartIso } from "../lib/filters";
import { signalTypeLabel } from "../lib/format";

const RANGES = [7, 30, 90] as const;
const MAX_PAGES = 25; // of 200 (the API's largest page): the newest 5,000 signals
// Distinguishable, colour-blind friendly palette (Okabe–Ito).
const COLOURS = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000", "#999999"];

function isoDay(d: Date): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

async function fetchRange(since: string, signal: AbortSignal): Promise<{ items: Signal[]; truncated: boolean }> {
  const items: Signal[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < MAX_PAGES; page++) {
    const res = await fetchSignals({ since: dayStartIso(since), limit: 200 }, cursor, signal);
    items.push(...res.items);
    cursor = res.next_cursor;
    if (!cursor) return { items, truncated: false };
  }
  return { items, truncated: true };
}

export default function AnalyticsPage() {
  const [params, setParams] = useSearchParams();
  const days = RANGES.find((r) => String(r) === params.get("days")) ?? 30;
  const today = new Date();
  const from = new Date(today);
  from.setDate(today.getDate() - (days - 1));
  const since = isoDay(from);
  const until = isoDay(today);

  const data = useQuery({
    queryKey: ["signals", "analytics", since],
    queryFn: ({ signal }) => fetchRange(since, signal),
    staleTime: 60_000,
  });
  const { rows, types } = signalsPerDay(data.data?.items ?? [], since, until);
  const totals = totalsByType(data.data?.items ?? []);

  return (
    <section aria-labelledby="analytics-title">
      <div className="mb-4 flex flex-wrap items-end justify-between gap-3">
        <div>
          <h1 id="analytics-title" className="text-2xl font-bold">
            Analytics
          </h1>
          <p className="text-sm text-slate-700">Signals detected per day, by type.</p>
        </div>
        <label className="text-sm">
          <span className="field-label">Period</span>
          <select
            className="field-input"
            value={days}
            onChange={(e) => setParams(e.target.value === "30" ? {} : { days: e.target.value })}
          >
            {RANGES.map((r) => (
              <option key={r} value={r}>
                Last {r} days
              </option>
            ))}
          </select>
        </label>
      </div>
      {data.isPending && <Spinner label="Counting signals…" />}
      {data.isError && <ErrorState error={data.error} retry={() => void data.refetch()} />}
      {data.isSuccess && (
        <>
          {data.data.truncated && (
            <p role="note" className="mb-3 rounded-md bg-amber-50 p-3 text-sm text-amber-900">
              Only the most recent {data.data.items.length} signals are counted.
            </p>
          )}
          <div className="card p-3" role="img" aria-label={`Bar chart of signals per day by type, ${since} to ${until}`}>
            <div className="h-72 w-full">
              <ResponsiveContainer width="100%" height="100%">
                <BarChart data={rows} margin={{ top: 8, right: 8, bottom: 8, left: -16 }}>
                  <CartesianGrid strokeDasharray="3 3" stroke="#cbd5e1" />
                  <XAxis dataKey="day" tick={{ fontSize: 11, fill: "#334155" }} tickFormatter={(d: string) => d.slice(5)} />
                  <YAxis allowDecimals={false} tick={{ fontSize: 11, fill: "#334155" }} />
                  <Tooltip />
                  <Legend formatter={(t: string) => <span className="text-slate-800">{signalTypeLabel(t)}</span>} />
                  {types.map((t, i) => (
                    <Bar key={t} dataKey={t} name={t} stackId="a" fill={COLOURS[i % COLOURS.length]} isAnimationActive={false} />
                  ))}
                </BarChart>
              </ResponsiveContainer>
            </div>
          </div>
          <h2 className="mt-6 text-lg font-semibold">Totals by type</h2>
          <table className="mt-2 w-full max-w-md text-left text-sm">
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
        </>
      )}
    </section>
  );
}
