// Alerts: the engine's inbox (low balance, finished or stuck orders, failing providers, a refused
// key, price changes; `AlertKind` from the bindings), read/unread, each linking to its order,
// provider or service. Newest first, a page at a time (keyset on the alert id), so a
// long-running install with thousands stays quick.
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";

import { Segmented } from "../components/Segmented";
import { Badge, Button, EmptyState, ErrorBanner, Loading } from "../components/ui";
import { commands } from "../ipc/bindings";
import type { AlertKind, AlertView_Serialize as AlertView } from "../ipc/bindings";
import { toUiError } from "../ipc/errors";
import { KEYS } from "../ipc/useEngineEvents";
import { formatAgo, formatAmount, formatCount, formatDateTime, formatPercentText } from "../lib/format";
import { useStatusText } from "../orders/OrderResult";
import { usePreferences } from "../preferences/PreferencesProvider";
import { useNavigate } from "../shell/navigation";

/** Alerts per page. */
export const ALERTS_PAGE = 100;


/** The translated text of an alert, built from its kind and parameters (never the English one-liner). */
export function useAlertText(): (a: AlertView) => string {
  const { t } = useTranslation();
  const { language } = usePreferences();
  const status = useStatusText();
  return (a) => {
    const kind = a.kind;
    let p: Record<string, unknown> = {};
    try {
      p = JSON.parse(a.params) as Record<string, unknown>;
    } catch {
      // unreadable parameters: the text still reads, with blanks
    }
    const s = (k: string): string => {
      const v = p[k];
      return typeof v === "string" ? v : typeof v === "number" ? String(v) : "";
    };
    const cur = s("currency");
    const money = (k: string) => (s(k) === "" ? "—" : formatAmount(s(k), cur, language));
    // Names and ids keep their own direction inside an Arabic sentence (first-strong isolates).
    const iso = (x: string) => (language === "ar" ? `\u2068${x}\u2069` : x);
    return t(`alerts.text.${kind}`, {
      provider: iso(a.provider ?? "—"),
      balance: money("balance"),
      threshold: money("threshold"),
      order: a.orderId === null ? "—" : iso(`#${formatCount(a.orderId, language)}`),
      service: iso(s("service")),
      status: s("status") === "" ? "" : status(s("status")),
      charge: money("charge"),
      hours: s("hours") === "" ? "—" : formatCount(Number(s("hours")), language),
      calls: s("calls") === "" ? "—" : formatCount(Number(s("calls")), language),
      oldRate: money("old_rate"),
      gap: money("gap"),
      balanceBefore: money("balance_before"),
      expected: money("expected"),
      orders: Array.isArray(p.orders) && p.orders.length > 0 ? iso((p.orders as unknown[]).map((o) => `#${formatCount(Number(o), language)}`).join(", ")) : "—",
      costRate: money("cost_rate"),
      saleRate: money("sale_rate"),
      margin: s("margin") === "" ? "—" : formatPercentText(s("margin"), language),
      minMargin: formatPercentText(s("min_margin"), language),
      newRate: money("new_rate"),
      serviceId: iso(s("service_id")),
      schedule: s("schedule_id") === "" ? "—" : iso(`#${formatCount(Number(s("schedule_id")), language)}`),
      count: s("count") === "" ? "—" : formatCount(Number(s("count")), language),
      first: s("first") === "" ? "—" : formatDateTime(s("first"), language),
      last: s("last") === "" ? "—" : formatDateTime(s("last"), language),
      occurrence: s("occurrence") === "" ? "—" : formatDateTime(s("occurrence"), language),
      reason: s("code") === "" ? "—" : t(`errors.${s("code")}`, { defaultValue: t("errors.unknown", { code: s("code") }) }),
      outcome: p.placed_latest === true ? t("alerts.latestPlaced") : t("alerts.nonePlaced"),
    });
  };
}

