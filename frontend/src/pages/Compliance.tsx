/** Compliance (compliance officers and admins): the checklist, the audit trail, opt-outs and live monitoring. */
import { TabbedPage, type Tab } from "../components/TabbedPage";

const SECTIONS: Tab[] = [
  { to: "/compliance", label: "Checklist", end: true },
  { to: "/compliance/audit", label: "Audit trail" },
  { to: "/compliance/opt-outs", label: "Opt-outs" },
  { to: "/compliance/monitoring", label: "Monitoring" },
];

export function CompliancePage() {
  return <TabbedPage title="Compliance" tabs={SECTIONS} />;
}
