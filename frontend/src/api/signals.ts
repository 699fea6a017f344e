/** Queries and actions on signals, shared by the feed, search and the lead profile. */
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { request, type Query } from "./client";
import type { Page, Signal } from "./types";

export function fetchSignals(query: Query, cursor?: string | null, signal?: AbortSignal): Promise<Page<Signal>> {
  return request<Page<Signal>>("/signals", { query: { ...query, cursor: cursor ?? undefined }, signal });
}

/** Acknowledge and confirm/reject, refreshing every list that may show the signal. */
export function useSignalActions() {
  const queryClient = useQueryClient();
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
    },
    error: ack.error ?? feedback.error,
  };
}
