/** The live feed: newest or highest-priority signals first, updated without a reload. */
import { useInfiniteQuery, useQueryClient } from "@tanstack/react-query";
import { useCallback, useEffect, useRef, useState } from "react";
import { useSearchParams } from "react-router-dom";
import { feedQuery, useSignalActions } from "../api/signals";
import { useAuth } from "../auth/AuthContext";
import { can } from "../auth/roles";
import { SignalCard } from "../components/SignalCard";
import { ErrorState, Spinner } from "../components/States";
import { POLL_INTERVAL_MS, useSignalStream, type LiveMode } from "../hooks/useSignalStream";

export type FeedSort = "newest" | "priority";

const MODE_TEXT: Record<LiveMode, string> = {
  connecting: "Connecting…",
  live: "Live",
  polling: `Updating every ${POLL_INTERVAL_MS / 1000} s`,
};

export function sortByPriority<T extends { priority_score?: number | null; detected_at: string }>(items: T[]): T[] {
  return [...items].sort(
    (a, b) => (b.priority_score ?? -1) - (a.priority_score ?? -1) || b.detected_at.localeCompare(a.detected_at),
  );
}

export function FeedPage() {
  const { user } = useAuth();
  const [params, setParams] = useSearchParams();
  const sort: FeedSort = params.get("sort") === "priority" ? "priority" : "newest";
  const queryClient = useQueryClient();

  const onMessage = useCallback(() => {
    void queryClient.invalidateQueries({ queryKey: feedQuery.queryKey });
  }, [queryClient]);
  const mode = useSignalStream(onMessage);

  const feed = useInfiniteQuery({ ...feedQuery, refetchInterval: mode === "live" ? false : POLL_INTERVAL_MS });
  const { actions, error: actionError } = useSignalActions();

  // Signals that arrived after the first load are marked and announced to screen readers.
  const seen = useRef<Set<number> | null>(null);
  const [fresh, setFresh] = useState<Set<number>>(new Set());
  const [announcement, setAnnouncement] = useState("");
  const loaded = feed.data?.pages.flatMap((p) => p.items) ?? [];
  // The API pages newest first; "highest priority" orders what is loaded by the stored score.
  const hasPriority = loaded.some((s) => typeof s.priority_score === "number");
  const items = sort === "priority" && hasPriority ? sortByPriority(loaded) : loaded;
  const ids = loaded.map((s) => s.id).join(",");
  useEffect(() => {
    if (!feed.data) return;
    const current = feed.data.pages.flatMap((p) => p.items.map((s) => s.id));
    if (seen.current === null) {
      seen.current = new Set(current);
      return;
    }
    const added = current.filter((id) => !seen.current!.has(id));
    added.forEach((id) => seen.current!.add(id));
    if (added.length > 0) {
      setFresh((prev) => new Set([...prev, ...added]));
      setAnnouncement(added.length === 1 ? "1 new signal in the feed" : `${added.length} new signals in the feed`);
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [ids]);

  return (
    <section aria-labelledby="feed-title">
      <div className="mb-4 flex flex-wrap items-center justify-between gap-3">
        <div>
          <h1 id="feed-title" className="text-2xl font-bold">
            Live feed
          </h1>
          <p className="text-sm text-slate-700">
            <span
              aria-hidden="true"
              className={`mr-1.5 inline-block h-2.5 w-2.5 rounded-full ${mode === "live" ? "bg-green-600" : "bg-amber-500"}`}
            />
            {MODE_TEXT[mode]}
          </p>
        </div>
        {hasPriority && (
        <fieldset className="flex items-center gap-1 rounded-md border border-slate-300 bg-white p-1">
          <legend className="sr-only">Order</legend>
          {(["newest", "priority"] as const).map((value) => (
            <label
              key={value}
              className={`cursor-pointer rounded px-3 py-1.5 text-sm font-medium focus-within:outline focus-within:outline-2 focus-within:outline-blue-700 ${
                sort === value ? "bg-blue-700 text-white" : "text-slate-800 hover:bg-slate-100"
              }`}
            >
              <input
                type="radio"
                name="sort"
                value={value}
                checked={sort === value}
                className="sr-only"
                onChange={() => setParams(value === "newest" ? {} : { sort: value })}
              />
              {value === "newest" ? "Newest first" : "Highest priority first"}
            </label>
          ))}
        </fieldset>
        )}
      </div>

      <div aria-live="polite" role="status" className="sr-only">
        {announcement}
      </div>
      {actionError && <ErrorState error={actionError} />}
      {feed.isPending && <Spinner label="Loading signals…" />}
      {feed.isError && <ErrorState error={feed.error} retry={() => void feed.refetch()} />}
      {feed.isSuccess && items.length === 0 && (
        <p className="card p-6 text-slate-700">No signals yet. New ones appear here as soon as they are detected.</p>
      )}
      <ol className="space-y-3" aria-label="Signals">
        {items.map((s) => (
          <li key={s.id}>
            <SignalCard
              signal={s}
              isNew={fresh.has(s.id)}
              actions={user && can.actOnSignals(user.role) ? actions : undefined}
            />
          </li>
        ))}
      </ol>
      {feed.hasNextPage && (
        <div className="mt-4 flex justify-center">
          <button
            type="button"
            className="btn-secondary"
            disabled={feed.isFetchingNextPage}
            onClick={() => void feed.fetchNextPage()}
          >
            {feed.isFetchingNextPage ? "Loading…" : "Load more"}
          </button>
        </div>
      )}
    </section>
  );
}
