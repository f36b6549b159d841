// End-to-end: resale prices, customers and profit (issue #15) in the real app, against the
// demo panel, in English and then Arabic (right to left). A 50 % default markup is set in
// Settings › Price list (a negative one is refused on its field first); the catalog shows the
// selling price beside the cost; the New order form prefills the price list's sale price for the quantity, shows the
// profit and margin, and the order is placed for a customer who does not exist yet. The
// order then carries that customer and sale price on the Orders list and in its drawer, the
// profit is the sale less the cost (exact), and the customer appears on the Customers screen.
import assert from "node:assert/strict";
import { test } from "node:test";

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
const value = (session, css) => session.execute("const e = document.querySelector(arguments[0]); return e === null ? null : e.value;", [css]);

/** Opens New order on the demo's first Default service from the catalog; returns it. */
async function openOrderForm(session) {
  await session.goTo("catalog");
  await session.waitFor("catalog rows", () => session.exists("[data-testid=catalog-row]"), 30_000);
  await session.fill("[data-testid=filter-type]", "Default");
  await session.waitFor("a Default row", () =>
    session.execute("const r = document.querySelector('[data-testid=catalog-row]'); return r !== null && r.innerText.includes('Default');"),
  );
  const ref = await session.execute("return Number(document.querySelector('[data-testid=catalog-row]').dataset.serviceRef);");
  const service = await session.invoke("get_service", { id: ref });
  // The catalog shows the selling price beside the cost: 50 % on the rate.
  await session.waitFor("the selling price", async () => (await attr(session, "[data-testid=catalog-row] [data-testid=service-sale-rate]", "data-sale-rate")) !== "");
  const saleRate = await attr(session, "[data-testid=catalog-row] [data-testid=service-sale-rate]", "data-sale-rate");
  assert.equal(units(saleRate), (units(service.rate) * 3n) / 2n, `selling rate ${saleRate} for cost ${service.rate}`);
  await session.screenshot(`${SHOT_LANG.value}-sales-catalog`);
  await session.tap("[data-testid=catalog-row] [data-testid=service-order]");
  await session.waitFor("the order form", () => session.exists("[data-testid=order-form]"));
  return service;
}

/** One sale through the form, checked on the result, the list, the drawer and Customers. */
const SHOT_LANG = { value: "en" };

async function sellOnce(session, lang, customer, link) {
  SHOT_LANG.value = lang;
  const service = await openOrderForm(session);
  const quantity = Math.min(Math.max(service.min, 1000), service.max);
  await session.fill("[data-testid=of-link]", link);
  await session.fill("[data-testid=of-quantity]", String(quantity));
  // What the engine quotes for this order with no price given: the price list's.
  const quote = await session.invoke("quote_order", {
    order: { provider: service.provider, serviceId: service.serviceId, link, quantity, customer },
  });
  assert.equal(quote.saleFromPriceList, true, "the sale price comes from the price list");
  assert.equal(quote.newCustomer, true, "the customer does not exist yet");
  assert.equal(units(quote.salePrice), (units(quote.estimatedCost) * 3n) / 2n, "50 % on the cost");
  await session.waitFor("the suggested sale price", async () => (await value(session, "[data-testid=of-salePrice]")) === quote.salePrice);
  await session.fill("[data-testid=of-customer]", customer);
  await session.waitFor("the sale line", async () => (await attr(session, "[data-testid=order-sale-line]", "data-stale")) === "false");
  await session.waitFor("the new-customer hint", async () => {
    const hint = await session.execute("return document.querySelector('[data-field=of-customer]').innerText;");
    return lang === "en" ? hint.includes("New customer") : hint.includes("عميل جديد");
  });
  assert.equal(await session.exists("[data-testid=order-below-cost]"), false, "no below-cost warning at a markup");
  const margin = await session.text("[data-testid=order-margin]");
  assert.match(margin, lang === "en" ? /33\.33%/ : /٣٣٫٣٣|33[.,٫]33/, `the margin: ${margin}`);
  await session.screenshot(`${lang}-sales-new-order`);
  await session.tap("[data-testid=order-place]");
  await session.waitFor("the order result", () => session.exists("[data-testid=order-result]"), 30_000);

  const order = (await session.invoke("list_orders", { filter: { link }, limit: 1, after: null })).orders[0];
  assert.ok(order, "the order is in the list");
  assert.equal(order.customer, customer);
  assert.equal(order.salePrice, quote.salePrice, "placed at the suggested price");
  assert.ok(order.settlement, "an open order is settled at its sale price");
  const cost = order.charge ?? order.estimatedCost;
  assert.equal(order.settlement.billed, order.salePrice);
  assert.equal(order.settlement.cost, cost);
  assert.equal(order.settlement.profit, decimal(units(order.salePrice) - units(cost)), "profit = sale − cost, exact");

  // The Orders list: customer, sale and profit columns; the drawer.
  await session.goTo("orders");
  const row = `[data-testid=order-row][data-id='${order.id}']`;
  await session.waitFor(`order ${order.id} in the list`, () => session.exists(row));
  assert.equal(await session.text(`${row} [data-testid=order-customer]`), customer);
  assert.equal(await attr(session, `${row} [data-testid=order-sale]`, "data-sale"), order.salePrice);
  await session.waitFor("the row's profit", async () => (await attr(session, `${row} [data-testid=order-profit]`, "data-profit")) !== "");
  const shownProfit = await attr(session, `${row} [data-testid=order-profit]`, "data-profit");
  const now = (await session.invoke("order_detail", { id: order.id })).order;
  assert.equal(shownProfit, now.settlement.profit, "the list shows the engine's profit");
  await session.tap(`${row} [data-testid=order-open]`);
  await session.waitFor("the drawer", () => session.exists(`[data-testid=order-drawer][data-id='${order.id}'] [data-testid=drawer-profit]`));
  assert.equal(await session.text("[data-testid=drawer-customer]"), customer);
  assert.ok((await session.text("[data-testid=drawer-sale]")).length > 1, "the sale price in the drawer");
  await session.screenshot(`${lang}-sales-order-drawer`);
  await session.tap("[data-testid=order-drawer-close]");

  // The customer, added by the order, with their totals; opening them filters the orders.
  await session.goTo("customers");
  await session.waitFor("the customer", () =>
    session.execute("return [...document.querySelectorAll('[data-testid=customer-row]')].some((r) => r.innerText.includes(arguments[0]));", [customer]),
  );
  const listed = (await session.invoke("list_customers", { search: customer }))[0];
  assert.equal(listed.name, customer);
  assert.equal(listed.orders, 1);
  await session.screenshot(`${lang}-sales-customers`);
  await session.tap(`[data-testid=customer-row][data-id='${listed.id}'] [data-testid=customer-open]`);
  await session.waitFor("the customer's orders", async () =>
    (await session.execute("return document.querySelector('[data-testid=screen]').dataset.screen;")) === "orders" &&
    (await value(session, "[data-testid=orders-filter-customer]")) === String(listed.id) &&
    (await session.execute("return document.querySelectorAll('[data-testid=order-row]').length;")) === 1,
  );
  return order;
}

