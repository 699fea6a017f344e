import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import axe from "axe-core";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { CrmClient, WebhookEndpoint } from "../../api/contracts";
import { tokens } from "../../auth/tokens";
import { json, stubFetch } from "../../test/fetchStub";
import { renderWithProviders } from "../../test/render";
import { CrmAdmin } from "./Crm";
import { validateWebhookDraft } from "./CrmWebhooks";

afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
  tokens.clear();
});

const endpoint = (id: number, name: string, over: Partial<WebhookEndpoint> = {}): WebhookEndpoint => ({
  id,
  name,
  url: `https://crm.example/${id}`,
  event_types: ["*"],
  is_active: true,
  deactivated_reason: null,
  created_at: "2026-11-01T10:00:00Z",
  pending: 2,
  retrying: 1,
  dead: 0,
  delivered: 40,
  last_delivered_at: "2026-11-20T10:00:00Z",
  ...over,
});

const client = (client_id: string, name: string, over: Partial<CrmClient> = {}): CrmClient => ({
  client_id,
  name,
  scopes: ["leads:read"],
  is_active: true,
  created_at: "2026-11-01T10:00:00Z",
  revoked_at: null,
  last_token_at: null,
  ...over,
});

function setup(routes: Parameters<typeof stubFetch>[0] = {}) {
  tokens.set({ access_token: "a", refresh_token: "r" });
  let hooks = [endpoint(1, "Acme", { is_active: false, deactivated_reason: "answered 410 Gone", dead: 3 })];
  let clients = [client("lsc_1", "Acme CRM")];
  const calls = stubFetch({
    "GET /api/v1/crm/webhooks": () => json(hooks),
    "GET /api/v1/crm/clients": () => json(clients),
    "GET /api/v1/crm/deadletters": () => json([]),
    "POST /api/v1/crm/webhooks": (call) => {
      const created = endpoint(2, (call.body as { name: string }).name, { pending: 0, retrying: 0, delivered: 0, last_delivered_at: null });
      hooks = [...hooks, created];
      return json({ ...created, secret: "whsec-shown-once-0123456789" }, 201);
    },
    "PATCH /api/v1/crm/webhooks/1": (call) => {
      hooks = hooks.map((h) => ({ ...h, ...(call.body as object), deactivated_reason: null }));
      return json(hooks[0]);
    },
    "POST /api/v1/crm/webhooks/1/rotate-secret": () => json({ id: 1, secret: "rotated-secret-abcdef" }),
    "POST /api/v1/crm/clients": (call) => {
      const body = call.body as { name: string; scopes: string[] };
      const created = client("lsc_new", body.name, { scopes: body.scopes });
      clients = [...clients, created];
      return json({ ...created, client_secret: "client-secret-once" }, 201);
    },
    "POST /api/v1/crm/clients/lsc_1/revoke": () => {
      clients = clients.map((c) => ({ ...c, is_active: false, revoked_at: "2026-11-24T03:00:00Z" }));
      return json(clients[0]);
    },
    ...routes,
  });
  renderWithProviders(<CrmAdmin />);
  return calls;
}

const section = (name: string) => screen.getByRole("region", { name });

