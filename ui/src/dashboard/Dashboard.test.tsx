import { clearMocks } from "@tauri-apps/api/mocks";
import { cleanup, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it } from "vitest";

import type { ProviderBalanceView_Serialize, ProviderStatsView_Serialize, StatsView_Serialize } from "../ipc/bindings";
import { ipcError, renderScreen } from "../test/render";
import { balanceRows, Dashboard, rangeOf, spendRows } from "./Dashboard";
import { profitRows } from "./ProfitCards";

afterEach(() => {
  cleanup();
  clearMocks();
});

const OUTCOMES = { total: 0, open: 0, completed: 0, partial: 0, canceled: 0, refunded: 0, rejected: 0, unknown: 0, notPlaced: 0 };
const API = { calls: 0, failed: 0, errorRate: null, avgMs: null, p95Ms: null };

function stats(provider: string | null, extra: Partial<ProviderStatsView_Serialize> = {}): ProviderStatsView_Serialize {
  return { provider, orders: OUTCOMES, successRate: null, partialRate: null, spent: [], api: API, perDay: [], ...extra };
}

function balance(provider: string, extra: Partial<ProviderBalanceView_Serialize> = {}): ProviderBalanceView_Serialize {
  return {
    provider, displayName: provider.toUpperCase(), isDemo: false, active: true, balance: "12.5", currency: "USD",
    checkedAt: "2026-11-24T12:00:00Z", threshold: null, low: false, health: "ok", lastError: null,
    catalogSyncedAt: null, lastSyncAt: "2026-11-24T12:00:00Z", ...extra,
  };
}

const REAL: StatsView_Serialize = {
  overall: stats(null, {
    orders: { ...OUTCOMES, total: 4, completed: 2, partial: 1, open: 1 },
    successRate: "0.6667",
    spent: [{ currency: "USD", amount: "3.375" }],
    api: { calls: 10, failed: 1, errorRate: "0.1", avgMs: "120.5", p95Ms: 300 },
    perDay: [{ day: "2026-11-24", orders: { ...OUTCOMES, total: 4 }, successRate: "0.6667", spent: [{ currency: "USD", amount: "3.375" }] }],
  }),
  providers: [
    stats("jap", {
      spent: [{ currency: "USD", amount: "3.375" }],
      api: { calls: 10, failed: 1, errorRate: "0.1", avgMs: "120.5", p95Ms: 300 },
      perDay: [{ day: "2026-11-24", orders: OUTCOMES, successRate: null, spent: [{ currency: "USD", amount: "3.375" }] }],
    }),
  ],
};

describe("the balance history", () => {
  it("carries each provider's last balance over days without a check, keeps exact strings, leaves the demo out", () => {
    const history = [
      { provider: "jap", day: "2026-11-22", amount: "100.000125", currency: "USD" },
      { provider: "jap", day: "2026-11-24", amount: "80", currency: "USD" },
      { provider: "kings", day: "2026-11-23", amount: "5", currency: "USD" },
      { provider: "demo", day: "2026-11-22", amount: "1000", currency: "USD" },
      { provider: "eur", day: "2026-11-22", amount: "7", currency: "EUR" },
    ];
    const days = ["2026-11-21", "2026-11-22", "2026-11-23", "2026-11-24"];
    const { rows, providers } = balanceRows(history, "USD", days, (p) => p !== "demo");
    expect(providers).toEqual(["jap", "kings"]);
    expect(rows).toEqual([
      { day: "2026-11-21" },
      { day: "2026-11-22", jap: 100.000125, "exact:jap": "100.000125" },
      { day: "2026-11-23", jap: 100.000125, "exact:jap": "100.000125", kings: 5, "exact:kings": "5" },
      { day: "2026-11-24", jap: 80, "exact:jap": "80", kings: 5, "exact:kings": "5" },
    ]);
  });

  it("draws a chart per currency, or says there were no checks", async () => {
    await renderScreen(<Dashboard />, {
      provider_balances: () => [balance("jap")],
      dashboard_stats: () => REAL,
      balance_history: () => [{ provider: "jap", day: new Date().toISOString().slice(0, 10), amount: "12.5", currency: "USD" }],
    });
    await waitFor(() => {
      expect(screen.getByTestId("chart-balance").dataset.currency).toBe("USD");
    });
    cleanup();
    clearMocks();
    await renderScreen(<Dashboard />, { provider_balances: () => [balance("jap")], dashboard_stats: () => REAL });
    expect((await screen.findByTestId("dash-balance-empty")).textContent).toBe("No balance checks in this range.");
  });
});

