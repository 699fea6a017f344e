/** Signal type weights: how much each type counts in a signal's priority; a blank override means the default. */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState, type FormEvent } from "react";
import { request } from "../../api/client";
import type { SignalWeights } from "../../api/contracts";
import { ErrorState, Spinner } from "../../components/States";
import { signalTypeLabel } from "../../lib/format";

const KEY = ["admin", "signal-weights"] as const;

/** What to send: a number for each override typed in, null for each override removed; unchanged types are left out. */
export function weightChanges(data: SignalWeights, draft: Record<string, string>): { changes: Record<string, number | null>; errors: Record<string, string> } {
  const changes: Record<string, number | null> = {};
  const errors: Record<string, string> = {};
  for (const type of Object.keys(data.defaults)) {
    const text = (draft[type] ?? "").trim();
    const before = data.overrides[type];
    if (text === "") {
      if (before !== undefined) changes[type] = null;
      continue;
    }
    const n = Number(text);
    if (!Number.isFinite(n) || n < 0 || n > 3) {
      errors[type] = "A number from 0 to 3.";
      continue;
    }
    if (n !== before) changes[type] = n;
  }
  return { changes, errors };
}

export function WeightsAdmin() {
  const queryClient = useQueryClient();
  const weights = useQuery({ queryKey: KEY, queryFn: () => request<SignalWeights>("/admin/signal-weights") });
  const [draft, setDraft] = useState<Record<string, string>>({});
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [saved, setSaved] = useState("");
  useEffect(() => {
    if (weights.data) setDraft(Object.fromEntries(Object.entries(weights.data.overrides).map(([k, v]) => [k, String(v)])));
  }, [weights.data]);
  const save = useMutation({
    mutationFn: (changes: Record<string, number | null>) => request<SignalWeights>("/admin/signal-weights", { method: "PUT", body: { weights: changes } }),
    onSuccess: (out) => {
      queryClient.setQueryData(KEY, out);
      setSaved("Weights saved. New signals are scored with them.");
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!weights.data) return;
    setSaved("");
    const { changes, errors: found } = weightChanges(weights.data, draft);
    setErrors(found);
    if (Object.keys(found).length) return;
    if (Object.keys(changes).length === 0) return setSaved("Nothing changed.");
    save.mutate(changes);
  };

  return (
    <section aria-labelledby="weights-title">
      <h2 id="weights-title" className="mb-2 text-lg font-semibold">
        Signal type weights
      </h2>
      <p className="mb-3 text-sm text-slate-700">A higher weight ranks that type of signal higher in the feed and in alerts. Leave an override blank to use the default.</p>
      {weights.isPending && <Spinner label="Loading weights…" />}
      {weights.isError && <ErrorState error={weights.error} retry={() => void weights.refetch()} />}
      {weights.isSuccess && (
        <form noValidate onSubmit={submit} className="card max-w-2xl p-4">
          <table className="w-full text-left text-sm">
            <caption className="sr-only">Weight of each signal type</caption>
            <thead>
              <tr className="border-b border-slate-300">
                <th scope="col" className="py-1.5">Signal type</th>
                <th scope="col" className="py-1.5 text-right">Default</th>
                <th scope="col" className="py-1.5 pl-4">Override</th>
                <th scope="col" className="py-1.5 text-right">In force</th>
              </tr>
            </thead>
            <tbody>
              {Object.keys(weights.data.defaults).map((type) => (
                <tr key={type} className="border-b border-slate-200 align-top">
                  <th scope="row" className="py-2 font-medium">{signalTypeLabel(type)}</th>
                  <td className="py-2 text-right tabular-nums">{weights.data.defaults[type]}</td>
                  <td className="py-2 pl-4">
                    <input
                      aria-label={`Override for ${signalTypeLabel(type)}`}
                      inputMode="decimal"
                      className="field-input w-24"
                      value={draft[type] ?? ""}
                      aria-invalid={!!errors[type]}
                      aria-describedby={errors[type] ? `w-${type}-e` : undefined}
                      onChange={(e) => setDraft((d) => ({ ...d, [type]: e.target.value }))}
                    />
                    {errors[type] && (
                      <p id={`w-${type}-e`} className="mt-1 text-xs text-red-800">
                        {errors[type]}
                      </p>
                    )}
                  </td>
                  <td className="py-2 text-right tabular-nums">{weights.data.weights[type] ?? "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {save.isError && (
            <p role="alert" className="mt-3 rounded-md bg-red-50 p-2 text-sm text-red-900">
              Not saved: {save.error.message}
            </p>
          )}
          <p role="status" className="mt-3 text-sm text-green-800">
            {saved}
          </p>
          <button type="submit" className="btn-primary mt-2" disabled={save.isPending}>
            {save.isPending ? "Saving…" : "Save weights"}
          </button>
        </form>
      )}
    </section>
  );
}
