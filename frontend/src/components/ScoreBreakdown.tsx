/** Why a signal has its priority: the stored score_breakdown, in words a collector understands. */
import { humanize } from "../lib/format";

const LABELS: Record<string, string> = {
  type_weight: "Signal type weight",
  confidence: "Detection confidence",
  match_confidence: "Identity match confidence",
  freshness: "Freshness",
  balance_band: "Balance band",
  balance_factor: "Balance factor",
  status_factor: "Account status factor",
  corroboration_bonus: "Corroboration bonus (post and profile agree)",
  score: "Score",
  reason: "Reason",
};

function show(value: unknown): string {
  if (value === null || value === undefined) return "—";
  if (typeof value === "number") return Number.isInteger(value) ? String(value) : value.toFixed(2);
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

export function ScoreBreakdown({ breakdown, id }: { breakdown: Record<string, unknown>; id: string }) {
  const entries = Object.entries(breakdown);
  if (entries.length === 0) return <p id={id} className="text-sm text-slate-700">No breakdown recorded for this signal.</p>;
  return (
    <dl id={id} className="mt-2 grid grid-cols-[1fr_auto] gap-x-4 gap-y-1 rounded-md bg-slate-50 p-3 text-sm">
      {entries.map(([key, value]) => (
        <div key={key} className="contents">
          <dt className={key === "score" ? "font-semibold" : "text-slate-700"}>{LABELS[key] ?? humanize(key)}</dt>
          <dd className={`text-right tabular-nums ${key === "score" ? "font-semibold" : ""}`}>{show(value)}</dd>
        </div>
      ))}
    </dl>
  );
}
