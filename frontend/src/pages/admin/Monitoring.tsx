/** Live operations figures (admins and compliance), refreshed every 10 seconds. */
import { useQuery } from "@tanstack/react-query";
import { request } from "../../api/client";
import type { MonitoringSnapshot, WindowFigures } from "../../api/contracts";
import { ErrorState, Spinner } from "../../components/States";
import { formatDateTime, humanize, signalTypeLabel } from "../../lib/format";

export const MONITORING_POLL_MS = 10_000;

const STATUS_STYLE: Record<string, string> = {
  ok: "bg-green-100 text-green-900 ring-green-300",
  degraded: "bg-amber-100 text-amber-900 ring-amber-300",
  blocked: "bg-red-100 text-red-900 ring-red-300",
  idle: "bg-slate-100 text-slate-800 ring-slate-300",
};

function Figure({ label, value, warn = false }: { label: string; value: number | string; warn?: boolean }) {
  return (
    <div className="rounded-md bg-slate-50 p-3">
      <dt className="text-xs font-medium text-slate-700">{label}</dt>
      <dd className={`text-xl font-semibold tabular-nums ${warn ? "text-red-800" : "text-slate-900"}`}>{value}</dd>
    </div>
  );
}

function WindowCard({ title, w }: { title: string; w: WindowFigures }) {
  const types = Object.entries(w.signals_by_type ?? {});
  return (
    <section aria-label={title} className="card p-4">
      <h3 className="mb-2 font-semibold">{title}</h3>
      <dl className="grid grid-cols-2 gap-2 sm:grid-cols-4">
        <Figure label="Profiles fetched" value={w.profiles_fetched} />
        <Figure label="Fetch errors" value={w.profile_fetch_errors} warn={w.profile_fetch_errors > 0} />
        <Figure label="Scrape attempts" value={w.scrape_attempts} />
        <Figure label="Scrape failures" value={w.scrape_failures} warn={w.scrape_failures > 0} />
        <Figure label="Signals detected" value={w.signals_detected} />
        <Figure label="Alerts sent" value={w.alerts_sent} />
        <Figure label="E-mails sent / failed" value={`${w.emails_sent} / ${w.emails_failed}`} warn={w.emails_failed > 0} />
        <Figure label="Errors" value={w.errors} warn={w.errors > 0} />
      </dl>
      {types.length > 0 && (
        <p className="mt-2 text-sm text-slate-700">
          By type: {types.map(([t, n]) => `${signalTypeLabel(t)} ${n}`).join(" · ")}
        </p>
      )}
    </section>
  );
}

