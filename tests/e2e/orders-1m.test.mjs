// The Orders screen over 1,000,000 orders: opening it, changing filters and scrolling to the
// next page (times reported, not asserted; each from the user's action to the rows on
// screen). The orders are generated straight into the app's SQLite file by a small
// Python tool while the app is stopped (all finished, so the scheduler has nothing to poll).
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { test } from "node:test";

import { launch, shellReady } from "./webdriver.mjs";

const ORDERS = Number(process.env.SMM_E2E_ORDERS ?? 1_000_000);

/** Inserts `n` finished orders for provider 1, one a minute back from now. */
const GENERATE = `
import sqlite3, sys, time, random
db, n = sys.argv[1], int(sys.argv[2])
c = sqlite3.connect(db)
c.execute("PRAGMA journal_mode=WAL"); c.execute("PRAGMA synchronous=OFF")
now = int(time.time() * 1000)
rng = random.Random(7)
statuses = ["completed"] * 8 + ["partial", "canceled"]
def rows():
    for i in range(n):
        st = statuses[rng.randrange(10)]
        t = now - (n - i) * 60_000
        yield (f"gen-{i}", "291", "Generated service", "Default", "0.096",
               f"https://instagram.com/p/gen-{i}", 1000, "0.096", "0.096" if st == "completed" else "0.05",
               "USD", rng.randrange(100000), 0 if st == "completed" else 400, st, str(500000 + i), t, t, t, t)
c.executemany("""INSERT INTO orders (idempotency_key, provider_id, service_id, service_name, service_type,
  service_rate, link, quantity, estimated_cost, charge, currency, start_count, remains, status, external_id,
  created_at, submitted_at, updated_at, finished_at) VALUES (?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""", rows())
c.commit()
c.execute("PRAGMA wal_checkpoint(TRUNCATE)")
c.close()
`;

/** Does `action` in the page (`click` css, `select` css = value, or `scroll` css to its end)
 *  and measures, in the page, until the order list holds `shown` rows and its rows are on
 *  screen. The table is virtualized, so "on screen" means rendered rows fill the table's
 *  visible box (all in state `status` when given) or, after the scroll, a row at index
 *  `fromIndex` or beyond is in view. After a click or a select the table must be a new one
 *  (the previous filter's rows do not count). Resolves to [ms, rows in the DOM], or
 *  [-1, 0, what the page held] after 25 s. No eval: the page's CSP forbids it. */
async function timed(session, action, css, { value = "", shown, status = "", fromIndex = 0 }) {
  return session.executeAsync(
    "const [action, css, value, shown, status, fromIndex, done] = arguments;" +
      "const old = action === 'scroll' ? null : document.querySelector('[data-testid=orders-table]');" +
      "const t0 = performance.now(); const el = document.querySelector(css);" +
      "if (action === 'click') el.click();" +
      "else if (action === 'select') { Object.getOwnPropertyDescriptor(HTMLSelectElement.prototype, 'value').set.call(el, value);" +
      "  el.dispatchEvent(new Event('change', { bubbles: true })); }" +
      "else el.scrollTop = el.scrollHeight;" +
      "const ready = () => { const table = document.querySelector('[data-testid=orders-table]');" +
      "  if (!table || (old !== null && table === old)) return null;" +
      "  const count = document.querySelector('[data-testid=orders-shown]');" +
      "  if (!count || Number(count.dataset.shown) !== shown) return null;" +
      "  const rows = [...table.querySelectorAll('[data-testid=order-row]')];" +
      "  if (rows.length === 0 || (status !== '' && !rows.every((r) => r.dataset.status === status))) return null;" +
      "  const box = table.getBoundingClientRect();" +
      "  if (fromIndex > 0) return rows.some((r) => { const b = r.getBoundingClientRect();" +
      "    return Number(r.dataset.index) >= fromIndex && b.bottom > box.top && b.top < box.bottom; }) ? rows.length : null;" +
      "  return rows[rows.length - 1].getBoundingClientRect().bottom >= box.bottom - 1 ? rows.length : null; };" +
      "const state = () => { const t = document.querySelector('[data-testid=orders-table]');" +
      "  const rows = t ? [...t.querySelectorAll('[data-testid=order-row]')] : [];" +
      "  return JSON.stringify({ table: t ? t.getBoundingClientRect() : null, same: t === old," +
      "    shown: document.querySelector('[data-testid=orders-shown]')?.dataset.shown, rows: rows.length," +
      "    first: rows[0]?.getBoundingClientRect(), last: rows.at(-1)?.getBoundingClientRect(), statuses: [...new Set(rows.map((r) => r.dataset.status))] }); };" +
      "const tick = () => { const n = ready(); if (n !== null) done([Math.round(performance.now() - t0), n]);" +
      "  else if (performance.now() - t0 > 25000) done([-1, 0, state()]); else requestAnimationFrame(tick); };" +
      "requestAnimationFrame(tick);",
    [action, css, value, shown, status, fromIndex],
  );
}

