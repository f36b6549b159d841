// End-to-end: orders whose outcome is unknown, resolved in the real app against the
// fault-injecting simulator (target/debug/smm-sim, driven over its stdin).
//
// The simulator is added as a provider through the Providers screen (its test key typed into
// the password field) and synced. Then:
//  a. `add` is answered by a reset after the order was placed → the New order screen shows
//     "unknown"; in the Orders drawer an id the provider does not know is refused in place,
//     and the id the simulator really assigned is attached → the order is tracked (pending)
//     with that id, and the simulator received exactly one `add`.
//  b. `add` is reset before it is processed → unknown; "It was not placed", then "Submit
//     again" → a linked new attempt, placed exactly once at the simulator; the original stays
//     not placed.
//  c. b. again in Arabic (right to left), for the screenshots.
import assert from "node:assert/strict";
import { test } from "node:test";

import { addThroughScreen, Sim } from "./sim.mjs";
import { launch } from "./webdriver.mjs";

const PROVIDER = "sim";

const attr = (session, css, name) =>
  session.execute("const e = document.querySelector(arguments[0]); return e === null ? null : e.getAttribute(arguments[1]);", [css, name]);

/** Opens New order on the simulator's first Default service; returns the service. */
async function openOrderForm(session) {
  await session.goTo("catalog");
  await session.waitFor("catalog rows", () => session.exists("[data-testid=catalog-row]"));
  await session.fill("[data-testid=filter-provider]", PROVIDER);
  await session.fill("[data-testid=filter-type]", "Default");
  await session.waitFor("a Default row", () =>
    session.execute("const r = document.querySelector('[data-testid=catalog-row]'); return r !== null && r.innerText.includes('Default');"),
  );
  const ref = await session.execute("return Number(document.querySelector('[data-testid=catalog-row]').dataset.serviceRef);");
  const service = await session.invoke("get_service", { id: ref });
  assert.equal(service.provider, PROVIDER);
  await session.tap("[data-testid=catalog-row] [data-testid=service-order]");
  await session.waitFor("the order form", () => session.exists("[data-testid=order-form]"));
  return service;
}

/** Places an order through the form while `fault` is set on the simulator's next `add`;
 *  expects the unknown outcome on screen and returns the local order id. */
async function placeUnknown(session, sim, link, fault, shot) {
  const service = await openOrderForm(session);
  await session.fill("[data-testid=of-link]", link);
  await session.fill("[data-testid=of-quantity]", String(service.min));
  await session.waitFor("the cost estimate", () =>
    session.execute(
      "return document.querySelector('[data-testid=order-estimate]').dataset.stale === 'false' && document.querySelector('[data-testid=order-cost]').innerText !== '—';",
    ),
  );
  await sim.cmd(`fault add ${fault} 1`);
  await session.tap("[data-testid=order-place]");
  await session.waitFor("the order result", () => session.exists("[data-testid=order-result]"), 30_000);
  assert.equal(await attr(session, "[data-testid=order-result]", "data-status"), "unknown", `${fault}: the outcome is unknown`);
  assert.ok(await session.exists("[data-testid=order-unknown-help]"), "the what-to-do steps");
  await session.screenshot(shot);
  const newest = (await session.invoke("list_orders", { filter: {}, limit: 1, after: null })).orders[0];
  assert.equal(newest.status, "unknown");
  assert.equal(newest.link, link);
  return newest.id;
}

/** Opens the drawer of order `id` from the Orders screen. */
async function openDrawer(session, id, status) {
  await session.goTo("orders");
  const row = `[data-testid=order-row][data-id='${id}']`;
  await session.waitFor(`order ${id} in the list`, async () => (await attr(session, row, "data-status")) === status);
  await session.tap(`${row} [data-testid=order-open]`);
  await session.waitFor("the drawer", () => session.exists(`[data-testid=order-drawer][data-id='${id}'][data-status=${status}]`));
}

async function drawerStatus(session) {
  return attr(session, "[data-testid=order-drawer]", "data-status");
}

/** b./c.: unknown → "It was not placed" → "Submit again"; checks the link and the count at
 *  the simulator; returns the new attempt. */
async function notPlacedThenResubmit(session, sim, link, lang) {
  const original = await placeUnknown(session, sim, link, "reset-before-process", `${lang}-resolve-result-unknown`);
  assert.equal((await sim.orders()).filter((o) => o.link === link).length, 0, "the request was never processed");
  await openDrawer(session, original, "unknown");
  await session.tap("[data-testid=order-resolve-help]");
  await session.waitFor("the balance evidence", () => session.exists("[data-testid=order-resolve-balance]"), 20_000);
  await session.screenshot(`${lang}-resolve-drawer-unknown`);
  await session.tap("[data-testid=resolve-not-placed]");
  await session.waitFor("not placed", async () => (await drawerStatus(session)) === "not_placed");
  await session.waitFor("the submit-again button", () => session.exists("[data-testid=drawer-resubmit]"));
  await session.screenshot(`${lang}-resolve-not-placed`);
  await session.tap("[data-testid=drawer-resubmit]");
  const child = await session.waitFor("the linked new attempt", async () => {
    const orders = (await session.invoke("list_orders", { filter: {}, limit: 10, after: null })).orders;
    return orders.find((o) => o.parentOrderId === original && o.status !== "submitting");
  }, 30_000);
  assert.equal(child.status, "pending", "the new attempt was accepted");
  assert.equal(child.link, link);
  const atSim = (await sim.orders()).filter((o) => o.link === link);
  assert.equal(atSim.length, 1, "exactly one order at the simulator for this link");
  assert.equal(child.externalId, atSim[0].id);
  await session.waitFor("the new attempt named in the drawer", () => session.exists(`[data-testid=drawer-resubmitted][data-id='${child.id}']`));
  assert.equal(await drawerStatus(session), "not_placed", "the original stays not placed");
  await session.screenshot(`${lang}-resolve-resubmitted`);
  // The new attempt's drawer names the order it replaces.
  await session.tap("[data-testid=order-drawer-close]");
  await openDrawer(session, child.id, "pending");
  await session.waitFor("the parent named", () => session.exists(`[data-testid=order-drawer][data-parent='${original}']`));
  await session.tap("[data-testid=order-drawer-close]");
  return child;
}

