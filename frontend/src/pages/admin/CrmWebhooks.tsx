/** Webhook endpoints: where signals are pushed, with delivery counts; add, (de)activate, rotate the signing secret. */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useId, useState, type FormEvent } from "react";
import { request } from "../../api/client";
import { WEBHOOK_EVENT_TYPES, type WebhookEndpoint, type WebhookEndpointBody, type WebhookEndpointCreated, type WebhookSecret } from "../../api/contracts";
import { Modal } from "../../components/Modal";
import { OneTimeSecret } from "../../components/OneTimeSecret";
import { ErrorState, Spinner } from "../../components/States";
import { formatDate, formatDateTime } from "../../lib/format";
import { DialogActions } from "../../components/DialogActions";
import { ScrollTable } from "../../components/ScrollTable";

export const WEBHOOKS_KEY = ["admin", "crm", "webhooks"] as const;
const ALL = "*";

interface Draft {
  name: string;
  url: string;
  events: string[];
}
type DraftErrors = Partial<Record<keyof Draft, string>>;

export function validateWebhookDraft(d: Draft): { body: WebhookEndpointBody | null; errors: DraftErrors } {
  const errors: DraftErrors = {};
  const name = d.name.trim();
  const url = d.url.trim();
  if (!name) errors.name = "Give the endpoint a name.";
  else if (name.length > 120) errors.name = "At most 120 characters.";
  if (!url) errors.url = "Enter the receiver's URL.";
  else if (!/^https?:\/\/[^\s/]+/i.test(url)) errors.url = "Enter an absolute URL starting with https://.";
  else if (url.length > 500) errors.url = "At most 500 characters.";
  if (d.events.length === 0) errors.events = "Choose at least one event type, or all events.";
  if (Object.keys(errors).length > 0) return { body: null, errors };
  return { body: { name, url, event_types: d.events.includes(ALL) ? [ALL] : d.events }, errors };
}

