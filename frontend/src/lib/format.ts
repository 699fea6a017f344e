/** Display helpers. Times are stored in UTC and shown in the viewer's own zone. */

const dateFmt = new Intl.DateTimeFormat(undefined, { year: "numeric", month: "short", day: "numeric" });
const dateTimeFmt = new Intl.DateTimeFormat(undefined, {
  year: "numeric",
  month: "short",
  day: "numeric",
  hour: "2-digit",
  minute: "2-digit",
});
const money = new Intl.NumberFormat("en-US", { style: "currency", currency: "USD" });

export function formatDate(value: string | null | undefined): string {
  if (!value) return "—";
  // A bare date (event_date) is a calendar day, not an instant: do not shift it by the zone.
  const d = /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T00:00:00`) : new Date(value);
  return Number.isNaN(d.getTime()) ? value : dateFmt.format(d);
}

export function formatDateTime(value: string | null | undefined): string {
  if (!value) return "—";
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? value : dateTimeFmt.format(d);
}

export function formatPercent(value: number | null | undefined): string {
  if (value === null || value === undefined) return "—";
  return `${Math.round(value * 100)}%`;
}

export function formatMoney(value: string | number | null | undefined): string {
  if (value === null || value === undefined || value === "") return "—";
  const n = typeof value === "number" ? value : Number(value);
  return Number.isNaN(n) ? String(value) : money.format(n);
}

const TYPE_LABELS: Record<string, string> = {
  new_job: "New job",
  promotion: "Promotion",
  certification: "Certification",
  license: "Licence",
  award: "Award",
  business_launch: "Business launch",
  education: "Education",
  job_loss: "Job loss",
  open_to_work: "Open to work",
};

export const SIGNAL_TYPES = Object.keys(TYPE_LABELS);

export function signalTypeLabel(type: string): string {
  return TYPE_LABELS[type] ?? humanize(type);
}

export function humanize(key: string): string {
  const s = key.replace(/_/g, " ").trim();
  return s.charAt(0).toUpperCase() + s.slice(1);
}