test("unknown orders resolved in the app: attach the provider's id; not placed, then submitted again once", async (t) => {
  const started = Date.now();
  const sim = await Sim.start(t);
  const { session } = await launch(t, "resolve");

  // Add the simulator through the Providers screen; the key field is a password field.
  const row = await addThroughScreen(session, sim, PROVIDER, "Fault simulator");
  assert.match(await session.text(`${row} [data-testid=sync-result]`), /Synced: 100 services/);
  const keyShown = () => session.execute("return document.body.innerText.includes(arguments[0]) || [...document.querySelectorAll('input')].some((i) => i.type !== 'password' && i.value.includes(arguments[0]));", [sim.key]);
  assert.equal(await keyShown(), false, "the key is nowhere on screen");
  await sim.cmd("reset-counters");

  // a. Reset after accept: placed at the provider, reply lost.
  const linkA = "https://instagram.com/p/e2e-resolve-found";
  const a = await placeUnknown(session, sim, linkA, "reset-after-accept", "en-resolve-result-unknown-a");
  const simA = (await sim.orders()).filter((o) => o.link === linkA);
  assert.equal(simA.length, 1, "the simulator holds the order");
  assert.equal(await sim.adds(), 1, "exactly one add was sent");
  await openDrawer(session, a, "unknown");
  assert.ok(await session.exists("[data-testid=drawer-resolve] [data-testid=order-resolve]"), "the resolve flow in the drawer");
  await session.screenshot("en-resolve-drawer-unknown-a");
  // An id the provider does not know is refused in place; nothing changes.
  await session.fill("[data-testid=resolve-external-id]", "99999999");
  await session.tap("[data-testid=resolve-found]");
  await session.waitFor("the refusal", () => session.exists("[data-testid=order-resolve-error]"));
  assert.equal(await attr(session, "[data-testid=order-resolve-error]", "data-code"), "order.external_id_unknown");
  assert.match(await session.text("[data-testid=order-resolve-error]"), /does not know this order id/);
  assert.equal(await drawerStatus(session), "unknown");
  await session.screenshot("en-resolve-wrong-id");
  // The id the simulator really assigned.
  await session.fill("[data-testid=resolve-external-id]", simA[0].id);
  await session.tap("[data-testid=resolve-found]");
  await session.waitFor("tracked", async () => ["pending", "in_progress", "processing"].includes(await drawerStatus(session)));
  const resolved = (await session.invoke("order_detail", { id: a })).order;
  assert.equal(resolved.externalId, simA[0].id);
  assert.match(await session.text("[data-testid=order-drawer]"), new RegExp(`\\b${simA[0].id}\\b`), "the id shown in the drawer");
  const kinds = await session.execute("return [...document.querySelectorAll('[data-testid=timeline-entry]')].map((e) => e.dataset.kind);");
  assert.ok(kinds.includes("unknown") && kinds.includes("resolved"), `timeline: ${kinds}`);
  await session.screenshot("en-resolve-attached");
  await session.tap("[data-testid=order-drawer-close]");
  assert.equal(await sim.adds(), 1, "still exactly one add");
  assert.equal((await sim.orders()).length, 1);

  // b. Reset before processing: never reached the provider.
  const linkB = "https://instagram.com/p/e2e-resolve-not-placed";
  await notPlacedThenResubmit(session, sim, linkB, "en");
  assert.equal(await sim.adds(), 3, "the lost add and the new attempt's");
  assert.equal((await sim.orders()).length, 2);

  // c. The same in Arabic, right to left.
  await session.goTo("settings");
  await session.tap("[data-testid=language-ar]");
  await session.waitFor("Arabic", async () => (await session.htmlLangDir()).dir === "rtl");
  await notPlacedThenResubmit(session, sim, "https://instagram.com/p/e2e-resolve-ar", "ar");
  assert.equal(await sim.adds(), 5);
  assert.equal((await sim.orders()).length, 3);
  assert.equal(await keyShown(), false, "the key is nowhere on screen");

  const ms = Date.now() - started;
  t.diagnostic(`resolve flow: ${ms} ms`);
  console.log(`resolve flow: ${ms} ms`);
});
