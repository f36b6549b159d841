// The catalog search latency at 50,000 services, reported (never asserted: timing is measured by
// benchmarks, not tests): keystroke → table committed, per character of "followers", and the
// list_services IPC call alone. Used by the debug e2e run and by the packaged (release) app.
import assert from "node:assert/strict";

/** The demo catalog's size: 50,000 (the goal's size) unless SMM_E2E_CATALOG says otherwise
 *  (`make test` runs a short 10,000; `make e2e-full` the whole). */
export const CATALOG_SERVICES = Number(process.env.SMM_E2E_CATALOG ?? 50_000);

/** Starts the demo (`startDemo`), opens the catalog, types a search and answers the report. */
export async function catalogSearchLatency(session, startDemo, services = 50_000) {
  const started = Date.now();
  await startDemo();
  const syncMs = Date.now() - started;
  await session.goTo("catalog");
  await session.waitFor("catalog rows", () => session.exists("[data-testid=catalog-row]"), 30_000);
  assert.equal(await session.execute("return Number(document.querySelector('[data-testid=catalog-count]').dataset.total);"), services);

  const term = "followers";
  const timings = [];
  for (let i = 0; i < term.length; i += 1) {
    await session.execute("performance.clearMeasures('catalog-search'); return true;");
    await session.type("[data-testid=catalog-search]", term[i]);
    const ms = await session.waitFor(`the table for "${term.slice(0, i + 1)}"`, () =>
      session.execute(
        "const m = performance.getEntriesByName('catalog-search');" +
          "const c = document.querySelector('[data-testid=catalog-count]');" +
          "return m.length > 0 && c.dataset.search === arguments[0] ? m[m.length - 1].duration : null;",
        [term.slice(0, i + 1)],
      ),
    20_000);
    timings.push(Math.round(ms));
  }
  // Scrolling deep into the table loads the rows there.
  await session.execute("const s = document.querySelector('[data-testid=catalog-scroll]'); s.scrollTop = s.scrollHeight / 2; return true;");
  await session.waitFor("rows half-way down", () => session.exists("[data-testid=catalog-row]"));
  // The engine's share: the same searches as bare IPC calls (SQLite count + first page).
  const ipc = [];
  for (let i = 0; i < term.length; i += 1) {
    ipc.push(
      await session.executeAsync(
        "const done = arguments[arguments.length - 1]; const t0 = performance.now();" +
          "window.__TAURI_INTERNALS__.invoke('list_services', { filter: { search: arguments[0], limit: 100, offset: 0 } })" +
          ".then(() => done(Math.round(performance.now() - t0)), () => done(-1));",
        [term.slice(0, i + 1)],
      ),
    );
  }
  const sorted = [...timings].sort((a, b) => a - b);
  const ipcSorted = [...ipc].sort((a, b) => a - b);
  const report =
    `catalog 50k: demo start + sync ${syncMs} ms; search keystroke → table (ms) per character of "${term}": ` +
    `${timings.join(", ")}; median ${sorted[Math.floor(sorted.length / 2)]}, max ${sorted[sorted.length - 1]}; ` +
    `of which the list_services IPC call alone: ${ipc.join(", ")} (median ${ipcSorted[Math.floor(ipcSorted.length / 2)]})`;
  return report;
}
