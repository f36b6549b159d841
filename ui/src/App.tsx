// The app's providers around the shell.
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { useState } from "react";

import type { StartupProblemView, UiSettings_Serialize as UiSettings } from "./ipc/bindings";
import { useEngineEvents } from "./ipc/useEngineEvents";
import { PreferencesProvider } from "./preferences/PreferencesProvider";
import { AppShell } from "./shell/AppShell";
import { StartupProblemScreen } from "./shell/StartupProblem";

/** A query client for engine data: IPC is local, so no refetch on focus and one retry. */
export function newQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: { retry: 1, refetchOnWindowFocus: false, staleTime: 30_000 },
    },
  });
}

/** Listens to the engine's events for as long as the app runs. */
function EngineEvents() {
  useEngineEvents();
  return null;
}

/** `problem`: why the engine could not open (asked before the first render), shown instead of the app. */
export function App({ initial, problem = null }: { initial: UiSettings; problem?: StartupProblemView | null }) {
  const [queryClient] = useState(newQueryClient);
  return (
    <QueryClientProvider client={queryClient}>
      <EngineEvents />
      <PreferencesProvider initial={initial}>
        {problem === null ? <AppShell /> : <StartupProblemScreen problem={problem} />}
      </PreferencesProvider>
    </QueryClientProvider>
  );
}