describe("the balances", () => {
  it("marks and lists an unexplained drop for the range, the demo's left out", async () => {
    const today = new Date().toISOString().slice(0, 10);
    const gap = (provider: string) => ({
      provider, currency: "USD", from: `${today}T01:00:00Z`, to: `${today}T02:00:00Z`, day: today, balanceBefore: "50",
      balanceAfter: "-950.3", expectedAfter: "48.8", gap: "999.1", orders: [7],
    });
    const { calls } = await renderScreen(<Dashboard />, {
      provider_balances: () => [balance("jap"), balance("demo", { isDemo: true })],
      dashboard_stats: () => REAL,
      balance_history: () => [{ provider: "jap", day: today, amount: "-950.3", currency: "USD" }],
      balance_gaps: () => [gap("jap"), gap("demo")],
    });
    const item = await screen.findByTestId("balance-gap");
    expect(screen.getAllByTestId("balance-gap")).toHaveLength(1);
    expect(item.dataset.provider).toBe("jap");
    expect(item.dataset.gap).toBe("999.1");
    expect(item.textContent).toContain("$999.10 missing");
    expect(item.textContent).toContain("expected $48.80, read -$950.30; 1 order(s) in that window");
    const args = calls.find((c) => c.cmd === "balance_gaps")?.args as { from: string; to: string };
    expect(args.from < args.to).toBe(true);
  });

  it("records a top-up; a bad amount is refused on its field and nothing is recorded", async () => {
    const recorded: unknown[] = [];
    await renderScreen(<Dashboard />, {
      provider_balances: () => [balance("jap"), balance("demo", { isDemo: true })],
      dashboard_stats: () => REAL,
      record_topup: (args) => {
        if (!/^\d+(\.\d+)?$/.test(args.amount as string) || Number(args.amount) <= 0) return ipcError("input.invalid", "amount");
        recorded.push(args);
        return { id: 1, provider: "jap", amount: args.amount as string, note: args.note as string | null, at: "2026-11-24T12:00:00Z" };
      },
    });
    const card = await screen.findByTestId("balance-jap");
    expect(screen.getAllByTestId("topup-open")).toHaveLength(1);
    expect(screen.getByTestId("balance-demo").querySelector("[data-testid=topup-open]")).toBeNull();
    await userEvent.click(within(card).getByTestId("topup-open"));
    await userEvent.type(screen.getByTestId("topup-amount"), "-5");
    await userEvent.click(screen.getByTestId("topup-save"));
    expect((await screen.findByTestId("error-topup-amount-jap")).textContent).toBe("Some of what you entered is not valid.");
    expect(screen.getByTestId("topup-amount").getAttribute("aria-invalid")).toBe("true");
    expect(recorded).toEqual([]);
    await userEvent.clear(screen.getByTestId("topup-amount"));
    await userEvent.type(screen.getByTestId("topup-amount"), "25");
    await userEvent.type(screen.getByTestId("topup-note"), "card");
    await userEvent.click(screen.getByTestId("topup-save"));
    expect((await screen.findByTestId("topup-done")).textContent).toBe("Top-up of $25.00 recorded.");
    expect(recorded).toEqual([{ provider: "jap", amount: "25", note: "card" }]);
    expect(screen.queryByTestId("topup-form")).toBeNull();
  });
});

describe("the Dashboard", () => {
  it("shows real totals exactly, a low balance, provider health, and keeps the demo apart", async () => {
    const { calls } = await renderScreen(<Dashboard />, {
      provider_balances: () => [balance("jap", { low: true, threshold: "20", balance: "12.5" }), balance("demo", { isDemo: true, balance: "990" })],
      dashboard_stats: (args) =>
        args.provider === "demo"
          ? { overall: stats("demo", { spent: [{ currency: "USD", amount: "9.99" }], successRate: "1" }), providers: [] }
          : REAL,
    });
    await waitFor(() => {
      expect(screen.getByTestId("dash-spend-amount").dataset.amount).toBe("3.375");
    });
    expect(screen.getByTestId("dash-spend-amount").textContent).toBe("$3.375");
    expect(screen.getByTestId("dash-success").textContent).toBe("66.7%");
    expect(screen.getByTestId("dash-active").textContent).toBe("1");
    expect(screen.getByTestId("balance-low").textContent).toBe("Below your threshold of $20.00");
    expect(screen.getByTestId("balance-jap").dataset.low).toBe("true");
    expect(screen.getByTestId("dash-health").textContent).toContain("121 ms");
    expect(screen.getByTestId("dash-health").textContent).toContain("10%");
    await waitFor(() => {
      expect(screen.getByTestId("dash-demo-spend-amount").dataset.amount).toBe("9.99");
    });
    expect(screen.queryByTestId("dash-demo-banner")).toBeNull();
    // Real stats are asked for without a provider: the engine leaves demo providers out.
    expect(calls.some((c) => c.cmd === "dashboard_stats" && (c.args as { provider: string | null }).provider === null)).toBe(true);
  });

  it("a range preset asks the engine for that many days", async () => {
    const { calls } = await renderScreen(<Dashboard />, {
      provider_balances: () => [balance("jap")],
      dashboard_stats: () => ({ overall: stats(null), providers: [] }),
    });
    expect(await screen.findByTestId("dash-empty")).toBeTruthy();
    await userEvent.click(screen.getByRole("radio", { name: "7 days" }));
    await waitFor(() => {
      const last = calls.filter((c) => c.cmd === "dashboard_stats").at(-1)?.args as { from: string; to: string };
      expect((Date.parse(last.to) - Date.parse(last.from)) / 86_400_000).toBe(7);
    });
  });
});

