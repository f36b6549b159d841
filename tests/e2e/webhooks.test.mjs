// Settings › Webhooks end to end (issue #14): a refused address shows on its field; adding a
// receiver on 127.0.0.1 shows the signing secret once; "Send test" makes the running app POST a
// signed message that this test verifies as Standard Webhooks 1.0 with that secret; the delivery
// shows as delivered; switched off, no test can be sent; removed, it is gone.
// Screenshots: en light, ar (RTL) light, en dark.
import assert from "node:assert/strict";
import { createHmac, timingSafeEqual } from "node:crypto";
import { createServer } from "node:http";
import { test } from "node:test";

import { launch } from "./webdriver.mjs";

/** A receiver on 127.0.0.1 that records each request and answers 204. */
async function receiver(t) {
  const got = [];
  const server = createServer((req, res) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (chunk) => { body += chunk; });
    req.on("end", () => {
      got.push({ headers: req.headers, body });
      res.writeHead(204).end();
    });
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  t.after(() => new Promise((resolve) => server.close(resolve)));
  return { url: `http://127.0.0.1:${server.address().port}/hooks/smm`, got };
}

/** Whether `msg` carries a valid `v1` signature by `secret` (Standard Webhooks 1.0). */
function verified(secret, msg) {
  const id = msg.headers["webhook-id"];
  const ts = msg.headers["webhook-timestamp"];
  const key = Buffer.from(secret.slice("whsec_".length), "base64");
  const expected = createHmac("sha256", key).update(`${id}.${ts}.${msg.body}`).digest();
  return msg.headers["webhook-signature"].split(" ").some((sig) => {
    const [version, value] = sig.split(",");
    const given = Buffer.from(value ?? "", "base64");
    return version === "v1" && given.length === expected.length && timingSafeEqual(given, expected);
  });
}

async function showSection(session) {
  await session.execute("document.querySelector('[data-testid=webhooks]').closest('section').scrollIntoView({ block: 'start' }); return true;");
}

test("Settings › Webhooks: add, secret once, signed test delivered, switch off, remove", async (t) => {
  const hook = await receiver(t);
  const { session } = await launch(t, "webhooks");
  await session.goTo("settings");
  await session.waitFor("the Webhooks section", () => session.exists("[data-testid=webhooks-empty]"));

  // Refused on its field, nothing added.
  await session.fill("[data-testid=webhook-url]", "ftp://127.0.0.1/hooks");
  await session.click("[data-testid=webhook-add-submit]");
  await session.waitFor("the address error", () =>
    session.execute("return document.querySelector('[data-testid=webhook-add-error]')?.dataset.code === 'webhook.url_scheme';"),
  );
  assert.equal(await session.execute("return document.querySelector('[data-testid=webhook-url]').getAttribute('aria-invalid');"), "true");
  assert.equal(await session.exists("[data-testid=webhook-row]"), false);

  await session.fill("[data-testid=webhook-url]", hook.url);
  await session.click("[data-testid=webhook-add-submit]");
  const secret = await session.waitFor("the secret", async () => {
    if (!(await session.exists("[data-testid=webhook-secret]"))) return null;
    const text = await session.text("[data-testid=webhook-secret]");
    return /^whsec_[A-Za-z0-9+/=]{32,}$/.test(text) ? text : null;
  });
  await session.waitFor("the webhook listed", () => session.exists("[data-testid=webhook-row]"));
  await session.click("[data-testid=webhook-secret-done]");
  assert.equal(
    await session.execute("return document.body.innerText.includes(arguments[0]);", [secret]),
    false,
    "the secret is gone from the screen once done",
  );

  // A test message, signed with that secret, reaches the receiver and shows as delivered.
  await session.click("[data-testid=webhook-test]");
  const msg = await session.waitFor("the test message", () => hook.got.find((m) => JSON.parse(m.body).type === "webhook.test"), 20_000);
  assert.ok(verified(secret, msg), "a valid Standard Webhooks signature");
  assert.match(msg.headers["webhook-id"], /^msg_/);
  assert.ok(Math.abs(Number(msg.headers["webhook-timestamp"]) - Date.now() / 1000) < 300, "a current timestamp");
  await session.waitFor("delivered in the list", () =>
    session.execute("return document.querySelector('[data-testid=webhook-delivery]')?.dataset.state === 'delivered';"),
  20_000);
  await session.waitFor("the count", () =>
    session.execute("return document.querySelector('[data-testid=webhook-counts]')?.dataset.delivered === '1';"),
  );
  await showSection(session);
  await session.screenshot("en-settings-webhooks");

  await session.click("[data-testid=theme-dark]");
  await session.waitFor("dark theme", async () => (await session.htmlLangDir()).dark);
  await showSection(session);
  await session.screenshot("en-settings-webhooks-dark");
  await session.click("[data-testid=theme-light]");
  await session.click("[data-testid=language-ar]");
  await session.waitFor("Arabic", async () => (await session.htmlLangDir()).dir === "rtl");
  await showSection(session);
  await session.screenshot("ar-settings-webhooks");
  await session.click("[data-testid=language-en]");

  // Off: the test button is disabled; removed after confirming: gone.
  await session.click("[data-testid=webhook-active]");
  await session.waitFor("switched off", () =>
    session.execute("return document.querySelector('[data-testid=webhook-row]').dataset.active === 'false';"),
  );
  assert.equal(await session.execute("return document.querySelector('[data-testid=webhook-test]').disabled;"), true);
  await session.click("[data-testid=webhook-remove]");
  await session.tap("[data-testid=confirm-ok]");
  await session.waitFor("removed", () => session.exists("[data-testid=webhooks-empty]"));
  assert.equal(hook.got.length, 1, "exactly one message was sent");
});
