/** The search form. It edits a draft and writes it to the URL on submit, so a view can be shared. */
import { useEffect, useId, useState, type FormEvent } from "react";
import { countActive, paramsFromFilters, type Filters } from "../lib/filters";
import { SIGNAL_TYPES, signalTypeLabel } from "../lib/format";

export interface Option {
  value: string;
  label: string;
}

const STATUSES: Option[] = [
  { value: "new", label: "New" },
  { value: "acknowledged", label: "Acknowledged" },
  { value: "contacted", label: "Contacted" },
  { value: "confirmed", label: "Confirmed" },
  { value: "rejected", label: "Rejected" },
];

function Select({
  label,
  name,
  value,
  options,
  onChange,
}: {
  label: string;
  name: keyof Filters;
  value: string | undefined;
  options: Option[];
  onChange: (name: keyof Filters, value: string) => void;
}) {
  const id = useId();
  return (
    <div>
      <label htmlFor={id} className="field-label">
        {label}
      </label>
      <select id={id} name={name} className="field-input" value={value ?? ""} onChange={(e) => onChange(name, e.target.value)}>
        <option value="">Any</option>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}

export function FilterForm({
  value,
  onSubmit,
  teams,
  assignees,
}: {
  value: Filters;
  onSubmit: (filters: Filters) => void;
  teams?: Option[];
  assignees?: Option[];
}) {
  const [draft, setDraft] = useState<Filters>(value);
  const [open, setOpen] = useState(false);
  const ids = { q: useId(), since: useId(), until: useId(), state: useId(), panel: useId() };
  // Reset the draft only when the applied filters really change (the URL), not on every render.
  const applied = paramsFromFilters(value).toString();
  useEffect(() => setDraft(value), [applied]); // eslint-disable-line react-hooks/exhaustive-deps
  const set = (name: keyof Filters, v: string) => setDraft((d) => ({ ...d, [name]: v }));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onSubmit(draft);
  };

  return (
    <form role="search" aria-label="Search leads and signals" onSubmit={submit} className="card p-4">
      <label htmlFor={ids.q} className="field-label">
        Search lead names
      </label>
      <div className="flex gap-2">
        <input
          id={ids.q}
          type="search"
          name="q"
          className="field-input"
          placeholder="e.g. Jordan Smith"
          value={draft.q ?? ""}
          onChange={(e) => set("q", e.target.value)}
        />
        <button type="submit" className="btn-primary">
          Search
        </button>
      </div>
      <button
        type="button"
        className="mt-2 text-sm font-medium text-blue-800 underline md:hidden"
        aria-expanded={open}
        aria-controls={ids.panel}
        onClick={() => setOpen((v) => !v)}
      >
        {open ? "Hide filters" : countActive(value) ? `Show filters (${countActive(value)} on)` : "Show filters"}
      </button>
      <div id={ids.panel} className={`mt-3 grid-cols-2 gap-3 md:grid md:grid-cols-4 ${open ? "grid" : "hidden"}`}>
        <Select
          label="Signal type"
          name="signal_type"
          value={draft.signal_type}
          options={SIGNAL_TYPES.map((t) => ({ value: t, label: signalTypeLabel(t) }))}
          onChange={set}
        />
        <Select label="Status" name="status" value={draft.status} options={STATUSES} onChange={set} />
        <div>
          <label htmlFor={ids.state} className="field-label">
            State
          </label>
          <input
            id={ids.state}
            className="field-input uppercase placeholder:normal-case"
            maxLength={2}
            placeholder="e.g. TX"
            value={draft.state ?? ""}
            onChange={(e) => set("state", e.target.value.toUpperCase())}
          />
        </div>
        <div>
          <label htmlFor={ids.since} className="field-label">
            Detected from
          </label>
          <input id={ids.since} type="date" className="field-input" value={draft.since ?? ""} onChange={(e) => set("since", e.target.value)} />
        </div>
        <div>
          <label htmlFor={ids.until} className="field-label">
            Detected to
          </label>
          <input id={ids.until} type="date" className="field-input" value={draft.until ?? ""} onChange={(e) => set("until", e.target.value)} />
        </div>
        {teams && <Select label="Team" name="team_id" value={draft.team_id} options={teams} onChange={set} />}
        {assignees && <Select label="Assigned to" name="assignee_id" value={draft.assignee_id} options={assignees} onChange={set} />}
        <div className="col-span-2 flex items-end gap-2 md:col-span-1">
          <button type="submit" className="btn-primary">
            Apply filters
          </button>
          <button
            type="button"
            className="btn-secondary"
            onClick={() => {
              setDraft({});
              onSubmit({});
            }}
          >
            Clear
          </button>
        </div>
      </div>
    </form>
  );
}
