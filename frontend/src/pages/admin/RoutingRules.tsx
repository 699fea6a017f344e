/** Routing rules: which team (and optionally which person) gets a new signal, tried in position order. */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useId, useState, type FormEvent } from "react";
import { request } from "../../api/client";
import type { RoutingRule, RoutingRuleBody, TeamOut, UserOut } from "../../api/contracts";
import type { Page } from "../../api/types";
import { Modal } from "../../components/Modal";
import { ErrorState, Spinner } from "../../components/States";
import { SIGNAL_TYPES, signalTypeLabel } from "../../lib/format";
import { BALANCE_BANDS, describeConditions, draftToBody, EMPTY_RULE, ruleToDraft, type RuleDraft } from "../../lib/rules";
import { DialogActions } from "../../components/DialogActions";
import { ScrollTable } from "../../components/ScrollTable";

const KEY = ["admin", "routing-rules"] as const;

/** The order the API lists (and tries) rules in. */
const sortRules = (rules: RoutingRule[]) => [...rules].sort((a, b) => a.position - b.position || a.id - b.id);

function useTeamsAndUsers() {
  const teams = useQuery({ queryKey: ["teams"], queryFn: () => request<Page<TeamOut>>("/teams", { query: { limit: 200 } }) });
  const users = useQuery({
    queryKey: ["admin", "users", "options"],
    queryFn: () => request<Page<UserOut>>("/users", { query: { limit: 200 } }),
  });
  return { teams: teams.data?.items ?? [], users: users.data?.items ?? [] };
}

function Checkboxes({
  legend,
  options,
  value,
  onChange,
}: {
  legend: string;
  options: Array<{ value: string; label: string }>;
  value: string[];
  onChange: (v: string[]) => void;
}) {
  return (
    <fieldset>
      <legend className="field-label">{legend}</legend>
      <div className="flex flex-wrap gap-x-4 gap-y-1">
        {options.map((o) => (
          <label key={o.value} className="flex items-center gap-1.5 text-sm">
            <input
              type="checkbox"
              checked={value.includes(o.value)}
              onChange={(e) => onChange(e.target.checked ? [...value, o.value] : value.filter((v) => v !== o.value))}
            />
            {o.label}
          </label>
        ))}
      </div>
      <p className="mt-1 text-xs text-slate-700">None ticked means any.</p>
    </fieldset>
  );
}

function RuleForm({ rule, onClose }: { rule: RoutingRule | null; onClose: () => void }) {
  const queryClient = useQueryClient();
  const { teams, users } = useTeamsAndUsers();
  const [draft, setDraft] = useState<RuleDraft>(rule ? ruleToDraft(rule) : EMPTY_RULE);
  const [errors, setErrors] = useState<Partial<Record<keyof RuleDraft, string>>>({});
  const id = useId();
  const save = useMutation({
    mutationFn: (body: RoutingRuleBody) =>
      rule
        ? request<RoutingRule>(`/routing-rules/${rule.id}`, { method: "PUT", body })
        : request<RoutingRule>("/routing-rules", { method: "POST", body }),
    onSuccess: (saved) => {
      // The answer is the stored rule: put it in the list rather than asking for the list again.
      queryClient.setQueryData<RoutingRule[]>(KEY, (rules) => sortRules([...(rules ?? []).filter((r) => r.id !== saved.id), saved]));
      onClose();
    },
  });
  const set = <K extends keyof RuleDraft>(k: K, v: RuleDraft[K]) => setDraft((d) => ({ ...d, [k]: v }));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const { body, errors: found } = draftToBody(draft);
    setErrors(found);
    if (body) save.mutate(body);
  };
  const team = teams.find((t) => String(t.id) === draft.team_id);
  const members = team ? users.filter((u) => team.member_ids.includes(u.id) || team.manager_user_id === u.id) : [];
  const field = (k: keyof RuleDraft) => ({
    id: `${id}-${k}`,
    "aria-invalid": !!errors[k],
    "aria-describedby": errors[k] ? `${id}-${k}-e` : undefined,
  });
  const err = (k: keyof RuleDraft) =>
    errors[k] && (
      <p id={`${id}-${k}-e`} className="mt-1 text-sm text-red-800">
        {errors[k]}
      </p>
    );

  return (
    <Modal title={rule ? `Edit rule “${rule.name}”` : "New routing rule"} onClose={onClose}>
      <form noValidate onSubmit={submit} className="space-y-3">
        <div className="grid grid-cols-[1fr_7rem] gap-3">
          <div>
            <label htmlFor={`${id}-name`} className="field-label">
              Name
            </label>
            <input {...field("name")} data-autofocus className="field-input" value={draft.name} onChange={(e) => set("name", e.target.value)} />
            {err("name")}
          </div>
          <div>
            <label htmlFor={`${id}-position`} className="field-label">
              Position
            </label>
            <input {...field("position")} inputMode="numeric" className="field-input" value={draft.position} onChange={(e) => set("position", e.target.value)} />
            {err("position")}
          </div>
        </div>
        <label className="flex items-center gap-2 text-sm font-medium">
          <input type="checkbox" checked={draft.active} onChange={(e) => set("active", e.target.checked)} />
          Active
        </label>
        <div className="grid gap-3 sm:grid-cols-2">
          <div>
            <label htmlFor={`${id}-team_id`} className="field-label">
              Team
            </label>
            <select {...field("team_id")} className="field-input" value={draft.team_id} onChange={(e) => setDraft((d) => ({ ...d, team_id: e.target.value, user_id: "" }))}>
              <option value="">Choose…</option>
              {teams.map((t) => (
                <option key={t.id} value={t.id}>
                  {t.name}
                </option>
              ))}
            </select>
            {err("team_id")}
          </div>
          <div>
            <label htmlFor={`${id}-user_id`} className="field-label">
              Person
            </label>
            <select {...field("user_id")} className="field-input" value={draft.user_id} onChange={(e) => set("user_id", e.target.value)}>
              <option value="">Next agent in the team (round robin)</option>
              {members.map((u) => (
                <option key={u.id} value={u.id}>
                  {u.email}
                </option>
              ))}
            </select>
          </div>
        </div>
        <h3 className="pt-1 text-sm font-semibold">Conditions (all must hold)</h3>
        <div className="grid gap-3 sm:grid-cols-2">
          <div>
            <label htmlFor={`${id}-states`} className="field-label">
              States
            </label>
            <input {...field("states")} className="field-input" placeholder="e.g. TX, OK" value={draft.states} onChange={(e) => set("states", e.target.value)} />
            {err("states")}
          </div>
          <div>
            <label htmlFor={`${id}-creditors`} className="field-label">
              Creditors
            </label>
            <input {...field("creditors")} className="field-input" placeholder="comma separated" value={draft.creditors} onChange={(e) => set("creditors", e.target.value)} />
          </div>
        </div>
        <Checkboxes legend="Balance bands" options={BALANCE_BANDS} value={draft.balance_bands} onChange={(v) => set("balance_bands", v)} />
        <Checkboxes
          legend="Signal types"
          options={SIGNAL_TYPES.map((t) => ({ value: t, label: signalTypeLabel(t) }))}
          value={draft.signal_types}
          onChange={(v) => set("signal_types", v)}
        />
        <div className="max-w-xs">
          <label htmlFor={`${id}-min_priority`} className="field-label">
            Minimum priority
          </label>
          <select {...field("min_priority")} className="field-input" value={draft.min_priority} onChange={(e) => set("min_priority", e.target.value)}>
            <option value="">Any</option>
            <option value="low">Low</option>
            <option value="medium">Medium</option>
            <option value="high">High</option>
          </select>
        </div>
        <DialogActions error={save.isError ? `Not saved: ${save.error.message}` : null} busy={save.isPending} busyLabel="Saving…" onCancel={onClose}>
          Save rule
        </DialogActions>
      </form>
    </Modal>
  );
}

