// End-to-end: routing with failover (issue #16) in the real app, against two simulators
// (target/debug/smm-sim, driven over stdin as in resolve.test.mjs).
//
// Both simulators are added through the Providers screen and synced; the same service is made
// cheaper on the first (`rate`), and an offer group of that service on both is saved by hand in
// Catalog › Offer groups. The cheaper simulator then refuses the order for want of funds
// (`balance 0`: it answers "Not enough funds", a definite rejection) while the app still knows
// its synced balance, so New order on the group previews the cheaper one first; placing moves on
// to the second simulator. The result lists both attempts, the order's timeline names the refused
// one, and the simulators' counters prove one `add` each and one order in all.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { createInterface } from "node:readline";
import { test } from "node:test";

import { APP, launch } from "./webdriver.mjs";

const SIM_BIN = join(dirname(APP), "smm-sim");
const GROUP = "IG routed";

/** The smm-sim process: one JSON line per command (see crates/panel/src/bin/smm-sim.rs). */
class Sim {
  static async start(t) {
    assert.ok(existsSync(SIM_BIN), `${SIM_BIN} is missing: run 'make app'`);
    const child = spawn(SIM_BIN, ["--services", "30"], { stdio: ["pipe", "pipe", "inherit"] });
    const sim = new Sim(child);
    t.after(() => sim.stop());
    const hello = await sim.next();
    sim.url = hello.url;
    sim.key = hello.key;
    return sim;
  }

  constructor(child) {
    this.child = child;
    this.lines = [];
    this.waiting = [];
    createInterface({ input: child.stdout }).on("line", (line) => {
      const w = this.waiting.shift();
      if (w) w(line);
      else this.lines.push(line);
    });
  }

  /** The next JSON line on stdout (5 s at most). */
  async next() {
    const line = this.lines.length > 0 ? this.lines.shift() : await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("smm-sim did not answer within 5 s")), 5_000);
      this.waiting.push((l) => { clearTimeout(timer); resolve(l); });
    });
    return JSON.parse(line);
  }

  async cmd(line) {
    this.child.stdin.write(`${line}\n`);
    const answer = await this.next();
    if (answer.error) throw new Error(`smm-sim ${line}: ${answer.error}`);
    return answer;
  }

  async orders() {
    return (await this.cmd("orders")).orders;
  }

  async adds() {
    return (await this.cmd("counters")).by_action.add ?? 0;
  }

  /** Ends its stdin (it exits by itself); kills it if it does not. */
  async stop() {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((resolve) => this.child.once("exit", resolve));
    this.child.stdin.end();
    const timer = setTimeout(() => this.child.kill("SIGKILL"), 3_000);
    await exited;
    clearTimeout(timer);
  }
}

const attr = (session, css, name) =>
  session.execute("const e = document.querySelector(arguments[0]); return e === null ? null : e.getAttribute(arguments[1]);", [css, name]);

/** Adds a simulator through the Providers screen and syncs it. */
async function addProvider(session, sim, name, first) {
  await session.goTo("providers");
  await session.tap(first ? "[data-testid=welcome-add]" : "[data-testid=providers-add]");
  await session.tap("[data-testid=preset-custom]");
  await session.fill("[data-testid=pf-name]", name);
  await session.fill("[data-testid=pf-displayName]", `Simulator ${name}`);
  await session.fill("[data-testid=pf-apiUrl]", sim.url);
  await session.fill("[data-testid=pf-apiKey]", sim.key);
  await session.tap("[data-testid=pf-save]");
  const row = `[data-testid=provider-${name}]`;
  await session.waitFor(`provider ${name}`, () => session.exists(row), 20_000);
  await sync(session, name);
}

async function sync(session, name) {
  const row = `[data-testid=provider-${name}]`;
  await session.goTo("providers");
  await session.execute("document.querySelectorAll(arguments[0]).forEach((e) => e.remove());", [`${row} [data-testid=sync-result]`]);
  await session.tap(`${row} [data-testid=provider-sync]`);
  await session.waitFor(`${name} synced`, () => session.exists(`${row} [data-testid=sync-result]`), 30_000);
}

/** New order on the group: fills the form, waits for the preview; returns the first choice. */
async function openGroupOrder(session, link, quantity) {
  await session.goTo("newOrder");
  await session.waitFor("the group in the picker", () => session.exists(`[data-testid=order-group-option][data-group='${GROUP}']`));
  await session.tap(`[data-testid=order-group-option][data-group='${GROUP}']`);
  await session.waitFor("the order form", () => session.exists("[data-testid=order-form]"));
  await session.fill("[data-testid=of-link]", link);
  await session.fill("[data-testid=of-quantity]", String(quantity));
  await session.waitFor("the route preview", () =>
    session.execute("const p = document.querySelector('[data-testid=route-preview]'); return p !== null && p.dataset.stale === 'false';"),
  );
  return attr(session, "[data-testid=route-choice]", "data-provider");
}

