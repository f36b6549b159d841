// The Orders screen over 1,000,000 orders: opening it and changing a filter (times reported,
// not asserted). The orders are generated straight into the app's SQLite file by a small
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

/** Clicks `css` in the page and measures, in the page, until `rows` order rows show (all in
 *  state `status` when given). No eval: the page's CSP forbids it. */
async function timed(session, css, rows, status = "") {
  return session.executeAsync(
    "const [css, rows, status, done] = arguments; const t0 = performance.now();" +
      "document.querySelector(css).click();" +
      "const ready = () => { const r = [...document.querySelectorAll('[data-testid=order-row]')];" +
      "  return r.length === rows && (status === '' || r.every((e) => e.dataset.status === status)); };" +
      "const tick = () => { if (ready()) done(Math.round(performance.now() - t0));" +
      "  else if (performance.now() - t0 > 60000) done(-1); else requestAnimationFrame(tick); };" +
      "requestAnimationFrame(tick);",
    [css, rows, status],
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
  const open = await timed(again, "[data-testid=nav-orders]", 100);
  const chips = await again.waitFor("the chip counts", async () =>
    again.execute("const c = document.querySelector('[data-testid=chip-all]'); return c && Number(c.dataset.count) > 0 ? Number(c.dataset.count) : null;"),
  60_000);
  assert.equal(chips, ORDERS + 0, "the chips count every order");
  const partial = await timed(again, "[data-testid=chip-partial]", 100, "partial");
  const more = await timed(again, "[data-testid=orders-more]", 200, "partial");
  await again.screenshot("en-orders-1m");
  // The engine's share of a page, as bare IPC calls.
  const ipc = await again.executeAsync(
    "const done = arguments[arguments.length - 1]; const t0 = performance.now();" +
      "window.__TAURI_INTERNALS__.invoke('list_orders', { filter: { status: ['partial'] }, limit: 100, after: null })" +
      ".then(() => { const t1 = performance.now(); return window.__TAURI_INTERNALS__.invoke('order_counts', { filter: { status: [] } }).then(() => done([Math.round(t1 - t0), Math.round(performance.now() - t1)])); }, () => done([-1, -1]));",
  );
  const report =
    `orders ${ORDERS}: generated in ${generateMs} ms; open the Orders screen → 100 rows ${open} ms; ` +
    `status chip "partial" → its rows ${partial} ms; load more → 200 rows ${more} ms; ` +
    `bare IPC: list_orders page ${ipc[0]} ms, order_counts ${ipc[1]} ms`;
  t.diagnostic(report);
  console.log(report);
  assert.ok(open > 0 && partial > 0 && more > 0, "every step finished within 60 s");
});
