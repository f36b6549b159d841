import { clearMocks } from "@tauri-apps/api/mocks";
import { cleanup, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it } from "vitest";

import type { LocalApiView_Serialize as LocalApiView } from "../ipc/bindings";
import { ipcError, renderScreen } from "../test/render";
import { Settings } from "./Settings";
import { maskToken, parsePort } from "./LocalApiSettings";

afterEach(() => {
  cleanup();
  clearMocks();
});

const OFF: LocalApiView = { enabled: false, running: false, port: 8765, url: null, problem: null, token: "none" };
const ON: LocalApiView = { enabled: true, running: true, port: 8765, url: "http://127.0.0.1:8765", problem: null, token: "session" };
const TOKEN = "smmd_" + "ab".repeat(32);

describe("Settings › Local API", () => {
  it("accepts only ports 1024–65535 and masks the token", () => {
    expect(parsePort("8765")).toBe(8765);
    expect(parsePort(" 1024 ")).toBe(1024);
    for (const bad of ["80", "1023", "65536", "12a", "", "-1", "8765.5"]) expect(parsePort(bad)).toBe("invalid");
    expect(maskToken(TOKEN)).not.toContain("ab");
    expect(maskToken(TOKEN).startsWith("smmd_")).toBe(true);
  });

  it("switches on, shows the token on demand and lists the requests", async () => {
    let view = OFF;
    const { calls } = await renderScreen(<Settings />, {
      local_api_status: () => view,
      set_local_api_enabled: (a) => { view = a.enabled === true ? ON : OFF; return view; },
      local_api_token: () => TOKEN,
      local_api_requests: () => (view.running ? [{ method: "GET", path: "/api/smm/providers", status: 200, millis: 3, at: new Date().toISOString() }] : []),
    });
    await userEvent.click(await screen.findByTestId("api-enabled"));
    expect(calls.some((c) => c.cmd === "set_local_api_enabled")).toBe(true);
    expect((await screen.findByTestId("api-url")).textContent).toBe("http://127.0.0.1:8765");
    const token = await screen.findByTestId("api-token");
    expect(token.textContent).not.toBe(TOKEN);
    await userEvent.click(screen.getByTestId("api-token-show"));
    expect(screen.getByTestId("api-token").textContent).toBe(TOKEN);
    await waitFor(async () => { expect((await screen.findByTestId("api-request-row")).dataset.status).toBe("200"); }, { timeout: 4000 });
  });

  it("refuses a bad port in place without calling the app, and shows a taken port", async () => {
    const { calls } = await renderScreen(<Settings />, {
      local_api_status: () => OFF,
      set_local_api_port: () => ipcError("api.port_in_use", "port"),
    });
    const input = await screen.findByTestId("api-port");
    await userEvent.clear(input);
    await userEvent.type(input, "80");
    await userEvent.click(screen.getByTestId("api-port-save"));
    expect(screen.getByTestId("api-port-error").textContent).toBe("Enter a whole number from 1024 to 65535.");
    expect(calls.some((c) => c.cmd === "set_local_api_port")).toBe(false);
    await userEvent.clear(input);
    await userEvent.type(input, "9000");
    await userEvent.click(screen.getByTestId("api-port-save"));
    expect((await screen.findByTestId("api-port-error")).textContent).toContain("used by another program");
  });
});
