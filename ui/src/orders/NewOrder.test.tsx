import { clearMocks } from "@tauri-apps/api/mocks";
import { cleanup, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it } from "vitest";

import { ORDER_FIELD_KINDS, ORDER_FORMS } from "../ipc/bindings";
import type { OrderField, ServiceView_Serialize } from "../ipc/bindings";
import { ipcError, renderScreen } from "../test/render";
import { buildOrder, NewOrderScreen } from "./NewOrderScreen";

afterEach(() => {
  cleanup();
  clearMocks();
});

function service(serviceType: string, extra: Partial<ServiceView_Serialize> = {}): ServiceView_Serialize {
  return {
    id: 7,
    provider: "demo",
    serviceId: "101",
    name: `Instagram ${serviceType}`,
    serviceType,
    category: "Instagram",
    rate: "1.25",
    currency: "USD",
    min: 10,
    max: 5000,
    refill: false,
    cancel: false,
    dripfeed: true,
    description: null,
    platform: "instagram",
    kind: "followers",
    firstSeen: "2026-11-24T12:00:00Z",
    ...extra,
  };
}

const QUOTE = {
  quantity: 100, runs: null, estimatedCost: "0.125", currency: "USD", balance: "1000", exceedsBalance: false,
  customer: null, newCustomer: false, salePrice: null, saleFromPriceList: false, profit: null, marginPercent: null, belowCost: false,
};

const ORDER = {
  id: 42,
  provider: "demo",
  serviceId: "101",
  serviceName: "Instagram Default",
  serviceType: "Default",
  link: "https://instagram.com/p/x",
  quantity: 100,
  estimatedCost: "0.125",
  charge: null,
  currency: "USD",
  status: "pending",
  rawStatus: null,
  rejectReason: null,
  externalId: "9001",
  lastError: null,
  createdAt: "2026-11-24T12:00:00Z",
};

