import { emit } from "@tauri-apps/api/event";
import { clearMocks } from "@tauri-apps/api/mocks";
import { cleanup, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it } from "vitest";

import type { OrderRowView_Serialize, OrderStatus } from "../ipc/bindings";
import { boxEveryElement } from "../test/layout";
import { renderApp, renderScreen } from "../test/render";
import { OrdersScreen, toOrderFilter } from "./OrdersScreen";

afterEach(() => {
  cleanup();
  clearMocks();
});

boxEveryElement();

function row(id: number, extra: Partial<OrderRowView_Serialize> = {}): OrderRowView_Serialize {
  return {
    id,
    provider: "jap",
    serviceId: "101",
    serviceName: "Instagram Followers",
    serviceType: "Default",
    link: `https://instagram.com/p/${id}`,
    quantity: 1000,
    estimatedCost: "1.25",
    charge: "1.25",
    currency: "USD",
    customerId: null,
    customer: null,
    salePrice: null,
    settlement: null,
    status: "in_progress",
    rawStatus: "In progress",
    rejectReason: null,
    externalId: String(9000 + id),
    lastError: null,
    createdAt: "2026-11-24T12:00:00Z",
    startCount: 150,
    remains: 400,
    updatedAt: "2026-11-24T12:05:00Z",
    finishedAt: null,
    lastCheckedAt: null,
    parentOrderId: null,
    ...extra,
  };
}

const COUNTS = [
  { status: "completed", count: 1 },
  { status: "in_progress", count: 2 },
];

