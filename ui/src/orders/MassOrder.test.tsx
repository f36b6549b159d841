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
          { line: 1, serviceId: "1", serviceName: "Followers", link: "https://x.com/a", quantity: 100, estimatedCost: "2.5" },
          { line: 3, serviceId: "1", serviceName: "Followers", link: "https://x.com/c", quantity: 200, estimatedCost: "5" },
        ],
        errors: [{ line: 2, code: "order.link_invalid" }],
        totalCost: "7.5",
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
    });
  });
});
