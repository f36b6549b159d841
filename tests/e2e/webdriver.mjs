// A small W3C WebDriver client over plain fetch, and the tauri-driver process per test.
//
// Chain: node --test → tauri-driver (a free port) → WebKitWebDriver → target/debug/smm-desk.
// tauri-driver passes its environment down to the app, so each driver is started with the
// test's own SMM_DESK_DATA_DIR. Every request has a timeout; every driver is killed (its whole
// process group) when the test ends, and its pid is recorded for run.sh's exit trap.
import { spawn } from "node:child_process";
import { closeSync, mkdtempSync, mkdirSync, openSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

export const ELEMENT_KEY = "element-6066-11e4-a52e-4f735466cecf";
const REQUEST_TIMEOUT_MS = 30_000;
const SESSION_TIMEOUT_MS = 90_000;

/** The app binary under test (absolute path), set by run.sh. */
export const APP = process.env.SMM_E2E_APP ?? "";
/** Where screenshots go, set by run.sh. */
export const SCREENSHOT_DIR = process.env.SMM_E2E_SCREENSHOTS ?? "";
const PID_DIR = process.env.SMM_E2E_PIDS ?? "";
/** Temporary data folders go under this run's folder (run.sh removes it), else the OS tmp. */
const TMP_ROOT = process.env.SMM_E2E_TMP ?? tmpdir();

async function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** A fresh temporary data folder for one test. */
export function tempDataDir(name) {
  return mkdtempSync(join(TMP_ROOT, `${name}-`));
}

/** A running tauri-driver whose app sees `dataDir` as SMM_DESK_DATA_DIR. */
export class Driver {
  static async start(dataDir, env = {}) {
    if (!APP) throw new Error("SMM_E2E_APP is not set (run tests/e2e/run.sh)");
    const port = await freePort();
    let nativePort = await freePort();
    while (nativePort === port) nativePort = await freePort();
    const logPath = join(dataDir, "tauri-driver.log");
    const log = openSync(logPath, "a");
    const child = spawn(
      "tauri-driver",
      ["--port", String(port), "--native-port", String(nativePort)],
      {
        // A test may override the data folder (e.g. "" to use the OS folders under its own HOME).
        env: { ...process.env, SMM_DESK_DATA_DIR: dataDir, ...env },
        detached: true, // its own process group: the app and WebKitWebDriver die with it
        stdio: ["ignore", log, log],
      },
    );
    closeSync(log);
    if (PID_DIR) {
      mkdirSync(PID_DIR, { recursive: true });
      writeFileSync(join(PID_DIR, String(child.pid)), `${logPath}\n`);
    }
    const driver = new Driver(child, `http://127.0.0.1:${port}`);
    const deadline = Date.now() + 20_000;
    for (;;) {
      try {
        const res = await fetch(`${driver.url}/status`, { signal: AbortSignal.timeout(2_000) });
        if (res.ok || res.status < 500) break;
      } catch {
        // not listening yet
      }
      if (child.exitCode !== null) throw new Error(`tauri-driver exited with ${child.exitCode}`);
      if (Date.now() > deadline) {
        await driver.stop();
        throw new Error("tauri-driver did not start within 20 s");
      }
      await sleep(100);
    }
    return driver;
  }

  constructor(child, url) {
    this.child = child;
    this.url = url;
    this.sessions = [];
  }

  /** Kills tauri-driver, WebKitWebDriver and the app (the whole process group). */
  async stop() {
    for (const session of this.sessions.splice(0)) await session.close();
    const pid = this.child.pid;
    for (const signal of ["SIGTERM", "SIGKILL"]) {
      try {
        process.kill(-pid, signal);
      } catch {
        // already gone
      }
    }
    if (PID_DIR) rmSync(join(PID_DIR, String(pid)), { force: true });
  }

  /** Opens a session: this starts the app. */
  async newSession() {
    const body = {
      capabilities: {
        alwaysMatch: { browserName: "wry", "tauri:options": { application: APP } },
      },
    };
    const value = await request(this.url, "POST", "/session", body, SESSION_TIMEOUT_MS);
    const session = new Session(this.url, value.sessionId);
    this.sessions.push(session);
    return session;
  }
}

async function request(base, method, path, body, timeoutMs = REQUEST_TIMEOUT_MS) {
  let res;
  try {
    res = await fetch(`${base}${path}`, {
      method,
      headers: body === undefined ? {} : { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (err) {
    throw new Error(`WebDriver ${method} ${path} failed: ${err.message}`);
  }
  const text = await res.text();
  let json;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error(`WebDriver ${method} ${path}: HTTP ${res.status}, not JSON: ${text.slice(0, 200)}`);
  }
  if (!res.ok || (json.value && json.value.error)) {
    const v = json.value ?? {};
    throw new Error(`WebDriver ${method} ${path}: ${v.error ?? res.status}: ${v.message ?? text.slice(0, 200)}`);
  }
  return json.value;
}

/** One WebDriver session (one run of the app). */
export class Session {
  constructor(base, id) {
    this.base = base;
    this.id = id;
  }

  cmd(method, path, body, timeoutMs) {
    return request(this.base, method, `/session/${this.id}${path}`, body, timeoutMs);
  }

  /** Closes the session, which closes the app. */
  async close() {
    if (this.closed) return;
    this.closed = true;
    try {
      await this.cmd("DELETE", "", undefined, 20_000);
    } catch {
      // the app may already be gone
    }
  }

  title() {
    return this.cmd("GET", "/title");
  }

  /** Runs `script` (a function body) in the page with `args`; returns its value. */
  execute(script, args = []) {
    return this.cmd("POST", "/execute/sync", { script, args });
  }

  /** Runs an async script: the last argument is the callback. */
  executeAsync(script, args = []) {
    return this.cmd("POST", "/execute/async", { script, args });
  }

  /** The element for a CSS selector (throws if absent). */
  async find(css) {
    const value = await this.cmd("POST", "/element", { using: "css selector", value: css });
    return value[ELEMENT_KEY];
  }

  /** Waits for `css` to exist, then clicks it. */
  async tap(css) {
    await this.waitFor(css, () => this.exists(css));
    await this.click(css);
  }

  /** Opens a screen from the navigation and waits until it shows. */
  async goTo(screen) {
    await this.tap(`[data-testid=nav-${screen}]`);
    await this.waitFor(`the ${screen} screen`, async () =>
      (await this.execute("return document.querySelector('[data-testid=screen]').dataset.screen;")) === screen,
    );
  }

  async click(css) {
    const el = await this.find(css);
    await this.cmd("POST", `/element/${el}/click`, {});
  }

  /** The rendered text (innerText) of the element for `css`. WebKitWebDriver's own
   *  "Get Element Text" answers "" for the app's elements, so this asks the page. */
  async text(css) {
    await this.find(css);
    return this.execute("return document.querySelector(arguments[0]).innerText;", [css]);
  }

  /** Whether an element matches `css` now. */
  exists(css) {
    return this.execute("return document.querySelector(arguments[0]) !== null;", [css]);
  }

  /** Sets an input's, textarea's or select's value the way a user edit does (React sees it). */
  fill(css, value) {
    return this.execute(
      "const el = document.querySelector(arguments[0]);" +
        "const proto = Object.getPrototypeOf(el);" +
        "Object.getOwnPropertyDescriptor(proto, 'value').set.call(el, arguments[1]);" +
        "el.dispatchEvent(new Event(el.tagName === 'SELECT' ? 'change' : 'input', { bubbles: true }));" +
        "return true;",
      [css, value],
    );
  }

  /** Types `text` into the element for `css` with real key events. */
  async type(css, text) {
    const el = await this.find(css);
    await this.cmd("POST", `/element/${el}/value`, { text });
  }

  /** Calls an app command directly (test set-up only; the UI is what is under test). */
  invoke(cmd, args = {}) {
    return this.executeAsync(
      "const done = arguments[arguments.length - 1];" +
        "window.__TAURI_INTERNALS__.invoke(arguments[0], arguments[1])" +
        ".then((v) => done({ ok: v }), (e) => done({ err: e }));",
      [cmd, args],
    ).then((r) => {
      if (r && "err" in r) throw new Error(`${cmd}: ${JSON.stringify(r.err)}`);
      return r.ok;
    });
  }

  async rect(css) {
    const el = await this.find(css);
    return this.cmd("GET", `/element/${el}/rect`);
  }

  /** `document.documentElement`'s lang and dir. */
  htmlLangDir() {
    return this.execute(
      "return { lang: document.documentElement.lang, dir: document.documentElement.dir, dark: document.documentElement.classList.contains('dark') };",
    );
  }

  /** Polls `check` (async, returns truthy when done) until it passes or `timeoutMs` ends. */
  async waitFor(what, check, timeoutMs = 15_000) {
    const deadline = Date.now() + timeoutMs;
    let last;
    for (;;) {
      try {
        const result = await check();
        if (result) return result;
      } catch (err) {
        last = err;
      }
      if (Date.now() > deadline) {
        throw new Error(`timed out waiting for ${what}${last ? `: ${last.message}` : ""}`);
      }
      await sleep(100);
    }
  }

  /** Waits for fonts, running CSS transitions and two animation frames (so the frame shows
   *  the last DOM change, not a colour half-way through a transition), then
   *  writes a PNG screenshot to SCREENSHOT_DIR/<name>.png. */
  async screenshot(name) {
    await this.executeAsync(
      "const done = arguments[arguments.length - 1];" +
        "const settled = () => Promise.all(document.getAnimations().map((a) => a.finished.catch(() => null)));" +
        "document.fonts.ready.then(settled).then(() =>" +
        "  requestAnimationFrame(() => requestAnimationFrame(() => done(true))));",
    );
    const base64 = await this.cmd("GET", "/screenshot", undefined, 60_000);
    if (SCREENSHOT_DIR) {
      mkdirSync(SCREENSHOT_DIR, { recursive: true });
      writeFileSync(join(SCREENSHOT_DIR, `${name}.png`), Buffer.from(base64, "base64"));
    }
  }
}

/** Waits until the app's shell has rendered in `session`. */
export async function shellReady(session) {
  await session.waitFor(
    "the shell to render",
    () => session.execute("return document.querySelector('[data-testid=screen]') !== null;"),
    30_000,
  );
}

/** Starts a driver and a session (the app) on a fresh data folder; `t.after` stops them. */
export async function launch(t, name, dataDir = tempDataDir(name), env = {}) {
  const driver = await Driver.start(dataDir, env);
  t.after(() => driver.stop());
  const session = await driver.newSession();
  await shellReady(session);
  return { driver, session, dataDir };
}
