/** The frame of every signed-in screen: a skip link, the navigation the role allows, and the user. */
import { NavLink, Outlet } from "react-router-dom";
import { useAuth } from "../auth/AuthContext";
import { can, ROLE_LABELS } from "../auth/roles";

const linkClass = ({ isActive }: { isActive: boolean }) =>
  `whitespace-nowrap rounded-md px-3 py-2 text-sm font-medium ${
    isActive ? "bg-blue-700 text-white" : "text-slate-800 hover:bg-slate-200"
  }`;

export function Layout() {
  const { user, signOut } = useAuth();
  if (!user) return null;
  return (
    <div className="min-h-screen">
      <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded focus:bg-white focus:p-2">
        Skip to content
      </a>
      <header className="border-b border-slate-200 bg-white">
        <div className="mx-auto flex max-w-6xl flex-wrap items-center gap-x-4 gap-y-2 px-4 py-2">
          <span className="text-lg font-bold text-blue-800">leadsignal</span>
          <nav aria-label="Main" className="order-3 -mx-1 flex w-full gap-1 overflow-x-auto md:order-2 md:w-auto">
            <NavLink to="/" end className={linkClass}>
              Live feed
            </NavLink>
            <NavLink to="/search" className={linkClass}>
              Search
            </NavLink>
            {can.viewAnalytics(user.role) && (
              <NavLink to="/analytics" className={linkClass}>
                Analytics
              </NavLink>
            )}
            {can.viewIdentityReviews(user.role) && (
              <NavLink to="/identity" className={linkClass}>
                Identity review
              </NavLink>
            )}
            {can.viewCompliance(user.role) && (
              <NavLink to="/compliance" className={linkClass}>
                Compliance
              </NavLink>
            )}
            {can.administer(user.role) && (
              <NavLink to="/admin" className={linkClass}>
                Admin
              </NavLink>
            )}
          </nav>
          <div className="order-2 ml-auto flex items-center gap-2 text-sm md:order-3">
            {/* Tablets show the role only, so the bar stays on one line; desktops add the account. */}
            <span className="hidden text-slate-700 md:inline" title={user.name}>
              <span className="hidden lg:inline">{user.name} · </span>
              {ROLE_LABELS[user.role] ?? user.role}
            </span>
            <button type="button" className="btn-secondary" onClick={() => void signOut()}>
              Sign out
            </button>
          </div>
        </div>
      </header>
      <main id="main" tabIndex={-1} className="mx-auto max-w-6xl px-4 py-4">
        <Outlet />
      </main>
    </div>
  );
}
