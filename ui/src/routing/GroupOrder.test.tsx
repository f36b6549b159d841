import { clearMocks } from "@tauri-apps/api/mocks";
import { cleanup, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it } from "vitest";

import type { OrderEventView_Serialize, RouteGroupView_Serialize, RoutedPlacementView_Serialize } from "../ipc/bindings";
import { NewOrderScreen } from "../orders/NewOrderScreen";
import { routeDetail } from "../orders/OrderDrawer";
import { ipcError, renderScreen } from "../test/render";

afterEach(() => {
  cleanup();
  clearMocks();
});

const GROUP: RouteGroupView_Serialize = {
  id: 1,
  name: "IG followers",
  rule: "cheapest",
  createdAt: "2026-12-01T10:00:00Z",
  members: [
    { position: 1, provider: "alpha", providerActive: true, currency: "USD", serviceId: "1", serviceName: "Instagram Followers", serviceType: "Default", rate: "0.5", min: 10, max: 1000 },
    { position: 2, provider: "beta", providerActive: true, currency: "USD", serviceId: "7", serviceName: "Instagram Followers", serviceType: "Default", rate: "0.8", min: 10, max: 5000 },
    { position: 3, provider: "gamma", providerActive: false, currency: "USD", serviceId: "3", serviceName: "Instagram Followers", serviceType: "Default", rate: "0.3", min: 10, max: 5000 },
  ],
};

const PREVIEW = {
  group: "IG followers",
  rule: "cheapest",
  candidates: [
    { provider: "alpha", serviceId: "1", estimatedCost: "0.05", currency: "USD" },
    { provider: "beta", serviceId: "7", estimatedCost: "0.08", currency: "USD" },
  ],
  skipped: [{ provider: "gamma", serviceId: "3", code: "provider.inactive", message: "gamma is disabled" }],
};

const ORDER = {
  id: 43, provider: "beta", serviceId: "7", serviceName: "Instagram Followers", serviceType: "Default",
  link: "https://instagram.com/p/x", quantity: 100, estimatedCost: "0.08", charge: null, currency: "USD",
  status: "pending", rawStatus: null, rejectReason: null, externalId: "77", lastError: null,
  createdAt: "2026-12-01T10:00:00Z", customerId: null, customer: null, salePrice: null, settlement: null,
};

const PLACED: RoutedPlacementView_Serialize = {
  routeKey: "k", group: "IG followers", order: ORDER as RoutedPlacementView_Serialize["order"], sent: true, remaining: [],
  skipped: PREVIEW.skipped,
  attempts: [
    { attempt: 1, orderId: 42, provider: "alpha", serviceId: "1", status: "rejected", rejectReason: "insufficient_funds", estimatedCost: "0.05" },
    { attempt: 2, orderId: 43, provider: "beta", serviceId: "7", status: "pending", rejectReason: null, estimatedCost: "0.08" },
  ],
};

async function pickGroup(extra: Record<string, (a: Record<string, unknown>) => unknown>, language: "en" | "ar" = "en") {
  const r = await renderScreen(<NewOrderScreen />, {
    list_services: () => ({ services: [], total: 0 }),
    list_offer_groups: () => [GROUP],
    list_customers: () => [],
    ...extra,
  }, language);
  await userEvent.click(await screen.findByTestId("order-group-option"));
  return r;
}

