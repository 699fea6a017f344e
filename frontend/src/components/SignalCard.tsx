/** One signal in the feed: who, what happened, the proof, how sure we are, and what to do next. */
import { useQuery } from "@tanstack/react-query";
import { useId, useState } from "react";
import { Link } from "react-router-dom";
import { request } from "../api/client";
import type { Evidence, Signal, SignalDetail } from "../api/types";
import { formatDate, formatDateTime, formatPercent } from "../lib/format";
import { PriorityBadge, StatusBadge, TypeBadge } from "./Badges";
import { ScoreBreakdown } from "./ScoreBreakdown";
import { SignalWork, type Me } from "./SignalWork";

export interface SignalActions {
  onAcknowledge: (id: number) => void;
  onFeedback: (id: number, verdict: "confirm" | "reject") => void;
  busy?: boolean;
  /** Who is acting: with it the card also offers assign, contacted, outcome and dispute. */
  me?: Me;
}

function safeHref(url: string | null | undefined): string | null {
  if (!url) return null;
  try {
    const u = new URL(url);
    return u.protocol === "https:" || u.protocol === "http:" ? u.toString() : null;
  } catch {
    return null;
  }
}

function EvidenceQuote({ evidence, leadName }: { evidence: Evidence; leadName: string }) {
  const href = safeHref(evidence.source_url);
  return (
    <blockquote className="mt-3 border-l-4 border-slate-300 pl-3 text-sm text-slate-800">
      <p className="line-clamp-4 break-words">{evidence.snippet}</p>
      <p className="mt-1 text-slate-600">
        {evidence.kind === "post" ? "Post" : "Profile change"} seen {formatDateTime(evidence.observed_at)}
        {href && (
          <>
            {" · "}
            <a href={href} target="_blank" rel="noopener noreferrer" className="text-blue-800 underline">
              View source<span className="sr-only"> for {leadName} (opens in a new tab)</span>
            </a>
          </>
        )}
      </p>
    </blockquote>
  );
}

export function SignalCard({
  signal,
  actions,
  isNew = false,
  showLead = true,
}: {
  signal: Signal & { team_id?: number | null };
  actions?: SignalActions;
  isNew?: boolean;
  showLead?: boolean;
}) {
  const [open, setOpen] = useState(false);
  const breakdownId = useId();
  const titleId = useId();
  const evidenceId = useId();
  const evidence = signal.evidence?.[0];
  // Feed items may come without their evidence; it is then fetched when the user asks for it.
  const [showEvidence, setShowEvidence] = useState(false);
  const detail = useQuery({
    queryKey: ["signals", "detail", signal.id],
    queryFn: () => request<SignalDetail>(`/signals/${signal.id}`),
    enabled: showEvidence && !evidence,
  });
  // Shown only when the API says who works the lead; "unassigned" must not be guessed.
  const assigneeKnown = signal.assignee_email !== undefined || signal.assignee_user_id !== undefined;
  const assignee =
    signal.assignee_user_id && signal.assignee_user_id === actions?.me?.id
      ? "You"
      : (signal.assignee_email ?? (signal.assignee_user_id ? `User #${signal.assignee_user_id}` : null));

  return (
    <article
      aria-labelledby={titleId}
      data-testid="signal-card"
      data-signal-id={signal.id}
      className={`card p-4 ${isNew ? "ring-2 ring-blue-500" : ""}`}
    >
      <header className="flex flex-wrap items-start justify-between gap-2">
        <div className="min-w-0">
          <h3 id={titleId} className="text-base font-semibold text-slate-900">
            {showLead ? (
              <Link to={`/leads/${signal.lead_id}`} className="text-blue-800 underline-offset-2 hover:underline">
                {signal.lead_name}
              </Link>
            ) : (
              signal.summary
            )}
            {isNew && <span className="ml-2 rounded bg-blue-700 px-1.5 py-0.5 text-xs font-semibold text-white">New</span>}
          </h3>
          {showLead && <p className="text-sm text-slate-700">{signal.summary}</p>}
        </div>
        <div className="flex flex-wrap items-center gap-1.5">
          <TypeBadge type={signal.signal_type} category={signal.category} />
          {signal.priority && <PriorityBadge priority={signal.priority} score={signal.priority_score ?? undefined} />}
          <StatusBadge status={signal.status} />
        </div>
      </header>

      {evidence && <EvidenceQuote evidence={evidence} leadName={signal.lead_name} />}
      {showEvidence && detail.isSuccess && (
        <div id={evidenceId} className="mt-2 space-y-2">
          {detail.data.evidence.length === 0 && <p className="text-sm text-slate-700">No evidence stored.</p>}
          {detail.data.evidence.map((e) => (
            <EvidenceQuote key={e.id} evidence={e} leadName={signal.lead_name} />
          ))}
        </div>
      )}
      {showEvidence && detail.isError && (
        <p role="alert" className="mt-2 text-sm text-red-800">
          Could not load the evidence: {detail.error.message}
        </p>
      )}

      <dl className={`mt-3 grid grid-cols-2 gap-x-4 gap-y-1 text-sm ${assigneeKnown ? "sm:grid-cols-4" : "sm:grid-cols-3"}`}>
        <div>
          <dt className="text-slate-600">Detected</dt>
          <dd>{formatDateTime(signal.detected_at)}</dd>
        </div>
        <div>
          <dt className="text-slate-600">Event date</dt>
          <dd>{formatDate(signal.event_date)}</dd>
        </div>
        <div>
          <dt className="text-slate-600">Confidence</dt>
          <dd>{formatPercent(signal.confidence)}</dd>
        </div>
        {assigneeKnown && (
          <div>
            <dt className="text-slate-600">Assignee</dt>
            <dd className="truncate">{assignee ?? "Unassigned"}</dd>
          </div>
        )}
      </dl>

      <div className="mt-3 flex flex-wrap items-center gap-2">
        {!evidence && (
          <button
            type="button"
            className="btn-secondary"
            aria-expanded={showEvidence}
            aria-controls={evidenceId}
            onClick={() => setShowEvidence((v) => !v)}
          >
            {showEvidence ? "Hide evidence" : `Show evidence (${signal.evidence_count})`}
          </button>
        )}
        {signal.score_breakdown && (
        <button
          type="button"
          className="btn-secondary"
          aria-expanded={open}
          aria-controls={breakdownId}
          onClick={() => setOpen((v) => !v)}
        >
          {open ? "Hide priority details" : "Why this priority?"}
        </button>
        )}
        {actions && (
          <>
            {signal.status === "new" && (
              <button
                type="button"
                className="btn-primary"
                disabled={actions.busy}
                onClick={() => actions.onAcknowledge(signal.id)}
              >
                Acknowledge
              </button>
            )}
            <button
              type="button"
              className="btn-success"
              disabled={actions.busy || signal.status === "confirmed"}
              onClick={() => actions.onFeedback(signal.id, "confirm")}
            >
              Confirm
            </button>
            <button
              type="button"
              className="btn-danger"
              disabled={actions.busy || signal.status === "rejected"}
              onClick={() => actions.onFeedback(signal.id, "reject")}
            >
              Reject
            </button>
          </>
        )}
      </div>
      {actions?.me && <SignalWork signal={signal} me={actions.me} />}
      {open && signal.score_breakdown && <ScoreBreakdown id={breakdownId} breakdown={signal.score_breakdown} />}
    </article>
  );
}
