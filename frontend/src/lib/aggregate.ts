/** Signals per day by type, computed in the browser from signal pages until an aggregates endpoint exists. */

export interface DatedSignal {
  signal_type: string;
  detected_at: string;
}

export interface DayRow {
  day: string; // YYYY-MM-DD in the viewer's zone
  total: number;
  [signalType: string]: number | string;
}

function localDay(iso: string): string | null {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return null;
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** One row per day from `from` to `to` inclusive (days with no signal are zero), one column per type. */
export function signalsPerDay(signals: DatedSignal[], from: string, to: string): { rows: DayRow[]; types: string[] } {
  const types = [...new Set(signals.map((s) => s.signal_type))].sort();
  const rows = new Map<string, DayRow>();
  const cursor = new Date(`${from}T12:00:00`);
  const end = new Date(`${to}T12:00:00`);
  while (cursor <= end) {
    const day = localDay(cursor.toISOString())!;
    const row: DayRow = { day, total: 0 };
    types.forEach((t) => (row[t] = 0));
    rows.set(day, row);
    cursor.setDate(cursor.getDate() + 1);
  }
  for (const s of signals) {
    const day = localDay(s.detected_at);
    const row = day ? rows.get(day) : undefined;
    if (!row) continue;
    row[s.signal_type] = (row[s.signal_type] as number) + 1;
    row.total += 1;
  }
  return { rows: [...rows.values()], types };
}

export function totalsByType(signals: DatedSignal[]): Array<{ type: string; count: number }> {
  const counts = new Map<string, number>();
  signals.forEach((s) => counts.set(s.signal_type, (counts.get(s.signal_type) ?? 0) + 1));
  return [...counts.entries()].map(([type, count]) => ({ type, count })).sort((a, b) => b.count - a.count || a.type.localeCompare(b.type));
}
