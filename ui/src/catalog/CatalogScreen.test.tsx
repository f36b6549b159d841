import { clearMocks } from "@tauri-apps/api/mocks";
import { cleanup, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it } from "vitest";

import type { ServiceView_Serialize } from "../ipc/bindings";
import { boxEveryElement } from "../test/layout";
import { renderApp } from "../test/render";

afterEach(() => {
  cleanup();
  clearMocks();
});

boxEveryElement();

function rowsNow(): HTMLElement[] {
  return screen.getAllByTestId("catalog-row");
}

const PROVIDER = {
  name: "demo", displayName: "Demo panel", apiUrl: "http://127.0.0.1:1/api/v2", keyHint: "••••0000", active: true,
  priority: 0, currency: "USD", balance: "1000", balanceCheckedAt: null, lastError: null, isDemo: true, services: 2,
  catalogSyncedAt: null,
};

function svc(id: number, name: string, rate: string): ServiceView_Serialize {
  return {
    id, provider: "demo", serviceId: String(100 + id), name, serviceType: "Default", category: "Instagram Followers",
    rate, currency: "USD", min: 10, max: 10000, refill: true, cancel: false, dripfeed: false, description: null,
    platform: "instagram", kind: "followers", firstSeen: "2026-11-24T12:00:00Z",
  };
}

const SERVICES = [svc(1, "Instagram Followers HQ", "0.5"), svc(2, "Instagram Likes", "1.25")];

describe("the catalog", () => {
  it("lists services with price per 1000, badges for new and re-priced ones, and searches in the engine", async () => {
    const { calls } = await renderApp(undefined, {
      list_providers: () => [PROVIDER],
      list_services: (args) => {
        const search = (args.filter as { search: string | null }).search;
        const services = search ? SERVICES.filter((s) => s.name.toLowerCase().includes(search)) : SERVICES;
        const prices = services.map((sv) => ({ service: sv.id, costRate: sv.rate, saleRate: sv.id === 1 ? "0.75" : sv.rate, marginPercent: sv.id === 1 ? "33.33" : "0", manual: false, unpriced: sv.id !== 1 }));
        return { total: services.length, services, prices };
      },
      catalog_changes: () => [
        { serviceRef: 1, change: "added", at: "2026-11-24T12:00:00Z", oldRate: null, newRate: null },
        { serviceRef: 2, change: "price", at: "2026-11-24T12:00:00Z", oldRate: "1", newRate: "1.25" },
      ],
      catalog_categories: () => [{ category: "Instagram Followers", services: 2 }],
      get_service: () => SERVICES[0],
      quote_order: () => ({ quantity: null, runs: null, estimatedCost: "0", currency: "USD", balance: "1000", exceedsBalance: false }),
    });
    await userEvent.click(screen.getByTestId("nav-catalog"));
    await waitFor(() => {
      expect(screen.getAllByTestId("catalog-row")).toHaveLength(2);
    });
    const [first, second] = rowsNow();
    if (!first || !second) throw new Error("two rows");
    expect(within(first).getByTestId("service-rate").textContent).toBe("$0.50");
    expect(within(first).getByTestId("service-sale-rate").textContent).toBe("$0.75");
    expect(within(first).getByTestId("service-margin").textContent).toBe("33.33%");
    expect(within(second).getByTestId("service-sale-rate").getAttribute("title")).toBe("No price rule applies: selling at cost.");
    expect(within(first).getByTestId("badge-new").textContent).toBe("New");
    expect(within(second).getByTestId("badge-price").getAttribute("title")).toBe("Was $1.00 per 1000");

    await userEvent.type(screen.getByTestId("catalog-search"), "likes");
    await waitFor(() => {
      expect(screen.getAllByTestId("catalog-row")).toHaveLength(1);
    });
    const filters = calls.filter((c) => c.cmd === "list_services").map((c) => (c.args as { filter: { search: string | null } }).filter.search);
    expect(filters).toContain("likes");

    // "Order" opens New order with the service preselected.
    const [only] = rowsNow();
    if (!only) throw new Error("one row");
    await userEvent.click(within(only).getByTestId("service-order"));
    expect(screen.getByTestId("screen-title").textContent).toBe("New order");
    expect(await screen.findByTestId("order-service")).toBeTruthy();
    expect(calls.find((c) => c.cmd === "get_service")?.args).toEqual({ id: 2 });
  });
});
