// Settings › Local API end to end (issue #14): switch on, read the token through the UI, a
// request from this test shows in the list (200, and 401 with a wrong token), rotating makes the
// old token fail, switching off closes the port. Screenshots: en light, ar (RTL) light, en dark.
import assert from "node:assert/strict";
import { createServer } from "node:net";
import { test } from "node:test";

import { launch, shellReady } from "./webdriver.mjs";

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
  await session.execute("document.getElementById('local-api').closest('section').scrollIntoView({ block: 'start' }); return true;");
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
  const { driver, session } = await launch(t, "local-api");
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

  // Copy goes through navigator.clipboard (WebKitGTK grants it to the app's page).
  await session.click("[data-testid=api-token-copy]");
  await session.waitFor("copied", () => session.execute("return document.querySelector('[data-testid=api-token-copy]').dataset.state === 'copied';"));
  assert.equal((await get(port, token)).status, 200);
  await waitForRow(session, "/api/smm/providers", 200);
  assert.equal((await get(port, "smmd_wrong")).status, 401);
  await waitForRow(session, "/api/smm/providers", 401);
  // Masked again before the screenshots: a token never appears in one.
  await session.click("[data-testid=api-token-show]");
  await session.waitFor("the token masked", async () => (await session.text("[data-testid=api-token]")) !== token);
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

  // A port another program holds: switching on says so and the switch stays off.
  const holder = createServer();
  await new Promise((resolve) => holder.listen(port, "127.0.0.1", resolve));
  t.after(() => holder.close());
  await session.click("[data-testid=api-enabled]");
  await session.waitFor("the port-in-use problem", () =>
    session.execute("return document.querySelector('[data-testid=api-problem]')?.dataset.code === 'api.port_in_use';"),
  );
  assert.equal(await session.execute("return document.querySelector('[data-testid=api-enabled]').checked;"), false);
  await new Promise((resolve) => holder.close(resolve));

  // Switched on at the next launch, with the token only as a hash: rotate to see a new one.
  await session.click("[data-testid=api-enabled]");
  await session.waitFor("running again", () => session.execute("return document.getElementById('local-api').dataset.running === 'true';"));
  await session.close();
  const again = await driver.newSession();
  await shellReady(again);
  assert.equal((await get(port, fresh)).status, 200, "started on launch, the last token still works");
  await again.goTo("settings");
  await again.waitFor("token created earlier", () =>
    again.execute("return document.querySelector('[data-testid=api-token-state]')?.dataset.state === 'earlier';"),
  );
  assert.equal(await again.exists("[data-testid=api-token]"), false, "the plain token is not on screen after a restart");
});
