/** Search leads and signals. Every filter is in the URL, so a view can be bookmarked or shared. */
import { useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { Link, useSearchParams } from "react-router-dom";
import { request } from "../api/client";
import { fetchSignals, useSignalActions } from "../api/signals";
import type { LeadSummary, Page } from "../api/types";
import { useAuth } from "../auth/AuthContext";
import { can } from "../auth/roles";
import { FilterForm, type Option } from "../components/FilterForm";
import { SignalCard } from "../components/SignalCard";
import { ErrorState, Spinner } from "../components/States";
import { filtersFromParams, leadQuery, paramsFromFilters, signalQuery, type Filters } from "../lib/filters";
import { formatDate, formatMoney } from "../lib/format";

type Tab = "signals" | "leads";

function useTeamOptions(enabled: boolean): Option[] | undefined {
  const teams = useQuery({
    queryKey: ["teams"],
    queryFn: () => request<Page<{ id: number; name: string }>>("/teams", { query: { limit: 200 } }),
    enabled,
    staleTime: 5 * 60_000,
    retry: false,
  });
  return teams.data?.items.map((t) => ({ value: String(t.id), label: t.name }));
}

/** "Assigned to me" for everyone; every account for administrators, who may list users. */
function useAssigneeOptions(me: { id: number; role: string } | null): Option[] | undefined {
  const users = useQuery({
    queryKey: ["admin", "users", "options"],
    queryFn: () => request<Page<{ id: number; email: string; role: string }>>("/users", { query: { limit: 200 } }),
    enabled: !!me && can.administer(me.role),
    staleTime: 5 * 60_000,
    retry: false,
  });
  if (!me) return undefined;
  const others = (users.data?.items ?? [])
    .filter((u) => u.id !== me.id && (u.role === "agent" || u.role === "manager"))
    .map((u) => ({ value: String(u.id), label: u.email }));
  return [{ value: String(me.id), label: "Me" }, ...others];
}

function LeadResults({ filters }: { filters: Filters }) {
  const leads = useInfiniteQuery({
    queryKey: ["leads", "search", filters],
    queryFn: ({ pageParam, signal }) =>
      request<Page<LeadSummary>>("/leads", { query: { ...leadQuery(filters), limit: 25, cursor: pageParam ?? undefined }, signal }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.next_cursor,
  });
  const rows = leads.data?.pages.flatMap((p) => p.items) ?? [];
  if (leads.isPending) return <Spinner label="Searching leads…" />;
  if (leads.isError) return <ErrorState error={leads.error} retry={() => void leads.refetch()} />;
  if (rows.length === 0) return <p className="card p-4 text-slate-700">No leads match these filters.</p>;
  return (
    <>
      <ul className="divide-y divide-slate-200 rounded-lg border border-slate-200 bg-white" aria-label="Matching leads">
        {rows.map((l) => (
          <li key={l.id} className="flex flex-wrap items-center justify-between gap-2 p-3">
            <div className="min-w-0">
              <Link to={`/leads/${l.id}`} className="font-semibold text-blue-800 underline-offset-2 hover:underline">
                {l.debtor_name}
              </Link>
              <p className="text-sm text-slate-700">
                {[l.city, l.state].filter(Boolean).join(", ") || "—"} · {l.org_creditor ?? "No creditor"}
              </p>
            </div>
            <div className="text-right text-sm">
              <p className="font-medium tabular-nums">{formatMoney(l.total_due)}</p>
              <p className="text-slate-700">Delinquent since {formatDate(l.delinquent_since)}</p>
              {l.do_not_scrape && <p className="font-semibold text-red-800">Opted out</p>}
            </div>
          </li>
        ))}
      </ul>
      {leads.hasNextPage && (
        <button type="button" className="btn-secondary mt-3" onClick={() => void leads.fetchNextPage()}>
          More leads
        </button>
      )}
    </>
  );
}

function SignalResults({ filters }: { filters: Filters }) {
  const { user } = useAuth();
  const { actions, error } = useSignalActions();
  const signals = useInfiniteQuery({
    queryKey: ["signals", "search", filters],
    queryFn: ({ pageParam, signal }) => fetchSignals({ ...signalQuery(filters), limit: 25 }, pageParam, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.next_cursor,
  });
  const rows = signals.data?.pages.flatMap((p) => p.items) ?? [];
  if (signals.isPending) return <Spinner label="Searching signals…" />;
  if (signals.isError) return <ErrorState error={signals.error} retry={() => void signals.refetch()} />;
  if (rows.length === 0) return <p className="card p-4 text-slate-700">No signals match these filters.</p>;
  return (
    <>
      {error && <ErrorState error={error} />}
      <ol className="space-y-3" aria-label="Matching signals">
        {rows.map((s) => (
          <li key={s.id}>
            <SignalCard signal={s} actions={user && can.actOnSignals(user.role) ? actions : undefined} />
          </li>
        ))}
      </ol>
      {signals.hasNextPage && (
        <button type="button" className="btn-secondary mt-3" onClick={() => void signals.fetchNextPage()}>
          More signals
        </button>
      )}
    </>
  );
}

export function SearchPage() {
  const { user } = useAuth();
  const [params, setParams] = useSearchParams();
  const filters = filtersFromParams(params);
  // A name search is about leads, so it opens the Leads tab unless the URL says otherwise.
  const tab: Tab = (params.get("in") ?? (filters.q ? "leads" : "signals")) === "leads" ? "leads" : "signals";
  const teams = useTeamOptions(!!user && can.filterByTeam(user.role));
  const assignees = useAssigneeOptions(user);

  const explicitTab = params.get("in");
  const apply = (next: Filters, nextTab?: Tab) => {
    const p = paramsFromFilters(next);
    // A new name search shows leads; otherwise the tab the user picked stays.
    const newNameSearch = !!next.q && next.q !== filters.q;
    const keep = nextTab ?? (newNameSearch ? null : explicitTab);
    if (keep) p.set("in", keep);
    setParams(p);
  };
  const tabClass = (t: Tab) =>
    `rounded-t-md border-b-2 px-4 py-2 text-sm font-medium ${
      tab === t ? "border-blue-700 text-blue-800" : "border-transparent text-slate-700 hover:text-slate-900"
    }`;

  return (
    <section aria-labelledby="search-title">
      <h1 id="search-title" className="mb-3 text-2xl font-bold">
        Search
      </h1>
      <FilterForm value={filters} onSubmit={(f) => apply(f)} teams={teams} assignees={assignees} />
      <div role="tablist" aria-label="Results" className="mb-3 mt-4 flex gap-1 border-b border-slate-300">
        <button type="button" role="tab" aria-selected={tab === "signals"} className={tabClass("signals")} onClick={() => apply(filters, "signals")}>
          Signals
        </button>
        <button type="button" role="tab" aria-selected={tab === "leads"} className={tabClass("leads")} onClick={() => apply(filters, "leads")}>
          Leads
        </button>
      </div>
      <div role="tabpanel" aria-label={tab === "signals" ? "Signals" : "Leads"}>
        {tab === "signals" && (filters.q || filters.state || filters.assignee_id) && (
          <p className="mb-3 rounded-md bg-blue-50 p-3 text-sm text-blue-900">
            Name, state and assignee apply to the Leads tab; signals are filtered by type, status, dates and team.
          </p>
        )}
        {tab === "leads" && (filters.signal_type || filters.status || filters.since || filters.until) && (
          <p className="mb-3 rounded-md bg-blue-50 p-3 text-sm text-blue-900">
            Signal type, status and dates apply to the Signals tab; leads are filtered by name, state, team and assignee.
          </p>
        )}
        {tab === "signals" ? <SignalResults filters={filters} /> : <LeadResults filters={filters} />}
      </div>
    </section>
  );
}
