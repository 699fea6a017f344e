/** What each role may see. The API enforces all of this; the dashboard only hides what would fail. */
export type Role = "admin" | "manager" | "agent" | "compliance";

export const can = {
  viewAnalytics: (role: string) => role === "admin" || role === "manager" || role === "compliance",
  administer: (role: string) => role === "admin",
  filterByTeam: (role: string) => role !== "agent",
  revealSensitive: (role: string) => role === "admin" || role === "manager" || role === "compliance",
  actOnSignals: (role: string) => role === "admin" || role === "manager" || role === "agent",
  /** The identity review queue: managers and admins decide, compliance reads (the API refuses agents). */
  viewIdentityReviews: (role: string) => role === "admin" || role === "manager" || role === "compliance",
  decideIdentity: (role: string) => role === "admin" || role === "manager",
  viewCompliance: (role: string) => role === "admin" || role === "compliance",
};

export const ROLE_LABELS: Record<string, string> = {
  admin: "Administrator",
  manager: "Manager",
  agent: "Collector",
  compliance: "Compliance",
};
