import { clearMocks } from "@tauri-apps/api/mocks";
import { cleanup, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import type { ReactNode } from "react";
import { afterEach, describe, expect, it } from "vitest";

import type { PriceRuleView_Serialize as PriceRuleView } from "../ipc/bindings";
import { ipcError, renderScreen } from "../test/render";
import { PriceListSettings } from "./PriceListSettings";

afterEach(() => {
  cleanup();
  clearMocks();
});

function Card({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section>
      <h2>{title}</h2>
      {children}
    </section>
  );
}

const RULE = (extra: Partial<PriceRuleView>): PriceRuleView => ({ level: "default", target: "", percent: null, fixed: null, minMargin: null, step: null, price: null, ...extra });

describe("Settings › Price list", () => {
  it("lists the rules, sets one (bad input on its field, nothing else sent), and removes one", async () => {
    let rules: PriceRuleView[] = [RULE({ level: "platform", target: "instagram", percent: "40" })];
    const { calls } = await renderScreen(<PriceListSettings Card={Card} />, {
      price_rules: () => rules,
      set_price_rule: (args) => {
        const r = args.rule as PriceRuleView;
        if (r.percent?.startsWith("-") === true) return ipcError("input.invalid", "percent");
        rules = [{ ...r }, ...rules];
        return r;
      },
      remove_price_rule: (args) => {
        rules = rules.filter((r) => !(r.level === args.level && r.target === args.target));
        return RULE({});
      },
    });
    await waitFor(() => {
      expect(screen.getAllByTestId("price-rule")).toHaveLength(1);
    });
    expect(screen.getByTestId("rule-percent").textContent).toBe("40%");
    await userEvent.type(screen.getByTestId("pr-percent"), "-5");
    await userEvent.click(screen.getByTestId("pr-save"));
    expect((await screen.findByTestId("error-pr-percent")).textContent).toBe("Some of what you entered is not valid.");
    await userEvent.clear(screen.getByTestId("pr-percent"));
    await userEvent.type(screen.getByTestId("pr-percent"), "50");
    await userEvent.type(screen.getByTestId("pr-step"), "0.05");
    await userEvent.click(screen.getByTestId("pr-save"));
    await waitFor(() => {
      expect(screen.getAllByTestId("price-rule")).toHaveLength(2);
    });
    expect(calls.filter((c) => c.cmd === "set_price_rule").at(-1)?.args).toEqual({
      rule: { level: "default", target: "", percent: "50", fixed: null, minMargin: null, step: "0.05", price: null },
    });
    // A service rule takes a manual price; a platform rule names its platform.
    await userEvent.selectOptions(screen.getByTestId("pr-level"), "service");
    expect(screen.getByTestId("pr-price")).toBeTruthy();
    await userEvent.selectOptions(screen.getByTestId("pr-level"), "platform");
    expect(screen.queryByTestId("pr-price")).toBeNull();
    const row = screen.getAllByTestId("price-rule").find((r) => r.dataset.level === "platform");
    if (row === undefined) throw new Error("no platform rule");
    await userEvent.click(within(row).getByTestId("rule-remove"));
    await waitFor(() => {
      expect(screen.getAllByTestId("price-rule")).toHaveLength(1);
    });
    expect(calls.find((c) => c.cmd === "remove_price_rule")?.args).toEqual({ level: "platform", target: "instagram" });
  });
});
