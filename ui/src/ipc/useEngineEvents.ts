// Engine events → fresh data: the UI refreshes what changed instead of polling.
import { useQueryClient } from "@tanstack/react-query";
import type { QueryClient } from "@tanstack/react-query";
import { useEffect } from "react";

import { refreshAfterProviderChange } from "../providers/queries";
import { events } from "./bindings";
import type { EngineChanged } from "./bindings";

/** Query keys of engine data, by what they show (the screens use these prefixes). */
export const KEYS = {
  orders: ["orders"],
  orderCounts: ["order_counts"],
  order: ["order"],
  stats: ["stats"],
  balances: ["balances"],
  alerts: ["alerts"],
  alertCount: ["alert_count"],
  settings: ["engine_settings"],
  jobs: ["job_health"],
  customers: ["customers"],
  schedules: ["schedules"],
  profit: ["profit"],
  prices: ["price_rules"],
} as const;

/** Invalidates the queries one coalesced `engine-changed` event touches. */
export async function applyEngineChange(client: QueryClient, change: EngineChanged): Promise<void> {
  if (change.everything) {
    await client.invalidateQueries();
    return;
  }
  const keys: (readonly string[])[] = [];
  if (change.orders.length > 0) {
    keys.push(KEYS.orders, KEYS.orderCounts, KEYS.order, KEYS.stats, KEYS.customers, KEYS.profit, KEYS.schedules);
  }
  if (change.balances.length > 0) keys.push(KEYS.balances, ["providers"]);
  if (change.jobs) keys.push(KEYS.balances, KEYS.jobs);
  if (change.alerts.length > 0) keys.push(KEYS.alerts, KEYS.alertCount);
  const done = keys.map((queryKey) => client.invalidateQueries({ queryKey }));
  if (change.catalogs.length > 0) done.push(refreshAfterProviderChange(client));
  await Promise.all(done);
}

export function useEngineEvents(): void {
  const client = useQueryClient();
  useEffect(() => {
    const stops: (() => void)[] = [];
    let cancelled = false;
    const keep = (unlisten: () => void) => {
      if (cancelled) unlisten();
      else stops.push(unlisten);
    };
    const warn = (err: unknown) => {
      console.warn("cannot listen to engine events", err);
    };
    events.providersChanged
      .listen(() => {
        void refreshAfterProviderChange(client);
        void client.invalidateQueries({ queryKey: KEYS.balances });
      })
      .then(keep)
      .catch(warn);
    events.engineChanged
      .listen((event) => {
        void applyEngineChange(client, event.payload);
      })
      .then(keep)
      .catch(warn);
    return () => {
      cancelled = true;
      for (const stop of stops) stop();
    };
  }, [client]);
}
