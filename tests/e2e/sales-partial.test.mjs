// End-to-end: a sold order that the provider finishes as partial (issue #15), in the real app
// against the simulator (target/debug/smm-sim, driven over its stdin). The order is placed for
// a customer at a sale price; the simulator ends it with 400 of 1000 delivered and refunds the
// rest; after a refresh the order bills 40 % of the sale, costs the provider's real (partial)
// charge, and that profit, exact, is what the Orders list and drawer, the Customers screen and
// the Dashboard (its total and its per-provider line) show, in English and then Arabic. On the
// way, a top-up is recorded on the Dashboard (a bad amount refused on its field first) and the
// customer's contact is edited. Screenshots: `*-sales-partial-*.png`.
import assert from "node:assert/strict";
import { test } from "node:test";

import { addThroughScreen, Sim } from "./sim.mjs";
import { launch } from "./webdriver.mjs";

const SCALE = 12;
/** A decimal string in units of 10^-SCALE (exact). */
function units(v) {
  const [int, frac = ""] = v.split(".");
  const neg = int.startsWith("-");
  const u = BigInt(int.replace("-", "") + frac.padEnd(SCALE, "0").slice(0, SCALE));
  return neg ? -u : u;
}
/** Units back to the canonical decimal string. */
function decimal(u) {
  const neg = u < 0n;
  const s = (neg ? -u : u).toString().padStart(SCALE + 1, "0");
  const frac = s.slice(-SCALE).replace(/0+$/, "");
  return `${neg ? "-" : ""}${s.slice(0, -SCALE)}${frac === "" ? "" : `.${frac}`}`;
}

const attr = (session, css, name) =>
  session.execute("const e = document.querySelector(arguments[0]); return e === null ? null : e.getAttribute(arguments[1]);", [css, name]);

const PROVIDER = "sim";
const CUSTOMER = "Partial Shop";
const SALE = "9";
const QUANTITY = 1000;
const DELIVERED = 400;

/** The order's profit on the Orders list and in its drawer; a screenshot of the drawer. */
async function checkOrder(session, lang, order) {
  await session.goTo("orders");
  const row = `[data-testid=order-row][data-id='${order.id}']`;
  await session.waitFor(`order ${order.id} partial in the list`, async () => (await attr(session, row, "data-status")) === "partial", 20_000);
  assert.equal(await attr(session, `${row} [data-testid=order-profit]`, "data-profit"), order.settlement.profit, "the list's profit");
  await session.tap(`${row} [data-testid=order-open]`);
  await session.waitFor("the drawer", () => session.exists(`[data-testid=order-drawer][data-id='${order.id}'] [data-testid=drawer-profit]`));
  const cost = await session.text("[data-testid=drawer-cost]");
  // The real charge beside the estimate: both amounts are on the line.
  assert.ok(/\d/.test(cost) && cost.length > 8, `the cost line shows the charge and the estimate: ${cost}`);
  await session.screenshot(`${lang}-sales-partial-order-drawer`);
  await session.tap("[data-testid=order-drawer-close]");
}

/** The customer's profit on the Customers screen; a screenshot. */
async function checkCustomer(session, lang, profit) {
  await session.goTo("customers");
  const cell = "[data-testid=customer-row] [data-testid=customer-profit] [data-currency=USD]";
  await session.waitFor("the customer's profit", async () => (await attr(session, cell, "data-amount")) === profit, 20_000);
  await session.screenshot(`${lang}-sales-partial-customers`);
}

/** The Dashboard's profit and its per-provider line; a screenshot. */
async function checkDashboard(session, lang, profit) {
  await session.goTo("dashboard");
  await session.waitFor("the dashboard's profit", async () =>
    (await attr(session, "[data-testid=dash-profit-amount][data-currency=USD]", "data-amount")) === profit, 20_000);
  const line = `[data-testid=profit-group][data-key=${PROVIDER}] [data-testid=profit-group-profit][data-currency=USD]`;
  assert.equal(await attr(session, line, "data-amount"), profit, "the provider's line");
  await session.execute("document.querySelector('[data-testid=dash-profit]').scrollIntoView(); return true;");
  await session.screenshot(`${lang}-sales-partial-dashboard`);
}

