// End-to-end flows against the built-in simulator: first start → demo panel, providers (add
// from a preset, validation in place, test, sync, delete), catalog search and comparison,
// a Default and a Custom Comments order, a 20-line mass order with 2 bad lines; the same in
// Arabic (dir="rtl"); and the search latency with a 50,000-service catalog.
import assert from "node:assert/strict";
import { test } from "node:test";

import { CATALOG_SERVICES, catalogSearchLatency } from "./catalog-search.mjs";
import { launch, shellReady } from "./webdriver.mjs";

const SIM_KEY = "sim-key-0000000000000000000000000000";

/** Clicks the element for `css` once it is there. */
async function startDemo(session, timeoutMs = 60_000) {
  await session.waitFor("the welcome", () => session.find("[data-testid=welcome-demo]"));
  await session.tap("[data-testid=welcome-demo]");
  await session.waitFor("the demo provider", async () => !(await session.exists("[data-testid=welcome]")), timeoutMs);
}

/** The first catalog row's service after filtering by provider and type; opens New order on it. */
async function orderFirstOfType(session, provider, type) {
  await session.goTo("catalog");
  await session.waitFor("catalog rows", () => session.exists("[data-testid=catalog-row]"));
  await session.fill("[data-testid=filter-provider]", provider);
  await session.fill("[data-testid=filter-type]", type);
  await session.waitFor(`a ${type} row`, async () =>
    session.execute(
      "const r = document.querySelector('[data-testid=catalog-row]');" +
        "return r !== null && r.innerText.includes(arguments[0]) && document.querySelectorAll('[data-testid=catalog-row]').length > 0;",
      [type],
    ),
  );
  const ref = await session.execute("return Number(document.querySelector('[data-testid=catalog-row]').dataset.serviceRef);");
  const service = await session.invoke("get_service", { id: ref });
  assert.equal(service.serviceType, type);
  await session.tap("[data-testid=catalog-row] [data-testid=service-order]");
  await session.waitFor("the order form", () => session.exists("[data-testid=order-form]"));
  assert.equal(
    await session.execute("return document.querySelector('[data-testid=order-form]').dataset.type;"),
    type,
  );
  return service;
}

async function waitForQuote(session) {
  await session.waitFor("the cost estimate", async () =>
    session.execute(
      "const e = document.querySelector('[data-testid=order-estimate]');" +
        "return e.dataset.stale === 'false' && document.querySelector('[data-testid=order-cost]').innerText !== '—';",
    ),
  );
}

async function placeAndSeeResult(session) {
  await session.tap("[data-testid=order-place]");
  await session.waitFor("the order result", () => session.exists("[data-testid=order-result]"), 30_000);
  return session.execute("return document.querySelector('[data-testid=order-result]').dataset.status;");
}

function massText(serviceId, min) {
  const lines = [];
  for (let i = 1; i <= 20; i += 1) {
    if (i === 5) lines.push(`${serviceId}|not-a-link|${min}`);
    else if (i === 12) lines.push("this line has no separators");
    else lines.push(`${serviceId}|https://instagram.com/p/mass-${i}|${min}`);
  }
  return lines.join("\n");
}