describe("the New order form's sale", () => {
  /** A quote as the engine answers it: the price list's 0.25 unless a price is given. */
  function saleQuote(args: Record<string, unknown>) {
    const order = args.order as { customer?: string | null; salePrice?: string | null };
    const price = order.salePrice ?? "0.25";
    const profit = (Number(price) - 0.125).toString();
    return {
      ...QUOTE,
      customer: order.customer ?? null,
      newCustomer: order.customer === "Sara",
      salePrice: price,
      saleFromPriceList: order.salePrice == null,
      profit,
      marginPercent: Number(price) === 0 ? null : ((Number(profit) / Number(price)) * 100).toString(),
      belowCost: Number(price) < 0.125,
    };
  }

  it("prefills the price list's sale price, shows profit and margin, and sends the customer and an edited price", async () => {
    const { calls } = await renderScreen(<NewOrderScreen serviceRef={7} />, {
      get_service: () => service("Default"),
      quote_order: saleQuote,
      list_customers: () => [{ id: 1, name: "Omar", contact: "@omar", createdAt: "2026-11-24T12:00:00Z", orders: 2, lastOrderAt: null, earnings: [] }],
      place_order: () => ({ ...ORDER, customerId: 2, customer: "Sara", salePrice: "0.2", settlement: { billed: "0.2", cost: "0.125", profit: "0.075" } }),
    });
    await userEvent.type(await screen.findByTestId("of-link"), "https://instagram.com/p/x");
    await userEvent.type(screen.getByTestId("of-quantity"), "100");
    await waitFor(() => {
      expect(screen.getByTestId<HTMLInputElement>("of-salePrice").value).toBe("0.25");
    });
    expect(screen.getByTestId("order-sale-price").textContent).toBe("$0.25");
    expect(screen.getByTestId("order-profit").textContent).toBe("$0.125");
    expect(screen.getByTestId("order-margin").textContent).toBe("50%");
    expect(screen.getByText("Suggested by your price list; you can change it.")).toBeTruthy();
    expect(screen.queryByTestId("order-below-cost")).toBeNull();
    // Suggestions come from the customer list.
    await waitFor(() => {
      expect(screen.getByTestId("of-customer-suggestions").querySelectorAll("option")).toHaveLength(1);
    });
    await userEvent.type(screen.getByTestId("of-customer"), "Sara");
    await waitFor(() => {
      expect(screen.getByText("New customer: placing the order adds them.")).toBeTruthy();
    });
    const input = screen.getByTestId("of-salePrice");
    await userEvent.clear(input);
    await userEvent.type(input, "0.2");
    await waitFor(() => {
      expect(screen.getByTestId("order-sale-price").textContent).toBe("$0.20");
    });
    await userEvent.click(screen.getByTestId("order-place"));
    await screen.findByTestId("order-result");
    const placed = calls.find((c) => c.cmd === "place_order")?.args as { order: Record<string, unknown> };
    expect(placed.order).toMatchObject({ customer: "Sara", salePrice: "0.2" });
  });

  it("warns before placing below cost and still places", async () => {
    const { calls } = await renderScreen(<NewOrderScreen serviceRef={7} />, {
      get_service: () => service("Default"),
      quote_order: saleQuote,
      list_customers: () => [],
      place_order: () => ORDER,
    });
    await userEvent.type(await screen.findByTestId("of-link"), "https://instagram.com/p/x");
    await userEvent.type(screen.getByTestId("of-quantity"), "100");
    await userEvent.clear(screen.getByTestId("of-salePrice"));
    await userEvent.type(screen.getByTestId("of-salePrice"), "0.1");
    expect((await screen.findByTestId("order-below-cost")).textContent).toContain("below the estimated cost");
    await userEvent.click(screen.getByTestId("order-place"));
    await screen.findByTestId("order-result");
    expect(calls.filter((c) => c.cmd === "place_order")).toHaveLength(1);
  });

  it("a malformed sale price is refused on its field and places nothing; the engine's sale errors show in place", async () => {
    const { calls } = await renderScreen(<NewOrderScreen serviceRef={7} />, {
      get_service: () => service("Default"),
      quote_order: saleQuote,
      list_customers: () => [],
      place_order: () => ipcError("input.invalid", "customer"),
    });
    await userEvent.type(await screen.findByTestId("of-link"), "https://instagram.com/p/x");
    await userEvent.type(screen.getByTestId("of-quantity"), "100");
    await userEvent.clear(screen.getByTestId("of-salePrice"));
    await userEvent.type(screen.getByTestId("of-salePrice"), "1,5");
    await userEvent.click(screen.getByTestId("order-place"));
    expect((await screen.findByTestId("error-of-salePrice")).textContent).toBe("Enter an amount such as 12.50 (digits and one dot).");
    expect(calls.filter((c) => c.cmd === "place_order")).toHaveLength(0);
    await userEvent.clear(screen.getByTestId("of-salePrice"));
    await userEvent.type(screen.getByTestId("of-salePrice"), "1.5");
    await userEvent.click(screen.getByTestId("order-place"));
    expect((await screen.findByTestId("error-of-customer")).textContent).toBe("Some of what you entered is not valid.");
  });
});