test("an order finished as partial: the profit from the real charge on the order, the customer and the dashboard (en, ar)", async (t) => {
  const started = Date.now();
  const sim = await Sim.start(t);
  const { session } = await launch(t, "sales-partial");
  await addThroughScreen(session, sim, PROVIDER, "Simulator");

  const page = await session.invoke("list_services", { filter: { provider: PROVIDER, serviceType: "Default", limit: 100 } });
  const service = page.services.find((s) => s.min <= QUANTITY && s.max >= QUANTITY);
  assert.ok(service, "a Default service taking 1000");
  const link = "https://instagram.com/p/e2e-partial";
  const placed = await session.invoke("place_order", {
    order: { provider: PROVIDER, serviceId: service.serviceId, link, quantity: QUANTITY, customer: CUSTOMER, salePrice: SALE },
  });
  assert.equal(placed.status, "pending");
  const finished = await sim.finishPartial(placed.externalId, DELIVERED);
  assert.equal(finished.status, "Partial");
  assert.equal(finished.remains, QUANTITY - DELIVERED);
  await session.invoke("refresh_order", { id: placed.id });
  const order = (await session.invoke("order_detail", { id: placed.id })).order;
  assert.equal(order.status, "partial");
  assert.equal(units(order.charge), units(finished.charge), "the provider's real charge");
  assert.ok(units(order.charge) < units(order.estimatedCost), "less than the estimate");
  const billed = decimal((units(SALE) * BigInt(DELIVERED)) / BigInt(QUANTITY));
  assert.equal(order.settlement.billed, billed, "40 % of the sale");
  assert.equal(order.settlement.cost, order.charge);
  const profit = decimal(units(billed) - units(order.charge));
  assert.equal(order.settlement.profit, profit, "profit = billed − real charge, exact");

  await checkOrder(session, "en", order);
  await checkCustomer(session, "en", profit);
  // The customer's contact, edited in place.
  await session.tap("[data-testid=customer-row] [data-testid=customer-edit-contact]");
  await session.fill("[data-testid=customer-contact-input]", "@partial_shop");
  await session.tap("[data-testid=customer-contact-save]");
  await session.waitFor("the contact saved", async () => (await session.text("[data-testid=customer-row] [data-testid=customer-contact]")) === "@partial_shop");
  await checkDashboard(session, "en", profit);
  // A top-up: a bad amount is refused on its field, a good one recorded.
  const card = `[data-testid=balance-${PROVIDER}]`;
  await session.tap(`${card} [data-testid=topup-open]`);
  await session.fill(`${card} [data-testid=topup-amount]`, "-5");
  await session.tap(`${card} [data-testid=topup-save]`);
  await session.waitFor("the refusal on the field", () => session.exists(`[data-testid=error-topup-amount-${PROVIDER}]`));
  await session.fill(`${card} [data-testid=topup-amount]`, "25");
  await session.fill(`${card} [data-testid=topup-note]`, "card");
  await session.tap(`${card} [data-testid=topup-save]`);
  await session.waitFor("the top-up recorded", () => session.exists(`${card} [data-testid=topup-done]`));
  await session.execute(`document.querySelector('${card}').scrollIntoView(); return true;`);
  await session.screenshot("en-sales-partial-topup");

  await session.goTo("settings");
  await session.tap("[data-testid=language-ar]");
  await session.waitFor("Arabic", async () => (await session.htmlLangDir()).dir === "rtl");
  await checkOrder(session, "ar", order);
  await checkCustomer(session, "ar", profit);
  await checkDashboard(session, "ar", profit);

  const ms = Date.now() - started;
  t.diagnostic(`sales partial flow: ${ms} ms`);
  console.log(`sales partial flow: ${ms} ms`);
});
