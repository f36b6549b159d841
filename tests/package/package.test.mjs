// The packaged app, as a user installs it: tests/package/run.sh unpacks the .deb into a
// temporary root and points SMM_E2E_APP at its /usr/bin/smm-desk (a release build in
// production mode, ui embedded). Over its own HOME, with no data folder override, like a first
// start on a user's desktop: the shell opens, the demo panel starts, Settings shows the
// packaged version and the default data folder under that HOME. Screenshots: package-*.png.
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";

import { catalogSearchLatency } from "../e2e/catalog-search.mjs";
import { launch, tempDataDir } from "../e2e/webdriver.mjs";

const VERSION = process.env.SMM_PACKAGE_VERSION ?? "";

test("the packaged app opens, starts the demo panel, and shows its version and data folder", async (t) => {
  assert.ok(VERSION, "SMM_PACKAGE_VERSION is set (tests/package/run.sh)");
  const home = tempDataDir("package-home");
  const data = join(home, ".local", "share", "smm-desk");
  const { session } = await launch(t, "package", home, {
    SMM_DESK_DATA_DIR: "",
    HOME: home,
    XDG_CONFIG_HOME: join(home, ".config"),
    XDG_DATA_HOME: join(home, ".local", "share"),
  });
  assert.equal(await session.title(), "SMM Desk");
  assert.equal(await session.text("[data-testid=screen-title]"), "Dashboard");
  assert.deepEqual(await session.htmlLangDir(), { lang: "en", dir: "ltr", dark: false });
  // Production mode: the UI comes from the embedded assets over Tauri's own protocol.
  const href = await session.execute("return location.href;");
  assert.match(href, /^tauri:\/\/localhost(\/|$)/, `the page is served by the app itself: ${href}`);
  await session.screenshot("package-welcome");

  await session.waitFor("the welcome", () => session.find("[data-testid=welcome-demo]"));
  await session.tap("[data-testid=welcome-demo]");
  await session.waitFor("the demo provider", async () => !(await session.exists("[data-testid=welcome]")), 60_000);
  await session.goTo("providers");
  await session.waitFor("the demo provider row", () => session.exists("[data-testid=provider-demo]"));
  assert.equal(await session.text("[data-testid=provider-demo] [data-testid=provider-status]"), "Active");
  assert.equal(await session.text("[data-testid=provider-demo] [data-testid=provider-services]"), "300");
  await session.goTo("dashboard");
  await session.screenshot("package-dashboard-demo");

  await session.goTo("settings");
  await session.waitFor("app info", async () => (await session.text("[data-testid=app-info-dataDir]")) === data, 30_000);
  assert.equal(await session.text("[data-testid=app-info-version]"), VERSION);
  assert.equal(await session.text("[data-testid=app-info-databaseFile]"), join(data, "smm-desk.sqlite3"));
  assert.ok(existsSync(join(data, "smm-desk.sqlite3")), "the database is in the user's default data folder");
  await session.screenshot("package-settings");
});

// The figure issue #13 sets a goal for (p99 under 50 ms), in the release build: reported in the
// CI log, never asserted.
test("the packaged app: catalog search latency at 50,000 services (reported, not asserted)", async (t) => {
  const { session } = await launch(t, "package-catalog-50k", undefined, { SMM_DESK_DEMO_SERVICES: "50000" });
  const report = await catalogSearchLatency(session, async () => {
    await session.waitFor("the welcome", () => session.find("[data-testid=welcome-demo]"));
    await session.tap("[data-testid=welcome-demo]");
    await session.waitFor("the demo provider", async () => !(await session.exists("[data-testid=welcome]")), 300_000);
  });
  await session.screenshot("package-catalog-50k");
  t.diagnostic(`release: ${report}`);
  console.log(`release: ${report}`);
});
