/** CRM administration: webhook endpoints, CRM (OAuth) clients and the dead-letter list. */
import { CrmClients } from "./CrmClients";
import { CrmDeadLetters } from "./CrmDeadLetters";
import { CrmWebhooks } from "./CrmWebhooks";

export function CrmAdmin() {
  return (
    <div className="space-y-8">
      <CrmWebhooks />
      <CrmClients />
      <CrmDeadLetters />
    </div>
  );
}
