// End-to-end: the Orders, Dashboard, Alerts and Settings screens against the demo panel.
// Orders placed earlier reach completed/partial on screen without a reload (the scheduler
// polls, engine events refresh the window); refill and cancel from the list; the CSV export;
// the dashboard's spend equals the sum of charges (exact) and its success rate the engine's
// stats; then the same screens in Arabic (right to left) and the dark theme.
import assert from "node:assert/strict";
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";

import { launch, tempDataDir } from "./webdriver.mjs";

/** Exact sum of decimal strings (BigInt in millionths and below). */
function sumDecimals(values) {
  const scale = 12;
  let total = 0n;
  for (const v of values) {
    const [int, frac = ""] = v.split(".");
    const neg = int.startsWith("-");
    const units = BigInt(int.replace("-", "") + frac.padEnd(scale, "0").slice(0, scale));
    total += neg ? -units : units;
  }
  const s = total.toString().padStart(scale + 1, "0");
  const int = s.slice(0, -scale);
  const frac = s.slice(-scale).replace(/0+$/, "");
  return frac === "" ? int : `${int}.${frac}`;
}

/** Ticks an order's checkbox (a script click: WebKitWebDriver calls small checkboxes not
 *  interactable). */
async function check(session, id) {
  await session.execute(
    "document.querySelector(`[data-testid=order-row][data-id='${arguments[0]}'] [data-testid=order-check]`).click(); return true;",
    [id],
  );
}

const TERMINAL = ["completed", "partial", "canceled", "refunded"];

async function rowStatuses(session) {
  return session.execute(
    "return [...document.querySelectorAll('[data-testid=order-row]')].map((r) => [Number(r.dataset.id), r.dataset.status]);",
  );
}