describe("the New order form", () => {
  it("shows exactly the Default type's fields, the engine's estimate and the balance", async () => {
    const { calls } = await renderScreen(<NewOrderScreen serviceRef={7} />, {
      get_service: () => service("Default"),
      quote_order: () => QUOTE,
    });
    expect(await screen.findByTestId("order-form")).toBeTruthy();
    expect(screen.getByTestId("of-link")).toBeTruthy();
    expect(screen.getByTestId("of-quantity")).toBeTruthy();
    expect(screen.getByTestId("of-dripfeed")).toBeTruthy();
    expect(screen.queryByTestId("of-comments")).toBeNull();
    expect(screen.queryByTestId("of-username")).toBeNull();
    expect(screen.getByText("Between 10 and 5,000.")).toBeTruthy();
    await userEvent.type(screen.getByTestId("of-link"), "https://instagram.com/p/x");
    await userEvent.type(screen.getByTestId("of-quantity"), "100");
    await waitFor(() => {
      expect(screen.getByTestId("order-cost").textContent).toBe("$0.125");
    });
    expect(screen.getByTestId("order-balance").textContent).toBe("$1,000.00");
    await waitFor(() => {
      const last = calls.filter((c) => c.cmd === "quote_order").at(-1)?.args as { order: Record<string, unknown> };
      expect(last.order.quantity).toBe(100);
    });
    const last = calls.filter((c) => c.cmd === "quote_order").at(-1)?.args as { order: Record<string, unknown> };
    expect(last.order).toMatchObject({ provider: "demo", serviceId: "101", link: "https://instagram.com/p/x", quantity: 100 });
    expect(last.order).not.toHaveProperty("comments");
  });

  it("Custom Comments: no quantity field, one comment per line with a live count", async () => {
    await renderScreen(<NewOrderScreen serviceRef={7} />, {
      get_service: () => service("Custom Comments", { dripfeed: false }),
      quote_order: () => QUOTE,
    });
    expect(await screen.findByTestId("of-comments")).toBeTruthy();
    expect(screen.queryByTestId("of-quantity")).toBeNull();
    expect(screen.queryByTestId("of-dripfeed")).toBeNull();
    await userEvent.type(screen.getByTestId("of-comments"), "Nice{Enter}Great{Enter}{Enter}Wow");
    expect(screen.getByText("One per line · 3 entered")).toBeTruthy();
  });

  it("shows the engine's validation error next to its field, translated", async () => {
    await renderScreen(<NewOrderScreen serviceRef={7} />, {
      get_service: () => service("Default"),
      quote_order: () => ipcError("order.quantity_above_max", "quantity"),
      place_order: () => ipcError("order.quantity_above_max", "quantity"),
    });
    await userEvent.type(await screen.findByTestId("of-link"), "https://instagram.com/p/x");
    await userEvent.type(screen.getByTestId("of-quantity"), "9000");
    await userEvent.click(screen.getByTestId("order-place"));
    expect((await screen.findByTestId("error-of-quantity")).textContent).toBe(
      "The quantity is above the service's maximum.",
    );
    expect(screen.queryByTestId("error-of-link")).toBeNull();
  });

  it("one idempotency key per form: a retry sends the same key; the result shows the order", async () => {
    let attempts = 0;
    const { calls } = await renderScreen(<NewOrderScreen serviceRef={7} />, {
      get_service: () => service("Default"),
      quote_order: () => QUOTE,
      place_order: () => {
        attempts += 1;
        if (attempts === 1) return ipcError("store.busy");
        return ORDER;
      },
    });
    await userEvent.type(await screen.findByTestId("of-link"), "https://instagram.com/p/x");
    await userEvent.type(screen.getByTestId("of-quantity"), "100");
    await userEvent.click(screen.getByTestId("order-place"));
    expect((await screen.findByTestId("order-error")).textContent).toBe("The database is busy. Try again.");
    await userEvent.click(screen.getByTestId("order-place"));
    const result = await screen.findByTestId("order-result");
    expect(result.dataset.status).toBe("pending");
    expect(screen.getByTestId("order-status").textContent).toBe("Pending");
    const keys = calls
      .filter((c) => c.cmd === "place_order")
      .map((c) => (c.args as { order: { idempotencyKey: string } }).order.idempotencyKey);
    expect(keys).toHaveLength(2);
    expect(keys[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(keys[1]).toBe(keys[0]);
  });

  it("an unknown outcome says not to place it again and what to do", async () => {
    await renderScreen(<NewOrderScreen serviceRef={7} />, {
      get_service: () => service("Default"),
      quote_order: () => QUOTE,
      place_order: () => ({ ...ORDER, status: "unknown", externalId: null }),
    });
    await userEvent.type(await screen.findByTestId("of-link"), "https://instagram.com/p/x");
    await userEvent.type(screen.getByTestId("of-quantity"), "100");
    await userEvent.click(screen.getByTestId("order-place"));
    const help = await screen.findByTestId("order-unknown-help");
    expect(help.textContent).toContain("Do not place this order again yet");
    expect(help.textContent).toContain("resolve this order with the provider's order id");
  });

  it("resolves an unknown order in place: balance evidence, then not placed, then submit again", async () => {
    const { calls } = await renderScreen(<NewOrderScreen serviceRef={7} />, {
      get_service: () => service("Default"),
      quote_order: () => QUOTE,
      place_order: () => ({ ...ORDER, status: "unknown", externalId: null }),
      resolve_help: () => ({
        balanceBefore: "1000", balanceNow: "1000", balanceError: null, balanceChange: "0", expectedCharge: "0.125",
        laterOrders: 0, laterOrdersCost: "0", sameLinkOrders: [], currency: "USD",
      }),
      resolve_order: () => ({ ...ORDER, status: "not_placed", externalId: null }),
      resubmit_order: () => ({ ...ORDER, id: 43, status: "pending" }),
    });
    await userEvent.type(await screen.findByTestId("of-link"), "https://instagram.com/p/x");
    await userEvent.type(screen.getByTestId("of-quantity"), "100");
    await userEvent.click(screen.getByTestId("order-place"));
    await userEvent.click(await screen.findByTestId("order-resolve-help"));
    expect((await screen.findByTestId("order-resolve-balance")).textContent).toBe(
      "Balance before $1,000.00, now $1,000.00; this order would cost $0.125; 0 other order(s) placed since that balance was read also moved it.",
    );
    await userEvent.click(screen.getByTestId("resolve-not-placed"));
    expect(await screen.findByTestId("order-resubmit")).toBeTruthy();
    expect(calls.find((c) => c.cmd === "resolve_order")?.args).toEqual({ id: 42, externalId: null });
    await userEvent.click(screen.getByTestId("order-resubmit"));
    await waitFor(() => {
      expect(screen.getByTestId("order-result").dataset.status).toBe("pending");
    });
    expect(screen.getByText("Order #43")).toBeTruthy();
  });

  it("builds only the fields the type takes (drip-feed only when chosen)", () => {
    const values = {
      link: " https://x.com/a ", quantity: "100", comments: "a\nb", usernames: "", hashtags: "", keywords: "",
      groups: "", hashtag: "", username: "bob", media: "", answerNumber: "", runs: "3", interval: "15",
      subMin: "", subMax: "", posts: "", oldPosts: "", delay: "", expiry: "", country: "", device: "",
      typeOfTraffic: "", googleKeyword: "", referringUrl: "",
    };
    const svc = { provider: "demo", serviceId: "1", serviceType: "Default" };
    expect(buildOrder(svc, values, false, "k", false)).toEqual({
      provider: "demo", serviceId: "1", idempotencyKey: "k", force: false, link: "https://x.com/a", quantity: 100,
    });
    expect(buildOrder(svc, values, true, "k", false)).toMatchObject({ runs: 3, interval: 15 });
    expect(buildOrder({ ...svc, serviceType: "Comment Replies" }, values, true, "k", false)).toEqual({
      provider: "demo", serviceId: "1", idempotencyKey: "k", force: false, link: "https://x.com/a",
      username: "bob", comments: ["a", "b"],
    });
  });
});

describe("the New order form follows the generated order definition", () => {
  // The table comes from Rust (ORDER_FORMS in the bindings): a type whose fields change there
  // changes here with no edit in the UI, and this test checks the form shows exactly them.
  const testIdOf = (f: OrderField) => (f === "runs" ? "of-dripfeed" : `of-${f}`);
  // Shown once the choice they depend on is made (the traffic source's keyword or referrer).
  const revealed: ReadonlySet<OrderField> = new Set(["googleKeyword", "referringUrl"]);
  for (const form of Object.values(ORDER_FORMS)) {
    it(`${form.serviceType || "an unknown type"}: exactly its fields`, async () => {
      await renderScreen(<NewOrderScreen serviceRef={7} />, {
        get_service: () => service(form.serviceType || "Story Poll"),
        quote_order: () => QUOTE,
      });
      expect(await screen.findByTestId("order-form")).toBeTruthy();
      const shown = new Set<OrderField>(form.fields.map((r) => r.field));
      for (const f of Object.keys(ORDER_FIELD_KINDS) as OrderField[]) {
        const el = screen.queryByTestId(testIdOf(f));
        if (revealed.has(f) && shown.has(f)) continue;
        expect({ field: f, shown: el !== null }).toEqual({ field: f, shown: shown.has(f) });
      }
      cleanup();
    });
  }
});
