// The fault-injecting panel simulator of the end-to-end tests: target/debug/smm-sim (beside
// the app binary, built by `make app`), started per test and driven over its stdin, one JSON
// line per command (see crates/panel/src/bin/smm-sim.rs).
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { createInterface } from "node:readline";

import { APP } from "./webdriver.mjs";

const SIM_BIN = join(dirname(APP), "smm-sim");

/** The smm-sim process: one JSON line per command (see crates/panel/src/bin/smm-sim.rs). */
export class Sim {
  static async start(t) {
    assert.ok(existsSync(SIM_BIN), `${SIM_BIN} is missing: run 'make app'`);
    const child = spawn(SIM_BIN, ["--services", "100"], { stdio: ["pipe", "pipe", "inherit"] });
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

  /** Ends open order `id` now as partial with `delivered` units (the rest refunded). */
  async finishPartial(id, delivered) {
    return (await this.cmd(`finish ${id} partial ${delivered}`)).order;
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

/**
 * Adds the simulator as a provider through the Providers screen (as a user does: the welcome's
 * Add, the custom preset, the masked key field), syncs its catalog and returns the row's selector.
 */
export async function addThroughScreen(session, sim, name, displayName) {
  await session.goTo("providers");
  await session.tap("[data-testid=welcome-add]");
  await session.tap("[data-testid=preset-custom]");
  await session.fill("[data-testid=pf-name]", name);
  await session.fill("[data-testid=pf-displayName]", displayName);
  await session.fill("[data-testid=pf-apiUrl]", sim.url);
  const type = await session.execute("return document.querySelector('[data-testid=pf-apiKey]').getAttribute('type');");
  assert.equal(type, "password", "the key field is masked");
  await session.fill("[data-testid=pf-apiKey]", sim.key);
  await session.tap("[data-testid=pf-save]");
  const row = `[data-testid=provider-${name}]`;
  await session.waitFor("the new provider", () => session.exists(row), 20_000);
  await session.tap(`${row} [data-testid=provider-sync]`);
  await session.waitFor("the sync summary", () => session.exists(`${row} [data-testid=sync-result]`), 30_000);
  return row;
}