export function AlertsScreen() {
  const { t } = useTranslation();
  const { language } = usePreferences();
  const client = useQueryClient();
  const navigate = useNavigate();
  const text = useAlertText();
  const [show, setShow] = useState<"all" | "unread">("all");
  const alerts = useInfiniteQuery({
    queryKey: [...KEYS.alerts, show],
    queryFn: ({ pageParam }) => commands.listAlerts(show === "unread", pageParam, ALERTS_PAGE),
    initialPageParam: null as number | null,
    getNextPageParam: (last) => (last.length < ALERTS_PAGE ? undefined : (last.at(-1)?.id ?? undefined)),
  });
  const shown = alerts.data?.pages.flat() ?? [];
  const unread = useUnreadAlerts();
  const markRead = useMutation({
    mutationFn: (ids: number[]) => commands.markAlertsRead(ids),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: KEYS.alerts });
      void client.invalidateQueries({ queryKey: KEYS.alertCount });
    },
  });
  const open = (a: AlertView) => {
    if (a.readAt === null) markRead.mutate([a.id]);
    if (a.orderId !== null) navigate({ screen: "orders", orderId: a.orderId });
    else if (a.serviceRef !== null && (a.kind === "service_changed" || a.kind === "margin_low")) navigate({ screen: "newOrder", serviceRef: a.serviceRef });
    else if (a.serviceRef !== null) navigate({ screen: "catalog" });
    else if (a.provider !== null) navigate({ screen: "providers" });
  };
  return (
    <section className="mx-auto flex max-w-4xl flex-col gap-3" data-testid="alerts-screen">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <Segmented
          name="alerts-show"
          label={t("alerts.show")}
          value={show}
          options={[
            { value: "all", label: t("alerts.all") },
            { value: "unread", label: t("alerts.unread") },
          ]}
          onChange={setShow}
        />
        <Button disabled={unread === 0} busy={markRead.isPending} onClick={() => { markRead.mutate([]); }} data-testid="alerts-read-all">
          {t("alerts.markAllRead")}
        </Button>
      </div>
      {alerts.isError && <ErrorBanner error={toUiError(alerts.error)} />}
      {markRead.isError && <ErrorBanner error={toUiError(markRead.error)} />}
      {alerts.isPending ? (
        <Loading />
      ) : shown.length === 0 ? (
        <EmptyState testId="alerts-empty" title={t("alerts.emptyTitle")} text={t("alerts.emptyText")} />
      ) : (
        <ul className="divide-y divide-line overflow-hidden rounded-lg border border-line bg-panel" data-testid="alerts-list">
          {shown.map((a) => (
            <li key={a.id} data-testid="alert" data-kind={a.kind} data-read={a.readAt !== null} data-order={a.orderId ?? ""}
              className={`flex items-start gap-3 px-4 py-3 ${a.readAt === null ? "bg-accent-soft/30" : ""}`}>
              <span aria-hidden className={`mt-1.5 size-2 shrink-0 rounded-full ${a.readAt === null ? "bg-accent" : "bg-transparent"}`} />
              <div className="min-w-0 flex-1">
                <div className="flex flex-wrap items-center gap-2">
                  <Badge tone={tone(a.kind)}>{t(`alerts.kinds.${a.kind}`)}</Badge>
                  {a.clearedAt !== null && <Badge>{t("alerts.cleared")}</Badge>}
                  <span className="text-xs text-muted" title={formatDateTime(a.createdAt, language)}>{formatAgo(a.createdAt, language)}</span>
                </div>
                <p className="mt-1 text-sm text-fg" data-testid="alert-text"><bdi>{text(a)}</bdi></p>
              </div>
              <div className="flex shrink-0 gap-1">
                {(a.orderId !== null || a.provider !== null || a.serviceRef !== null) && (
                  <Button className="h-7 px-2 text-xs" onClick={() => { open(a); }} data-testid="alert-open">
                    {a.orderId !== null ? t("alerts.openOrder") : a.serviceRef !== null ? t("alerts.openService") : t("alerts.openProvider")}
                  </Button>
                )}
                {a.readAt === null && (
                  <Button variant="ghost" className="h-7 px-2 text-xs" onClick={() => { markRead.mutate([a.id]); }} data-testid="alert-read">
                    {t("alerts.markRead")}
                  </Button>
                )}
              </div>
            </li>
          ))}
        </ul>
      )}
      {alerts.hasNextPage && (
        <div className="flex justify-center">
          <Button busy={alerts.isFetchingNextPage} onClick={() => { void alerts.fetchNextPage(); }} data-testid="alerts-more">
            {t("alerts.loadMore")}
          </Button>
        </div>
      )}
    </section>
  );
}

/** Every kind's badge tone (a `Record` over the generated union: none can be forgotten). */
const TONE: Record<AlertKind, "warning" | "danger" | "success" | "accent"> = {
  low_balance: "warning",
  order_stuck: "warning",
  provider_failing: "danger",
  key_rejected: "danger",
  service_removed: "danger",
  order_finished: "success",
  service_changed: "accent",
  schedule_missed: "warning",
  schedule_skipped: "warning",
  margin_low: "danger",
  balance_gap: "danger",
  balance_negative: "danger",
};

function tone(kind: AlertKind): "warning" | "danger" | "success" | "accent" {
  return TONE[kind];
}

/** The unread count for the navigation. */
export function useUnreadAlerts(): number {
  const q = useQuery({ queryKey: [...KEYS.alertCount], queryFn: () => commands.unreadAlertCount() });
  return q.data ?? 0;
}
