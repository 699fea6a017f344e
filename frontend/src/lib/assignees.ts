/** Who a signal can be given to: the members (and manager) of its lead's team, labelled as well as the caller may know. */

export interface TeamLike {
  id: number;
  name: string;
  manager_user_id: number | null;
  member_ids: number[];
}

export interface UserLike {
  id: number;
  email: string;
  role: string;
  is_active: boolean;
}

export interface AssigneeOption {
  id: number;
  label: string;
}

/**
 * Options for a team (or, when the lead has no team, every team the caller sees). Only admins may
 * list accounts, so others see "You" and member numbers; inactive and non-working accounts are left out.
 */
export function assigneeOptions(
  teams: TeamLike[],
  users: UserLike[] | undefined,
  me: { id: number },
  teamId: number | null | undefined,
): AssigneeOption[] {
  const scoped = teamId == null ? teams : teams.filter((t) => t.id === teamId);
  const byId = new Map((users ?? []).map((u) => [u.id, u]));
  const ids = new Set<number>();
  for (const t of scoped) {
    t.member_ids.forEach((id) => ids.add(id));
    if (t.manager_user_id !== null) ids.add(t.manager_user_id);
  }
  const out: AssigneeOption[] = [];
  for (const id of ids) {
    const u = byId.get(id);
    if (u && (!u.is_active || (u.role !== "agent" && u.role !== "manager"))) continue;
    const label = id === me.id ? `You${u ? ` (${u.email})` : ""}` : (u?.email ?? `Team member #${id}`);
    out.push({ id, label });
  }
  return out.sort((a, b) => (a.id === me.id ? -1 : b.id === me.id ? 1 : a.label.localeCompare(b.label)));
}