test("orders reach their final state on screen; refill, cancel, export; dashboard and alerts agree with the engine", async (t) => {
  const dataDir = tempDataDir("orders-en");
  const exports = join(dataDir, "exports");
  mkdirSync(exports, { recursive: true });
  const { session } = await launch(t, "orders-en", dataDir, { SMM_DESK_DIALOG_DIR: exports });
  await session.waitFor("the welcome", () => session.exists("[data-testid=welcome-demo]"));
  await session.tap("[data-testid=welcome-demo]");
  await session.waitFor("the demo provider", async () => !(await session.exists("[data-testid=welcome]")), 60_000);

  // Settings: order statuses every 2 seconds (the demo panel runs 60× faster than real time).
  await session.goTo("settings");
  const intervalId = "setting-jobs_order_status_interval_secs";
  const interval = `[data-testid=${intervalId}]`;
  await session.waitFor("the job settings", () => session.exists(interval));
  // Shown in the largest whole unit: 300 seconds reads as 5 minutes.
  assert.equal(await session.execute("return document.querySelector(arguments[0]).value;", [interval]), "5");
  assert.equal(await session.execute("return document.querySelector(arguments[0]).value;", [`[data-testid=${intervalId}-unit]`]), "minutes");
  await session.fill(interval, "2");
  await session.fill(`[data-testid=${intervalId}-unit]`, "seconds");
  await session.tap(`[data-testid=${intervalId}-save]`);
  await session.waitFor("the interval saved", async () =>
    (await session.invoke("engine_settings")).find((s) => s.key === "jobs.order_status.interval_secs").value === "2",
  );
  await session.waitFor("the key store shown", async () => (await session.execute("return document.querySelector('[data-testid=key-store]').dataset.kind;")) !== "");
  await session.screenshot("en-settings-engine");

  // Orders placed through the engine (set-up), on a service with refill and cancel.
  const page = await session.invoke("list_services", { filter: { provider: "demo", serviceType: "Default", refill: true, cancel: true, limit: 5 } });
  const svc = page.services[0];
  assert.ok(svc, "a Default demo service with refill and cancel");
  const quantity = Math.min(Math.max(svc.min, 200), svc.max);
  const placed = [];
  for (let i = 0; i < 8; i += 1) {
    const o = await session.invoke("place_order", {
      order: { provider: "demo", serviceId: svc.serviceId, link: `https://instagram.com/p/e2e-list-${i}`, quantity, idempotencyKey: `e2e-list-${i}` },
    });
    assert.equal(o.status, "pending");
    placed.push(o.id);
  }

  // The Orders screen: newest first, and every order reaches a final state without a reload.
  await session.goTo("orders");
  await session.waitFor("the order rows", async () => (await rowStatuses(session)).length === placed.length);
  const ids = (await rowStatuses(session)).map(([id]) => id);
  assert.deepEqual(ids, [...placed].reverse(), "newest first");
  await session.screenshot("en-orders-open");
  await session.execute("window.__notReloaded = true; return true;");
  const started = Date.now();
  await session.waitFor(
    "every order completed or partial on screen",
    async () => (await rowStatuses(session)).every(([, s]) => TERMINAL.includes(s)),
    120_000,
  );
  const finishedAfter = Date.now() - started;
  assert.equal(await session.execute("return window.__notReloaded === true;"), true, "the page was not reloaded");
  const finals = await rowStatuses(session);
  const completed = finals.filter(([, s]) => s === "completed").length;
  const partial = finals.filter(([, s]) => s === "partial").length;
  assert.ok(completed > 0, "some orders completed");
  t.diagnostic(`8 orders final on screen after ${finishedAfter} ms: ${completed} completed, ${partial} partial`);
  // The chips count what the engine holds.
  assert.equal(await session.execute("return Number(document.querySelector('[data-testid=chip-all]').dataset.count);"), 8);
  assert.equal(await session.execute("return Number(document.querySelector('[data-testid=chip-completed]').dataset.count);"), completed);
  await session.screenshot("en-orders-final");

  // Refill a completed order from the list.
  const done = finals.find(([, s]) => s === "completed")[0];
  await check(session, done);
  assert.equal(await session.execute("return document.querySelector('[data-testid=orders-selected]').dataset.count;"), "1");
  await session.tap("[data-testid=orders-refill]");
  await session.waitFor("the refill notice", () => session.exists("[data-testid=orders-notice]"));
  assert.match(await session.text("[data-testid=orders-notice]"), /Refill requested for 1; 0 refused/);
  await check(session, done);
  // Its drawer: the timeline and the refill.
  await session.click(`[data-testid=order-row][data-id='${done}'] [data-testid=order-open]`);
  await session.waitFor("the drawer", () => session.exists(`[data-testid=order-drawer][data-id='${done}'] [data-testid=order-refills]`));
  const kinds = await session.execute("return [...document.querySelectorAll('[data-testid=timeline-entry]')].map((e) => e.dataset.kind);");
  assert.ok(kinds.includes("created") && kinds.includes("accepted") && kinds.includes("refill_requested"), `timeline: ${kinds}`);
  await session.screenshot("en-order-drawer");
  await session.tap("[data-testid=order-drawer-close]");

  // Cancel an open order from the list: it ends partial or canceled.
  const big = await session.invoke("place_order", {
    order: { provider: "demo", serviceId: svc.serviceId, link: "https://instagram.com/p/e2e-cancel", quantity: svc.max, idempotencyKey: "e2e-cancel" },
  });
  await session.waitFor("the new order on screen", () => session.exists(`[data-testid=order-row][data-id='${big.id}']`));
  await check(session, big.id);
  await session.tap("[data-testid=orders-cancel]");
  await session.waitFor("the cancel notice", async () => /Cancel requested for 1; 0 refused/.test(await session.text("[data-testid=orders-notice]")));
  await session.waitFor(
    "the canceled order final on screen",
    async () => ["partial", "canceled"].includes(await session.execute(
      "return document.querySelector(`[data-testid=order-row][data-id='${arguments[0]}']`).dataset.status;", [big.id],
    )),
    60_000,
  );

  // Filters: the link text narrows the list; a status chip too.
  await session.fill("[data-testid=orders-filter-link]", "e2e-list-3");
  await session.waitFor("one row", async () => (await rowStatuses(session)).length === 1);
  assert.equal((await rowStatuses(session))[0][0], placed[3]);
  await session.fill("[data-testid=orders-filter-link]", "");
  await session.waitFor("all rows", async () => (await rowStatuses(session)).length === 9);
  await session.tap("[data-testid=chip-completed]");
  await session.waitFor("completed rows only", async () => {
    const rows = await rowStatuses(session);
    return rows.length === completed && rows.every(([, s]) => s === "completed");
  });
  await session.tap("[data-testid=chip-all]");

  // CSV export of every order: a header and one row each, charges exact.
  await session.tap("[data-testid=orders-export]");
  await session.waitFor("the export notice", async () => /9 orders exported/.test(await session.text("[data-testid=orders-notice]")));
  const csv = readFileSync(join(exports, "orders.csv"), "utf8").trim().split("\r\n");
  assert.equal(csv.length, 10, "a header and 9 rows");
  const header = csv[0].split(",");
  assert.equal(header[0], "id");
  const orders = (await session.invoke("list_orders", { filter: {}, limit: 100, after: null })).orders;
  const chargeCol = header.indexOf("charge");
  const csvCharges = Object.fromEntries(csv.slice(1).map((l) => l.split(",")).map((c) => [Number(c[0]), c[chargeCol]]));
  for (const o of orders) assert.equal(csvCharges[o.id], o.charge ?? "", `CSV charge of #${o.id}`);

  // Dashboard: only the demo panel, labelled; its spend is the exact sum of the charges and
  // its success rate the engine's.
  await session.goTo("dashboard");
  await session.waitFor("the demo banner", () => session.exists("[data-testid=dash-demo-banner]"));
  const expected = sumDecimals(orders.filter((o) => o.charge !== null).map((o) => o.charge));
  await session.waitFor("the spend on screen", async () =>
    session.execute("const e = document.querySelector('[data-testid=dash-demo-spend-amount]'); return e !== null && e.dataset.amount === arguments[0];", [expected]),
  30_000);
  const stats = await session.invoke("dashboard_stats", { from: null, to: null, provider: "demo" });
  assert.equal(await session.execute("return document.querySelector('[data-testid=dash-demo-success]').dataset.value;"), stats.overall.successRate);
  const finished = orders.filter((o) => TERMINAL.includes(o.status)).length;
  const completedNow = orders.filter((o) => o.status === "completed").length;
  assert.equal(Number(stats.overall.successRate), Math.round((completedNow / finished) * 10_000) / 10_000);
  await session.waitFor("the charts", () => session.exists("[data-testid=chart-spend] svg"));
  await session.screenshot("en-dashboard-demo");
  await session.execute("const m = document.querySelector('[data-testid=screen]'); m.scrollTop = m.scrollHeight; return true;");
  await session.waitFor("the status chart", () => session.exists("[data-testid=chart-status] svg"));
  await session.screenshot("en-dashboard-demo-lower");
  await session.execute("document.querySelector('[data-testid=screen]').scrollTop = 0; return true;");

  // Alerts: finished orders are in the inbox; one opens its order.
  await session.goTo("alerts");
  await session.waitFor("finished-order alerts", () => session.exists("[data-testid=alert][data-kind=order_finished]"), 30_000);
  assert.ok(await session.exists("[data-testid=nav-alerts-unread]"), "the unread count in the navigation");
  await session.screenshot("en-alerts-inbox");
  const order = await session.execute("return Number(document.querySelector('[data-testid=alert][data-kind=order_finished]').dataset.order);");
  await session.tap("[data-testid=alert][data-kind=order_finished] [data-testid=alert-open]");
  await session.waitFor("the order's drawer", () => session.exists(`[data-testid=order-drawer][data-id='${order}']`));
  await session.goTo("alerts");
  await session.tap("[data-testid=alerts-read-all]");
  await session.waitFor("all read", async () => !(await session.exists("[data-testid=alert][data-read=false]")));
  assert.equal(await session.exists("[data-testid=nav-alerts-unread]"), false);

  // Backup to a file (the dialog answered by the test seam).
  await session.goTo("settings");
  await session.tap("[data-testid=backup]");
  await session.waitFor("the backup", () => session.exists("[data-testid=backup-done]"), 30_000);
  const backup = await session.execute("return document.querySelector('[data-testid=backup-done]').dataset.path;");
  assert.ok(readFileSync(backup).subarray(0, 15).toString() === "SQLite format 3", "the backup is a SQLite database");

  // Background jobs: the table shows every job the engine reports, and "Run now" runs one.
  await session.waitFor("the demo's order-status job succeeded", () =>
    session.exists("[data-testid=job-row][data-provider=demo][data-job=order_status][data-state=ok]"), 30_000);
  const jobs = await session.invoke("job_health");
  await session.waitFor("every job listed", async () =>
    (await session.execute("return document.querySelectorAll('[data-testid=job-row]').length;")) === jobs.length);
  const balanceJob = () => session.invoke("job_health").then((all) => all.find((j) => j.job === "balance" && j.provider === "demo"));
  const before = (await balanceJob()).lastStartedAt;
  await session.execute("document.querySelector('[data-testid=job-row][data-provider=demo][data-job=balance] [data-testid=job-run-now]').click(); return true;");
  await session.waitFor("the balance job ran again", async () => (await balanceJob()).lastStartedAt !== before, 30_000);
  await session.execute("document.querySelector('[data-testid=jobs-table]').scrollIntoView(); return true;");
  await session.screenshot("en-settings-jobs");
  await session.execute("document.querySelector('[data-testid=screen]').scrollTop = 0; return true;");

  // Arabic: the same screens right to left; the drawer opens at the inline end (the left).
  await session.tap("[data-testid=language-ar]");
  await session.waitFor("Arabic", async () => (await session.htmlLangDir()).dir === "rtl");
  await session.screenshot("ar-settings-engine");
  await session.execute("document.querySelector('[data-testid=jobs-table]').scrollIntoView(); return true;");
  await session.screenshot("ar-settings-jobs");
  await session.execute("document.querySelector('[data-testid=screen]').scrollTop = 0; return true;");
  await session.goTo("orders");
  await session.waitFor("the order rows", async () => (await rowStatuses(session)).length === 9);
  assert.match(await session.text("[data-testid=chip-all]"), /الكل/);
  await session.screenshot("ar-orders");
  await session.click(`[data-testid=order-row][data-id='${done}'] [data-testid=order-open]`);
  await session.waitFor("the drawer", () => session.exists("[data-testid=order-drawer] [data-testid=order-timeline]"));
  const drawer = await session.rect("[data-testid=order-drawer]");
  assert.ok(drawer.x < 10, `the drawer sits at the left in Arabic (x=${drawer.x})`);
  await session.screenshot("ar-order-drawer");
  await session.tap("[data-testid=order-drawer-close]");
  await session.goTo("dashboard");
  await session.waitFor("the charts", () => session.exists("[data-testid=chart-spend] svg"));
  await session.screenshot("ar-dashboard-demo");
  await session.goTo("alerts");
  await session.waitFor("alerts", () => session.exists("[data-testid=alert]"));
  await session.screenshot("ar-alerts-inbox");

  // The dark theme follows on the dashboard.
  await session.goTo("settings");
  await session.tap("[data-testid=theme-dark]");
  await session.waitFor("dark theme", async () => (await session.htmlLangDir()).dark);
  await session.goTo("dashboard");
  await session.waitFor("the charts", () => session.exists("[data-testid=chart-spend] svg"));
  await session.screenshot("ar-dashboard-dark");
  await session.tap("[data-testid=sidebar-language]");
  await session.waitFor("English", async () => (await session.htmlLangDir()).dir === "ltr");
  await session.waitFor("the charts", () => session.exists("[data-testid=chart-spend] svg"));
  await session.screenshot("en-dashboard-dark");

  // Arabic-Indic digits, chosen in Settings, apply at once and survive the language.
  await session.goTo("settings");
  await session.tap("[data-testid=digits-arabic]");
  await session.goTo("dashboard");
  await session.waitFor("the spend in Arabic-Indic digits", async () =>
    /[\u0660-\u0669]/.test(await session.text("[data-testid=dash-demo-spend-amount]")));
  assert.doesNotMatch(await session.text("[data-testid=dash-demo-spend-amount]"), /[0-9]/);
  await session.screenshot("en-dashboard-arabic-digits");
});