test("an order on an offer group refused by the cheaper provider is placed at the next, with both attempts on its timeline", async (t) => {
  const started = Date.now();
  const a = await Sim.start(t);
  const b = await Sim.start(t);
  const { session } = await launch(t, "routing");

  await addProvider(session, a, "sima", true);
  await addProvider(session, b, "simb", false);
  // The same Default service on both, cheaper on sima.
  const page = await session.invoke("list_services", { filter: { provider: "sima", serviceType: "Default", limit: 1, offset: 0, sort: "provider" } });
  const svc = page.services[0];
  assert.ok(svc, "sima has a Default service");
  await a.cmd(`rate ${svc.serviceId} 0.5`);
  await b.cmd(`rate ${svc.serviceId} 0.9`);
  await sync(session, "sima");
  await sync(session, "simb");

  // Catalog › Offer groups: a bad member line is refused in place, then the group is saved.
  await session.goTo("catalog");
  await session.tap("[data-testid=catalog-view-groups]");
  await session.waitFor("the offer groups", () => session.exists("[data-testid=groups-empty]"));
  await session.tap("[data-testid=group-new]");
  await session.fill("[data-testid=group-name]", GROUP);
  await session.fill("[data-testid=group-members]", `sima ${svc.serviceId}\nsimb`);
  await session.tap("[data-testid=group-save]");
  await session.waitFor("the member line refused", async () => (await attr(session, "[data-testid=group-members]", "aria-invalid")) === "true");
  await session.screenshot("en-routing-group-error");
  await session.fill("[data-testid=group-members]", `simb ${svc.serviceId}\nsima ${svc.serviceId}`);
  await session.tap("[data-testid=group-save]");
  await session.waitFor("the saved group", () => session.exists(`[data-testid=group-row][data-group='${GROUP}']`));
  const saved = await session.invoke("list_offer_groups", {});
  assert.equal(saved.length, 1);
  assert.deepEqual(saved[0].members.map((m) => [m.provider, m.rate]), [["simb", "0.9"], ["sima", "0.5"]]);
  await session.screenshot("en-routing-groups");

  await a.cmd("reset-counters");
  await b.cmd("reset-counters");
  // sima cannot pay: its `add` answers "Not enough funds" (the app still knows 1000).
  await a.cmd("balance 0");
  const link = "https://instagram.com/p/e2e-routed";
  const first = await openGroupOrder(session, link, svc.min);
  assert.equal(first, "sima", "the cheapest member is previewed first");
  assert.match(await session.text("[data-testid=route-then]"), /simb/);
  await session.screenshot("en-routing-preview");
  await session.tap("[data-testid=order-place]");
  await session.waitFor("the route", () => session.exists("[data-testid=routed-result]"), 30_000);
  const attempts = await session.execute("return [...document.querySelectorAll('[data-testid=route-attempt]')].map((e) => [e.dataset.provider, e.dataset.status]);");
  assert.deepEqual(attempts, [["sima", "rejected"], ["simb", "pending"]]);
  assert.equal(await attr(session, "[data-testid=order-result]", "data-status"), "pending");
  await session.screenshot("en-routing-result");
  assert.equal(await a.adds(), 1, "one add at sima");
  assert.equal(await b.adds(), 1, "one add at simb");
  assert.equal((await a.orders()).length, 0, "nothing placed at sima");
  const atB = (await b.orders()).filter((o) => o.link === link);
  assert.equal(atB.length, 1, "exactly one order at simb");

  // The placed order's timeline names the refused attempt.
  const placed = (await session.invoke("list_orders", { filter: {}, limit: 1, after: null })).orders[0];
  assert.equal(placed.provider, "simb");
  assert.equal(placed.externalId, atB[0].id);
  await session.goTo("orders");
  const row = `[data-testid=order-row][data-id='${placed.id}']`;
  await session.waitFor("the order in the list", () => session.exists(row));
  await session.tap(`${row} [data-testid=order-open]`);
  await session.waitFor("the drawer", () => session.exists(`[data-testid=order-drawer][data-id='${placed.id}']`));
  await session.waitFor("the routed entry", () => session.exists("[data-testid=timeline-entry][data-kind=routed]"));
  const previous = await session.execute("return [...document.querySelectorAll('[data-testid=timeline-route-previous] li')].map((e) => [e.dataset.provider, e.dataset.status]);");
  assert.deepEqual(previous, [["sima", "rejected"]]);
  assert.match(await session.text("[data-testid=timeline-entry][data-kind=routed]"), new RegExp(`${GROUP}.*simb`, "s"));
  await session.screenshot("en-routing-timeline");
  await session.tap("[data-testid=order-drawer-close]");

  // Arabic, right to left, light and dark: the same route once more.
  await session.goTo("settings");
  await session.tap("[data-testid=language-ar]");
  await session.waitFor("Arabic", async () => (await session.htmlLangDir()).dir === "rtl");
  const linkAr = "https://instagram.com/p/e2e-routed-ar";
  assert.equal(await openGroupOrder(session, linkAr, svc.min), "sima");
  await session.screenshot("ar-routing-preview");
  await session.tap("[data-testid=order-place]");
  await session.waitFor("the route", () => session.exists("[data-testid=routed-result]"), 30_000);
  await session.screenshot("ar-routing-result");
  assert.equal(await a.adds(), 2);
  assert.equal(await b.adds(), 2);
  const placedAr = (await session.invoke("list_orders", { filter: {}, limit: 1, after: null })).orders[0];
  await session.goTo("orders");
  await session.tap(`[data-testid=order-row][data-id='${placedAr.id}'] [data-testid=order-open]`);
  await session.waitFor("the routed entry", () => session.exists("[data-testid=timeline-entry][data-kind=routed]"));
  await session.screenshot("ar-routing-timeline");
  await session.tap("[data-testid=order-drawer-close]");
  await session.goTo("settings");
  await session.tap("[data-testid=theme-dark]");
  await session.goTo("catalog");
  await session.tap("[data-testid=catalog-view-groups]");
  await session.waitFor("the saved group", () => session.exists(`[data-testid=group-row][data-group='${GROUP}']`));
  await session.screenshot("ar-routing-groups-dark");

  const ms = Date.now() - started;
  t.diagnostic(`routing flow: ${ms} ms`);
  console.log(`routing flow: ${ms} ms`);
});
