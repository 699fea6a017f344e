import { humanize, signalTypeLabel } from "../lib/format";

// Colour pairs chosen for at least 4.5:1 contrast on their background.
const PRIORITY_STYLE: Record<string, string> = {
  high: "bg-red-100 text-red-900 ring-red-300",
  medium: "bg-amber-100 text-amber-900 ring-amber-300",
  low: "bg-slate-100 text-slate-800 ring-slate-300",
};

const STATUS_STYLE: Record<string, string> = {
  new: "bg-blue-100 text-blue-900 ring-blue-300",
  acknowledged: "bg-slate-100 text-slate-800 ring-slate-300",
  contacted: "bg-teal-100 text-teal-900 ring-teal-300",
  confirmed: "bg-green-100 text-green-900 ring-green-300",
  rejected: "bg-rose-100 text-rose-900 ring-rose-300",
};

const base = "inline-flex items-center rounded-full px-2 py-0.5 text-xs font-semibold ring-1 ring-inset";

export function PriorityBadge({ priority, score }: { priority: string; score?: number }) {
  return (
    <span className={`${base} ${PRIORITY_STYLE[priority] ?? PRIORITY_STYLE.low}`}>
      {humanize(priority)} priority{score !== undefined ? ` · ${Math.round(score)}` : ""}
    </span>
  );
}

export function StatusBadge({ status }: { status: string }) {
  return <span className={`${base} ${STATUS_STYLE[status] ?? STATUS_STYLE.acknowledged}`}>{humanize(status)}</span>;
}

export function TypeBadge({ type, category }: { type: string; category?: string }) {
  const hardship = category === "hardship";
  return (
    <span className={`${base} ${hardship ? "bg-purple-100 text-purple-900 ring-purple-300" : "bg-emerald-100 text-emerald-900 ring-emerald-300"}`}>
      {signalTypeLabel(type)}
    </span>
  );
}
