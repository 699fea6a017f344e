/** Queries and actions on signals, shared by the feed, search, the signal page and the lead profile. */
import { infiniteQueryOptions, useMutation, useQueryClient } from "@tanstack/react-query";
import { useAuth } from "../auth/AuthContext";
import { request, type Query } from "./client";
import type { DisputeKind, Outcome, OutcomeBody } from "./contracts";
import type { Page, Signal, SignalDetail } from "./types";

export function fetchSignals(query: Query, cursor?: string | null, signal?: AbortSignal): Promise<Page<Signal>> {
  return request<Page<Signal>>("/signals", { query: { ...query, cursor: cursor ?? undefined }, signal });
}

/**
 * The live feed's query, shared by the feed and the sign-in prefetch (App starts the first page
 * alongside `/me`). The prefetched page is used as is when the feed mounts, hence the staleTime.
 */
export const feedQuery = infiniteQueryOptions({
  queryKey: ["signals", "feed"],
  queryFn: ({ pageParam, signal }) => fetchSignals({ limit: 25 }, pageParam, signal),
  initialPageParam: null as string | null,
  getNextPageParam: (last: Page<Signal>) => last.next_cursor,
  staleTime: 10_000,
});

/** A fresh key for one attempt at recording an outcome: a retried request is then stored once. */
export function newIdempotencyKey(): string {
  if (typeof crypto !== "undefined" && "randomUUID" in crypto) return crypto.randomUUID();
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
}

export function assignSignal(id: number, userId: number): Promise<SignalDetail> {
  return request<SignalDetail>(`/signals/${id}/assign`, { method: "POST", body: { user_id: userId } });
}

export function recordOutcome(id: number, body: OutcomeBody, idempotencyKey: string): Promise<Outcome> {
  return request<Outcome>(`/signals/${id}/outcomes`, {
    method: "POST",
    body,
    headers: { "Idempotency-Key": idempotencyKey },
  });
}

export function disputeSignal(id: number, kind: DisputeKind, notes: string | null): Promise<unknown> {
  return request<unknown>(`/signals/${id}/disputes`, { method: "POST", body: { kind, notes } });
}

/** Everything a person can do to a signal, refreshing every list that may show it. */
export function useSignalActions() {
  const queryClient = useQueryClient();
  const { user } = useAuth();
  const done = () => queryClient.invalidateQueries({ queryKey: ["signals"] });
  const ack = useMutation({
    mutationFn: (id: number) => request<Signal>(`/signals/${id}/ack`, { method: "POST" }),
    onSuccess: done,
  });
  const feedback = useMutation({
    mutationFn: ({ id, verdict }: { id: number; verdict: "confirm" | "reject" }) =>
      request<unknown>(`/signals/${id}/feedback`, { method: "POST", body: { verdict } }),
    onSuccess: done,
  });
  return {
    actions: {
      onAcknowledge: (id: number) => ack.mutate(id),
      onFeedback: (id: number, verdict: "confirm" | "reject") => feedback.mutate({ id, verdict }),
      busy: ack.isPending || feedback.isPending,
      me: user ? { id: user.id, role: user.role } : undefined,
    },
    error: ack.error ?? feedback.error,
  };
}

/** Invalidate what an assignment, outcome or dispute may change. */
export function useAfterSignalWork() {
  const queryClient = useQueryClient();
  return (leadId: number) => {
    void queryClient.invalidateQueries({ queryKey: ["signals"] });
    void queryClient.invalidateQueries({ queryKey: ["lead-outcomes", leadId] });
    void queryClient.invalidateQueries({ queryKey: ["analytics"] });
  };
}