describe("CRM admin: webhook endpoints", () => {
  it("lists endpoints with state and deliveries, and reactivates one", async () => {
    const user = userEvent.setup();
    const calls = setup();
    const row = (await screen.findByText("https://crm.example/1")).closest("tr")!;
    expect(row).toHaveTextContent("Inactiveanswered 410 Gone");
    expect(row).toHaveTextContent("40 delivered · 2 pending (1 retrying)3 dead");
    await user.click(within(row).getByRole("button", { name: "Activate Acme" }));
    await waitFor(() => expect(screen.getByText("Acme is active.")).toBeInTheDocument());
    expect(calls.find((c) => c.method === "PATCH")!.body).toEqual({ is_active: true });
    expect(within(row).getByRole("button", { name: "Deactivate Acme" })).toBeInTheDocument();
  });

  it("validates the add form, then shows the signing secret once with a copy button", async () => {
    const user = userEvent.setup();
    const calls = setup();
    await screen.findByText("https://crm.example/1");
    await user.click(screen.getByRole("button", { name: "Add endpoint" }));
    const dialog = screen.getByRole("dialog", { name: "Add a webhook endpoint" });
    expect(within(dialog).getByLabelText("Name")).toHaveFocus();
    await user.click(within(dialog).getByRole("button", { name: "Add endpoint" }));
    expect(within(dialog).getByLabelText("Name")).toHaveAccessibleDescription("Give the endpoint a name.");
    expect(within(dialog).getByLabelText("Name")).toHaveFocus();

    await user.type(within(dialog).getByLabelText("Name"), "Billing CRM");
    await user.type(within(dialog).getByLabelText("URL"), "crm.example/hook");
    await user.click(within(dialog).getByRole("button", { name: "Add endpoint" }));
    expect(within(dialog).getByLabelText("URL")).toHaveAccessibleDescription("Enter an absolute URL starting with https://.");
    await user.clear(within(dialog).getByLabelText("URL"));
    await user.type(within(dialog).getByLabelText("URL"), "https://crm.example/hook");
    await user.click(within(dialog).getByLabelText("All events, including types added later"));
    await user.click(within(dialog).getByLabelText("signal.created.v1"));
    await user.click(within(dialog).getByLabelText("hardship.flagged.v1"));
    await user.click(within(dialog).getByRole("button", { name: "Add endpoint" }));

    const secret = await screen.findByRole("dialog", { name: "Signing secret for Billing CRM" });
    expect(calls.find((c) => c.method === "POST")!.body).toEqual({
      name: "Billing CRM",
      url: "https://crm.example/hook",
      event_types: ["signal.created.v1", "hardship.flagged.v1"],
    });
    expect(within(secret).getByLabelText("Signing secret")).toHaveValue("whsec-shown-once-0123456789");
    await user.click(within(secret).getByRole("button", { name: "Copy signing secret" }));
    expect(await navigator.clipboard.readText()).toBe("whsec-shown-once-0123456789");
    expect(within(secret).getByRole("status")).toHaveTextContent("Signing secret copied.");
    await user.click(within(secret).getByRole("button", { name: "I have stored it" }));
    expect(screen.queryByRole("dialog")).toBeNull();
    expect(await screen.findByText("https://crm.example/2")).toBeInTheDocument();
    expect(screen.queryByText(/whsec-shown-once/)).toBeNull();
    expect(screen.queryByDisplayValue(/whsec-shown-once/)).toBeNull();
  });

  it("has no axe violations with the add dialog open", async () => {
    const user = userEvent.setup();
    setup();
    await screen.findByText("lsc_1");
    await user.click(screen.getByRole("button", { name: "Add endpoint" }));
    const results = await axe.run(document.body, { rules: { "color-contrast": { enabled: false } } });
    expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.html).join(" ")}`)).toEqual([]);
  });

  it("shows the server's refusal inside the form", async () => {
    const user = userEvent.setup();
    setup({
      "POST /api/v1/crm/webhooks": () =>
        json({ error: { code: "conflict", message: "active webhook endpoint 1 already has this URL", details: null } }, 409),
    });
    await screen.findByText("https://crm.example/1");
    await user.click(screen.getByRole("button", { name: "Add endpoint" }));
    const dialog = screen.getByRole("dialog");
    await user.type(within(dialog).getByLabelText("Name"), "Dup");
    await user.type(within(dialog).getByLabelText("URL"), "https://crm.example/1");
    await user.click(within(dialog).getByRole("button", { name: "Add endpoint" }));
    expect(await within(dialog).findByRole("alert")).toHaveTextContent("Not added: active webhook endpoint 1 already has this URL");
  });

  it("rotates a secret only after confirmation", async () => {
    const user = userEvent.setup();
    const confirm = vi.spyOn(window, "confirm").mockReturnValueOnce(false).mockReturnValueOnce(true);
    const calls = setup();
    await user.click(await screen.findByRole("button", { name: "Rotate secret of Acme" }));
    expect(calls.some((c) => c.url.endsWith("/rotate-secret"))).toBe(false);
    await user.click(screen.getByRole("button", { name: "Rotate secret of Acme" }));
    const dialog = await screen.findByRole("dialog", { name: "New signing secret for Acme" });
    expect(within(dialog).getByLabelText("Signing secret")).toHaveValue("rotated-secret-abcdef");
    expect(confirm).toHaveBeenCalledTimes(2);
  });

  it("maps the draft to the request body", () => {
    expect(validateWebhookDraft({ name: " A ", url: " https://x.example/h ", events: ["*", "signal.created.v1"] }).body).toEqual({
      name: "A",
      url: "https://x.example/h",
      event_types: ["*"],
    });
    expect(validateWebhookDraft({ name: "A", url: "https://x.example", events: [] }).errors).toEqual({
      events: "Choose at least one event type, or all events.",
    });
  });
});

describe("CRM admin: clients", () => {
  it("creates a client with the ticked scopes and shows its secret once", async () => {
    const user = userEvent.setup();
    const calls = setup();
    await screen.findByText("lsc_1");
    await user.click(screen.getByRole("button", { name: "New client" }));
    const dialog = screen.getByRole("dialog", { name: "New CRM client" });
    await user.type(within(dialog).getByLabelText("Name"), "Billing CRM");
    await user.click(within(dialog).getByRole("button", { name: "Create client" }));
    expect(within(dialog).getByRole("group", { name: "Scopes" })).toHaveAccessibleDescription("Choose at least one scope.");
    await user.click(within(dialog).getByRole("checkbox", { name: /outcomes:write/ }));
    await user.click(within(dialog).getByRole("checkbox", { name: /leads:read/ }));
    await user.click(within(dialog).getByRole("button", { name: "Create client" }));

    const shown = await screen.findByRole("dialog", { name: "Credentials for Billing CRM" });
    expect(calls.find((c) => c.method === "POST")!.body).toEqual({ name: "Billing CRM", scopes: ["leads:read", "outcomes:write"] });
    expect(within(shown).getByLabelText("Client id")).toHaveValue("lsc_new");
    expect(within(shown).getByLabelText("Client secret")).toHaveValue("client-secret-once");
    expect(within(shown).getByLabelText("Client secret")).toHaveFocus();
    await user.keyboard("{Escape}");
    expect(screen.queryByRole("dialog")).toBeNull();
    expect(await within(section("CRM clients table, scrolls sideways on small screens")).findByText("lsc_new")).toBeInTheDocument();
    expect(screen.queryByDisplayValue("client-secret-once")).toBeNull();
  });

  it("revokes only after confirmation", async () => {
    const user = userEvent.setup();
    vi.spyOn(window, "confirm").mockReturnValueOnce(false).mockReturnValueOnce(true);
    const calls = setup();
    await user.click(await screen.findByRole("button", { name: "Revoke Acme CRM" }));
    expect(calls.some((c) => c.url.endsWith("/revoke"))).toBe(false);
    await user.click(screen.getByRole("button", { name: "Revoke Acme CRM" }));
    await waitFor(() => expect(screen.getByText(/Acme CRM is revoked/)).toBeInTheDocument());
    const row = screen.getByText("lsc_1").closest("tr")!;
    expect(row).toHaveTextContent("Revoked");
    expect(within(row).queryByRole("button")).toBeNull();
  });
});
