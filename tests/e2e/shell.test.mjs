// End-to-end tests of the real SMM Desk window: the shell, navigation, right-to-left Arabic,
// and settings that survive a restart. Run through tests/e2e/run.sh (Xvfb + tauri-driver).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";

import { launch, shellReady, tempDataDir } from "./webdriver.mjs";

const SCREENS = ["dashboard", "providers", "catalog", "newOrder", "massOrder", "orders", "schedules", "customers", "alerts", "settings"];
const TITLES = {
  en: ["Dashboard", "Providers", "Catalog", "New order", "Mass order", "Orders", "Schedules", "Customers", "Alerts", "Settings"],
  ar: ["لوحة المعلومات", "المزوّدون", "الكتالوج", "طلب جديد", "طلب جماعي", "الطلبات", "الجدولة", "العملاء", "التنبيهات", "الإعدادات"],
};
/** What a first start shows on each screen (no provider yet). */
const FIRST_START = {
  dashboard: "welcome",
  providers: "welcome",
  catalog: "catalog-empty",
  massOrder: "mass-empty",
  orders: "orders-empty",
  schedules: "schedules-empty",
  customers: "customers-empty",
  alerts: "alerts-empty",
};

async function cspViolations(session) {
  return session.execute("return window.__smmDeskCspViolations ?? ['no CSP listener'];");
}

async function switchLanguage(session, language) {
  await session.goTo("settings");
  await session.click(`[data-testid=language-${language}]`);
  await session.waitFor(`lang=${language}`, async () => (await session.htmlLangDir()).lang === language);
}

test("the window opens on the Dashboard, in English, left to right", async (t) => {
  const { session } = await launch(t, "opens");
  assert.equal(await session.title(), "SMM Desk");
  const rect = await session.cmd("GET", "/window/rect");
  assert.deepEqual([rect.width, rect.height], [1200, 780], "the window's configured size");
  assert.equal(await session.text("[data-testid=screen-title]"), "Dashboard");
  assert.equal(
    await session.execute("return document.querySelector('[data-testid=screen]').dataset.screen;"),
    "dashboard",
  );
  assert.deepEqual(await session.htmlLangDir(), { lang: "en", dir: "ltr", dark: false });
  assert.equal(
    await session.execute("return document.querySelector('[data-testid=nav-dashboard]').getAttribute('aria-current');"),
    "page",
  );
  assert.deepEqual(await cspViolations(session), []);

  // The Content-Security-Policy is in force: an injected inline script does not run.
  const ran = await session.execute(
    "const s = document.createElement('script'); s.textContent = 'window.__inlineRan = true;';" +
      "document.head.appendChild(s); return window.__inlineRan === true;",
  );
  assert.equal(ran, false, "inline script ran despite the CSP");
  await session.waitFor("the CSP violation report", async () =>
    (await cspViolations(session)).some((v) => v.startsWith("script-src")),
  );
});

test("navigation reaches every screen; Settings shows the app's folders", async (t) => {
  const { session, dataDir } = await launch(t, "navigate");
  for (const [i, screen] of SCREENS.entries()) {
    await session.goTo(screen);
    assert.equal(await session.text("[data-testid=screen-title]"), TITLES.en[i]);
    if (FIRST_START[screen]) {
      await session.waitFor(`the first-start state of ${screen}`, () => session.find(`[data-testid=${FIRST_START[screen]}]`));
    }
    await session.screenshot(`en-${screen}`);
  }
  // app_info went the whole way: Rust command → generated bindings → React Query → screen.
  await session.waitFor("app info", async () => (await session.text("[data-testid=app-info-dataDir]")) === dataDir);
  assert.equal(await session.text("[data-testid=app-info-logDir]"), join(dataDir, "logs"));
  assert.equal(await session.text("[data-testid=app-info-databaseFile]"), join(dataDir, "smm-desk.sqlite3"));
  assert.match(await session.text("[data-testid=app-info-version]"), /^\d+\.\d+\.\d+/);

  // The same screen in the dark theme, and back.
  await session.click("[data-testid=theme-dark]");
  await session.waitFor("dark theme", async () => (await session.htmlLangDir()).dark);
  await session.screenshot("en-settings-dark");
  await session.goTo("dashboard");
  await session.screenshot("en-dashboard-dark");
  await session.goTo("settings");
  await session.click("[data-testid=theme-light]");
  await session.waitFor("light theme", async () => !(await session.htmlLangDir()).dark);
  assert.deepEqual(await cspViolations(session), []);
});

