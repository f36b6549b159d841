// Test helpers: render the real app with the Tauri IPC mocked.
import { mockIPC } from "@tauri-apps/api/mocks";
import { render } from "@testing-library/react";

import { QueryClientProvider } from "@tanstack/react-query";

import { App, newQueryClient } from "../App";
import { PreferencesProvider } from "../preferences/PreferencesProvider";
import i18n, { initI18n } from "../i18n";
import type { AppInfo, PresetView, StartupProblemView, UiSettings_Serialize as UiSettings } from "../ipc/bindings";

export const APP_INFO: AppInfo = {
  version: "0.1.0",
  dataDir: "/tmp/smm-test",
  logDir: "/tmp/smm-test/logs",
  databaseFile: "/tmp/smm-test/smm-desk.sqlite3",
};

export const PRESETS: PresetView[] = [
  { id: "jap", name: "justanotherpanel", displayName: "Just Another Panel", apiUrl: "https://justanotherpanel.com/api/v2" },
  { id: "smmkings", name: "smmkings", displayName: "SMM Kings", apiUrl: "https://smmkings.com/api/v2" },
  { id: "secsers", name: "secsers", displayName: "Secsers", apiUrl: "https://secsers.com/api/v2" },
];

/** Every IPC call the app made, in order. */
export type IpcCall = { cmd: string; args: unknown };

/** A command handler for tests: return a value, or throw `{code, message}` to reject. */
export type Handler = (args: Record<string, unknown>) => unknown;

/** Mocks the commands the shell uses (plus `extra`); returns the log of calls. */
export function mockCommands(extra: Record<string, Handler> = {}): IpcCall[] {
  const calls: IpcCall[] = [];
  mockIPC((cmd, args) => {
    calls.push({ cmd, args });
    const handler = extra[cmd];
    if (handler) return handler((args ?? {}) as Record<string, unknown>);
    switch (cmd) {
      case "app_info":
        return APP_INFO;
      case "get_ui_settings":
        return null;
      case "set_ui_settings":
        return (args as { settings: UiSettings }).settings;
      case "list_providers":
        return [];
      case "provider_presets":
        return PRESETS;
      case "unread_alert_count":
        return 0;
      case "provider_balances":
        return [];
      case "list_alerts":
        return [];
      case "engine_settings":
        return [];
      case "job_health":
        return [];
      case "balance_history":
        return [];
      case "balance_gaps":
        return [];
      case "startup_problem":
        return null;
      case "data_folder":
        return { dataDir: "/tmp/smm-test", source: "env", changeable: false, restorePending: false, restoreBlocked: false, restoredPrevious: null };
      case "key_store":
        return { kind: "key_file", path: "/tmp/smm-test/config/master.key", inDataFolder: true };
      case "local_api_status":
        return { enabled: false, running: false, port: 8765, url: null, problem: null, token: "none" };
      case "local_api_requests":
        return [];
      case "list_customers":
        return [];
      case "list_offer_groups":
        return [];
      case "price_rules":
        return [];
      case "dashboard_profit":
        return { overall: [], perDay: [], providers: [], platforms: [], categories: [], customers: [], unsoldOrders: 0 };
      default:
        throw new Error(`unexpected command ${cmd}`);
    }
  }, { shouldMockEvents: true });
  return calls;
}

/** Renders the whole app as main.tsx does, starting in `initial`. */
export async function renderApp(
  initial: UiSettings = { language: "en", theme: "light", digits: "latin" },
  extra: Record<string, Handler> = {},
): Promise<{ calls: IpcCall[] } & ReturnType<typeof render>> {
  const calls = mockCommands(extra);
  await initI18n(initial.language);
  await i18n.changeLanguage(initial.language);
  document.documentElement.lang = "";
  document.documentElement.dir = "";
  // As main.tsx does: the startup problem is asked before the first render.
  const problem = (extra.startup_problem?.({}) ?? null) as StartupProblemView | null;
  return { calls, ...render(<App initial={initial} problem={problem} />) };
}

/** Renders one screen inside the app's providers (query client, preferences), IPC mocked. */
export async function renderScreen(
  ui: React.ReactElement,
  extra: Record<string, Handler> = {},
  language: UiSettings["language"] = "en",
): Promise<{ calls: IpcCall[] } & ReturnType<typeof render>> {
  const calls = mockCommands(extra);
  await initI18n(language);
  await i18n.changeLanguage(language);
  const client = newQueryClient();
  return {
    calls,
    ...render(
      <QueryClientProvider client={client}>
        <PreferencesProvider initial={{ language, theme: "light", digits: "latin" }}>{ui}</PreferencesProvider>
      </QueryClientProvider>,
    ),
  };
}

/** What a command rejects with when the engine refuses: `{ code, message, field? }`. */
export function ipcError(code: string, field?: string): Promise<never> {
  const error = field === undefined ? { code, message: code } : { code, message: code, field };
  // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- IPC errors are plain objects, as Tauri sends them
  return Promise.reject(error);
}
