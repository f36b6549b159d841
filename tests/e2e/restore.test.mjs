// End-to-end: back up, place an order on the demo panel, restore the backup from Settings
// (checked, confirmed, the app quits to apply it), start the app again on the same data
// folder and see the order gone, the replaced data kept, and Settings saying where.
import assert from "node:assert/strict";
import { existsSync, mkdirSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";

import { launch, shellReady, tempDataDir } from "./webdriver.mjs";

async function orderLinks(session) {
  const page = await session.invoke("list_orders", { filter: {}, limit: 100, after: null });
  return page.orders.map((o) => o.link).sort();
}

async function place(session, svc, link) {
  const quantity = Math.min(Math.max(svc.min, 100), svc.max);
  const o = await session.invoke("place_order", {
    order: { provider: "demo", serviceId: svc.serviceId, link, quantity, idempotencyKey: link },
  });
  assert.equal(o.status, "pending");
}

test("a backup restored from Settings replaces the data after a restart; the replaced data is kept", async (t) => {
  const dataDir = tempDataDir("restore");
  const backups = join(dataDir, "..", `${dataDir.split("/").pop()}-backups`);
  mkdirSync(backups, { recursive: true });
  // SMM_DESK_NO_RELAUNCH: "restart" quits, and this test starts the next session itself.
  const { driver, session } = await launch(t, "restore", dataDir, { SMM_DESK_DIALOG_DIR: backups, SMM_DESK_NO_RELAUNCH: "1" });
  await session.tap("[data-testid=welcome-demo]");
  await session.waitFor("the demo provider", async () => !(await session.exists("[data-testid=welcome]")), 60_000);
  const page = await session.invoke("list_services", { filter: { provider: "demo", serviceType: "Default", limit: 5 } });
  const svc = page.services[0];
  assert.ok(svc, "a Default demo service");
  await place(session, svc, "https://instagram.com/p/e2e-before-backup");

  await session.goTo("settings");
  await session.tap("[data-testid=backup]");
  await session.waitFor("the backup", () => session.exists("[data-testid=backup-done]"), 30_000);
  await place(session, svc, "https://instagram.com/p/e2e-after-backup");
  assert.deepEqual(await orderLinks(session), ["https://instagram.com/p/e2e-after-backup", "https://instagram.com/p/e2e-before-backup"]);

  // The data folder is forced by SMM_DESK_DATA_DIR here: Settings says so and offers no move.
  await session.waitFor("the data card", () => session.exists("[data-testid=data-source]"));
  assert.equal(await session.execute("return document.querySelector('[data-testid=data-source]').dataset.source;"), "env");
  assert.equal(await session.exists("[data-testid=data-move]"), false);
  assert.equal(await session.text("[data-testid=data-dir]"), dataDir);
  await session.execute("document.querySelector('[data-testid=restore-choose]').scrollIntoView({ block: 'center' }); return true;");
  await session.screenshot("en-settings-data");

  // Choose the backup (the dialog seam answers with the newest .sqlite3 in `backups`).
  await session.tap("[data-testid=restore-choose]");
  await session.waitFor("the confirmation", () => session.exists("[data-testid=confirm-dialog]"), 30_000);
  const text = await session.text("[data-testid=confirm-dialog]");
  assert.match(text, /Replace the current data\?/);
  assert.match(text, /providers: 1, orders: 1\./);
  assert.ok(text.includes(dataDir), `the confirmation names the folder the copy is kept in: ${text}`);
  await session.screenshot("en-restore-confirm");
  assert.deepEqual(readdirSync(dataDir).filter((f) => f.includes("restore")), [], "nothing staged before confirming");

  await session.click("[data-testid=confirm-ok]");
  // The app stages the checked copy and quits (a real run restarts itself).
  await session.waitFor("the restore staged", () => existsSync(join(dataDir, "smm-desk.restore-pending.sqlite3")), 30_000);
  await session.waitFor("the app to quit", async () => {
    try {
      await session.execute("return 1;");
      return false;
    } catch {
      return true;
    }
  }, 60_000);
  await session.close();

  // Start again on the same data folder: the backup is in place, the later order is gone.
  const again = await driver.newSession();
  await shellReady(again);
  assert.deepEqual(await orderLinks(again), ["https://instagram.com/p/e2e-before-backup"]);
  const kept = readdirSync(dataDir).filter((f) => f.startsWith("smm-desk.before-restore-"));
  assert.equal(kept.length, 1, `the replaced database is kept: ${readdirSync(dataDir).join(", ")}`);
  assert.ok(!existsSync(join(dataDir, "smm-desk.restore-pending.sqlite3")));

  await again.goTo("settings");
  await again.waitFor("the restore notice", () => again.exists("[data-testid=restore-applied]"));
  const previous = await again.execute("return document.querySelector('[data-testid=restore-applied]').dataset.previous;");
  assert.equal(previous, join(dataDir, kept[0]));
  await again.execute("document.querySelector('[data-testid=restore-applied]').scrollIntoView({ block: 'center' }); return true;");
  await again.screenshot("en-settings-restored");

  await again.click("[data-testid=language-ar]");
  await again.waitFor("Arabic", async () => (await again.htmlLangDir()).dir === "rtl");
  await again.execute("document.querySelector('[data-testid=restore-applied]').scrollIntoView({ block: 'center' }); return true;");
  await again.screenshot("ar-settings-restored");
  assert.match(await again.text("[data-testid=restore-applied]"), /تمت استعادة النسخة الاحتياطية/);
});
