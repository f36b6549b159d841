// A busy database never freezes the window (issue 13): the app's commands run off the
// window's thread, so while a write waits for another program's lock the window still
// answers. Run through tests/e2e/run.sh (Xvfb + tauri-driver).
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { join } from "node:path";
import { test } from "node:test";

import { launch } from "./webdriver.mjs";

/** Holds SQLite's write lock on argv[1] until a line arrives on stdin. */
const HOLD_WRITE_LOCK = `
import sqlite3, sys
c = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=5)
c.execute("BEGIN IMMEDIATE")
print("locked", flush=True)
sys.stdin.readline()
c.execute("ROLLBACK")
print("released", flush=True)
`;

/** Another program holding the database's write lock (as `smmdesk` or a backup tool might). */
function holdWriteLock(dbFile) {
  const child = spawn("python3", ["-c", HOLD_WRITE_LOCK, dbFile], { stdio: ["pipe", "pipe", "inherit"] });
  let out = "";
  const seen = (word) =>
    new Promise((resolve, reject) => {
      const check = () => out.includes(word) && resolve();
      child.stdout.on("data", (d) => {
        out += d;
        check();
      });
      child.on("exit", (code) => (out.includes(word) ? resolve() : reject(new Error(`the lock holder exited with ${code}: ${out}`))));
      check();
    });
  const locked = seen("locked");
  let released;
  return {
    locked,
    release() {
      released ??= (() => {
        child.stdin.end("\n");
        return seen("released");
      })();
      return released;
    },
  };
}

const writeState = "return window.__write;";

test("a write waiting for a locked database leaves the window answering", async (t) => {
  const { session, dataDir } = await launch(t, "busy");
  const lock = holdWriteLock(join(dataDir, "smm-desk.sqlite3"));
  t.after(() => lock.release().catch(() => null));
  await lock.locked;

  // A write the app makes now waits for the lock (SQLite's busy timeout is 10 s).
  await session.execute(
    "window.__write = 'pending';" +
      "window.__TAURI_INTERNALS__.invoke('set_engine_setting', { key: 'jobs.balance.interval_secs', value: '1800' })" +
      ".then(() => { window.__write = 'done'; }, (e) => { window.__write = 'failed: ' + JSON.stringify(e); });" +
      "return true;",
  );
  // Meanwhile the window answers: navigation, and screens that read the database render.
  await session.goTo("catalog");
  await session.waitFor("the catalog's first-start state", () => session.find("[data-testid=catalog-empty]"));
  await session.goTo("settings");
  await session.waitFor("the settings read", () => session.find("[data-testid=setting-jobs_balance_interval_secs]"));
  assert.equal(await session.execute(writeState), "pending", "the write still waits for the lock");

  // Once the other program lets go, the write goes through.
  await lock.release();
  await session.waitFor("the write to finish", async () => (await session.execute(writeState)) !== "pending", 15_000);
  assert.equal(await session.execute(writeState), "done");
});
