import { emit } from "@tauri-apps/api/event";
import { clearMocks } from "@tauri-apps/api/mocks";
import { cleanup, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it } from "vitest";

import type { AlertView_Serialize } from "../ipc/bindings";
import { renderApp } from "../test/render";

afterEach(() => {
  cleanup();
  clearMocks();
});

function alert(id: number, extra: Partial<AlertView_Serialize>): AlertView_Serialize {
  return {
    id, kind: "order_finished", provider: "jap", orderId: null, serviceRef: null, params: "{}",
    message: "english one-liner", createdAt: "2026-11-24T12:00:00Z", readAt: null, clearedAt: null, ...extra,
  };
}

const PROVIDER = {
  name: "jap", displayName: "JAP", apiUrl: "https://jap.example/api/v2", keyHint: "••••1234", active: true, priority: 0,
  currency: "USD", balance: "10", balanceCheckedAt: null, lastError: null, isDemo: false, services: 0, catalogSyncedAt: null,
};

describe("the Alerts inbox", () => {
  it("shows translated alerts with the unread count; opening one marks it read and shows its order", async () => {
    let alerts = [
      alert(2, { kind: "low_balance", params: JSON.stringify({ balance: "4.5", threshold: "10", currency: "USD" }) }),
      alert(1, { orderId: 42, params: JSON.stringify({ order_id: 42, status: "partial", service: "IG Likes", charge: "0.75", currency: "USD" }) }),
    ];
    let unread = 0;
    const { calls } = await renderApp({ language: "en", theme: "light", digits: "latin" }, {
      list_providers: () => [PROVIDER],
      list_alerts: () => alerts,
      unread_alert_count: () => unread,
      mark_alerts_read: (args) => {
        const ids = args.ids as number[];
        alerts = alerts.map((a) => (ids.includes(a.id) ? { ...a, readAt: "2026-11-24T12:01:00Z" } : a));
        unread = alerts.filter((a) => a.readAt === null).length;
        return ids.length;
      },
      list_orders: () => ({ orders: [], next: null }),
      order_counts: () => [],
      order_detail: () => new Promise(() => {}),
    });
    expect(await screen.findByTestId("dashboard")).toBeTruthy();
    expect(screen.queryByTestId("nav-alerts-unread")).toBeNull();
    // A raised alert reaches the navigation through the engine event.
    unread = 2;
    await emit("engine-changed", { orders: [], balances: [], catalogs: [], jobs: false, alerts: [1, 2], everything: false });
    await waitFor(() => {
      expect(screen.getByTestId("nav-alerts-unread").textContent).toBe("2");
    });
    await userEvent.click(screen.getByTestId("nav-alerts"));
    const items = await screen.findAllByTestId("alert");
    expect(items.map((i) => within(i).getByTestId("alert-text").textContent)).toEqual([
      "jap: balance $4.50 is below $10.00.",
      "Order #42 (IG Likes) is Partial; charged $0.75.",
    ]);
    await userEvent.click(within(items[1] as HTMLElement).getByTestId("alert-open"));
    expect(calls.find((c) => c.cmd === "mark_alerts_read")?.args).toEqual({ ids: [1] });
    expect(await screen.findByTestId("order-drawer")).toBeTruthy();
    expect(screen.getByTestId("screen").dataset.screen).toBe("orders");
    await waitFor(() => {
      expect(screen.getByTestId("nav-alerts-unread").textContent).toBe("1");
    });
  });

  it("pages through a long inbox, newest first, by alert id", async () => {
    // 130 alerts, ids 130 … 1: the first page holds 100, "load older" fetches the other 30.
    const all = Array.from({ length: 130 }, (_, i) => alert(130 - i, { kind: "provider_failing", params: "{}" }));
    const { calls } = await renderApp(undefined, {
      list_alerts: (args) => {
        const before = args.beforeId as number | null;
        const limit = args.limit as number;
        return all.filter((a) => before === null || a.id < before).slice(0, limit);
      },
    });
    await userEvent.click(screen.getByTestId("nav-alerts"));
    await waitFor(() => {
      expect(screen.getAllByTestId("alert")).toHaveLength(100);
    });
    await userEvent.click(screen.getByTestId("alerts-more"));
    await waitFor(() => {
      expect(screen.getAllByTestId("alert")).toHaveLength(130);
    });
    expect(screen.queryByTestId("alerts-more")).toBeNull();
    expect(calls.filter((c) => c.cmd === "list_alerts").map((c) => (c.args as { beforeId: number | null }).beforeId)).toEqual([null, 31]);
  });

  it("reads in Arabic", async () => {
    await renderApp({ language: "ar", theme: "light", digits: "latin" }, {
      list_providers: () => [PROVIDER],
      list_alerts: () => [alert(3, { kind: "provider_failing", params: JSON.stringify({ calls: 5 }) })],
    });
    await userEvent.click(screen.getByTestId("nav-alerts"));
    const text = await screen.findByTestId("alert-text");
    expect(text.textContent).toBe("\u2068jap\u2069: فشلت آخر 5 محاولات اتصال.");
  });
});
