// Engine events → fresh data: the UI refreshes what changed instead of polling.
import { useQueryClient } from "@tanstack/react-query";
import { useEffect } from "react";

import { refreshAfterProviderChange } from "../providers/queries";
import { events } from "./bindings";

export function useEngineEvents(): void {
  const client = useQueryClient();
  useEffect(() => {
    let stop: (() => void) | undefined;
    let cancelled = false;
    events.providersChanged
      .listen(() => {
        void refreshAfterProviderChange(client);
      })
      .then((unlisten) => {
        if (cancelled) unlisten();
        else stop = unlisten;
      })
      .catch((err: unknown) => {
        console.warn("cannot listen to engine events", err);
      });
    return () => {
      cancelled = true;
      stop?.();
    };
  }, [client]);
}