function AddEndpointForm({ onClose, onCreated }: { onClose: () => void; onCreated: (e: WebhookEndpointCreated) => void }) {
  const queryClient = useQueryClient();
  const id = useId();
  const [draft, setDraft] = useState<Draft>({ name: "", url: "", events: [ALL] });
  const [errors, setErrors] = useState<DraftErrors>({});
  const save = useMutation({
    mutationFn: (body: WebhookEndpointBody) => request<WebhookEndpointCreated>("/crm/webhooks", { method: "POST", body }),
    onSuccess: (created) => {
      void queryClient.invalidateQueries({ queryKey: WEBHOOKS_KEY }); // the list never holds the secret
      onCreated(created);
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const { body, errors: found } = validateWebhookDraft(draft);
    setErrors(found);
    const first = (["name", "url", "events"] as const).find((k) => found[k]);
    if (first) document.getElementById(`${id}-${first}`)?.focus();
    if (body) save.mutate(body);
  };
  const field = (k: keyof Draft) => ({ id: `${id}-${k}`, "aria-invalid": !!errors[k], "aria-describedby": errors[k] ? `${id}-${k}-e` : undefined });
  const err = (k: keyof Draft) =>
    errors[k] && (
      <p id={`${id}-${k}-e`} className="mt-1 text-sm text-red-800">
        {errors[k]}
      </p>
    );
  const all = draft.events.includes(ALL);
  const toggle = (value: string, on: boolean) =>
    setDraft((d) => {
      if (value === ALL) return { ...d, events: on ? [ALL] : [] };
      const rest = d.events.filter((v) => v !== ALL && v !== value);
      return { ...d, events: on ? [...rest, value] : rest };
    });

  return (
    <Modal title="Add a webhook endpoint" onClose={onClose}>
      <form noValidate onSubmit={submit} className="space-y-3">
        <div>
          <label htmlFor={`${id}-name`} className="field-label">
            Name
          </label>
          <input {...field("name")} data-autofocus className="field-input" value={draft.name} onChange={(e) => setDraft({ ...draft, name: e.target.value })} />
          {err("name")}
        </div>
        <div>
          <label htmlFor={`${id}-url`} className="field-label">
            URL
          </label>
          <input
            {...field("url")}
            type="url"
            inputMode="url"
            autoComplete="off"
            placeholder="https://crm.agency.example/hooks/leadsignal"
            className="field-input"
            value={draft.url}
            onChange={(e) => setDraft({ ...draft, url: e.target.value })}
          />
          <p className="mt-1 text-xs text-slate-700">Must be https in production: signals carry personal data.</p>
          {err("url")}
        </div>
        <fieldset id={`${id}-events`} tabIndex={-1} aria-describedby={errors.events ? `${id}-events-e` : undefined}>
          <legend className="field-label">Event types</legend>
          <label className="flex items-center gap-1.5 text-sm font-medium">
            <input type="checkbox" checked={all} onChange={(e) => toggle(ALL, e.target.checked)} />
            All events, including types added later
          </label>
          <div className="mt-1 grid gap-x-4 gap-y-1 sm:grid-cols-2">
            {WEBHOOK_EVENT_TYPES.map((t) => (
              <label key={t} className="flex items-center gap-1.5 text-sm">
                <input type="checkbox" disabled={all} checked={all || draft.events.includes(t)} onChange={(e) => toggle(t, e.target.checked)} />
                <code>{t}</code>
              </label>
            ))}
          </div>
          {err("events")}
        </fieldset>
        <DialogActions error={save.isError ? `Not added: ${save.error.message}` : null} busy={save.isPending} busyLabel="Adding…" onCancel={onClose}>
          Add endpoint
        </DialogActions>
      </form>
    </Modal>
  );
}

function Deliveries({ e }: { e: WebhookEndpoint }) {
  return (
    <>
      <span className="block tabular-nums">
        {e.delivered} delivered · {e.pending} pending{e.retrying ? ` (${e.retrying} retrying)` : ""}
      </span>
      <span className={`block tabular-nums ${e.dead ? "font-medium text-red-800" : "text-slate-700"}`}>{e.dead} dead</span>
      <span className="block text-slate-700">Last: {e.last_delivered_at ? formatDateTime(e.last_delivered_at) : "never"}</span>
    </>
  );
}

export function CrmWebhooks() {
  const queryClient = useQueryClient();
  const endpoints = useQuery({ queryKey: WEBHOOKS_KEY, queryFn: () => request<WebhookEndpoint[]>("/crm/webhooks") });
  const [adding, setAdding] = useState(false);
  const [shown, setShown] = useState<{ title: string; secret: string } | null>(null);
  const [message, setMessage] = useState("");
  const toggle = useMutation({
    mutationFn: (e: WebhookEndpoint) => request<WebhookEndpoint>(`/crm/webhooks/${e.id}`, { method: "PATCH", body: { is_active: !e.is_active } }),
    onSuccess: (saved) => {
      queryClient.setQueryData<WebhookEndpoint[]>(WEBHOOKS_KEY, (rows) => rows?.map((r) => (r.id === saved.id ? saved : r)));
      setMessage(`${saved.name} is ${saved.is_active ? "active" : "inactive"}.`);
    },
  });
  const rotate = useMutation({
    mutationFn: (e: WebhookEndpoint) => request<WebhookSecret>(`/crm/webhooks/${e.id}/rotate-secret`, { method: "POST" }),
    onSuccess: (out, e) => setShown({ title: `New signing secret for ${e.name}`, secret: out.secret }),
  });
  const failed = toggle.error ?? rotate.error;

  return (
    <section aria-labelledby="crm-webhooks-title">
      <div className="mb-2 flex flex-wrap items-center justify-between gap-2">
        <h2 id="crm-webhooks-title" className="text-lg font-semibold">
          Webhook endpoints
        </h2>
        <button type="button" className="btn-primary" aria-haspopup="dialog" onClick={() => setAdding(true)}>
          Add endpoint
        </button>
      </div>
      <p className="mb-3 text-sm text-slate-700">Where signals are pushed, signed with each endpoint's secret. An endpoint receives events published while it is active.</p>
      <p role="status" className="mb-2 text-sm text-green-800">
        {message}
      </p>
      {failed && (
        <p role="alert" className="mb-2 rounded-md bg-red-50 p-2 text-sm text-red-900">
          Not changed: {failed.message}
        </p>
      )}
      {endpoints.isPending && <Spinner label="Loading webhook endpoints…" />}
      {endpoints.isError && <ErrorState error={endpoints.error} retry={() => void endpoints.refetch()} />}
      {endpoints.isSuccess && endpoints.data.length === 0 && <p className="card p-4 text-slate-700">No webhook endpoints: nothing is pushed to the CRM.</p>}
      {endpoints.isSuccess && endpoints.data.length > 0 && (
        <ScrollTable label="Webhook endpoints table" caption="Webhook endpoints, their subscriptions, state and deliveries" minWidth="min-w-[52rem]" headers={["Endpoint", "Events", "State", "Deliveries", "Added", <span className="sr-only">Actions</span>]}>
          {endpoints.data.map((e) => (
            <tr key={e.id} className="border-t border-slate-200 align-top">
              <td className="max-w-xs px-3 py-2">
                <span className="block font-medium">{e.name}</span>
                <span className="block break-all text-slate-700">{e.url}</span>
              </td>
              <td className="px-3 py-2">{e.event_types.includes(ALL) ? "All events" : e.event_types.join(", ")}</td>
              <td className="px-3 py-2">
                {e.is_active ? "Active" : "Inactive"}
                {e.deactivated_reason && <span className="block text-slate-700">{e.deactivated_reason}</span>}
              </td>
              <td className="px-3 py-2">
                <Deliveries e={e} />
              </td>
              <td className="px-3 py-2">{formatDate(e.created_at)}</td>
              <td className="whitespace-nowrap px-3 py-2 text-right">
                <button
                  type="button"
                  className={e.is_active ? "btn-danger" : "btn-success"}
                  aria-label={`${e.is_active ? "Deactivate" : "Activate"} ${e.name}`}
                  disabled={toggle.isPending}
                  onClick={() => toggle.mutate(e)}
                >
                  {e.is_active ? "Deactivate" : "Activate"}
                </button>{" "}
                <button
                  type="button"
                  className="btn-secondary"
                  aria-haspopup="dialog"
                  aria-label={`Rotate secret of ${e.name}`}
                  disabled={rotate.isPending}
                  onClick={() => {
                    if (window.confirm(`Rotate the signing secret of “${e.name}”? Deliveries fail until the CRM has the new secret.`)) rotate.mutate(e);
                  }}
                >
                  Rotate secret
                </button>
              </td>
            </tr>
          ))}
        </ScrollTable>
      )}
      {adding && (
        <AddEndpointForm
          onClose={() => setAdding(false)}
          onCreated={(created) => {
            setAdding(false);
            setShown({ title: `Signing secret for ${created.name}`, secret: created.secret });
          }}
        />
      )}
      {shown && <OneTimeSecret title={shown.title} fields={[{ label: "Signing secret", value: shown.secret }]} onClose={() => setShown(null)} />}
    </section>
  );
}
