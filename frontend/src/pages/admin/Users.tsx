/** Administration, users and teams: who has an account, with which role, in which teams. */
import { useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { request } from "../../api/client";
import type { components } from "../../api/schema";
import type { Page } from "../../api/types";
import { ROLE_LABELS } from "../../auth/roles";
import { ErrorState, Spinner } from "../../components/States";
import { formatDate, formatDateTime } from "../../lib/format";
import { ScrollTable } from "../../components/ScrollTable";

type UserOut = components["schemas"]["UserOut"];
type TeamOut = components["schemas"]["TeamOut"];

export function AdminUsers() {
  const users = useInfiniteQuery({
    queryKey: ["admin", "users"],
    queryFn: ({ pageParam }) => request<Page<UserOut>>("/users", { query: { limit: 100, cursor: pageParam ?? undefined } }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.next_cursor,
  });
  const teams = useQuery({
    queryKey: ["teams"],
    queryFn: () => request<Page<TeamOut>>("/teams", { query: { limit: 200 } }),
  });
  const rows = users.data?.pages.flatMap((p) => p.items) ?? [];
  const teamsOf = (id: number) => (teams.data?.items ?? []).filter((t) => t.member_ids.includes(id) || t.manager_user_id === id);

  return (
    <section aria-labelledby="users-title">
      <h2 id="users-title" className="mb-2 text-lg font-semibold">
        Users
      </h2>
      {users.isPending && <Spinner label="Loading users…" />}
      {users.isError && <ErrorState error={users.error} retry={() => void users.refetch()} />}
      {users.isSuccess && (
        <ScrollTable label="Users table" caption="Users, their role, teams and state" minWidth="min-w-[36rem]" headers={["E-mail", "Role", "Teams", "State", "Created"]}>
          {rows.map((u) => (
            <tr key={u.id} className="border-t border-slate-200">
              <td className="px-3 py-2 font-medium">{u.email}</td>
              <td className="px-3 py-2">{ROLE_LABELS[u.role] ?? u.role}</td>
              <td className="px-3 py-2">{teamsOf(u.id).map((t) => t.name).join(", ") || "—"}</td>
              <td className="px-3 py-2">
                {!u.is_active
                  ? "Disabled"
                  : u.locked_until && new Date(u.locked_until) > new Date()
                    ? `Locked until ${formatDateTime(u.locked_until)}`
                    : "Active"}
              </td>
              <td className="px-3 py-2">{formatDate(u.created_at)}</td>
            </tr>
          ))}
        </ScrollTable>
      )}
      {users.hasNextPage && (
        <button type="button" className="btn-secondary mt-3" onClick={() => void users.fetchNextPage()}>
          More users
        </button>
      )}
      <h2 className="mb-2 mt-6 text-lg font-semibold">Teams</h2>
      {teams.isError && <ErrorState error={teams.error} />}
      {teams.isSuccess && (
        <ul className="grid gap-2 sm:grid-cols-2 lg:grid-cols-3">
          {teams.data.items.map((t) => (
            <li key={t.id} className="card p-3 text-sm">
              <p className="font-semibold">{t.name}</p>
              <p className="text-slate-700">
                {t.member_ids.length} member{t.member_ids.length === 1 ? "" : "s"}
                {t.manager_user_id ? ` · manager: ${rows.find((u) => u.id === t.manager_user_id)?.email ?? `#${t.manager_user_id}`}` : ""}
              </p>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
