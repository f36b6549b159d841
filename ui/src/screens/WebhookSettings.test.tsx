import { clearMocks } from "@tauri-apps/api/mocks";
import { cleanup, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it } from "vitest";

import type { WebhookView } from "../ipc/bindings";
import { ipcError, renderScreen } from "../test/render";
import { Settings } from "./Settings";
import { chosenEvents } from "./WebhookSettings";

afterEach(() => {
  cleanup();
  clearMocks();
});

const SECRET = "whsec_" + "A".repeat(43) + "=";
const HOOK: WebhookView = {
  id: 1, url: "https://bot.example.com/hooks/smm", events: ["order.status_changed", "balance.low"], active: true,
  createdAt: "2026-12-07T10:00:00Z", pending: 0, delivered: 3, failed: 1,
};

describe("Settings › Webhooks", () => {
  it("sends every event type as null and a subset by name", () => {
    expect(chosenEvents(new Set(["order.status_changed", "balance.low"]))).toBeNull();
    expect(chosenEvents(new Set(["balance.low"]))).toEqual(["balance.low"]);
    expect(chosenEvents(new Set())).toEqual([]);
  });

  it("adds a webhook, shows its secret once, and lists it without the secret", async () => {
    let hooks: WebhookView[] = [];
    const { calls } = await renderScreen(<Settings />, {
      list_webhooks: () => hooks,
      add_webhook: (a) => {
        hooks = [{ ...HOOK, url: String(a.url), events: ["order.status_changed"], delivered: 0, failed: 0 }];
        return { webhook: hooks[0], secret: SECRET };
      },
    });
    expect(await screen.findByTestId("webhooks-empty")).toBeTruthy();
    await userEvent.type(screen.getByTestId("webhook-url"), "https://bot.example.com/hooks/smm");
    await userEvent.click(screen.getByTestId("webhook-event-balance.low"));
    await userEvent.click(screen.getByTestId("webhook-add-submit"));
    const add = calls.find((c) => c.cmd === "add_webhook");
    expect(add?.args).toMatchObject({ url: "https://bot.example.com/hooks/smm", events: ["order.status_changed"] });
    expect((await screen.findByTestId("webhook-secret")).textContent).toBe(SECRET);
    const row = await screen.findByTestId("webhook-row");
    expect(within(row).getByTestId("webhook-row-url").textContent).toBe("https://bot.example.com/hooks/smm");
    expect(row.textContent).not.toContain("whsec_");
    await userEvent.click(screen.getByTestId("webhook-secret-done"));
    expect(screen.queryByTestId("webhook-secret")).toBeNull();
    expect(document.body.textContent).not.toContain(SECRET);
  });

  it("shows a refused address on its field and keeps what was typed", async () => {
    const { calls } = await renderScreen(<Settings />, {
      list_webhooks: () => [],
      add_webhook: () => ipcError("webhook.url_credentials", "url"),
    });
    const input = await screen.findByTestId("webhook-url");
    await userEvent.type(input, "https://me:pw@example.com/h");
    await userEvent.click(screen.getByTestId("webhook-add-submit"));
    expect((await screen.findByTestId("webhook-add-error")).textContent).toContain("user name and password");
    expect(input.getAttribute("aria-invalid")).toBe("true");
    expect((input as HTMLInputElement).value).toBe("https://me:pw@example.com/h");
    expect(calls.filter((c) => c.cmd === "add_webhook")).toHaveLength(1);
  });

  it("switches a webhook off, sends a test and removes it after confirming", async () => {
    let hooks: WebhookView[] = [HOOK];
    const { calls } = await renderScreen(<Settings />, {
      list_webhooks: () => hooks,
      set_webhook_active: (a) => { hooks = [{ ...HOOK, active: a.active === true }]; return hooks[0]; },
      test_webhook: () => ({ id: 9, eventType: "webhook.test", state: "pending", attempts: 0, createdAt: HOOK.createdAt, lastAttemptAt: null, lastStatus: null, lastError: null }),
      webhook_deliveries: () => [{ id: 9, eventType: "webhook.test", state: "delivered", attempts: 1, createdAt: HOOK.createdAt, lastAttemptAt: HOOK.createdAt, lastStatus: 204, lastError: null }],
      remove_webhook: () => { const gone = hooks[0]; hooks = []; return gone; },
    });
    const counts = await screen.findByTestId("webhook-counts");
    expect(counts.dataset.delivered).toBe("3");
    await userEvent.click(screen.getByTestId("webhook-test"));
    expect((await screen.findByTestId("webhook-delivery")).dataset.state).toBe("delivered");
    await userEvent.click(screen.getByTestId("webhook-active"));
    expect(calls.find((c) => c.cmd === "set_webhook_active")?.args).toMatchObject({ id: 1, active: false });
    await userEvent.click(screen.getByTestId("webhook-remove"));
    await userEvent.click(await screen.findByTestId("confirm-ok"));
    expect(await screen.findByTestId("webhooks-empty")).toBeTruthy();
    expect(calls.some((c) => c.cmd === "remove_webhook")).toBe(true);
  });
});
