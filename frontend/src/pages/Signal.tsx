/** One signal with all its evidence: where alert e-mails ("Open signal") land. */
import { useQuery } from "@tanstack/react-query";
import { Link, Navigate, useLocation, useParams } from "react-router-dom";
import { ApiError, request } from "../api/client";
import { useSignalActions } from "../api/signals";
import type { SignalDetail } from "../api/types";
import { useAuth } from "../auth/AuthContext";
import { can } from "../auth/roles";
import { SignalCard } from "../components/SignalCard";
import { ErrorState, NotAllowed, Spinner } from "../components/States";

export function SignalPage() {
  const { signalId = "" } = useParams();
  const { user } = useAuth();
  const id = /^\d+$/.test(signalId) ? Number(signalId) : null;
  const signal = useQuery({
    queryKey: ["signals", "detail", id],
    queryFn: () => request<SignalDetail>(`/signals/${id}`),
    enabled: id !== null,
  });
  const { actions, error } = useSignalActions();

  if (id === null || (signal.error instanceof ApiError && (signal.error.isNotFound || signal.error.isForbidden))) {
    return (
      <NotAllowed
        what="this signal"
        reason="You cannot open this signal: its lead is not assigned to you or your team, or it no longer exists."
      />
    );
  }
  if (signal.isPending) return <Spinner label="Loading signal…" />;
  if (signal.isError) return <ErrorState error={signal.error} retry={() => void signal.refetch()} />;
  const s = signal.data;
  return (
    <section aria-labelledby="signal-title">
      <h1 id="signal-title" className="mb-3 text-2xl font-bold">
        Signal for {s.lead_name}
      </h1>
      {error && <ErrorState error={error} />}
      <SignalCard signal={s} actions={user && can.actOnSignals(user.role) ? actions : undefined} />
      {s.evidence.length > 1 && (
        <section aria-labelledby="more-evidence" className="mt-4">
          <h2 id="more-evidence" className="mb-2 text-lg font-semibold">
            All evidence ({s.evidence.length})
          </h2>
          <ul className="space-y-2">
            {s.evidence.map((e) => (
              <li key={e.id} className="card p-3 text-sm">
                <p>{e.snippet}</p>
                <p className="mt-1 text-slate-600">
                  {e.kind === "post" ? "Post" : "Profile change"} · confidence {Math.round(e.confidence * 100)}%
                </p>
              </li>
            ))}
          </ul>
        </section>
      )}
      <Link to={`/leads/${s.lead_id}`} className="btn-secondary mt-4">
        Open the lead's profile and timeline
      </Link>
    </section>
  );
}

/** Links such as /signals?status=new (from e-mails) open the signal search with the same filters. */
export function SignalListRedirect() {
  const { search } = useLocation();
  const params = new URLSearchParams(search);
  params.set("in", "signals");
  return <Navigate to={`/search?${params.toString()}`} replace />;
}