describe("the Orders screen", () => {
  it("lists a page, shows counts on the chips, loads the next page with its cursor", async () => {
    const { calls } = await renderScreen(<OrdersScreen />, {
      list_orders: (args) =>
        args.after === null
          ? { orders: [row(3), row(2, { status: "completed", remains: 0 })], next: "c2" }
          : { orders: [row(1)], next: null },
      order_counts: () => COUNTS,
    });
    await waitFor(() => {
      expect(screen.getAllByTestId("order-row")).toHaveLength(2);
    });
    expect(screen.getByTestId("chip-all").dataset.count).toBe("3");
    expect(screen.getByTestId("chip-completed").dataset.count).toBe("1");
    expect(screen.queryByTestId("chip-rejected")).toBeNull();
    const first = screen.getAllByTestId("order-row")[0];
    if (first === undefined) throw new Error("no row");
    expect(within(first).getByTestId("order-charge").textContent).toBe("$1.25");
    expect(within(first).getByTestId("order-remains").textContent).toBe("400");
    await userEvent.click(screen.getByTestId("orders-more"));
    await waitFor(() => {
      expect(screen.getAllByTestId("order-row")).toHaveLength(3);
    });
    const pages = calls.filter((c) => c.cmd === "list_orders").map((c) => (c.args as { after: string | null }).after);
    expect(pages).toEqual([null, "c2"]);
    expect(screen.queryByTestId("orders-more")).toBeNull();
  });

  it("keeps only the rows in view in the page, loads the next page near the end, and shows rows before the counts", async () => {
    let releaseCounts = () => {};
    const countsArrived = new Promise<void>((resolve) => { releaseCounts = resolve; });
    const page = (from: number) => Array.from({ length: 100 }, (_, i) => row(from - i));
    const { calls } = await renderScreen(<OrdersScreen />, {
      list_orders: (args) => (args.after === null ? { orders: page(200), next: "c100" } : { orders: page(100), next: null }),
      order_counts: async () => {
        await countsArrived;
        return [{ status: "in_progress", count: 200 }];
      },
    });
    // The rows paint while the counts are still on their way.
    await waitFor(() => {
      expect(screen.getAllByTestId("order-row").length).toBeGreaterThan(0);
    });
    expect(screen.getByTestId("chip-all").dataset.count).toBe("0");
    expect(screen.getByTestId("orders-shown").textContent).toBe("100 shown");
    const rendered = screen.getAllByTestId("order-row").length;
    expect(rendered).toBeLessThan(40);
    expect(screen.getAllByTestId("order-row")[0]?.dataset.id).toBe("200");
    releaseCounts();
    await waitFor(() => {
      expect(screen.getByTestId("chip-all").dataset.count).toBe("200");
    });
    expect(screen.getByTestId("orders-shown").textContent).toBe("100 of 200 shown");
    // Scrolling to the end fetches the next page with the cursor (no click needed).
    const table = screen.getByTestId("orders-table");
    table.scrollTop = 100 * 56;
    table.dispatchEvent(new Event("scroll"));
    await waitFor(() => {
      expect(screen.getByTestId("orders-shown").dataset.shown).toBe("200");
    });
    const pages = calls.filter((c) => c.cmd === "list_orders").map((c) => (c.args as { after: string | null }).after);
    expect(pages).toEqual([null, "c100"]);
    // Select all takes every loaded row, not only those in the DOM.
    await userEvent.click(screen.getByTestId("orders-select-all"));
    expect(screen.getByTestId("orders-selected").dataset.count).toBe("200");
  });

  it("a status chip filters through the engine; refill and cancel send the selection", async () => {
    const { calls } = await renderScreen(<OrdersScreen />, {
      list_orders: () => ({ orders: [row(3), row(2, { status: "completed" })], next: null }),
      order_counts: () => COUNTS,
      refill_orders: () => [{ orderId: 2, status: "pending", errorCode: null }],
      cancel_orders: () => [{ orderId: 3, status: null, errorCode: "order.cancel_unsupported" }],
    });
    await waitFor(() => {
      expect(screen.getAllByTestId("order-row")).toHaveLength(2);
    });
    await userEvent.click(screen.getByTestId("chip-completed"));
    await waitFor(() => {
      const last = calls.filter((c) => c.cmd === "list_orders").at(-1)?.args as { filter: { status: string[] } };
      expect(last.filter.status).toEqual(["completed"]);
    });
    await userEvent.click(screen.getByTestId("chip-all"));
    const checks = await screen.findAllByTestId("order-check");
    await userEvent.click(checks[1] as HTMLElement);
    await userEvent.click(screen.getByTestId("orders-refill"));
    await waitFor(() => {
      expect(screen.getByTestId("orders-notice").textContent).toBe("Refill requested for 1; 0 refused.");
    });
    expect(calls.find((c) => c.cmd === "refill_orders")?.args).toEqual({ ids: [2] });
    await userEvent.click(checks[1] as HTMLElement);
    await userEvent.click(checks[0] as HTMLElement);
    await userEvent.click(screen.getByTestId("orders-cancel"));
    await waitFor(() => {
      expect(screen.getByTestId("orders-notice").textContent).toBe("Cancel requested for 0; 1 refused.");
    });
    expect(calls.find((c) => c.cmd === "cancel_orders")?.args).toEqual({ ids: [3] });
  });

  it("an engine event refreshes the list without polling", async () => {
    let status: OrderStatus = "in_progress";
    await renderApp(undefined, {
      list_orders: () => ({ orders: [row(7, { status })], next: null }),
      order_counts: () => [{ status, count: 1 }],
    });
    await userEvent.click(screen.getByTestId("nav-orders"));
    await waitFor(() => {
      expect(screen.getByTestId("order-row").dataset.status).toBe("in_progress");
    });
    status = "completed";
    await emit("engine-changed", { orders: [7], balances: [], catalogs: [], jobs: false, alerts: [], everything: false });
    await waitFor(() => {
      expect(screen.getByTestId("order-row").dataset.status).toBe("completed");
    });
  });

  it("shows customer, sale and profit; filters by customer; the drawer shows the real charge beside the estimate", async () => {
    const partial = row(8, {
      status: "partial", customerId: 4, customer: "Sara", salePrice: "2", charge: "0.75",
      settlement: { billed: "1.2", cost: "0.75", profit: "0.45" },
    });
    const { calls } = await renderScreen(<OrdersScreen customerId={4} orderId={8} />, {
      list_orders: () => ({ orders: [partial, row(9)], next: null }),
      order_counts: () => [{ status: "partial", count: 1 }],
      list_customers: () => [{ id: 4, name: "Sara", contact: null, createdAt: "2026-11-24T12:00:00Z", orders: 1, lastOrderAt: null, earnings: [] }],
      order_detail: () => ({ order: partial, events: [], refills: [], cancels: [] }),
    });
    await waitFor(() => {
      expect(screen.getAllByTestId("order-row")).toHaveLength(2);
    });
    const filters = calls.filter((c) => c.cmd === "list_orders").map((c) => (c.args as { filter: { customer: number | null } }).filter.customer);
    expect(filters[0]).toBe(4);
    const [first, second] = screen.getAllByTestId("order-row");
    if (first === undefined || second === undefined) throw new Error("no rows");
    expect(within(first).getByTestId("order-customer").textContent).toBe("Sara");
    expect(within(first).getByTestId("order-sale").textContent).toBe("$1.20");
    expect(within(first).getByTestId("order-profit").textContent).toBe("$0.45");
    expect(within(second).getByTestId("order-customer").textContent).toBe("—");
    expect(within(second).getByTestId("order-profit").textContent).toBe("—");
    await waitFor(() => {
      expect(screen.getByTestId<HTMLSelectElement>("orders-filter-customer").value).toBe("4");
    });
    const drawer = await screen.findByTestId("order-drawer");
    await waitFor(() => {
      expect(within(drawer).getByTestId("drawer-sale").textContent).toBe("$2.00");
    });
    expect(within(drawer).getByTestId("drawer-billed").textContent).toBe("$1.20");
    expect(within(drawer).getByTestId("drawer-cost").textContent).toBe("$0.75 (estimated $1.25)");
    expect(within(drawer).getByTestId("drawer-profit").textContent).toBe("$0.45");
    await userEvent.selectOptions(screen.getByTestId("orders-filter-customer"), "");
    await waitFor(() => {
      const last = calls.filter((c) => c.cmd === "list_orders").at(-1)?.args as { filter: { customer: number | null } };
      expect(last.filter.customer).toBeNull();
    });
  });

  it("the drawer shows the timeline, and resolves an unknown order with the provider's id", async () => {
    let status: OrderStatus = "unknown";
    const { calls } = await renderScreen(<OrdersScreen orderId={5} />, {
      list_orders: () => ({ orders: [row(5, { status, externalId: null, charge: null })], next: null }),
      order_counts: () => [{ status, count: 1 }],
      order_detail: () => ({
        order: row(5, { status, externalId: status === "unknown" ? null : "777", charge: null }),
        events: [
          { at: "2026-11-24T12:00:00Z", kind: "created", status: "submitting", detail: "{}" },
          { at: "2026-11-24T12:00:01Z", kind: "unknown", status: "unknown", detail: "{}" },
        ],
        refills: [],
        cancels: [],
      }),
      resolve_order: () => {
        status = "pending";
        return row(5, { status, externalId: "777" });
      },
    });
    const drawer = await screen.findByTestId("order-drawer");
    await waitFor(() => {
      expect(within(drawer).getAllByTestId("timeline-entry")).toHaveLength(2);
    });
    expect(within(drawer).getByText("Journaled")).toBeTruthy();
    await userEvent.type(within(drawer).getByTestId("resolve-external-id"), "777");
    await userEvent.click(within(drawer).getByTestId("resolve-found"));
    await waitFor(() => {
      expect(screen.getByTestId("order-drawer").dataset.status).toBe("pending");
    });
    expect(calls.find((c) => c.cmd === "resolve_order")?.args).toEqual({ id: 5, externalId: "777" });
  });
});

describe("the order filter", () => {
  it("sends dates as whole local days, the end day included", () => {
    const f = toOrderFilter({ status: [], provider: "", serviceId: " 12 ", from: "2026-11-01", to: "2026-11-03", link: "", archived: false, customer: "" });
    expect(f.serviceId).toBe("12");
    expect(f.provider).toBeNull();
    expect(new Date(f.from ?? "").getDate()).toBe(1);
    const to = new Date(f.to ?? "");
    expect([to.getDate(), to.getHours()]).toEqual([4, 0]);
  });
});
