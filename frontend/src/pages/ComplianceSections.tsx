/** The /compliance/* routes, loaded on demand. */
import { Route, Routes } from "react-router-dom";
import { NotFound } from "../components/States";
import { MonitoringPage } from "./admin/Monitoring";
import { CompliancePage } from "./Compliance";
import { AuditSearch } from "./compliance/Audit";
import { ComplianceChecklist } from "./compliance/Checklist";
import { OptOutList } from "./compliance/OptOuts";

export default function ComplianceSections() {
  return (
    <Routes>
      <Route element={<CompliancePage />}>
        <Route index element={<ComplianceChecklist />} />
        <Route path="audit" element={<AuditSearch />} />
        <Route path="opt-outs" element={<OptOutList />} />
        <Route path="monitoring" element={<MonitoringPage />} />
        <Route path="*" element={<NotFound />} />
      </Route>
    </Routes>
  );
}
