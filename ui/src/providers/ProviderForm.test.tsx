import { clearMocks } from "@tauri-apps/api/mocks";
import { cleanup, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it } from "vitest";

import type { ProviderView_Serialize } from "../ipc/bindings";
import { ipcError, renderApp } from "../test/render";

afterEach(() => {
  cleanup();
  clearMocks();
});

const DEMO: ProviderView_Serialize = {
  name: "demo",
  displayName: "Demo panel",
  apiUrl: "http://127.0.0.1:4000/api/v2",
  keyHint: "••••1234",
  active: true,
  priority: 0,
  currency: "USD",
  balance: "1000",
  balanceCheckedAt: "2026-11-24T12:00:00Z",
  lastError: null,
  noisyReplies: 0,
  noisyReplyAt: null,
  isDemo: true,
  services: 300,
  catalogSyncedAt: "2026-11-24T12:00:00Z",
};

async function openProviders(extra: Parameters<typeof renderApp>[1]) {
  const rendered = await renderApp({ language: "en", theme: "light", digits: "latin" }, extra);
  await userEvent.click(screen.getByTestId("nav-providers"));
  return rendered;
}

describe("the provider form", () => {
  it("fills a preset, shows the engine's URL error next to the field, and sends nothing else", async () => {
    const { calls } = await openProviders({
      add_provider: () => ipcError("provider.url_insecure", "api_url"),
    });
    await userEvent.click(await screen.findByTestId("welcome-add"));
    await userEvent.click(await screen.findByTestId("preset-jap"));
    expect(screen.getByTestId<HTMLInputElement>("pf-name").value).toBe("justanotherpanel");
    expect(screen.getByTestId<HTMLInputElement>("pf-apiUrl").value).toBe("https://justanotherpanel.com/api/v2");
    const url = screen.getByTestId("pf-apiUrl");
    await userEvent.clear(url);
    await userEvent.type(url, "http://panel.example.com/api/v2");
    await userEvent.type(screen.getByTestId("pf-apiKey"), "secret-key-9876");
    expect(screen.getByTestId("pf-apiKey").getAttribute("type")).toBe("password");
    await userEvent.click(screen.getByTestId("pf-save"));
    expect((await screen.findByTestId("error-pf-apiUrl")).textContent).toBe(
      "Plain http is allowed only for this computer. Use https.",
    );
    expect(url.getAttribute("aria-invalid")).toBe("true");
    expect(calls.find((c) => c.cmd === "add_provider")?.args).toEqual({
      input: {
        name: "justanotherpanel",
        displayName: "Just Another Panel",
        apiUrl: "http://panel.example.com/api/v2",
        apiKey: "secret-key-9876",
        priority: 0,
      },
    });
  });

  it("checks a new key at once after adding, so the balance shows without waiting for the balance job", async () => {
    let checked = false;
    const { calls } = await openProviders({
      add_provider: () => ({ ...DEMO, name: "kings", isDemo: false, balance: null, currency: null, balanceCheckedAt: null }),
      list_providers: () => (checked ? [{ ...DEMO, name: "kings", isDemo: false, balance: "42.5" }] : []),
      test_provider: () => {
        checked = true;
        return { provider: "kings", balance: "42.5", currency: "USD", checkedAt: "2026-11-24T12:00:00Z" };
      },
    });
    await userEvent.click(await screen.findByTestId("welcome-add"));
    await userEvent.click(await screen.findByTestId("preset-smmkings"));
    await userEvent.type(screen.getByTestId("pf-apiKey"), "kings-key-0001");
    await userEvent.click(screen.getByTestId("pf-save"));
    await waitFor(() => {
      expect(calls.find((c) => c.cmd === "test_provider")?.args).toEqual({ name: "kings" });
    });
    expect((await screen.findByTestId("provider-balance")).textContent).toContain("$42.50");
  });

  it("edits without ever showing the key: empty key field means keep it", async () => {
    const { calls } = await openProviders({
      list_providers: () => [DEMO],
      update_provider: (args) => ({ ...DEMO, displayName: (args.edit as { displayName: string }).displayName }),
    });
    await userEvent.click(await screen.findByTestId("provider-edit"));
    const key = screen.getByTestId<HTMLInputElement>("pf-apiKey");
    expect(key.value).toBe("");
    expect(key.placeholder).toBe("••••1234");
    expect(screen.getByText("Saved key ••••1234. Leave empty to keep it.")).toBeTruthy();
    const name = screen.getByTestId("pf-displayName");
    await userEvent.clear(name);
    await userEvent.type(name, "My demo");
    await userEvent.click(screen.getByTestId("pf-save"));
    await waitFor(() => {
      expect(screen.queryByTestId("provider-form")).toBeNull();
    });
    expect(calls.find((c) => c.cmd === "update_provider")?.args).toEqual({
      name: "demo",
      edit: { displayName: "My demo", apiUrl: DEMO.apiUrl, apiKey: null, priority: 0 },
    });
    expect(calls.map((c) => c.cmd)).not.toContain("test_provider"); // the key did not change
  });

  it("lists status, balance with its currency, services; delete asks and says orders are kept", async () => {
    let removed = false;
    await openProviders({
      list_providers: () => (removed ? [] : [{ ...DEMO, lastError: "timeout" }]),
      remove_provider: () => {
        removed = true;
        return null;
      },
    });
    const row = await screen.findByTestId("provider-demo");
    expect(row.dataset.status).toBe("failing");
    expect(screen.getByTestId("provider-status").textContent).toBe("Failing");
    expect(screen.getByTestId("provider-balance").textContent).toContain("$1,000.00");
    expect(screen.getByTestId("provider-services").textContent).toBe("300");
    await userEvent.click(screen.getByTestId("provider-delete"));
    expect(screen.getByTestId("confirm-dialog").textContent).toContain("orders and their history are kept");
    await userEvent.click(screen.getByTestId("confirm-ok"));
    expect(await screen.findByTestId("welcome")).toBeTruthy();
  });
});
