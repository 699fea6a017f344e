/** Who a signal can be given to: the members (and manager) of its lead's team, labelled by e-mail. */

export interface TeamPerson {
  user_id: number;
  email: string;
  role: string;
  is_active: boolean;
}

export interface TeamLike {
  id: number;
  name: string;
  manager_user_id: number | null;
  member_ids: number[];
  /** The API sends the team's people to everyone who may see the team. */
  members?: TeamPerson[];
  manager?: TeamPerson | null;
}

export interface AssigneeOption {
  id: number;
  label: string;
}

/**
 * Options for a team (or, when the lead has no team, every team the caller sees). Inactive and
 * non-working accounts (compliance, admin) are left out; someone the response does not describe
 * (an older server) is shown by number rather than hidden.
 */
export function assigneeOptions(teams: TeamLike[], me: { id: number }, teamId: number | null | undefined): AssigneeOption[] {
  const scoped = teamId == null ? teams : teams.filter((t) => t.id === teamId);
  const people = new Map<number, TeamPerson>();
  const ids = new Set<number>();
  for (const t of scoped) {
    (t.members ?? []).forEach((p) => people.set(p.user_id, p));
    if (t.manager) people.set(t.manager.user_id, t.manager);
    t.member_ids.forEach((id) => ids.add(id));
    if (t.manager_user_id !== null) ids.add(t.manager_user_id);
  }
  const out: AssigneeOption[] = [];
  for (const id of ids) {
    const p = people.get(id);
    if (p && (!p.is_active || (p.role !== "agent" && p.role !== "manager"))) continue;
    const label = id === me.id ? `You${p ? ` (${p.email})` : ""}` : (p?.email ?? `Team member #${id}`);
    out.push({ id, label });
  }
  return out.sort((a, b) => (a.id === me.id ? -1 : b.id === me.id ? 1 : a.label.localeCompare(b.label)));
}