test("a markup, an order for a new customer at the suggested price, its sale and profit on screen (en, ar)", async (t) => {
  const started = Date.now();
  const { session } = await launch(t, "sales");
  await session.waitFor("the welcome", () => session.exists("[data-testid=welcome-demo]"));
  await session.tap("[data-testid=welcome-demo]");
  await session.waitFor("the demo provider", async () => !(await session.exists("[data-testid=welcome]")), 60_000);

  // Settings › Price list: a markup that is not a number of percent is refused on its field;
  // 50 % on every service is saved.
  await session.goTo("settings");
  await session.waitFor("the price list", () => session.exists("[data-testid=price-rule-form]"));
  await session.fill("[data-testid=pr-percent]", "-5");
  await session.tap("[data-testid=pr-save]");
  await session.waitFor("the refusal on the field", () => session.exists("[data-testid=error-pr-percent]"));
  assert.equal((await session.invoke("price_rules")).length, 0, "nothing saved");
  await session.fill("[data-testid=pr-percent]", "50");
  await session.tap("[data-testid=pr-save]");
  await session.waitFor("the rule listed", () => session.exists("[data-testid=price-rule][data-level=default]"));
  const rules = await session.invoke("price_rules");
  assert.deepEqual(rules.map((r) => [r.level, r.percent]), [["default", "50"]]);
  await session.execute("document.querySelector('[data-testid=price-list]').scrollIntoView(); return true;");
  await session.screenshot("en-sales-price-list");

  const en = await sellOnce(session, "en", "Sara E2E", "https://instagram.com/p/e2e-sale-en");

  await session.goTo("settings");
  await session.tap("[data-testid=language-ar]");
  await session.waitFor("Arabic", async () => (await session.htmlLangDir()).dir === "rtl");
  await session.execute("document.querySelector('[data-testid=price-list]').scrollIntoView(); return true;");
  await session.screenshot("ar-sales-price-list");
  const ar = await sellOnce(session, "ar", "متجر سارة", "https://instagram.com/p/e2e-sale-ar");

  // The Dashboard (only the demo panel here, so its numbers fill it, labelled): the profit of
  // the range is the sum of the two orders' profits, exact, and both customers are on top.
  await session.goTo("dashboard");
  const expected = async () => {
    const profits = await Promise.all([en, ar].map(async (o) => (await session.invoke("order_detail", { id: o.id })).order.settlement.profit));
    return decimal(profits.reduce((sum, p) => sum + units(p), 0n));
  };
  await session.waitFor("the dashboard's profit", async () =>
    (await attr(session, "[data-testid=dash-demo-profit-amount][data-currency=USD]", "data-amount")) === (await expected()),
  30_000);
  const top = await session.execute("return [...document.querySelectorAll('[data-testid=top-customer]')].map((e) => e.innerText);");
  assert.equal(top.length, 2, `top customers: ${top}`);
  await session.execute("document.querySelector('[data-testid=dash-demo-profit]').scrollIntoView(); return true;");
  await session.screenshot("ar-sales-dashboard");

  const ms = Date.now() - started;
  t.diagnostic(`sales flow: ${ms} ms`);
  console.log(`sales flow: ${ms} ms`);
});
