import { emit } from "@tauri-apps/api/event";
import { clearMocks } from "@tauri-apps/api/mocks";
import { cleanup, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it } from "vitest";

import { renderApp } from "../test/render";

afterEach(() => {
  cleanup();
  clearMocks();
});

describe("engine events", () => {
  it("providers-changed refreshes the providers without polling", async () => {
    let providers: unknown[] = [];
    await renderApp(undefined, { list_providers: () => providers });
    await userEvent.click(screen.getByTestId("nav-providers"));
    expect(await screen.findByTestId("welcome")).toBeTruthy();
    providers = [
      {
        name: "demo", displayName: "Demo panel", apiUrl: "http://127.0.0.1:1/api/v2", keyHint: "••••0000",
        active: true, priority: 0, currency: "USD", balance: "1000", balanceCheckedAt: null, lastError: null,
        isDemo: true, services: 300, catalogSyncedAt: null,
      },
    ];
    await emit("providers-changed", { reason: "demo_resumed" });
    await waitFor(() => {
      expect(screen.getByTestId("provider-demo")).toBeTruthy();
    });
  });
});
