/** Audit trail search: who read or changed what, when; filters in the URL, pages by cursor, CSV export. */
import { useInfiniteQuery } from "@tanstack/react-query";
import { useEffect, useId, useState, type FormEvent } from "react";
import { useSearchParams } from "react-router-dom";
import { downloadFile, request } from "../../api/client";
import type { AuditItem } from "../../api/contracts";
import type { Page } from "../../api/types";
import { ErrorState, Spinner } from "../../components/States";
import { dayStartIso } from "../../lib/filters";
import { formatDateTime } from "../../lib/format";
import { ScrollTable } from "../../components/ScrollTable";

export const AUDIT_KEYS = ["actor", "action", "entity_type", "entity_id", "since", "until"] as const;
export type AuditFilters = Partial<Record<(typeof AUDIT_KEYS)[number], string>>;

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export function auditFiltersFromParams(params: URLSearchParams): AuditFilters {
  const out: AuditFilters = {};
  for (const k of AUDIT_KEYS) {
    const v = params.get(k)?.trim();
    if (!v) continue;
    if ((k === "since" || k === "until") && !DATE.test(v)) continue;
    out[k] = v;
  }
  return out;
}

/** The API's query: days become instants in the viewer's zone, and "until" includes its whole day. */
export function auditQuery(f: AuditFilters): Record<string, string | undefined> {
  let until: string | undefined;
  if (f.until) {
    const next = new Date(`${f.until}T00:00:00`);
    next.setDate(next.getDate() + 1);
    until = next.toISOString();
  }
  return {
    actor: f.actor,
    action: f.action,
    entity_type: f.entity_type,
    entity_id: f.entity_id,
    since: f.since ? dayStartIso(f.since) : undefined,
    until,
  };
}

const LABELS: Record<(typeof AUDIT_KEYS)[number], { label: string; hint?: string; type?: string }> = {
  actor: { label: "Actor", hint: "e.g. user:42" },
  action: { label: "Action", hint: "e.g. lead.read or lead.*" },
  entity_type: { label: "Entity type", hint: "e.g. lead" },
  entity_id: { label: "Entity id" },
  since: { label: "From", type: "date" },
  until: { label: "To", type: "date" },
};

export function AuditSearch() {
  const [params, setParams] = useSearchParams();
  const filters = auditFiltersFromParams(params);
  const applied = new URLSearchParams(filters as Record<string, string>).toString();
  const [draft, setDraft] = useState<AuditFilters>(filters);
  useEffect(() => setDraft(filters), [applied]); // eslint-disable-line react-hooks/exhaustive-deps
  const id = useId();
  const [exportError, setExportError] = useState<string | null>(null);
  const [exporting, setExporting] = useState(false);
  const results = useInfiniteQuery({
    queryKey: ["audit", applied],
    queryFn: ({ pageParam, signal }) =>
      request<Page<AuditItem>>("/audit", { query: { ...auditQuery(filters), limit: 50, cursor: pageParam ?? undefined }, signal }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.next_cursor,
  });
  const rows = results.data?.pages.flatMap((p) => p.items) ?? [];
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const p = new URLSearchParams();
    for (const k of AUDIT_KEYS) if (draft[k]?.trim()) p.set(k, draft[k]!.trim());
    setParams(p);
  };
  const exportCsv = async () => {
    setExporting(true);
    setExportError(null);
    try {
      await downloadFile("/audit/export.csv", auditQuery(filters), "audit.csv");
    } catch (e) {
      setExportError(e instanceof Error ? e.message : "The export failed.");
    } finally {
      setExporting(false);
    }
  };

  return (
    <section aria-labelledby="audit-title">
      <h2 id="audit-title" className="mb-2 text-lg font-semibold">
        Audit trail
      </h2>
      <form role="search" aria-label="Search the audit trail" onSubmit={submit} className="card mb-3 grid grid-cols-1 gap-3 p-3 sm:grid-cols-2 lg:grid-cols-3">
        {AUDIT_KEYS.map((k) => (
          <div key={k}>
            <label htmlFor={`${id}-${k}`} className="field-label">
              {LABELS[k].label}
            </label>
            <input
              id={`${id}-${k}`}
              type={LABELS[k].type ?? "text"}
              className="field-input"
              placeholder={LABELS[k].hint}
              value={draft[k] ?? ""}
              onChange={(e) => setDraft((d) => ({ ...d, [k]: e.target.value }))}
            />
          </div>
        ))}
        <div className="flex flex-wrap items-end gap-2 sm:col-span-2 lg:col-span-3">
          <button type="submit" className="btn-primary">
            Search
          </button>
          <button type="button" className="btn-secondary" onClick={() => setParams(new URLSearchParams())}>
            Clear
          </button>
          <button type="button" className="btn-secondary" disabled={exporting} onClick={() => void exportCsv()}>
            {exporting ? "Preparing…" : "Export CSV"}
          </button>
        </div>
        {exportError && (
          <p role="alert" className="text-sm text-red-800 sm:col-span-2 lg:col-span-3">
            Could not export: {exportError}
          </p>
        )}
      </form>
      {results.isPending && <Spinner label="Searching the audit trail…" />}
      {results.isError && <ErrorState error={results.error} retry={() => void results.refetch()} />}
      {results.isSuccess && rows.length === 0 && <p className="card p-4 text-slate-700">No entries match.</p>}
      {rows.length > 0 && (
        <ScrollTable label="Audit entries" caption="Audit entries, newest first" minWidth="min-w-[52rem]" headers={["When", "Actor", "Action", "Entity", "Fields", "Details", "Origin"]}>
          {rows.map((r) => (
            <tr key={r.id} className="border-t border-slate-200 align-top">
              <td className="whitespace-nowrap px-3 py-2">{formatDateTime(r.occurred_at)}</td>
              <td className="px-3 py-2 font-mono text-xs">{r.actor}</td>
              <td className="px-3 py-2 font-mono text-xs">{r.action}</td>
              <td className="px-3 py-2">
                {r.entity_type}
                {r.entity_id ? ` #${r.entity_id}` : ""}
              </td>
              <td className="px-3 py-2">{r.fields.join(", ") || "—"}</td>
              <td className="max-w-xs break-words px-3 py-2 font-mono text-xs">
                {Object.keys(r.details).length ? JSON.stringify(r.details) : "—"}
              </td>
              <td className="px-3 py-2 text-xs">{r.origin ?? "—"}</td>
            </tr>
          ))}
        </ScrollTable>
      )}
      {results.hasNextPage && (
        <button type="button" className="btn-secondary mt-3" disabled={results.isFetchingNextPage} onClick={() => void results.fetchNextPage()}>
          {results.isFetchingNextPage ? "Loading…" : "More entries"}
        </button>
      )}
    </section>
  );
}
