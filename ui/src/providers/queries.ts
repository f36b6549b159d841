// Engine data for the Providers screen, and what to refresh after a change.
import { useQuery } from "@tanstack/react-query";
import type { QueryClient } from "@tanstack/react-query";

import { commands } from "../ipc/bindings";
import type { ProviderView_Serialize } from "../ipc/bindings";

export type ProviderView = ProviderView_Serialize;

export function useProviders() {
  return useQuery({ queryKey: ["providers"], queryFn: () => commands.listProviders() });
}

/** After providers or catalogs change: providers, catalog pages, changes, categories. */
export async function refreshAfterProviderChange(client: QueryClient): Promise<void> {
  await Promise.all([
    client.invalidateQueries({ queryKey: ["providers"] }),
    client.invalidateQueries({ queryKey: ["services"] }),
    client.invalidateQueries({ queryKey: ["changes"] }),
    client.invalidateQueries({ queryKey: ["categories"] }),
    client.invalidateQueries({ queryKey: ["offers"] }),
  ]);
}
