/** Compliance (compliance officers and admins): the checklist, the audit trail, opt-outs and live monitoring. */
import { NavLink, Outlet } from "react-router-dom";

const SECTIONS = [
  { to: "/compliance", label: "Checklist", end: true },
  { to: "/compliance/audit", label: "Audit trail" },
  { to: "/compliance/opt-outs", label: "Opt-outs" },
  { to: "/compliance/monitoring", label: "Monitoring" },
];

const tabClass = ({ isActive }: { isActive: boolean }) =>
  `whitespace-nowrap rounded-t-md border-b-2 px-3 py-2 text-sm font-medium ${
    isActive ? "border-blue-700 text-blue-800" : "border-transparent text-slate-700 hover:text-slate-900"
  }`;

export function CompliancePage() {
  return (
    <section aria-labelledby="compliance-page-title">
      <h1 id="compliance-page-title" className="mb-3 text-2xl font-bold">
        Compliance
      </h1>
      <nav aria-label="Compliance sections" className="mb-4 flex gap-1 overflow-x-auto border-b border-slate-300">
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
