/** CRM clients: OAuth client-credentials clients a CRM uses to call the API; create with scopes, revoke. */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useId, useState, type FormEvent } from "react";
import { request } from "../../api/client";
import { CRM_CLIENT_SCOPES, type CrmClient, type CrmClientCreated, type CrmClientScope } from "../../api/contracts";
import { Modal } from "../../components/Modal";
import { OneTimeSecret } from "../../components/OneTimeSecret";
import { ErrorState, Spinner } from "../../components/States";
import { formatDate, formatDateTime } from "../../lib/format";
import { DialogActions } from "../../components/DialogActions";
import { ScrollTable } from "../../components/ScrollTable";

export const CLIENTS_KEY = ["admin", "crm", "clients"] as const;
const SCOPES = Object.keys(CRM_CLIENT_SCOPES) as CrmClientScope[];

function NewClientForm({ onClose, onCreated }: { onClose: () => void; onCreated: (c: CrmClientCreated) => void }) {
  const queryClient = useQueryClient();
  const id = useId();
  const [name, setName] = useState("");
  const [scopes, setScopes] = useState<CrmClientScope[]>([]);
  const [errors, setErrors] = useState<{ name?: string; scopes?: string }>({});
  const save = useMutation({
    mutationFn: (body: { name: string; scopes: CrmClientScope[] }) => request<CrmClientCreated>("/crm/clients", { method: "POST", body }),
    onSuccess: (created) => {
      void queryClient.invalidateQueries({ queryKey: CLIENTS_KEY });
      onCreated(created);
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const found: typeof errors = {};
    if (!name.trim()) found.name = "Name the CRM this client is for.";
    else if (name.trim().length > 120) found.name = "At most 120 characters.";
    if (scopes.length === 0) found.scopes = "Choose at least one scope.";
    setErrors(found);
    const first = found.name ? "name" : found.scopes ? "scopes" : null;
    if (first) document.getElementById(`${id}-${first}`)?.focus();
    else save.mutate({ name: name.trim(), scopes: SCOPES.filter((s) => scopes.includes(s)) });
  };

  return (
    <Modal title="New CRM client" description="The CRM exchanges the client id and secret for access tokens at /oauth/token." onClose={onClose}>
      <form noValidate onSubmit={submit} className="space-y-3">
        <div>
          <label htmlFor={`${id}-name`} className="field-label">
            Name
          </label>
          <input
            id={`${id}-name`}
            data-autofocus
            className="field-input"
            aria-invalid={!!errors.name}
            aria-describedby={errors.name ? `${id}-name-e` : undefined}
            value={name}
            onChange={(e) => setName(e.target.value)}
          />
          {errors.name && (
            <p id={`${id}-name-e`} className="mt-1 text-sm text-red-800">
              {errors.name}
            </p>
          )}
        </div>
        <fieldset id={`${id}-scopes`} tabIndex={-1} aria-describedby={errors.scopes ? `${id}-scopes-e` : undefined}>
          <legend className="field-label">Scopes</legend>
          <div className="grid gap-1">
            {SCOPES.map((s) => (
              <label key={s} className="flex items-center gap-1.5 text-sm">
                <input
                  type="checkbox"
                  checked={scopes.includes(s)}
                  onChange={(e) => setScopes((cur) => (e.target.checked ? [...cur, s] : cur.filter((v) => v !== s)))}
                />
                <code>{s}</code>
                <span className="text-slate-700">— {CRM_CLIENT_SCOPES[s]}</span>
              </label>
            ))}
          </div>
          {errors.scopes && (
            <p id={`${id}-scopes-e`} className="mt-1 text-sm text-red-800">
              {errors.scopes}
            </p>
          )}
        </fieldset>
        <DialogActions error={save.isError ? `Not created: ${save.error.message}` : null} busy={save.isPending} busyLabel="Creating…" onCancel={onClose}>
          Create client
        </DialogActions>
      </form>
    </Modal>
  );
}

export function CrmClients() {
  const queryClient = useQueryClient();
  const clients = useQuery({ queryKey: CLIENTS_KEY, queryFn: () => request<CrmClient[]>("/crm/clients") });
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<CrmClientCreated | null>(null);
  const [message, setMessage] = useState("");
  const revoke = useMutation({
    mutationFn: (c: CrmClient) => request<CrmClient>(`/crm/clients/${encodeURIComponent(c.client_id)}/revoke`, { method: "POST" }),
    onSuccess: (saved) => {
      queryClient.setQueryData<CrmClient[]>(CLIENTS_KEY, (rows) => rows?.map((r) => (r.client_id === saved.client_id ? saved : r)));
      setMessage(`${saved.name} is revoked: its tokens stop working on their next request.`);
    },
  });

  return (
    <section aria-labelledby="crm-clients-title">
      <div className="mb-2 flex flex-wrap items-center justify-between gap-2">
        <h2 id="crm-clients-title" className="text-lg font-semibold">
          CRM clients
        </h2>
        <button type="button" className="btn-primary" aria-haspopup="dialog" onClick={() => setCreating(true)}>
          New client
        </button>
      </div>
      <p className="mb-3 text-sm text-slate-700">OAuth clients a CRM uses to call the API (outcomes, lead updates). Secrets are stored only as digests.</p>
      <p role="status" className="mb-2 text-sm text-green-800">
        {message}
      </p>
      {revoke.isError && (
        <p role="alert" className="mb-2 rounded-md bg-red-50 p-2 text-sm text-red-900">
          Could not revoke: {revoke.error.message}
        </p>
      )}
      {clients.isPending && <Spinner label="Loading CRM clients…" />}
      {clients.isError && <ErrorState error={clients.error} retry={() => void clients.refetch()} />}
      {clients.isSuccess && clients.data.length === 0 && <p className="card p-4 text-slate-700">No CRM clients yet.</p>}
      {clients.isSuccess && clients.data.length > 0 && (
        <ScrollTable label="CRM clients table" caption="CRM OAuth clients, their scopes and state" minWidth="min-w-[48rem]" headers={["Name", "Client id", "Scopes", "State", "Last token", "Created", <span className="sr-only">Actions</span>]}>
          {clients.data.map((c) => (
            <tr key={c.client_id} className="border-t border-slate-200 align-top">
              <td className="px-3 py-2 font-medium">{c.name}</td>
              <td className="px-3 py-2">
                <code className="break-all">{c.client_id}</code>
              </td>
              <td className="px-3 py-2">{c.scopes.join(", ")}</td>
              <td className="px-3 py-2">{c.is_active ? "Active" : `Revoked${c.revoked_at ? ` ${formatDateTime(c.revoked_at)}` : ""}`}</td>
              <td className="px-3 py-2">{c.last_token_at ? formatDateTime(c.last_token_at) : "never"}</td>
              <td className="px-3 py-2">{formatDate(c.created_at)}</td>
              <td className="px-3 py-2 text-right">
                {c.is_active && (
                  <button
                    type="button"
                    className="btn-danger"
                    aria-label={`Revoke ${c.name}`}
                    disabled={revoke.isPending}
                    onClick={() => {
                      if (window.confirm(`Revoke the CRM client “${c.name}”? It cannot be re-enabled; the CRM would need a new client.`)) revoke.mutate(c);
                    }}
                  >
                    Revoke
                  </button>
                )}
              </td>
            </tr>
          ))}
        </ScrollTable>
      )}
      {creating && (
        <NewClientForm
          onClose={() => setCreating(false)}
          onCreated={(c) => {
            setCreating(false);
            setCreated(c);
          }}
        />
      )}
      {created && (
        <OneTimeSecret
          title={`Credentials for ${created.name}`}
          fields={[
            { label: "Client id", value: created.client_id },
            { label: "Client secret", value: created.client_secret },
          ]}
          onClose={() => setCreated(null)}
        />
      )}
    </section>
  );
}
