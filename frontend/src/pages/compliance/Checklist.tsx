/** The automated compliance checklist: each control with pass/fail, what was checked, and the evidence. */
import { useQuery } from "@tanstack/react-query";
import { request } from "../../api/client";
import type { ComplianceChecks, ComplianceItem } from "../../api/contracts";
import { ErrorState, Spinner } from "../../components/States";
import { formatDateTime, humanize } from "../../lib/format";

function show(value: unknown): string {
  if (value === null || value === undefined) return "—";
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

export function CheckRow({ item }: { item: ComplianceItem }) {
  const details = Object.entries(item.details ?? {});
  return (
    <li className={`card border-l-4 p-4 ${item.passed ? "border-l-green-700" : "border-l-red-700"}`} data-testid="compliance-item">
      <div className="flex flex-wrap items-start justify-between gap-2">
        <h3 className="font-semibold text-slate-900">{item.title}</h3>
        <span
          className={`inline-flex items-center gap-1 rounded-full px-2 py-0.5 text-xs font-semibold ring-1 ring-inset ${
            item.passed ? "bg-green-100 text-green-900 ring-green-300" : "bg-red-100 text-red-900 ring-red-300"
          }`}
        >
          <span aria-hidden="true">{item.passed ? "✓" : "✗"}</span>
          {item.passed ? "Passed" : "Failed"}
        </span>
      </div>
      <p className="mt-1 text-sm text-slate-800">{item.evidence}</p>
      {details.length > 0 && (
        <details className="mt-2 text-sm">
          <summary className="cursor-pointer font-medium text-blue-800">Details</summary>
          <dl className="mt-2 grid grid-cols-1 gap-x-4 gap-y-1 rounded-md bg-slate-50 p-3 sm:grid-cols-[12rem_1fr]">
            {details.map(([k, v]) => (
              <div key={k} className="contents">
                <dt className="text-slate-700">{humanize(k)}</dt>
                <dd className="break-words font-mono text-xs">{show(v)}</dd>
              </div>
            ))}
          </dl>
        </details>
      )}
    </li>
  );
}

export function ComplianceChecklist() {
  const checks = useQuery({
    queryKey: ["compliance", "checks"],
    queryFn: () => request<ComplianceChecks>("/compliance/checks"),
    staleTime: 0,
  });
  const failed = checks.data?.items.filter((i) => !i.passed).length ?? 0;
  return (
    <section aria-labelledby="checks-title">
      <div className="mb-3 flex flex-wrap items-center justify-between gap-2">
        <h2 id="checks-title" className="text-lg font-semibold">
          Compliance checklist
        </h2>
        <button type="button" className="btn-secondary" disabled={checks.isFetching} onClick={() => void checks.refetch()}>
          {checks.isFetching ? "Checking…" : "Run the checks again"}
        </button>
      </div>
      {checks.isPending && <Spinner label="Running the checks…" />}
      {checks.isError && <ErrorState error={checks.error} retry={() => void checks.refetch()} />}
      {checks.isSuccess && (
        <>
          <p
            role="status"
            className={`mb-3 rounded-md p-3 text-sm font-medium ${checks.data.passed ? "bg-green-50 text-green-900" : "bg-red-50 text-red-900"}`}
          >
            {checks.data.passed
              ? `All ${checks.data.items.length} checks passed`
              : `${failed} of ${checks.data.items.length} checks failed`}{" "}
            · checked {formatDateTime(checks.data.checked_at)}
          </p>
          <ul className="space-y-2" aria-label="Checks">
            {[...checks.data.items]
              .sort((a, b) => Number(a.passed) - Number(b.passed))
              .map((item) => (
                <CheckRow key={item.name} item={item} />
              ))}
          </ul>
        </>
      )}
    </section>
  );
}
