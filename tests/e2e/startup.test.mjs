// End-to-end: the data folder chosen in Settings is gone (a drive not connected). The app
// starts anyway over its own HOME, opens no database, and shows one translated notice; "use
// the default folder" forgets the choice (the folder is not touched) and the next start is a
// normal one over the default folder.
import assert from "node:assert/strict";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";

import { Driver, shellReady, tempDataDir } from "./webdriver.mjs";

test("an unusable chosen data folder is a notice with a way back, and nothing is created there", async (t) => {
  const home = tempDataDir("startup-home");
  const config = join(home, ".config", "smm-desk");
  const data = join(home, ".local", "share", "smm-desk");
  const gone = join(home, "usb-drive", "smm-desk"); // never created
  mkdirSync(config, { recursive: true });
  writeFileSync(join(config, "data-dir"), `${gone}\n`);
  // Arabic from the start: the notice is read before anything else.
  writeFileSync(join(config, "ui-settings.json"), JSON.stringify({ language: "ar", theme: "light" }));
  const env = {
    SMM_DESK_DATA_DIR: "",
    HOME: home,
    XDG_CONFIG_HOME: join(home, ".config"),
    XDG_DATA_HOME: join(home, ".local", "share"),
    SMM_DESK_NO_RELAUNCH: "1",
  };

  const driver = await Driver.start(home, env);
  t.after(() => driver.stop());
  let session = await driver.newSession();
  await session.waitFor("the notice", () => session.exists("[data-testid=startup-problem]"), 60_000);
  assert.equal(
    await session.execute("return document.querySelector('[data-testid=startup-problem]').dataset.code;"),
    "data_dir.pointer_target_missing",
  );
  assert.match(await session.text("[data-testid=startup-problem-text]"), /القرص/);
  assert.equal((await session.htmlLangDir()).dir, "rtl");
  assert.equal(await session.text("[data-testid=startup-chosen-folder]"), gone);
  assert.equal(await session.exists("[data-testid=nav-dashboard]"), false, "no app without its data");
  await session.screenshot("ar-startup-problem");
  assert.equal(existsSync(gone), false, "nothing is created where the chosen folder was");
  assert.equal(existsSync(join(data, "smm-desk.sqlite3")), false, "no fresh database in the default folder either");

  // Clicked from a timer: the app quits while handling it, after this request has returned.
  await session.execute("setTimeout(() => document.querySelector('[data-testid=startup-use-default]').click(), 50); return true;");
  // The app quits (SMM_DESK_NO_RELAUNCH); the pointer is gone; the next start is normal.
  await session.waitFor("the pointer forgotten", () => !existsSync(join(config, "data-dir")), 20_000);
  await session.close().catch(() => {});
  session = await driver.newSession();
  await shellReady(session);
  await session.waitFor("the welcome", () => session.exists("[data-testid=welcome]"), 30_000);
  assert.equal(existsSync(join(data, "smm-desk.sqlite3")), true, "the default folder is in use");
  await session.screenshot("ar-startup-after-default");
});
