// Test helpers: render the real app with the Tauri IPC mocked.
import { mockIPC } from "@tauri-apps/api/mocks";
import { render } from "@testing-library/react";

import { App } from "../App";
import i18n, { initI18n } from "../i18n";
import type { AppInfo, UiSettings } from "../ipc/bindings";

export const APP_INFO: AppInfo = {
  version: "0.1.0",
  dataDir: "/tmp/smm-test",
  logDir: "/tmp/smm-test/logs",
  databaseFile: "/tmp/smm-test/smm-desk.sqlite3",
};

/** Every IPC call the app made, in order. */
export type IpcCall = { cmd: string; args: unknown };

/** Mocks the commands the shell uses; returns the log of calls. */
export function mockCommands(): IpcCall[] {
  const calls: IpcCall[] = [];
  mockIPC((cmd, args) => {
    calls.push({ cmd, args });
    switch (cmd) {
      case "app_info":
        return APP_INFO;
      case "get_ui_settings":
        return null;
      case "set_ui_settings":
        return (args as { settings: UiSettings }).settings;
      default:
        throw new Error(`unexpected command ${cmd}`);
    }
  });
  return calls;
}

/** Renders the whole app as main.tsx does, starting in `initial`. */
export async function renderApp(
  initial: UiSettings = { language: "en", theme: "light" },
): Promise<{ calls: IpcCall[] } & ReturnType<typeof render>> {
  const calls = mockCommands();
  await initI18n(initial.language);
  await i18n.changeLanguage(initial.language);
  document.documentElement.lang = "";
  document.documentElement.dir = "";
  return { calls, ...render(<App initial={initial} />) };
}
