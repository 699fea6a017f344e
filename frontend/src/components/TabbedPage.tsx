/** A page with one heading and a tab bar; each tab is its own nested route, rendered in the outlet. */
import { useId } from "react";
import { NavLink, Outlet } from "react-router-dom";

export type Tab = { to: string; label: string; end?: boolean };

const tabClass = ({ isActive }: { isActive: boolean }) =>
  `whitespace-nowrap rounded-t-md border-b-2 px-3 py-2 text-sm font-medium ${
    isActive ? "border-blue-700 text-blue-800" : "border-transparent text-slate-700 hover:text-slate-900"
  }`;

export function TabbedPage({ title, tabs }: { title: string; tabs: Tab[] }) {
  const titleId = useId();
  return (
    <section aria-labelledby={titleId}>
      <h1 id={titleId} className="mb-3 text-2xl font-bold">
        {title}
      </h1>
      <nav aria-label={`${title} sections`} className="mb-4 flex gap-1 overflow-x-auto border-b border-slate-300">
        {tabs.map((s) => (
          <NavLink key={s.to} to={s.to} end={s.end} className={tabClass}>
            {s.label}
          </NavLink>
        ))}
      </nav>
      <Outlet />
    </section>
  );
}