describe("dashboard helpers", () => {
  it("a range is whole UTC days ending today", () => {
    const r = rangeOf("7", { from: "", to: "" }, new Date("2026-11-24T15:00:00Z"));
    expect(r.from).toBe("2026-11-18T00:00:00.000Z");
    expect(r.to).toBe("2026-11-25T00:00:00.000Z");
    expect(r.days).toHaveLength(7);
    expect(r.days.at(-1)).toBe("2026-11-24");
  });

  it("spend rows stack each provider per day, zero on days without charges", () => {
    const { rows, providers } = spendRows(REAL, "USD", ["2026-11-23", "2026-11-24"]);
    expect(providers).toEqual(["jap"]);
    expect(rows).toEqual([
      { day: "2026-11-23", jap: 0 },
      { day: "2026-11-24", jap: 3.375 },
    ]);
  });
});

describe("the dashboard's sales", () => {
  const earnings = (currency: string, revenue: string, cost: string, profit: string, margin: string | null) => ({ currency, orders: 2, revenue, cost, profit, marginPercent: margin });
  const PROFIT = {
    overall: [earnings("EUR", "10", "8", "2", "20"), earnings("USD", "30", "20", "10", "33.33")],
    perDay: [{ key: "2026-11-24", earnings: [earnings("USD", "30", "20", "10", "33.33")] }],
    providers: [],
    platforms: [],
    categories: [],
    customers: [{ key: "Sara", earnings: [earnings("USD", "30", "20", "10", "33.33")] }],
    unsoldOrders: 3,
  };

  it("profit rows fill every day of the range, per currency", () => {
    expect(profitRows(PROFIT.perDay, "USD", ["2026-11-23", "2026-11-24"])).toEqual([
      { day: "2026-11-23", profit: 0, revenue: 0 },
      { day: "2026-11-24", profit: 10, revenue: 30 },
    ]);
    expect(profitRows(PROFIT.perDay, "EUR", ["2026-11-24"])).toEqual([{ day: "2026-11-24", profit: 0, revenue: 0 }]);
  });

  it("shows profit per provider, platform or category, one line per currency", async () => {
    await renderScreen(<Dashboard />, {
      provider_balances: () => [balance("jap")],
      dashboard_stats: () => REAL,
      dashboard_profit: () => ({
        ...PROFIT,
        providers: [{ key: "jap", earnings: [earnings("EUR", "10", "8", "2", "20"), earnings("USD", "30", "20", "10", "33.33")] }],
        platforms: [{ key: "instagram", earnings: [earnings("USD", "30", "20", "10", "33.33")] }, { key: "tiktok", earnings: [earnings("EUR", "10", "8", "2", "20")] }],
        categories: [{ key: "Instagram Followers", earnings: [earnings("USD", "30", "20", "10", "33.33")] }],
      }),
    });
    const table = await screen.findByTestId("dash-profit-groups");
    expect(table.dataset.by).toBe("providers");
    const jap = screen.getByTestId("profit-group");
    expect([...jap.querySelectorAll("[data-testid=profit-group-profit]")].map((e) => (e as HTMLElement).dataset.amount)).toEqual(["2", "10"]);
    expect(jap.textContent).toContain("(33.33%)");
    await userEvent.click(screen.getByRole("radio", { name: "Platform" }));
    await waitFor(() => {
      expect(screen.getAllByTestId("profit-group").map((r) => r.querySelector("td")?.textContent)).toEqual(["Instagram", "TikTok"]);
    });
    await userEvent.click(screen.getByRole("radio", { name: "Category" }));
    await waitFor(() => {
      expect(screen.getByTestId("profit-group").dataset.key).toBe("Instagram Followers");
    });
    expect(screen.getByTestId("profit-group-revenue").textContent).toBe("$30.00");
  });

  it("shows revenue, cost, profit and margin per currency (never summed), the top customers, for the range's real providers", async () => {
    const { calls } = await renderScreen(<Dashboard />, {
      provider_balances: () => [balance("jap")],
      dashboard_stats: () => REAL,
      balance_history: () => [],
      dashboard_profit: () => PROFIT,
    });
    await waitFor(() => {
      expect(screen.getAllByTestId("dash-revenue")).toHaveLength(2);
    });
    expect(screen.getAllByTestId("dash-revenue").map((e) => e.dataset.currency)).toEqual(["EUR", "USD"]);
    expect(screen.getAllByTestId("dash-profit-amount").map((e) => e.dataset.amount)).toEqual(["2", "10"]);
    expect(screen.getAllByTestId("dash-margin")[1]?.textContent).toContain("33.33%");
    expect(screen.getAllByTestId("chart-profit")).toHaveLength(2);
    expect(screen.getByTestId("top-customer").textContent).toContain("Sara");
    expect(screen.getByText("3 order(s) in this range have no sale price and count only in the spend.")).toBeTruthy();
    const args = calls.find((c) => c.cmd === "dashboard_profit")?.args as { provider: string | null; from: string; to: string };
    expect(args.provider).toBeNull();
    expect(args.from < args.to).toBe(true);
  });
});