test(`the Orders screen over ${ORDERS.toLocaleString("en")} orders (timings reported)`, async (t) => {
  const { driver, session, dataDir } = await launch(t, "orders-1m");
  await session.waitFor("the welcome", () => session.exists("[data-testid=welcome-demo]"));
  await session.click("[data-testid=welcome-demo]");
  await session.waitFor("the demo provider", async () => !(await session.exists("[data-testid=welcome]")), 60_000);
  await session.close();

  const started = Date.now();
  const gen = spawnSync("python3", ["-c", GENERATE, join(dataDir, "smm-desk.sqlite3"), String(ORDERS)], { encoding: "utf8", timeout: 600_000 });
  assert.equal(gen.status, 0, `generator failed: ${gen.stderr}`);
  const generateMs = Date.now() - started;

  const again = await driver.newSession();
  await shellReady(again);
  // The dashboard the app opens on sums the whole order book; let it finish, so the timings
  // below are the Orders screen's own and not the dashboard's queries sharing the CPU.
  await again.waitFor("the dashboard's figures", () =>
    again.execute("return document.querySelector('[data-testid=dash-orders], [data-testid=dash-demo-orders]') !== null;"), 60_000);
  const [open, openRows, stuck] = await timed(again, "click", "[data-testid=nav-orders]", { shown: 100 });
  assert.ok(open > 0, `the rows did not show: ${stuck}`);
  const chips = await again.waitFor("the chip counts", async () =>
    again.execute("const c = document.querySelector('[data-testid=chip-all]'); return c && Number(c.dataset.count) > 0 ? Number(c.dataset.count) : null;"),
  60_000);
  assert.equal(chips, ORDERS + 0, "the chips count every order");
  const [partial] = await timed(again, "click", "[data-testid=chip-partial]", { shown: 100, status: "partial" });
  const [provider] = await timed(again, "select", "[data-testid=orders-filter-provider]", { value: "demo", shown: 100, status: "partial" });
  const [more] = await timed(again, "scroll", "[data-testid=orders-table]", { shown: 200, status: "partial", fromIndex: 100 });
  await again.screenshot("en-orders-1m");
  // Arabic, right to left, scrolled into the middle of the loaded rows.
  await again.click("[data-testid=sidebar-language]");
  await again.waitFor("Arabic", async () => (await again.htmlLangDir()).dir === "rtl");
  await again.execute("const t = document.querySelector('[data-testid=orders-table]'); t.scrollTop = t.scrollHeight / 3; return true;");
  await again.waitFor("rows in view", async () =>
    again.execute("return document.querySelectorAll('[data-testid=order-row]').length > 0;"));
  await again.screenshot("ar-orders-1m");
  await again.click("[data-testid=sidebar-language]");
  await again.waitFor("English", async () => (await again.htmlLangDir()).dir === "ltr");
  // The engine's share of a page, as bare IPC calls.
  const ipc = await again.executeAsync(
    "const done = arguments[arguments.length - 1]; const t0 = performance.now();" +
      "window.__TAURI_INTERNALS__.invoke('list_orders', { filter: { status: ['partial'] }, limit: 100, after: null })" +
      ".then(() => { const t1 = performance.now(); return window.__TAURI_INTERNALS__.invoke('order_counts', { filter: { status: [] } }).then(() => done([Math.round(t1 - t0), Math.round(performance.now() - t1)])); }, () => done([-1, -1]));",
  );
  const report =
    `orders ${ORDERS}: generated in ${generateMs} ms; open the Orders screen → rows on screen ${open} ms ` +
    `(${openRows} of 100 in the DOM); status chip "partial" → its rows ${partial} ms; ` +
    `provider filter → its rows ${provider} ms; scroll to the end → the next page on screen ${more} ms; ` +
    `bare IPC: list_orders page ${ipc[0]} ms, order_counts ${ipc[1]} ms`;
  t.diagnostic(report);
  console.log(report);
  assert.ok(open > 0 && partial > 0 && provider > 0 && more > 0, "every step finished within 25 s");
});
