/** Administration (admins only): one heading and a tab bar; each section is its own route under /admin. */
import { NavLink, Outlet } from "react-router-dom";

const SECTIONS = [
  { to: "/admin", label: "Users and teams", end: true },
  { to: "/admin/routing", label: "Routing rules" },
  { to: "/admin/digests", label: "Digests" },
  { to: "/admin/weights", label: "Signal weights" },
  { to: "/admin/crm", label: "CRM" },
  { to: "/admin/monitoring", label: "Monitoring" },
];

const tabClass = ({ isActive }: { isActive: boolean }) =>
  `whitespace-nowrap rounded-t-md border-b-2 px-3 py-2 text-sm font-medium ${
    isActive ? "border-blue-700 text-blue-800" : "border-transparent text-slate-700 hover:text-slate-900"
  }`;

export function AdminPage() {
  return (
    <section aria-labelledby="admin-title">
      <h1 id="admin-title" className="mb-3 text-2xl font-bold">
        Administration
      </h1>
      <nav aria-label="Administration sections" className="mb-4 flex gap-1 overflow-x-auto border-b border-slate-300">
        {SECTIONS.map((s) => (
          <NavLink key={s.to} to={s.to} end={s.end} className={tabClass}>
            {s.label}
          </NavLink>
        ))}
      </nav>
      <Outlet />
    </section>
  );
}