export function MonitoringPage() {
  const snap = useQuery({
    queryKey: ["admin", "monitoring"],
    queryFn: () => request<MonitoringSnapshot>("/admin/monitoring"),
    refetchInterval: MONITORING_POLL_MS,
    staleTime: 0,
  });
  if (snap.isPending) return <Spinner label="Loading monitoring figures…" />;
  if (snap.isError && !snap.data) return <ErrorState error={snap.error} retry={() => void snap.refetch()} />;
  const s = snap.data!;
  return (
    <section aria-labelledby="monitoring-title" className="space-y-4">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 id="monitoring-title" className="text-lg font-semibold">
          Monitoring
        </h2>
        <p className="text-sm text-slate-700">
          Updated {formatDateTime(s.generated_at)} · refreshes every {MONITORING_POLL_MS / 1000} s
          {snap.isError && <span className="ml-1 font-medium text-red-800">(last refresh failed)</span>}
        </p>
      </div>
      <p
        role="status"
        className={`rounded-md p-3 text-sm font-medium ${s.workers_healthy ? "bg-green-50 text-green-900" : "bg-red-50 text-red-900"}`}
      >
        {s.workers_healthy ? "Background workers are running." : "No background worker has reported in the last 2 minutes."}
      </p>
      <div className="grid gap-4 lg:grid-cols-2">
        <WindowCard title="Last hour" w={s.last_hour} />
        <WindowCard title="Last 24 hours" w={s.last_24h} />
      </div>
      <section aria-labelledby="queues-title" className="card p-4">
        <h3 id="queues-title" className="mb-2 font-semibold">
          Queues
        </h3>
        <dl className="grid grid-cols-2 gap-2 sm:grid-cols-4">
          <Figure label={`Task queue (${s.queue.broker})`} value={s.queue.celery_queue ?? "—"} />
          <Figure label="Alerts pending" value={s.queue.alerts_pending} />
          <Figure label="Webhooks pending" value={s.queue.webhooks_pending} />
          <Figure label="E-mails to retry" value={s.queue.emails_queued} warn={s.queue.emails_queued > 0} />
        </dl>
      </section>
      <section aria-labelledby="sources-title">
        <h3 id="sources-title" className="mb-2 font-semibold">
          Sources (last hour)
        </h3>
        {s.sources.length === 0 ? (
          <p className="card p-4 text-sm text-slate-700">No source was called in the last hour.</p>
        ) : (
          <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white" tabIndex={0} role="region" aria-label="Sources table, scrolls sideways on small screens">
            <table className="w-full min-w-[40rem] text-left text-sm">
              <caption className="sr-only">Health of each data source over the last hour</caption>
              <thead className="bg-slate-100">
                <tr>
                  <th scope="col" className="px-3 py-2">Source</th>
                  <th scope="col" className="px-3 py-2">Status</th>
                  <th scope="col" className="px-3 py-2 text-right">Attempts</th>
                  <th scope="col" className="px-3 py-2 text-right">Succeeded</th>
                  <th scope="col" className="px-3 py-2 text-right">Blocked / limited</th>
                  <th scope="col" className="px-3 py-2 text-right">Errors</th>
                  <th scope="col" className="px-3 py-2">Backed off until</th>
                </tr>
              </thead>
              <tbody className="tabular-nums">
                {s.sources.map((src) => (
                  <tr key={src.service} className="border-t border-slate-200">
                    <th scope="row" className="px-3 py-2 text-left font-medium">{src.service}</th>
                    <td className="px-3 py-2">
                      <span className={`inline-flex rounded-full px-2 py-0.5 text-xs font-semibold ring-1 ring-inset ${STATUS_STYLE[src.status] ?? STATUS_STYLE.idle}`}>
                        {humanize(src.status)}
                      </span>
                    </td>
                    <td className="px-3 py-2 text-right">{src.attempts}</td>
                    <td className="px-3 py-2 text-right">{src.successes}</td>
                    <td className="px-3 py-2 text-right">
                      {src.blocked} / {src.rate_limited}
                    </td>
                    <td className="px-3 py-2 text-right">{src.errors + src.parse_failures}</td>
                    <td className="px-3 py-2">{formatDateTime(src.backed_off_until)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <section aria-labelledby="workers-title">
        <h3 id="workers-title" className="mb-2 font-semibold">
          Workers
        </h3>
        {s.workers.length === 0 ? (
          <p className="card p-4 text-sm text-slate-700">No worker has reported.</p>
        ) : (
          <ul className="grid gap-2 sm:grid-cols-2">
            {s.workers.map((w) => (
              <li key={w.worker} className="card p-3 text-sm">
                <p className="font-medium">
                  {w.worker} <span className="font-normal text-slate-700">({w.kind})</span>
                </p>
                <p className={w.healthy ? "text-green-800" : "text-red-800"}>
                  {w.healthy ? "Healthy" : "Not reporting"} · last beat {Math.round(w.age_seconds)} s ago
                </p>
              </li>
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="errors-title">
        <h3 id="errors-title" className="mb-2 font-semibold">
          Latest errors
        </h3>
        {s.recent_errors.length === 0 ? (
          <p className="card p-4 text-sm text-slate-700">No recent errors.</p>
        ) : (
          <ul className="divide-y divide-slate-200 rounded-lg border border-slate-200 bg-white text-sm">
            {s.recent_errors.map((e, i) => (
              <li key={i} className="p-3">
                <p className="font-medium">
                  {humanize(e.kind)} · {e.source}
                </p>
                <p className="break-words text-slate-800">{e.message}</p>
                <p className="text-xs text-slate-700">
                  {formatDateTime(e.occurred_at)}
                  {e.request_id ? ` · request ${e.request_id}` : ""}
                </p>
              </li>
            ))}
          </ul>
        )}
      </section>
    </section>
  );
}
