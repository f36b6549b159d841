import { clearMocks } from "@tauri-apps/api/mocks";
import { cleanup, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it } from "vitest";

import type { CustomerView_Serialize as CustomerView } from "../ipc/bindings";
import { AppShell } from "../shell/AppShell";
import { ipcError, renderScreen } from "../test/render";
import { CustomersScreen } from "./CustomersScreen";

afterEach(() => {
  cleanup();
  clearMocks();
});

const SARA: CustomerView = {
  id: 4,
  name: "Sara",
  contact: "sara@example.com",
  createdAt: "2026-11-20T12:00:00Z",
  orders: 3,
  lastOrderAt: "2026-11-24T12:00:00Z",
  earnings: [
    { currency: "EUR", orders: 1, revenue: "5", cost: "4", profit: "1", marginPercent: "20" },
    { currency: "USD", orders: 2, revenue: "12.5", cost: "10", profit: "2.5", marginPercent: "20" },
  ],
};
const OMAR: CustomerView = { ...SARA, id: 5, name: "عمر", contact: null, orders: 0, lastOrderAt: null, earnings: [] };

describe("the Customers screen", () => {
  it("lists customers with totals per currency, never summed, and searches by name or contact", async () => {
    const { calls } = await renderScreen(<CustomersScreen />, {
      list_customers: (args) => ((args.search as string | null) === null ? [SARA, OMAR] : [SARA]),
    });
    await waitFor(() => {
      expect(screen.getAllByTestId("customer-row")).toHaveLength(2);
    });
    const [sara, omar] = screen.getAllByTestId("customer-row");
    if (sara === undefined || omar === undefined) throw new Error("no rows");
    const billed = within(sara).getByTestId("customer-billed");
    expect([...billed.querySelectorAll("[data-currency]")].map((e) => e.textContent)).toEqual(["€5.00", "$12.50"]);
    expect(within(sara).getByTestId("customer-profit").textContent).toContain("$2.50");
    expect(within(sara).getByTestId("customer-profit").textContent).toContain("(20%)");
    expect(within(omar).getByTestId("customer-billed").textContent).toBe("—");
    await userEvent.type(screen.getByTestId("customers-search"), "example");
    await waitFor(() => {
      expect(screen.getAllByTestId("customer-row")).toHaveLength(1);
    });
    expect(calls.filter((c) => c.cmd === "list_customers").at(-1)?.args).toEqual({ search: "example" });
  });

  it("adds a customer; a taken name is shown on the name field", async () => {
    let added = false;
    const { calls } = await renderScreen(<CustomersScreen />, {
      list_customers: () => (added ? [SARA] : []),
      add_customer: (args) => {
        const c = args.customer as { name: string; contact: string | null };
        if (c.name === "Sara" && added) return ipcError("customer.name_taken", "customer");
        added = true;
        return SARA;
      },
    });
    expect(await screen.findByTestId("customers-empty")).toBeTruthy();
    await userEvent.type(screen.getByTestId("cu-name"), "Sara");
    await userEvent.type(screen.getByTestId("cu-contact"), "sara@example.com");
    await userEvent.click(screen.getByTestId("customer-add"));
    expect((await screen.findByTestId("customer-added")).textContent).toBe("Sara added.");
    expect(calls.find((c) => c.cmd === "add_customer")?.args).toEqual({ customer: { name: "Sara", contact: "sara@example.com" } });
    await waitFor(() => {
      expect(screen.getAllByTestId("customer-row")).toHaveLength(1);
    });
    await userEvent.type(screen.getByTestId("cu-name"), "Sara");
    await userEvent.click(screen.getByTestId("customer-add"));
    expect((await screen.findByTestId("error-cu-name")).textContent).toBe("A customer with this name already exists.");
    expect(screen.getByTestId("cu-name").getAttribute("aria-invalid")).toBe("true");
  });

  it("edits a customer's contact in place; a bad one is refused on the field, and blank removes it", async () => {
    let contact: string | null = SARA.contact;
    const { calls } = await renderScreen(<AppShell />, {
      list_customers: () => [{ ...SARA, contact }],
      set_customer_contact: (args) => {
        const c = args.contact as string | null;
        if (c !== null && c.includes("\t")) return ipcError("input.invalid", "contact");
        contact = c;
        return { ...SARA, contact };
      },
      list_orders: () => ({ orders: [], next: null }),
      order_counts: () => [],
    });
    await userEvent.click(await screen.findByRole("button", { name: "Customers" }));
    await userEvent.click(await screen.findByTestId("customer-edit-contact"));
    const input = screen.getByTestId<HTMLInputElement>("customer-contact-input");
    expect(input.value).toBe("sara@example.com");
    await userEvent.clear(input);
    await userEvent.type(input, "tab\there");
    await userEvent.click(screen.getByTestId("customer-contact-save"));
    expect((await screen.findByTestId("error-customer-contact")).textContent).toBe("Some of what you entered is not valid.");
    expect(input.getAttribute("aria-invalid")).toBe("true");
    expect(screen.getByTestId("screen").dataset.screen).toBe("customers");
    await userEvent.clear(input);
    await userEvent.type(input, "@sara_shop");
    await userEvent.click(screen.getByTestId("customer-contact-save"));
    await waitFor(() => {
      expect(screen.getByTestId("customer-contact").textContent).toBe("@sara_shop");
    });
    expect(screen.getByTestId("screen").dataset.screen).toBe("customers");
    await userEvent.click(screen.getByTestId("customer-edit-contact"));
    await userEvent.clear(screen.getByTestId("customer-contact-input"));
    await userEvent.click(screen.getByTestId("customer-contact-save"));
    await waitFor(() => {
      expect(screen.getByTestId("customer-contact").textContent).toBe("—");
    });
    expect(calls.filter((c) => c.cmd === "set_customer_contact").map((c) => c.args)).toEqual([
      { id: 4, contact: "tab\there" },
      { id: 4, contact: "@sara_shop" },
      { id: 4, contact: null },
    ]);
  });

  it("a customer opens the Orders list filtered to their orders", async () => {
    const { calls } = await renderScreen(<AppShell />, {
      list_customers: () => [SARA],
      list_orders: () => ({ orders: [], next: null }),
      order_counts: () => [],
    });
    await userEvent.click(await screen.findByRole("button", { name: "Customers" }));
    await userEvent.click(await screen.findByTestId("customer-open"));
    await waitFor(() => {
      expect(screen.getByTestId("screen").dataset.screen).toBe("orders");
    });
    await waitFor(() => {
      const last = calls.filter((c) => c.cmd === "list_orders").at(-1)?.args as { filter: { customer: number | null } } | undefined;
      expect(last?.filter.customer).toBe(4);
    });
  });
});
