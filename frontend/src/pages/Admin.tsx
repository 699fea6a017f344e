/** Administration (admins only): each section is its own route under /admin. */
import { TabbedPage, type Tab } from "../components/TabbedPage";

const SECTIONS: Tab[] = [
  { to: "/admin", label: "Users and teams", end: true },
  { to: "/admin/routing", label: "Routing rules" },
  { to: "/admin/digests", label: "Digests" },
  { to: "/admin/weights", label: "Signal weights" },
  { to: "/admin/crm", label: "CRM" },
  { to: "/admin/monitoring", label: "Monitoring" },
];

export function AdminPage() {
  return <TabbedPage title="Administration" tabs={SECTIONS} />;
}
