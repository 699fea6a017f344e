/**
 * The identity review queue: matches the matcher was unsure about, the lead beside the candidate
 * profile, with the score and the reasons. Managers and admins confirm or reject; compliance reads.
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Link } from "react-router-dom";
import { request } from "../api/client";
import type { ReviewItem } from "../api/contracts";
import { useAuth } from "../auth/AuthContext";
import { can } from "../auth/roles";
import { ErrorState, Spinner } from "../components/States";
import { formatPercent, humanize } from "../lib/format";

const QUEUE_KEY = ["identity", "reviews"] as const;

function safeHttp(url: string): string | null {
  try {
    const u = new URL(url);
    return u.protocol === "https:" || u.protocol === "http:" ? u.toString() : null;
  } catch {
    return null;
  }
}

/** Confirm or reject, removing the item at once and putting it back if the server refuses. */
export function useReviewDecision() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ matchId, approve }: { matchId: number; approve: boolean }) =>
      request<ReviewItem>(`/identity/reviews/${matchId}`, { method: "POST", body: { approve } }),
    onMutate: async ({ matchId }) => {
      await queryClient.cancelQueries({ queryKey: QUEUE_KEY });
      const before = queryClient.getQueryData<ReviewItem[]>(QUEUE_KEY);
      queryClient.setQueryData<ReviewItem[]>(QUEUE_KEY, (items) => items?.filter((i) => i.match_id !== matchId));
      return { before };
    },
    onError: (_err, _vars, context) => {
      // Put the item back, then ask the server what the queue really holds (someone else may have decided).
      if (context?.before) queryClient.setQueryData(QUEUE_KEY, context.before);
      void queryClient.invalidateQueries({ queryKey: QUEUE_KEY });
    },
    onSuccess: () => {
      // The queue already reflects the decision; the lead's profile and signals may change with it.
      void queryClient.invalidateQueries({ queryKey: ["lead"] });
      void queryClient.invalidateQueries({ queryKey: ["signals"] });
    },
  });
}

function ReviewCard({
  item,
  mayDecide,
  busy,
  onDecide,
}: {
  item: ReviewItem;
  mayDecide: boolean;
  busy: boolean;
  onDecide: (approve: boolean) => void;
}) {
  const titleId = `review-${item.match_id}`;
  const href = safeHttp(item.profile_url);
  return (
    <article aria-labelledby={titleId} className="card p-4" data-testid="review-item">
      <h2 id={titleId} className="sr-only">
        Possible match for {item.lead_name}
      </h2>
      <div className="grid gap-4 md:grid-cols-2">
        <section aria-label="Lead" className="rounded-md bg-slate-50 p-3">
          <h3 className="text-xs font-semibold uppercase tracking-wide text-slate-700">Lead</h3>
          <p className="mt-1 text-base font-semibold">
            <Link to={`/leads/${item.lead_id}`} className="text-blue-800 underline-offset-2 hover:underline">
              {item.lead_name}
            </Link>
          </p>
          <p className="text-sm text-slate-700">{[item.lead_city, item.lead_state].filter(Boolean).join(", ") || "Location unknown"}</p>
        </section>
        <section aria-label="Candidate profile" className="rounded-md bg-slate-50 p-3">
          <h3 className="text-xs font-semibold uppercase tracking-wide text-slate-700">Candidate profile</h3>
          <p className="mt-1 break-all text-sm">
            {href ? (
              <a href={href} target="_blank" rel="noopener noreferrer" className="text-blue-800 underline">
                {item.profile_url}
                <span className="sr-only"> (opens in a new tab)</span>
              </a>
            ) : (
              item.profile_url
            )}
          </p>
          <p className="mt-1 text-sm">
            Match score <strong className="tabular-nums">{formatPercent(item.score)}</strong> · {humanize(item.decision)}
          </p>
        </section>
      </div>
      <h3 className="mt-3 text-sm font-semibold">Why the matcher thinks so</h3>
      {item.reasons.length === 0 ? (
        <p className="text-sm text-slate-700">No reasons recorded.</p>
      ) : (
        <ul className="mt-1 list-disc pl-5 text-sm text-slate-800">
          {item.reasons.map((r, i) => (
            <li key={i}>{r}</li>
          ))}
        </ul>
      )}
      {mayDecide && (
        <div className="mt-3 flex flex-wrap gap-2">
          <button type="button" className="btn-success" aria-label={`Confirm match for ${item.lead_name}`} disabled={busy} onClick={() => onDecide(true)}>
            Confirm match
          </button>
          <button type="button" className="btn-danger" aria-label={`Reject match for ${item.lead_name}`} disabled={busy} onClick={() => onDecide(false)}>
            Reject match
          </button>
        </div>
      )}
    </article>
  );
}

export function IdentityReviewPage() {
  const { user } = useAuth();
  const queue = useQuery({ queryKey: QUEUE_KEY, queryFn: () => request<ReviewItem[]>("/identity/reviews", { query: { limit: 100 } }) });
  const decide = useReviewDecision();
  const [announcement, setAnnouncement] = useState("");
  const mayDecide = !!user && can.decideIdentity(user.role);
  const items = queue.data ?? [];

  const onDecide = (item: ReviewItem, approve: boolean) => {
    decide.mutate(
      { matchId: item.match_id, approve },
      {
        onSuccess: () => setAnnouncement(`${approve ? "Confirmed" : "Rejected"} the match for ${item.lead_name}.`),
        onError: () => setAnnouncement(""),
      },
    );
  };

  return (
    <section aria-labelledby="review-title">
      <h1 id="review-title" className="text-2xl font-bold">
        Identity review
      </h1>
      <p className="mb-4 text-sm text-slate-700">
        Profiles the matcher was not sure about, most likely first. Confirm when the profile is the borrower; reject when it is not.
        {!mayDecide && " Your role can read the queue but not decide."}
      </p>
      <p role="status" className="sr-only">
        {announcement}
      </p>
      {decide.isError && (
        <div role="alert" className="card mb-3 border-red-300 bg-red-50 p-3 text-sm text-red-900">
          The decision was not saved: {decide.error.message}
        </div>
      )}
      {queue.isPending && <Spinner label="Loading the review queue…" />}
      {queue.isError && <ErrorState error={queue.error} retry={() => void queue.refetch()} />}
      {queue.isSuccess && items.length === 0 && <p className="card p-6 text-slate-700">Nothing waiting for review.</p>}
      <ul className="space-y-3" aria-label="Matches waiting for review">
        {items.map((item) => (
          <li key={item.match_id}>
            <ReviewCard item={item} mayDecide={mayDecide} busy={decide.isPending} onDecide={(approve) => onDecide(item, approve)} />
          </li>
        ))}
      </ul>
    </section>
  );
}
