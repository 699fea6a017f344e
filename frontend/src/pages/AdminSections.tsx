/** The /admin/* routes, loaded on demand (a separate chunk the live feed never downloads). */
import { Route, Routes } from "react-router-dom";
import { NotFound } from "../components/States";
import { AdminPage } from "./Admin";
import { CrmAdmin } from "./admin/Crm";
import { DigestsAdmin } from "./admin/Digests";
import { MonitoringPage } from "./admin/Monitoring";
import { RoutingRulesAdmin } from "./admin/RoutingRules";
import { AdminUsers } from "./admin/Users";
import { WeightsAdmin } from "./admin/Weights";

export default function AdminSections() {
  return (
    <Routes>
      <Route element={<AdminPage />}>
        <Route index element={<AdminUsers />} />
        <Route path="routing" element={<RoutingRulesAdmin />} />
        <Route path="digests" element={<DigestsAdmin />} />
        <Route path="weights" element={<WeightsAdmin />} />
        <Route path="crm" element={<CrmAdmin />} />
        <Route path="monitoring" element={<MonitoringPage />} />
        <Route path="*" element={<NotFound />} />
      </Route>
    </Routes>
  );
}
