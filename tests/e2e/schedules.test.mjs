// End-to-end: scheduled orders (issue #16) in the real app against the demo panel. A schedule
// "every day from now, twice" is created on the Schedules screen: its first run is this
// minute, so the app's scheduler places it at once; the order shows as the schedule's last
// result, in its history, and on Orders (the history's link opens its drawer). It is paused
// and resumed. Then in Arabic (right to left): a one-time schedule for tomorrow is created,
// listed with its rule in Arabic words, and deleted after the confirmation.
import assert from "node:assert/strict";
import { test } from "node:test";

import { launch } from "./webdriver.mjs";

const count = (session, css) => session.execute("return document.querySelectorAll(arguments[0]).length;", [css]);

/** Picks the demo's first Default service in the schedule form's service search. */
async function pickService(session) {
  const page = await session.invoke("list_services", { filter: { serviceType: "Default", limit: 1, offset: 0, sort: "provider" } });
  const service = page.services[0];
  assert.ok(service, "the demo has a Default service");
  await session.waitFor("the service search", () => session.exists("[data-testid=schedule-form] [data-testid=order-service-search]"));
  await session.fill("[data-testid=schedule-form] [data-testid=order-service-search]", service.name);
  await session.waitFor("the service found", () => session.exists("[data-testid=schedule-form] [data-testid=order-service-option]"), 10_000);
  await session.tap("[data-testid=schedule-form] [data-testid=order-service-option]");
  await session.waitFor("the link field", () => session.exists("[data-testid=sf-link]"));
  return service;
}

test("a schedule places its order, shows it in its history and on Orders, pauses and resumes (en); a one-time one in Arabic is deleted", async (t) => {
  const started = Date.now();
  const { session } = await launch(t, "schedules");
  await session.waitFor("the welcome", () => session.exists("[data-testid=welcome-demo]"));
  await session.tap("[data-testid=welcome-demo]");
  await session.waitFor("the demo provider", async () => !(await session.exists("[data-testid=welcome]")), 60_000);

  await session.goTo("schedules");
  await session.waitFor("no schedules yet", () => session.exists("[data-testid=schedules-empty]"));
  const service = await pickService(session);
  const link = "https://instagram.com/p/e2e-schedule-en";
  const quantity = Math.min(Math.max(service.min, 100), service.max);
  await session.fill("[data-testid=sf-link]", link);
  await session.fill("[data-testid=sf-quantity]", String(quantity));
  await session.tap("[data-testid=sf-repeat-days]");
  await session.tap("[data-testid=sf-end-count]");
  await session.fill("[data-testid=sf-count]", "2");
  await session.screenshot("en-schedules-form");
  await session.tap("[data-testid=sf-save]");
  await session.waitFor("the schedule listed", () => session.exists("[data-testid=schedule-row]"));

  // Its first run is this minute: the scheduler places it, and the row says so.
  const row = "[data-testid=schedule-row]";
  await session.waitFor("the first run placed", async () => (await session.exists(`${row} [data-testid=schedule-last] [data-testid=run-order]`)), 30_000);
  const [schedule] = await session.invoke("list_schedules");
  assert.equal(schedule.placed, 1);
  assert.equal(schedule.rule.count, 2);
  assert.ok(schedule.nextAt !== null, "a second run tomorrow");
  const orderId = schedule.lastRun.orderId;
  const { orders } = await session.invoke("list_orders", { filter: { link }, limit: 5, after: null });
  assert.deepEqual(orders.map((o) => o.id), [orderId], "one order, on Orders");
  assert.equal(orders[0].quantity, quantity);
  assert.match(await session.text(`${row} [data-testid=schedule-rule]`), /Every day at .*, 2 runs/);
  assert.equal(await session.text(`${row} [data-testid=schedule-status]`), "Active");

  // Pause and resume.
  await session.tap(`${row} [data-testid=schedule-pause]`);
  await session.waitFor("paused", async () => (await session.text(`${row} [data-testid=schedule-status]`)) === "Paused");
  assert.equal((await session.invoke("list_schedules"))[0].active, false);
  await session.tap(`${row} [data-testid=schedule-resume]`);
  await session.waitFor("resumed", async () => (await session.text(`${row} [data-testid=schedule-status]`)) === "Active");

  // The history, and its order's drawer on Orders.
  await session.tap(`${row} [data-testid=schedule-history]`);
  await session.waitFor("the history", () => session.exists("[data-testid=run-row][data-state=placed]"));
  assert.equal(await count(session, "[data-testid=run-row]"), 1);
  await session.screenshot("en-schedules");
  await session.tap("[data-testid=run-row] [data-testid=run-order]");
  await session.waitFor("the order's drawer", () => session.exists(`[data-testid=order-drawer][data-id='${orderId}']`));
  assert.equal(await session.execute("return document.querySelector('[data-testid=screen]').dataset.screen;"), "orders");
  await session.tap("[data-testid=order-drawer-close]");

  // Arabic: a one-time schedule for tomorrow, listed in Arabic words, deleted after confirming.
  await session.goTo("settings");
  await session.tap("[data-testid=language-ar]");
  await session.waitFor("Arabic", async () => (await session.htmlLangDir()).dir === "rtl");
  await session.goTo("schedules");
  await pickService(session);
  await session.fill("[data-testid=sf-link]", "https://instagram.com/p/e2e-schedule-ar");
  await session.fill("[data-testid=sf-quantity]", String(quantity));
  // Once (the default), tomorrow at the form's time: a date in the past is refused first.
  await session.fill("[data-testid=sf-date]", "2020-01-01");
  await session.tap("[data-testid=sf-save]");
  await session.waitFor("the refusal on the date", () => session.exists("[data-testid=error-sf-date]"));
  assert.equal((await session.invoke("list_schedules")).length, 1, "nothing added");
  const tomorrow = new Date(Date.now() + 36 * 3600 * 1000).toISOString().slice(0, 10);
  await session.fill("[data-testid=sf-date]", tomorrow);
  await session.tap("[data-testid=sf-save]");
  await session.waitFor("two schedules", async () => (await count(session, "[data-testid=schedule-row]")) === 2);
  const second = "[data-testid=schedule-row]:nth-child(2)";
  const words = await session.text(`${second} [data-testid=schedule-rule]`);
  assert.match(words, /مرة واحدة في/, `the rule in Arabic: ${words}`);
  assert.equal(await session.text(`${row} [data-testid=schedule-status]`), "نشط");
  await session.screenshot("ar-schedules");
  await session.tap(`${second} [data-testid=schedule-remove]`);
  await session.waitFor("the confirmation", () => session.exists("[data-testid=confirm-dialog]"));
  await session.screenshot("ar-schedules-delete");
  await session.tap("[data-testid=confirm-ok]");
  await session.waitFor("one schedule left", async () => (await count(session, "[data-testid=schedule-row]")) === 1);
  assert.equal((await session.invoke("list_schedules")).length, 1);

  const ms = Date.now() - started;
  t.diagnostic(`schedules flow: ${ms} ms`);
  console.log(`schedules flow: ${ms} ms`);
});