test("Arabic switches the whole window to right to left, navigation on the right", async (t) => {
  const { session } = await launch(t, "arabic");
  const window = await session.execute("return { width: window.innerWidth };");
  const ltrNav = await session.rect("[data-testid=sidebar]");
  const ltrMain = await session.rect("[data-testid=screen]");
  assert.ok(ltrNav.x < 1 && ltrNav.x + ltrNav.width <= ltrMain.x + 1, "English: navigation on the left");

  await switchLanguage(session, "ar");
  assert.deepEqual(await session.htmlLangDir(), { lang: "ar", dir: "rtl", dark: false });
  const rtlNav = await session.rect("[data-testid=sidebar]");
  const rtlMain = await session.rect("[data-testid=screen]");
  assert.ok(
    Math.abs(rtlNav.x + rtlNav.width - window.width) <= 1,
    `Arabic: navigation ends at the right edge (${JSON.stringify(rtlNav)}, width ${window.width})`,
  );
  assert.ok(rtlMain.x + rtlMain.width <= rtlNav.x + 1, "Arabic: the screen is left of the navigation");
  assert.equal(await session.text("[data-testid=screen-title]"), "الإعدادات");
  // Arabic is drawn with the font the app ships (Noto Sans Arabic), not a system fallback.
  await session.waitFor("the shipped Arabic font", () =>
    session.execute(
      "return [...document.fonts].some((f) => f.family.replaceAll('\"', '') === 'Noto Sans Arabic' && f.status === 'loaded');",
    ),
  );

  for (const [i, screen] of SCREENS.entries()) {
    await session.goTo(screen);
    assert.equal(await session.text("[data-testid=screen-title]"), TITLES.ar[i]);
    if (FIRST_START[screen]) {
      await session.waitFor(`the first-start state of ${screen}`, () => session.find(`[data-testid=${FIRST_START[screen]}]`));
    }
    await session.screenshot(`ar-${screen}`);
  }
  await session.click("[data-testid=theme-dark]");
  await session.waitFor("dark theme", async () => (await session.htmlLangDir()).dark);
  await session.screenshot("ar-settings-dark");

  await switchLanguage(session, "en");
  assert.deepEqual(await session.htmlLangDir(), { lang: "en", dir: "ltr", dark: true });
  assert.equal(await session.text("[data-testid=screen-title]"), "Settings");
  assert.deepEqual(await cspViolations(session), []);
});

test("the language and theme survive a restart", async (t) => {
  const { driver, session, dataDir } = await launch(t, "restart");
  await switchLanguage(session, "ar");
  await session.click("[data-testid=theme-dark]");
  const settingsFile = join(dataDir, "config", "ui-settings.json");
  await session.waitFor("the settings file", () => {
    try {
      const saved = JSON.parse(readFileSync(settingsFile, "utf8"));
      return saved.language === "ar" && saved.theme === "dark";
    } catch {
      return false;
    }
  });
  await session.close();

  const again = await driver.newSession();
  await shellReady(again);
  assert.deepEqual(await again.htmlLangDir(), { lang: "ar", dir: "rtl", dark: true });
  assert.equal(await again.text("[data-testid=screen-title]"), "لوحة المعلومات");
  await again.screenshot("ar-dashboard-after-restart");
});

test("the window keeps its size across launches", async (t) => {
  const { driver, session, dataDir } = await launch(t, "window-size");
  await session.cmd("POST", "/window/rect", { width: 1000, height: 700 });
  const resized = await session.cmd("GET", "/window/rect");
  assert.deepEqual([resized.width, resized.height], [1000, 700], "the window took the new size");
  // Written shortly after the resize, not only on a clean exit (a killed app keeps it too).
  const stateFile = join(dataDir, "config", "window-state.json");
  await session.waitFor("the saved window size", () => {
    try {
      const saved = JSON.parse(readFileSync(stateFile, "utf8")).main;
      return saved.width === 1000 && saved.height === 700;
    } catch {
      return false;
    }
  });
  await session.close();

  const again = await driver.newSession();
  await shellReady(again);
  const rect = await again.cmd("GET", "/window/rect");
  assert.deepEqual([rect.width, rect.height], [1000, 700], "the size of the last run");
});

test("Settings says where a key-file master key lives and what it means for backups, in both languages", async (t) => {
  // The key store is forced to the file so the test does not depend on the machine's keychain.
  const dataDir = tempDataDir("key-file");
  const { session } = await launch(t, "key-file", dataDir, { SMM_DESK_KEY_STORE: "file" });
  await session.goTo("settings");
  const keyFile = join(dataDir, "config", "master.key");
  await session.waitFor("the key file in Settings", async () => (await session.text("[data-testid=key-store]")).includes(keyFile));
  const show = "document.querySelector('[data-testid=key-file-note]').scrollIntoView({ block: 'center' }); return true;";
  await session.waitFor("the key-file note", () => session.find("[data-testid=key-file-note]"));
  assert.equal(await session.execute("return document.querySelectorAll('[data-testid=key-file-note]').length;"), 1);
  // SMM_DESK_DATA_DIR puts the config folder, and so the key file, inside the data folder.
  assert.equal(
    await session.execute("return document.querySelector('[data-testid=key-file-note]').dataset.inDataFolder;"),
    "true",
  );
  const en = await session.text("[data-testid=key-file-note]");
  assert.match(en, /The master key is a file on this computer/);
  assert.match(en, /a copy of the whole folder carries the key/);
  await session.execute(show);
  await session.screenshot("en-settings-key-file");

  await switchLanguage(session, "ar");
  await session.waitFor("the Arabic note", async () =>
    (await session.text("[data-testid=key-file-note]")).includes("المفتاح الرئيسي ملف على هذا الجهاز"),
  );
  await session.execute(show);
  await session.screenshot("ar-settings-key-file");
  assert.deepEqual(await cspViolations(session), []);
});