export function RoutingRulesAdmin() {
  const queryClient = useQueryClient();
  const rules = useQuery({ queryKey: KEY, queryFn: () => request<RoutingRule[]>("/routing-rules") });
  const { teams, users } = useTeamsAndUsers();
  const [editing, setEditing] = useState<RoutingRule | "new" | null>(null);
  const remove = useMutation({
    mutationFn: (id: number) => request<void>(`/routing-rules/${id}`, { method: "DELETE" }),
    onSuccess: (_out, id) => queryClient.setQueryData<RoutingRule[]>(KEY, (rules) => rules?.filter((r) => r.id !== id)),
  });
  const teamName = (id: number) => teams.find((t) => t.id === id)?.name ?? `Team #${id}`;
  const userName = (id: number | null | undefined) => (id ? (users.find((u) => u.id === id)?.email ?? `User #${id}`) : "Round robin");

  return (
    <section aria-labelledby="rules-title">
      <div className="mb-2 flex flex-wrap items-center justify-between gap-2">
        <h2 id="rules-title" className="text-lg font-semibold">
          Routing rules
        </h2>
        <button type="button" className="btn-primary" aria-haspopup="dialog" onClick={() => setEditing("new")}>
          New rule
        </button>
      </div>
      <p className="mb-3 text-sm text-slate-700">The first active rule whose conditions match a new signal decides its team and assignee.</p>
      {remove.isError && (
        <p role="alert" className="mb-2 rounded-md bg-red-50 p-2 text-sm text-red-900">
          Could not delete: {remove.error.message}
        </p>
      )}
      {rules.isPending && <Spinner label="Loading rules…" />}
      {rules.isError && <ErrorState error={rules.error} retry={() => void rules.refetch()} />}
      {rules.isSuccess && rules.data.length === 0 && <p className="card p-4 text-slate-700">No rules yet: new signals stay unassigned for managers.</p>}
      {rules.isSuccess && rules.data.length > 0 && (
        <ScrollTable label="Routing rules table" caption="Routing rules in the order they are tried" minWidth="min-w-[44rem]" headers={["Position", "Name", "Matches", "Goes to", "State", <span className="sr-only">Actions</span>]}>
          {rules.data.map((r) => (
            <tr key={r.id} className="border-t border-slate-200">
              <td className="px-3 py-2 tabular-nums">{r.position}</td>
              <td className="px-3 py-2 font-medium">{r.name}</td>
              <td className="px-3 py-2">{describeConditions(r, signalTypeLabel)}</td>
              <td className="px-3 py-2">
                {teamName(r.team_id)} · {userName(r.user_id)}
              </td>
              <td className="px-3 py-2">{r.active ? "Active" : "Paused"}</td>
              <td className="whitespace-nowrap px-3 py-2 text-right">
                <button type="button" className="btn-secondary" aria-haspopup="dialog" onClick={() => setEditing(r)}>
                  Edit<span className="sr-only"> {r.name}</span>
                </button>{" "}
                <button
                  type="button"
                  className="btn-danger"
                  disabled={remove.isPending}
                  onClick={() => {
                    if (window.confirm(`Delete the routing rule “${r.name}”?`)) remove.mutate(r.id);
                  }}
                >
                  Delete<span className="sr-only"> {r.name}</span>
                </button>
              </td>
            </tr>
          ))}
        </ScrollTable>
      )}
      {editing && <RuleForm rule={editing === "new" ? null : editing} onClose={() => setEditing(null)} />}
    </section>
  );
}
