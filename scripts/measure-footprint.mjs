// Start time and idle memory of one build of the app (figures for README › Install; nothing
// is asserted). Run under Xvfb with tauri-driver on PATH:
//   SMM_E2E_APP=/abs/path/to/smm-desk xvfb-run -a -s "-screen 0 1280x800x24" node scripts/measure-footprint.mjs
// A fresh HOME and data folder; WebDriver starts the app; "start" is from the session request
// (the app's process start) to the shell rendered. Then the demo panel, the Dashboard, IDLE_S
// seconds idle, and the PSS (/proc/<pid>/smaps_rollup) of the app and each of its WebKit
// processes. SMM_MEASURE_NO_DEMO=1 skips the demo (a bare window, e.g. a minimal Tauri app).
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

import { APP, Driver, tempDataDir } from "../tests/e2e/webdriver.mjs";

const IDLE_S = Number(process.env.SMM_MEASURE_IDLE_S ?? 60);
const NO_DEMO = process.env.SMM_MEASURE_NO_DEMO === "1";

function children(pid) {
  const out = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (ppid === pid) out.push(Number(entry));
    } catch {
      // gone
    }
  }
  return out;
}
function tree(pid) {
  return [pid, ...children(pid).flatMap(tree)];
}
function comm(pid) {
  return readFileSync(`/proc/${pid}/comm`, "utf8").trim();
}
function kib(pid, field) {
  const m = readFileSync(`/proc/${pid}/smaps_rollup`, "utf8").match(new RegExp(`^${field}:\\s+(\\d+) kB`, "m"));
  return m ? Number(m[1]) : 0;
}

const home = tempDataDir("measure-home");
const env = {
  SMM_DESK_DATA_DIR: "",
  HOME: home,
  XDG_CONFIG_HOME: join(home, ".config"),
  XDG_DATA_HOME: join(home, ".local", "share"),
  XDG_CACHE_HOME: join(home, ".cache"),
};
const driver = await Driver.start(home, env);
try {
  const t0 = performance.now();
  const session = await driver.newSession();
  const selector = NO_DEMO ? "body" : "[data-testid=screen]";
  await session.waitFor("the first screen", () => session.execute(`return document.querySelector('${selector}') !== null;`), 60_000);
  const startMs = Math.round(performance.now() - t0);
  const inPage = await session.execute("return Math.round(performance.now());");
  if (!NO_DEMO) {
    await session.waitFor("the welcome", () => session.find("[data-testid=welcome-demo]"));
    await session.tap("[data-testid=welcome-demo]");
    await session.waitFor("the demo", async () => !(await session.exists("[data-testid=welcome]")), 60_000);
    await session.goTo("dashboard");
  }
  await sleep(IDLE_S * 1000);
  const app = readdirSync("/proc")
    .filter((p) => /^\d+$/.test(p))
    .map(Number)
    .find((p) => {
      try {
        return readFileSync(`/proc/${p}/cmdline`, "utf8").split("\0")[0] === APP;
      } catch {
        return false;
      }
    });
  if (!app) throw new Error(`no process runs ${APP}`);
  const rows = tree(app).map((pid) => ({ pid, name: comm(pid), pss: kib(pid, "Pss"), rss: kib(pid, "Rss") }));
  const total = rows.reduce((a, r) => a + r.pss, 0);
  const mib = (k) => (k / 1024).toFixed(0);
  console.log(`app: ${APP}`);
  console.log(`start to first screen: ${startMs} ms (page's own clock at that point: ${inPage} ms)`);
  for (const r of rows) console.log(`  ${r.name.padEnd(18)} PSS ${mib(r.pss).padStart(4)} MiB  RSS ${mib(r.rss).padStart(4)} MiB`);
  console.log(`idle PSS after ${IDLE_S} s${NO_DEMO ? "" : " on the Dashboard with the demo panel"}: ${mib(total)} MiB`);
} finally {
  await driver.stop();
}
