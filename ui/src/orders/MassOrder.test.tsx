import { clearMocks } from "@tauri-apps/api/mocks";
import { cleanup, fireEvent, screen, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";

import { renderScreen } from "../test/render";
import { MassOrderScreen } from "./MassOrderScreen";

afterEach(() => {
  cleanup();
  clearMocks();
});

const PROVIDER = {
  name: "demo", displayName: "Demo panel", apiUrl: "http://127.0.0.1:1/api/v2", keyHint: "••••0000", active: true,
  priority: 0, currency: "USD", balance: "5", balanceCheckedAt: null, lastError: null, isDemo: true, services: 300,
  catalogSyncedAt: null,
};

describe("the mass order preview", () => {
  it("shows each line's cost or its translated error, and the total against the balance", async () => {
    const { calls } = await renderScreen(<MassOrderScreen />, {
      list_providers: () => [PROVIDER],
      check_mass_order: () => ({
        lines: [
          { line: 1, serviceId: "1", serviceName: "Followers", link: "https://x.com/a", quantity: 100, estimatedCost: "2.5", salePrice: null, customer: null },
          { line: 3, serviceId: "1", serviceName: "Followers", link: "https://x.com/c", quantity: 200, estimatedCost: "5", salePrice: null, customer: null },
        ],
        errors: [{ line: 2, code: "order.link_invalid" }],
        totalCost: "7.5",
        totalSale: null,
        belowCost: [],
        currency: "USD",
        balance: "5",
        exceedsBalance: true,
      }),
    });
    const text = await screen.findByTestId("mass-text");
    fireEvent.change(text, { target: { value: "1|https://x.com/a|100\n1|nope|100\n1|https://x.com/c|200" } });
    await waitFor(() => {
      expect(screen.getAllByTestId("mass-row")).toHaveLength(3);
    });
    const rows = screen.getAllByTestId("mass-row");
    expect(rows.map((r) => r.dataset.line)).toEqual(["1", "2", "3"]);
    expect(rows[1]?.textContent).toContain("Enter a full link starting with http:// or https://.");
    expect(rows[0]?.textContent).toContain("$2.50");
    expect(screen.getByTestId("mass-total").textContent).toBe("$7.50");
    expect(screen.getByText("The estimate is higher than the available balance (the last balance read, less orders placed since).")).toBeTruthy();
    expect(screen.getByTestId<HTMLButtonElement>("mass-place").disabled).toBe(true);
    expect(calls.find((c) => c.cmd === "check_mass_order")?.args).toEqual({
      provider: "demo",
      text: "1|https://x.com/a|100\n1|nope|100\n1|https://x.com/c|200",
      customer: null,
      salePrice: null,
    });
    expect(screen.queryByTestId("mass-total-sale")).toBeNull();
  });

  it("sends the batch's customer and sale price and shows the sale total and the lines below cost", async () => {
    const { calls } = await renderScreen(<MassOrderScreen />, {
      list_providers: () => [{ ...PROVIDER, balance: "100" }],
      list_customers: () => [],
      check_mass_order: (args) => ({
        lines: [
          { line: 1, serviceId: "1", serviceName: "Followers", link: "https://x.com/a", quantity: 100, estimatedCost: "2.5", salePrice: (args.salePrice as string | null) ?? "4", customer: args.customer as string | null },
          { line: 2, serviceId: "1", serviceName: "Followers", link: "https://x.com/b", quantity: 100, estimatedCost: "2.5", salePrice: "1", customer: "Omar" },
        ],
        errors: [],
        totalCost: "5",
        totalSale: "4",
        belowCost: [2],
        currency: "USD",
        balance: "100",
        exceedsBalance: false,
      }),
    });
    fireEvent.change(await screen.findByTestId("mass-text"), { target: { value: "1|https://x.com/a|100\n1|https://x.com/b|100|1|Omar" } });
    fireEvent.change(screen.getByTestId("mass-customer"), { target: { value: " Sara " } });
    fireEvent.change(screen.getByTestId("mass-salePrice"), { target: { value: "3" } });
    await waitFor(() => {
      const last = calls.filter((c) => c.cmd === "check_mass_order").at(-1)?.args as Record<string, unknown> | undefined;
      expect(last).toMatchObject({ customer: "Sara", salePrice: "3" });
    });
    await waitFor(() => {
      expect(screen.getByTestId("mass-total-sale").textContent).toContain("$4.00");
    });
    expect(screen.getByTestId("mass-below-cost").textContent).toContain("2");
    const sales = screen.getAllByTestId("mass-sale");
    expect(sales.map((c) => c.dataset.belowCost)).toEqual(["false", "true"]);
    expect(screen.getAllByTestId("mass-row")[1]?.textContent).toContain("Omar");
  });

  it("refuses a malformed batch sale price on the field", async () => {
    await renderScreen(<MassOrderScreen />, { list_providers: () => [PROVIDER], list_customers: () => [] });
    fireEvent.change(await screen.findByTestId("mass-salePrice"), { target: { value: "1e3" } });
    expect((await screen.findByTestId("error-mass-salePrice")).textContent).toBe("Enter an amount such as 12.50 (digits and one dot).");
  });
});
