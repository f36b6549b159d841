import { clearMocks } from "@tauri-apps/api/mocks";
import { cleanup, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it } from "vitest";

import { APP_INFO, renderApp } from "../test/render";

afterEach(() => {
  cleanup();
  clearMocks();
});

describe("the app shell", () => {
  it("lists the screens in order and opens on the Dashboard, which welcomes a new user", async () => {
    await renderApp();
    const nav = screen.getByRole("navigation", { name: "Main navigation" });
    const items = within(nav).getAllByRole("button");
    expect(items.map((b) => b.textContent)).toEqual([
      "Dashboard",
      "Providers",
      "Catalog",
      "New order",
      "Mass order",
      "Orders",
      "Schedules",
      "Customers",
      "Alerts",
      "Settings",
    ]);
    expect(screen.getByTestId("screen-title").textContent).toBe("Dashboard");
    expect(screen.getByTestId("nav-dashboard").getAttribute("aria-current")).toBe("page");
    expect((await screen.findByTestId("welcome")).textContent).toContain("Try the demo panel");
  });

  it("navigates to a screen when its item is clicked", async () => {
    await renderApp();
    await userEvent.click(screen.getByTestId("nav-orders"));
    expect(screen.getByTestId("screen-title").textContent).toBe("Orders");
    expect(screen.getByTestId("screen").dataset.screen).toBe("orders");
    expect(screen.getByTestId("nav-orders").getAttribute("aria-current")).toBe("page");
    expect(screen.getByTestId("nav-dashboard").getAttribute("aria-current")).toBeNull();
  });

  it("shows the app's version and folders from app_info on Settings", async () => {
    await renderApp();
    await userEvent.click(screen.getByTestId("nav-settings"));
    await waitFor(() => {
      expect(screen.getByTestId("app-info-dataDir").textContent).toBe(APP_INFO.dataDir);
    });
    expect(screen.getByTestId("app-info-databaseFile").textContent).toBe(APP_INFO.databaseFile);
    expect(screen.getByTestId("app-info-version").textContent).toBe("0.1.0");
  });

  it("switching to Arabic sets dir=rtl, translates the shell and saves the choice", async () => {
    const { calls } = await renderApp();
    expect(document.documentElement.dir).toBe("ltr");
    await userEvent.click(screen.getByTestId("nav-settings"));
    await userEvent.click(screen.getByTestId("language-ar"));
    await waitFor(() => {
      expect(document.documentElement.dir).toBe("rtl");
    });
    expect(document.documentElement.lang).toBe("ar");
    expect(screen.getByTestId("screen-title").textContent).toBe("الإعدادات");
    expect(screen.getByTestId("nav-dashboard").textContent).toBe("لوحة المعلومات");
    expect(calls).toContainEqual({
      cmd: "set_ui_settings",
      args: { settings: { language: "ar", theme: "light", digits: "latin" } },
    });
  });

  it("the sidebar's language button switches to the other language and back", async () => {
    await renderApp();
    const toggle = screen.getByTestId("sidebar-language");
    expect(toggle.textContent).toBe("العربية");
    await userEvent.click(toggle);
    await waitFor(() => {
      expect(document.documentElement.dir).toBe("rtl");
    });
    expect(screen.getByTestId("sidebar-language").textContent).toBe("English");
    await userEvent.click(screen.getByTestId("sidebar-language"));
    await waitFor(() => {
      expect(document.documentElement.dir).toBe("ltr");
    });
    expect(await screen.findByTestId("sidebar-version")).toHaveProperty("textContent", "v0.1.0");
  });

  it("the dark theme sets the dark class and is saved", async () => {
    const { calls } = await renderApp();
    await userEvent.click(screen.getByTestId("nav-settings"));
    await userEvent.click(screen.getByTestId("theme-dark"));
    expect(document.documentElement.classList.contains("dark")).toBe(true);
    expect(calls.at(-1)).toEqual({
      cmd: "set_ui_settings",
      args: { settings: { language: "en", theme: "dark", digits: "latin" } },
    });
  });

  it("a failed save is shown, translated by its code", async () => {
    const { mockIPC } = await import("@tauri-apps/api/mocks");
    await renderApp();
    mockIPC((cmd) => {
      if (cmd === "set_ui_settings") {
        // Tauri rejects with the command's error value itself, a plain object.
        // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors
        return Promise.reject({ code: "settings.not_saved", message: "disk full" });
      }
      if (cmd === "key_store") return { kind: "keychain", path: null, inDataFolder: false };
      if (cmd === "engine_settings" || cmd === "job_health") return [];
      return null;
    });
    await userEvent.click(screen.getByTestId("nav-settings"));
    await userEvent.click(screen.getByTestId("theme-dark"));
    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toContain("The settings file could not be written.");
    expect(alert.textContent).not.toContain("disk full");
  });
});