test("first start: demo panel, providers, catalog, a Default and a Custom Comments order, a mass order", async (t) => {
  const { driver, session } = await launch(t, "flow-en");
  await session.screenshot("en-welcome");
  await startDemo(session);

  // Providers: the demo provider with its status, balance and services.
  await session.goTo("providers");
  await session.waitFor("the demo provider row", () => session.exists("[data-testid=provider-demo]"));
  assert.equal(await session.text("[data-testid=provider-demo] [data-testid=provider-status]"), "Active");
  assert.equal(await session.text("[data-testid=provider-demo] [data-testid=provider-services]"), "300");
  assert.match(await session.text("[data-testid=provider-demo] [data-testid=provider-balance]"), /\$1,000\.00/);
  await session.screenshot("en-providers-demo");

  // Add from the JAP preset: an http URL to another host is refused in place, then the
  // simulator's own URL and key work.
  await session.tap("[data-testid=providers-add]");
  await session.tap("[data-testid=preset-jap]");
  assert.equal(
    await session.execute("return document.querySelector('[data-testid=pf-apiUrl]').value;"),
    "https://justanotherpanel.com/api/v2",
  );
  await session.fill("[data-testid=pf-apiUrl]", "http://panel.example.com/api/v2");
  await session.fill("[data-testid=pf-apiKey]", SIM_KEY);
  await session.tap("[data-testid=pf-save]");
  await session.waitFor("the URL error in place", () => session.exists("[data-testid=error-pf-apiUrl]"));
  assert.match(await session.text("[data-testid=error-pf-apiUrl]"), /Plain http is allowed only for this computer/);
  await session.screenshot("en-provider-form");
  const demo = (await session.invoke("list_providers")).find((p) => p.name === "demo");
  await session.fill("[data-testid=pf-apiUrl]", demo.apiUrl);
  await session.tap("[data-testid=pf-save]");
  const jap = "[data-testid=provider-justanotherpanel]";
  await session.waitFor("the new provider", () => session.exists(jap));
  assert.equal(await session.exists("[data-testid=provider-form]"), false);
  assert.match(await session.text(`${jap}`), /••••0000/, "the key shows only as its last 4 characters");
  await session.tap(`${jap} [data-testid=provider-test]`);
  await session.waitFor("the connection test", () => session.exists(`${jap} [data-testid=test-result]`));
  assert.match(await session.text(`${jap} [data-testid=test-result]`), /Connected\. Balance: \$1,000\.00/);
  await session.tap(`${jap} [data-testid=provider-sync]`);
  await session.waitFor("the sync summary", () => session.exists(`${jap} [data-testid=sync-result]`), 30_000);
  assert.match(await session.text(`${jap} [data-testid=sync-result]`), /Synced: 300 services/);
  await session.screenshot("en-providers-synced");

  // Catalog: search narrows the table; the comparison marks the cheapest.
  await session.goTo("catalog");
  await session.waitFor("catalog rows", () => session.exists("[data-testid=catalog-row]"));
  assert.equal(await session.execute("return Number(document.querySelector('[data-testid=catalog-count]').dataset.total);"), 600);
  await session.type("[data-testid=catalog-search]", "followers");
  await session.waitFor("the search to apply", async () =>
    session.execute("return document.querySelector('[data-testid=catalog-count]').dataset.search === 'followers';"),
  );
  const names = await session.execute(
    "return [...document.querySelectorAll('[data-testid=catalog-row]')].map((r) => r.innerText.toLowerCase());",
  );
  assert.ok(names.length > 0, "some followers services");
  assert.ok(names.every((n) => n.includes("followers")), "every row matches the search");
  const total = await session.execute("return Number(document.querySelector('[data-testid=catalog-count]').dataset.total);");
  assert.ok(total > 0 && total < 600, `the search narrowed the catalog (${total})`);
  await session.screenshot("en-catalog-search");
  await session.tap("[data-testid=catalog-view-compare]");
  await session.waitFor("offer groups", () => session.exists("[data-testid=offer-group] [data-testid=badge-cheapest]"));
  await session.screenshot("en-catalog-compare");

  // A Default order: a quantity above the maximum is refused in place, then it is placed.
  const def = await orderFirstOfType(session, "demo", "Default");
  await session.fill("[data-testid=of-link]", "https://instagram.com/p/e2e-default");
  await session.fill("[data-testid=of-quantity]", String(def.max + 1));
  await session.tap("[data-testid=order-place]");
  await session.waitFor("the quantity error", () => session.exists("[data-testid=error-of-quantity]"));
  assert.match(await session.text("[data-testid=error-of-quantity]"), /above the service's maximum/);
  assert.equal(await session.exists("[data-testid=order-result]"), false);
  await session.fill("[data-testid=of-quantity]", String(def.min));
  await waitForQuote(session);
  assert.match(await session.text("[data-testid=order-balance]"), /\$1,000\.00/);
  await session.screenshot("en-new-order");
  const status = await placeAndSeeResult(session);
  assert.ok(["pending", "processing", "in_progress", "completed"].includes(status), `Default order: ${status}`);
  assert.match(await session.text("[data-testid=order-result-text]"), /accepted/);
  await session.screenshot("en-order-result");

  // A Custom Comments order: no quantity field; one comment per line, counted live.
  const cc = await orderFirstOfType(session, "demo", "Custom Comments");
  assert.equal(await session.exists("[data-testid=of-quantity]"), false, "no quantity for Custom Comments");
  const comments = Array.from({ length: cc.min }, (_, i) => `Great post ${i + 1}!`).join("\n");
  await session.fill("[data-testid=of-link]", "https://instagram.com/p/e2e-comments");
  await session.fill("[data-testid=of-comments]", comments);
  await session.waitFor("the live comment count", async () =>
    (await session.text("[data-field=of-comments]")).includes(`${cc.min} entered`),
  );
  await waitForQuote(session);
  await session.screenshot("en-new-order-comments");
  const ccStatus = await placeAndSeeResult(session);
  assert.ok(["pending", "processing", "in_progress", "completed"].includes(ccStatus), `Custom Comments order: ${ccStatus}`);
  await session.screenshot("en-order-result-comments");

  // A mass order of 20 lines, 2 bad: the preview names them; the 18 others are placed.
  await session.goTo("massOrder");
  await session.waitFor("the mass order form", () => session.exists("[data-testid=mass-text]"));
  await session.fill("[data-testid=mass-provider]", "demo");
  await session.fill("[data-testid=mass-text]", massText(def.serviceId, def.min));
  await session.waitFor("the preview", async () =>
    session.execute(
      "const s = document.querySelector('[data-testid=mass-summary]');" +
        "return s !== null && s.dataset.fresh === 'true' && s.dataset.valid === '18' && s.dataset.invalid === '2';",
    ),
  );
  const errors = await session.execute(
    "return [...document.querySelectorAll('[data-testid=mass-row][data-ok=false]')].map((r) => [r.dataset.line, r.querySelector('[data-testid=mass-line-error]').dataset.code, r.innerText]);",
  );
  assert.deepEqual(errors.map(([line, code]) => [line, code]), [
    ["5", "order.link_invalid"],
    ["12", "mass_order.line_format"],
  ]);
  assert.match(errors[0][2], /full link/);
  await session.screenshot("en-mass-order-preview");
  await session.tap("[data-testid=mass-place]");
  await session.waitFor("the mass order report", () => session.exists("[data-testid=mass-report]"), 60_000);
  assert.equal(await session.execute("return document.querySelector('[data-testid=mass-report]').dataset.accepted;"), "18");
  assert.equal(await session.text("[data-testid=mass-progress]"), "18 of 18 placed");
  await session.screenshot("en-mass-order-done");

  // Delete a provider: the confirmation says its orders are kept.
  await session.goTo("providers");
  await session.waitFor("the provider row", () => session.exists(`${jap} [data-testid=provider-delete]`));
  await session.tap(`${jap} [data-testid=provider-delete]`);
  await session.waitFor("the confirmation", () => session.exists("[data-testid=confirm-dialog]"));
  assert.match(await session.text("[data-testid=confirm-dialog]"), /orders and their history are kept/);
  await session.screenshot("en-provider-delete");
  await session.tap("[data-testid=confirm-ok]");
  await session.waitFor("the provider gone", async () => !(await session.exists(jap)));
  assert.ok(await session.exists("[data-testid=provider-demo]"));

  // After a restart the demo panel comes back by itself (its simulator does not outlive the app)
  // on a new port, and the window hears of it through the providers-changed event.
  const oldUrl = (await session.invoke("list_providers")).find((p) => p.name === "demo").apiUrl;
  await session.close();
  const again = await driver.newSession();
  await shellReady(again);
  await again.goTo("providers");
  await again.waitFor("the demo panel on its new port", async () => {
    const row = await again.text("[data-testid=provider-demo]");
    return row.includes("127.0.0.1") && !row.includes(oldUrl);
  }, 30_000);
  await again.tap("[data-testid=provider-demo] [data-testid=provider-test]");
  await again.waitFor("the resumed demo panel", () => again.exists("[data-testid=provider-demo] [data-testid=test-result]"), 30_000);
  assert.equal(await again.text("[data-testid=provider-demo] [data-testid=provider-status]"), "Active");
});

test("the same flow in Arabic, right to left", async (t) => {
  const { session } = await launch(t, "flow-ar");
  await session.goTo("settings");
  await session.tap("[data-testid=language-ar]");
  await session.waitFor("Arabic", async () => (await session.htmlLangDir()).dir === "rtl");
  await session.goTo("dashboard");
  await session.screenshot("ar-welcome");
  await startDemo(session);
  assert.deepEqual(await session.htmlLangDir(), { lang: "ar", dir: "rtl", dark: false });

  await session.goTo("providers");
  await session.waitFor("the demo provider row", () => session.exists("[data-testid=provider-demo]"));
  assert.equal(await session.text("[data-testid=provider-demo] [data-testid=provider-status]"), "نشط");
  await session.screenshot("ar-providers-demo");
  await session.tap("[data-testid=providers-add]");
  await session.tap("[data-testid=preset-smmkings]");
  await session.fill("[data-testid=pf-apiUrl]", "ftp://smmkings.com/api/v2");
  await session.fill("[data-testid=pf-apiKey]", "k");
  await session.tap("[data-testid=pf-save]");
  await session.waitFor("the URL error in place", () => session.exists("[data-testid=error-pf-apiUrl]"));
  assert.match(await session.text("[data-testid=error-pf-apiUrl]"), /https:\/\//);
  await session.screenshot("ar-provider-form");

  await session.goTo("catalog");
  await session.waitFor("catalog rows", () => session.exists("[data-testid=catalog-row]"));
  await session.type("[data-testid=catalog-search]", "followers");
  await session.waitFor("the search to apply", async () =>
    session.execute("return document.querySelector('[data-testid=catalog-count]').dataset.search === 'followers';"),
  );
  await session.screenshot("ar-catalog-search");
  await session.tap("[data-testid=catalog-view-compare]");
  await session.waitFor("the comparison", () => session.exists("[data-testid=compare-view]"));
  await session.screenshot("ar-catalog-compare");

  const def = await orderFirstOfType(session, "demo", "Default");
  await session.fill("[data-testid=of-link]", "https://instagram.com/p/e2e-ar");
  await session.fill("[data-testid=of-quantity]", String(def.min));
  await waitForQuote(session);
  await session.screenshot("ar-new-order");
  const status = await placeAndSeeResult(session);
  assert.ok(["pending", "processing", "in_progress", "completed"].includes(status), `order: ${status}`);
  assert.equal(await session.text("[data-testid=order-result-text]"), "قبل المزوّد الطلب.");
  await session.screenshot("ar-order-result");

  await session.goTo("massOrder");
  await session.waitFor("the mass order form", () => session.exists("[data-testid=mass-text]"));
  await session.fill("[data-testid=mass-text]", massText(def.serviceId, def.min));
  await session.waitFor("the preview", async () =>
    session.execute(
      "const s = document.querySelector('[data-testid=mass-summary]');" +
        "return s !== null && s.dataset.fresh === 'true' && s.dataset.invalid === '2';",
    ),
  );
  assert.match(await session.text("[data-testid=mass-row][data-line='12']"), /service_id\|link\|quantity/);
  await session.screenshot("ar-mass-order-preview");

  // The dark theme, once, on the busiest screen.
  await session.goTo("settings");
  await session.tap("[data-testid=theme-dark]");
  await session.waitFor("dark theme", async () => (await session.htmlLangDir()).dark);
  await session.goTo("catalog");
  await session.waitFor("catalog rows", () => session.exists("[data-testid=catalog-row]"));
  await session.screenshot("ar-catalog-dark");
  assert.deepEqual(await session.htmlLangDir(), { lang: "ar", dir: "rtl", dark: true });
});

test(`a ${CATALOG_SERVICES.toLocaleString("en")}-service catalog: search latency (reported, not asserted)`, async (t) => {
  const { session } = await launch(t, "catalog-50k", undefined, { SMM_DESK_DEMO_SERVICES: String(CATALOG_SERVICES) });
  const report = await catalogSearchLatency(session, () => startDemo(session, 300_000), CATALOG_SERVICES);
  await session.screenshot("en-catalog-50k");
  t.diagnostic(report);
  console.log(report);
});