describe("New order on an offer group", () => {
  it("offers the saved groups beside the services and previews where the order goes and who is passed over", async () => {
    const { calls } = await pickGroup({ preview_routed_order: () => PREVIEW });
    expect(screen.getByTestId("order-group").textContent).toContain("IG followers");
    await userEvent.type(screen.getByTestId("of-link"), "https://instagram.com/p/x");
    await userEvent.type(screen.getByTestId("of-quantity"), "100");
    await waitFor(() => {
      expect(screen.getByTestId("route-choice").dataset.provider).toBe("alpha");
    });
    expect(screen.getByTestId("route-then").textContent).toContain("beta");
    expect(screen.getByTestId("route-skip").dataset.code).toBe("provider.inactive");
    await waitFor(() => {
      const preview = calls.filter((c) => c.cmd === "preview_routed_order").at(-1)?.args as { group: string; order: Record<string, unknown> };
      expect(preview.group).toBe("IG followers");
      expect(preview.order).toMatchObject({ provider: "", serviceId: "", link: "https://instagram.com/p/x", quantity: 100 });
    });
  });

  it("places on the group and shows every attempt of the route", async () => {
    const { calls } = await pickGroup({ preview_routed_order: () => PREVIEW, place_routed_order: () => PLACED });
    await userEvent.type(screen.getByTestId("of-link"), "https://instagram.com/p/x");
    await userEvent.type(screen.getByTestId("of-quantity"), "100");
    await userEvent.click(screen.getByTestId("order-place"));
    await screen.findByTestId("routed-result");
    const attempts = screen.getAllByTestId("route-attempt");
    expect(attempts.map((a) => [a.dataset.provider, a.dataset.status])).toEqual([["alpha", "rejected"], ["beta", "pending"]]);
    expect(attempts[0]?.textContent).toContain("Your balance with this provider is too low.");
    expect(screen.getByTestId("order-result").dataset.status).toBe("pending");
    expect(calls.filter((c) => c.cmd === "place_routed_order")).toHaveLength(1);
  });

  it("shows a quantity no member accepts on the quantity field, in Arabic", async () => {
    await pickGroup({
      preview_routed_order: () => ipcError("route.quantity_unaccepted", "quantity"),
      place_routed_order: () => ipcError("route.quantity_unaccepted", "quantity"),
    }, "ar");
    await userEvent.type(screen.getByTestId("of-link"), "https://instagram.com/p/x");
    await userEvent.type(screen.getByTestId("of-quantity"), "999999");
    await userEvent.click(screen.getByTestId("order-place"));
    await waitFor(() => {
      expect(screen.getByTestId("of-quantity").getAttribute("aria-invalid")).toBe("true");
    });
    expect(document.getElementById("of-quantity-error")?.textContent).toMatch(/[\u0600-\u06FF]/);
    expect(screen.queryByTestId("routed-result")).toBeNull();
  });

  it("names the group's remaining providers when the outcome is unknown", async () => {
    const unknown = { ...PLACED, order: { ...PLACED.order, status: "unknown" as const }, attempts: [{ ...PLACED.attempts[0], status: "unknown" as const, rejectReason: null }] as RoutedPlacementView_Serialize["attempts"], remaining: [{ provider: "beta", serviceId: "7" }] };
    await pickGroup({ preview_routed_order: () => PREVIEW, place_routed_order: () => unknown });
    await userEvent.type(screen.getByTestId("of-link"), "https://instagram.com/p/x");
    await userEvent.type(screen.getByTestId("of-quantity"), "100");
    await userEvent.click(screen.getByTestId("order-place"));
    expect((await screen.findByTestId("route-remaining")).textContent).toContain("beta");
  });
});

describe("routing events on the timeline", () => {
  const event = (kind: string, detail: unknown): OrderEventView_Serialize => ({ kind, at: "2026-12-01T10:00:00Z", status: null, detail: JSON.stringify(detail) });

  it("reads the group, the attempt and the attempts before it", () => {
    expect(routeDetail(event("routed", { group: "G", attempt: 2, provider: "beta", previous: [{ order_id: 42, provider: "alpha", service_id: "1", status: "rejected" }] }))).toEqual({
      group: "G", attempt: 2, provider: "beta", previous: [{ orderId: 42, provider: "alpha", serviceId: "1", status: "rejected" }],
    });
  });

  it("ignores other kinds and unreadable details", () => {
    expect(routeDetail(event("created", {}))).toBeNull();
    expect(routeDetail({ ...event("routed", {}), detail: "not json" })).toBeNull();
  });
});
