/** Digest settings per user: whether the daily e-mail is sent, which signal types, from which priority, and when. */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useId, useState, type FormEvent } from "react";
import { useSearchParams } from "react-router-dom";
import { request } from "../../api/client";
import type { DigestPrefs, DigestPrefsChange, UserOut } from "../../api/contracts";
import type { Page } from "../../api/types";
import { ROLE_LABELS } from "../../auth/roles";
import { ErrorState, Spinner } from "../../components/States";
import { formatDate, signalTypeLabel } from "../../lib/format";

/** Hardship types never go into collection digests (the API refuses them). */
export const DIGEST_TYPES = ["new_job", "promotion", "certification", "license", "award", "business_launch", "education"];
const ZONES = ["America/New_York", "America/Chicago", "America/Denver", "America/Phoenix", "America/Los_Angeles", "America/Anchorage", "Pacific/Honolulu", "UTC"];

function loadPrefs(userId: number): Promise<DigestPrefs> {
  return request<DigestPrefs>(`/users/${userId}/digest`);
}

function DigestForm({ prefs, email }: { prefs: DigestPrefs; email: string }) {
  const queryClient = useQueryClient();
  const id = useId();
  const [draft, setDraft] = useState(prefs);
  const [saved, setSaved] = useState("");
  useEffect(() => setDraft(prefs), [prefs]);
  const save = useMutation({
    mutationFn: (body: DigestPrefsChange) => request<DigestPrefs>(`/users/${prefs.user_id}/digest`, { method: "PUT", body }),
    onSuccess: (out) => {
      queryClient.setQueryData(["admin", "digest", prefs.user_id], out);
      setSaved(`Saved the digest settings of ${email}.`);
    },
  });
  const [error, setError] = useState<string | null>(null);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setSaved("");
    if (draft.signal_types.length === 0) return setError("Choose at least one signal type, or turn the digest off.");
    setError(null);
    save.mutate({
      enabled: draft.enabled,
      // Every type means "all types", so types added later are included too.
      signal_types: draft.signal_types.length === DIGEST_TYPES.length ? null : draft.signal_types,
      min_priority: draft.min_priority,
      local_hour: draft.local_hour,
      timezone: draft.timezone,
    });
  };
  const toggleType = (t: string, on: boolean) =>
    setDraft((d) => ({ ...d, signal_types: on ? DIGEST_TYPES.filter((x) => x === t || d.signal_types.includes(x)) : d.signal_types.filter((x) => x !== t) }));

  return (
    <form noValidate onSubmit={submit} className="card mt-3 space-y-4 p-4" aria-label={`Digest settings of ${email}`}>
      <label className="flex items-center gap-2 text-sm font-medium">
        <input type="checkbox" checked={draft.enabled} onChange={(e) => setDraft((d) => ({ ...d, enabled: e.target.checked }))} />
        Send the daily digest
      </label>
      <fieldset disabled={!draft.enabled} className="space-y-4 disabled:opacity-60">
        <fieldset>
          <legend className="field-label">Signal types</legend>
          <div className="flex flex-wrap gap-x-4 gap-y-1">
            {DIGEST_TYPES.map((t) => (
              <label key={t} className="flex items-center gap-1.5 text-sm">
                <input type="checkbox" checked={draft.signal_types.includes(t)} onChange={(e) => toggleType(t, e.target.checked)} />
                {signalTypeLabel(t)}
              </label>
            ))}
          </div>
        </fieldset>
        <div className="grid gap-3 sm:grid-cols-3">
          <div>
            <label htmlFor={`${id}-prio`} className="field-label">
              Minimum priority
            </label>
            <select
              id={`${id}-prio`}
              className="field-input"
              value={draft.min_priority}
              onChange={(e) => setDraft((d) => ({ ...d, min_priority: e.target.value as DigestPrefs["min_priority"] }))}
            >
              <option value="low">Low</option>
              <option value="medium">Medium</option>
              <option value="high">High</option>
            </select>
          </div>
          <div>
            <label htmlFor={`${id}-hour`} className="field-label">
              Send at (local hour)
            </label>
            <select id={`${id}-hour`} className="field-input" value={draft.local_hour} onChange={(e) => setDraft((d) => ({ ...d, local_hour: Number(e.target.value) }))}>
              {Array.from({ length: 24 }, (_, h) => (
                <option key={h} value={h}>
                  {String(h).padStart(2, "0")}:00
                </option>
              ))}
            </select>
          </div>
          <div>
            <label htmlFor={`${id}-tz`} className="field-label">
              Time zone
            </label>
            <input
              id={`${id}-tz`}
              className="field-input"
              list={`${id}-zones`}
              value={draft.timezone}
              onChange={(e) => setDraft((d) => ({ ...d, timezone: e.target.value }))}
            />
            <datalist id={`${id}-zones`}>
              {ZONES.map((z) => (
                <option key={z} value={z} />
              ))}
            </datalist>
          </div>
        </div>
      </fieldset>
      <p className="text-sm text-slate-700">Last sent: {formatDate(prefs.last_sent_on)}</p>
      {(error || save.isError) && (
        <p role="alert" className="rounded-md bg-red-50 p-2 text-sm text-red-900">
          {error ?? `Not saved: ${save.error?.message}`}
        </p>
      )}
      <p role="status" className="text-sm text-green-800">
        {saved}
      </p>
      <button type="submit" className="btn-primary" disabled={save.isPending}>
        {save.isPending ? "Saving…" : "Save digest settings"}
      </button>
    </form>
  );
}

export function DigestsAdmin() {
  const [params, setParams] = useSearchParams();
  const selectId = useId();
  const users = useQuery({
    queryKey: ["admin", "users", "options"],
    queryFn: () => request<Page<UserOut>>("/users", { query: { limit: 200 } }),
  });
  const people = (users.data?.items ?? []).filter((u) => u.role !== "compliance");
  const chosen = Number(params.get("user") ?? "") || null;
  const prefs = useQuery({
    queryKey: ["admin", "digest", chosen],
    queryFn: () => loadPrefs(chosen!),
    enabled: chosen !== null,
    staleTime: 0,
  });
  const email = people.find((u) => u.id === chosen)?.email ?? `user #${chosen}`;

  return (
    <section aria-labelledby="digests-title">
      <h2 id="digests-title" className="mb-2 text-lg font-semibold">
        Digest settings
      </h2>
      <p className="mb-3 text-sm text-slate-700">Each collector and manager gets one e-mail a day with the signals they have not seen yet.</p>
      {users.isError && <ErrorState error={users.error} />}
      <div className="max-w-md">
        <label htmlFor={selectId} className="field-label">
          User
        </label>
        <select id={selectId} className="field-input" value={chosen ?? ""} onChange={(e) => setParams(e.target.value ? { user: e.target.value } : {})}>
          <option value="">Choose a user…</option>
          {people.map((u) => (
            <option key={u.id} value={u.id}>
              {u.email} ({ROLE_LABELS[u.role] ?? u.role})
            </option>
          ))}
        </select>
      </div>
      {prefs.isFetching && !prefs.data && <Spinner label="Loading digest settings…" />}
      {prefs.isError && <ErrorState error={prefs.error} retry={() => void prefs.refetch()} />}
      {prefs.data && <DigestForm key={prefs.data.user_id} prefs={prefs.data} email={email} />}
    </section>
  );
}
