// Settings › Local API end to end (issue #14): switch on, read the token through the UI, a
// request from this test shows in the list (200, and 401 with a wrong token), rotating makes the
// old token fail, switching off closes the port. Screenshots: en light, ar (RTL) light, en dark.
import assert from "node:assert/strict";
import { createServer } from "node:net";
import { test } from "node:test";

import { launch } from "./webdriver.mjs";

async function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function get(port, token) {
  return fetch(`http://127.0.0.1:${port}/api/smm/providers`, {
    headers: { Authorization: `Bearer ${token}` },
    signal: AbortSignal.timeout(10_000),
  });
}

async function showSection(session) {
  await session.execute("document.getElementById('local-api').scrollIntoView({ block: 'start' }); return true;");
}

async function waitForRow(session, path, status) {
  await session.waitFor(`${path} ${status} in the list`, () =>
    session.execute(
      "return [...document.querySelectorAll('[data-testid=api-request-row]')].some((r) => r.dataset.path === arguments[0] && r.dataset.status === arguments[1]);",
      [path, String(status)],
    ),
  );
}

test("Settings › Local API: switch on, token, requests listed, rotate, switch off", async (t) => {
  const { session } = await launch(t, "local-api");
  await session.goTo("settings");
  await session.waitFor("the Local API section", () => session.exists("[data-testid=api-port]"));
  assert.equal(await session.execute("return document.querySelector('[data-testid=api-enabled]').checked;"), false, "off by default");

  const port = await freePort();
  await session.fill("[data-testid=api-port]", "80");
  await session.click("[data-testid=api-port-save]");
  await session.waitFor("the port error", () => session.exists("[data-testid=api-port-error]"));
  await session.fill("[data-testid=api-port]", String(port));
  await session.click("[data-testid=api-port-save]");
  await session.waitFor("the port saved", async () => (await session.text("[data-testid=api-url]")) === `http://127.0.0.1:${port}`);

  await session.click("[data-testid=api-enabled]");
  await session.waitFor("running", () => session.execute("return document.getElementById('local-api').dataset.running === 'true';"));
  await session.tap("[data-testid=api-token-show]");
  const token = await session.waitFor("the token", async () => {
    const text = await session.text("[data-testid=api-token]");
    return /^smmd_[0-9a-f]{64}$/.test(text) ? text : null;
  });

  assert.equal((await get(port, token)).status, 200);
  await waitForRow(session, "/api/smm/providers", 200);
  assert.equal((await get(port, "smmd_wrong")).status, 401);
  await waitForRow(session, "/api/smm/providers", 401);
  await showSection(session);
  await session.screenshot("en-settings-local-api");

  // Dark, then Arabic (right to left).
  await session.click("[data-testid=theme-dark]");
  await session.waitFor("dark theme", async () => (await session.htmlLangDir()).dark);
  await showSection(session);
  await session.screenshot("en-settings-local-api-dark");
  await session.click("[data-testid=theme-light]");
  await session.click("[data-testid=language-ar]");
  await session.waitFor("Arabic", async () => (await session.htmlLangDir()).dir === "rtl");
  await showSection(session);
  await session.screenshot("ar-settings-local-api");

  // Rotate: the old token stops working at once.
  await session.click("[data-testid=api-token-rotate]");
  await session.tap("[data-testid=confirm-ok]");
  const fresh = await session.waitFor("the new token", async () => {
    const text = await session.text("[data-testid=api-token]");
    return /^smmd_[0-9a-f]{64}$/.test(text) && text !== token ? text : null;
  });
  assert.equal((await get(port, token)).status, 401);
  assert.equal((await get(port, fresh)).status, 200);

  // Off: nothing listens any more.
  await session.click("[data-testid=api-enabled]");
  await session.waitFor("stopped", () => session.execute("return document.getElementById('local-api').dataset.running === 'false';"));
  await assert.rejects(get(port, fresh), /fetch failed/);
});
