// One order's detail, in a drawer at the inline end: its fields, timeline, refills, cancel
// requests, and for an `unknown` order the resolve flow.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect } from "react";
import { useTranslation } from "react-i18next";

import { Badge, Button, ErrorBanner, Loading } from "../components/ui";
import { commands } from "../ipc/bindings";
import type { OrderEventView_Serialize as OrderEventView } from "../ipc/bindings";
import { toUiError } from "../ipc/errors";
import { KEYS } from "../ipc/useEngineEvents";
import { formatAmount, formatCount, formatDateTime } from "../lib/format";
import { usePreferences } from "../preferences/PreferencesProvider";
import { ResolveUnknown, StatusBadge, useStatusText } from "./OrderResult";
import { UNSETTLED_STATUSES } from "./statuses";


export function OrderDrawer({ id, onClose }: { id: number; onClose: () => void }) {
  const { t } = useTranslation();
  const { language } = usePreferences();
  const client = useQueryClient();
  const detail = useQuery({ queryKey: [...KEYS.order, id], queryFn: () => commands.orderDetail(id) });
  const changed = () => {
    void client.invalidateQueries({ queryKey: KEYS.orders });
    void client.invalidateQueries({ queryKey: KEYS.orderCounts });
    void client.invalidateQueries({ queryKey: [...KEYS.order, id] });
  };
  const resubmit = useMutation({ mutationFn: () => commands.resubmitOrder(id), onSuccess: changed });
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "Escape") onClose();
    };
    window.addEventListener("keydown", onKey);
    return () => {
      window.removeEventListener("keydown", onKey);
    };
  }, [onClose]);

  const d = detail.data;
  const o = d?.order;
  // This order's resubmission: just made here, or recorded in its timeline earlier.
  const resubmittedAs =
    resubmit.data?.id ??
    (d?.events ?? []).filter((e) => e.kind === "resubmitted").map((e) => newOrderId(e.detail)).find((v) => v !== null) ??
    null;
  const num = (v: number | null) => (v === null ? "—" : formatCount(v, language));
  const money = (a: string) => (o ? formatAmount(a, o.currency, language) : a);
  const sale = o?.settlement ?? null;
  const saleRows: [string, string, string][] = !o
    ? []
    : o.salePrice === null
      ? o.customer === null ? [] : [[t("order.customer"), o.customer, "drawer-customer"]]
      : [
          [t("order.customer"), o.customer ?? "—", "drawer-customer"],
          [t("order.salePrice"), money(o.salePrice), "drawer-sale"],
          ...(sale !== null && sale.billed !== o.salePrice ? ([[t("orders.billed"), money(sale.billed), "drawer-billed"]] as [string, string, string][]) : []),
          ...(sale !== null
            ? ([[t("orders.cost"), sale.cost === o.estimatedCost ? money(sale.cost) : t("orders.costVsEstimate", { cost: money(sale.cost), estimate: money(o.estimatedCost) }), "drawer-cost"]] as [string, string, string][])
            : []),
          [t("order.profit"), sale === null ? "—" : money(sale.profit), "drawer-profit"],
        ];
  const rows: [string, string, string?][] = o
    ? [
        [t("result.provider"), o.provider],
        [t("result.service"), `#${o.serviceId} ${o.serviceName}`],
        [t("order.fields.link"), o.link ?? "—"],
        [t("order.fields.quantity"), num(o.quantity)],
        [t("orders.col.startCount"), num(o.startCount)],
        [t("orders.col.remains"), num(o.remains)],
        [t("order.estimate"), formatAmount(o.estimatedCost, o.currency, language)],
        [t("result.charge"), o.charge === null ? "—" : formatAmount(o.charge, o.currency, language)],
        ...saleRows,
        [t("result.externalId"), o.externalId ?? "—"],
        ...(o.parentOrderId !== null ? ([[t("orders.resubmitOf"), `#${formatCount(o.parentOrderId, language)}`]] as [string, string][]) : []),
        [t("result.created"), formatDateTime(o.createdAt, language)],
        [t("orders.updated"), formatDateTime(o.updatedAt, language)],
      ]
    : [];
  return (
    <aside
      role="dialog"
      aria-modal="false"
      aria-label={t("orders.detail", { id })}
      data-testid="order-drawer"
      data-id={id}
      data-status={o?.status ?? ""}
      data-parent={o?.parentOrderId ?? ""}
      className="fixed inset-y-0 end-0 z-40 flex w-[30rem] max-w-full flex-col border-s border-line bg-panel shadow-xl"
    >
      <header className="flex h-14 shrink-0 items-center justify-between gap-3 border-b border-line px-5">
        <h2 className="flex items-center gap-2 text-base font-semibold text-fg">
          {t("orders.detail", { id: formatCount(id, language) })}
          {o && <StatusBadge status={o.status} />}
        </h2>
        <Button variant="ghost" onClick={onClose} data-testid="order-drawer-close" aria-label={t("common.close")}>
          ✕
        </Button>
      </header>
      <div className="flex min-h-0 flex-1 flex-col gap-5 overflow-auto px-5 py-4">
        {detail.isPending && <Loading />}
        {detail.isError && <ErrorBanner error={toUiError(detail.error)} />}
        {o !== undefined && d !== undefined && (
          <>
            {o.lastError !== null && UNSETTLED_STATUSES.includes(o.status) && (
              // The provider's or the network's own words, untranslated: kept behind a
              // disclosure; the translated state and what to do are said above and below.
              <details className="rounded-md border border-warning/40 bg-warning/10 px-3 py-2 text-xs text-fg-soft" data-testid="drawer-last-error">
                <summary className="cursor-pointer text-fg">{t("orders.technicalDetails")}</summary>
                <p className="mt-1 break-words font-mono" dir="ltr">{o.lastError}</p>
              </details>
            )}
            {o.status === "unknown" && (
              <div className="flex flex-col gap-2" data-testid="drawer-resolve">
                <p className="text-sm text-fg">{t("result.unknownTitle")}</p>
                <ResolveUnknown order={o} onResolved={changed} />
              </div>
            )}
            {resubmittedAs !== null && (
              <p className="text-sm text-fg" role="status" data-testid="drawer-resubmitted" data-id={resubmittedAs}>
                {t("orders.resubmittedAs", { id: formatCount(resubmittedAs, language) })}
              </p>
            )}
            {(o.status === "not_sent" || o.status === "not_placed") && resubmittedAs === null && (
              <div className="flex items-center gap-2">
                <Button variant="primary" busy={resubmit.isPending} onClick={() => { resubmit.mutate(); }} data-testid="drawer-resubmit">
                  {t("result.resubmit")}
                </Button>
                <span className="text-xs text-muted">{t("result.resubmitHint")}</span>
              </div>
            )}
            {resubmit.isError && <ErrorBanner error={toUiError(resubmit.error)} />}
            <dl className="grid grid-cols-[max-content_1fr] gap-x-6 gap-y-1.5 text-sm">
              {rows.map(([k, v, testId]) => (
                <div key={k} className="contents">
                  <dt className="text-muted">{k}</dt>
                  {/* Each value takes its own direction (a Latin service name reads left to right inside Arabic), kept at the inline end. */}
                  <dd className="min-w-0 break-words text-fg rtl:text-right" dir="auto" data-testid={testId}>{v}</dd>
                </div>
              ))}
            </dl>
            <Section title={t("orders.timeline")}>
              <ol className="flex flex-col gap-2 border-s border-line ps-4" data-testid="order-timeline">
                {d.events.map((e, i) => (
                  <TimelineEntry key={i} e={e} />
                ))}
              </ol>
            </Section>
            <Section title={t("orders.refills")}>
              {d.refills.length === 0 ? (
                <p className="text-xs text-muted">{t("orders.none")}</p>
              ) : (
                <ul className="flex flex-col gap-1 text-sm" data-testid="order-refills">
                  {d.refills.map((r) => (
                    <li key={r.id} className="flex items-center justify-between gap-3" data-status={r.status}>
                      <span className="text-xs text-muted">{formatDateTime(r.requestedAt, language)}</span>
                      <Badge>{t(`orders.requestStatus.${r.status}`)}</Badge>
                    </li>
                  ))}
                </ul>
              )}
            </Section>
            <Section title={t("orders.cancels")}>
              {d.cancels.length === 0 ? (
                <p className="text-xs text-muted">{t("orders.none")}</p>
              ) : (
                <ul className="flex flex-col gap-1 text-sm" data-testid="order-cancels">
                  {d.cancels.map((c) => (
                    <li key={c.id} className="flex items-center justify-between gap-3" data-status={c.status}>
                      <span className="text-xs text-muted">{formatDateTime(c.requestedAt, language)}</span>
                      <Badge>{t(`orders.requestStatus.${c.status}`)}</Badge>
                    </li>
                  ))}
                </ul>
              )}
            </Section>
          </>
        )}
      </div>
    </aside>
  );
}

function Section({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <section className="flex flex-col gap-2">
      <h3 className="text-xs font-semibold tracking-wide text-muted uppercase">{title}</h3>
      {children}
    </section>
  );
}

/** The new order's id in a `resubmitted` event's detail. */
function newOrderId(detail: string): number | null {
  try {
    const v = (JSON.parse(detail) as { new_order_id?: unknown }).new_order_id;
    return typeof v === "number" ? v : null;
  } catch {
    return null;
  }
}

/** What a routing event's detail says: the group, the attempt and the provider, and for
 *  `routed` the attempts before it. `null` for another kind or an unreadable detail. */
export function routeDetail(e: OrderEventView): { group: string; attempt: number; provider: string; previous: { orderId: number; provider: string; serviceId: string; status: string }[] } | null {
  if (e.kind !== "routed" && e.kind !== "rerouted") return null;
  try {
    const d = JSON.parse(e.detail) as Record<string, unknown>;
    const str = (v: unknown) => (typeof v === "string" ? v : "");
    const previous = Array.isArray(d.previous) ? (d.previous as Record<string, unknown>[]) : [];
    return {
      group: str(d.group),
      attempt: typeof d.attempt === "number" ? d.attempt : 0,
      provider: str(d.provider),
      previous: previous.map((p) => ({ orderId: typeof p.order_id === "number" ? p.order_id : 0, provider: str(p.provider), serviceId: str(p.service_id), status: str(p.status) })),
    };
  } catch {
    return null;
  }
}

function TimelineEntry({ e }: { e: OrderEventView }) {
  const { t, i18n } = useTranslation();
  const { language } = usePreferences();
  const statusText = useStatusText();
  const key = `orders.events.${e.kind}`;
  const route = routeDetail(e);
  const what = route
    ? t(key as "orders.events.routed", { group: route.group, attempt: formatCount(route.attempt, language), provider: route.provider })
    : i18n.exists(key) ? t(key as "orders.events.created") : e.kind;
  return (
    <li className="relative text-sm" data-testid="timeline-entry" data-kind={e.kind}>
      <span className="absolute -start-[1.3rem] top-1.5 size-2 rounded-full bg-accent" aria-hidden />
      <div className="flex flex-wrap items-baseline gap-x-2">
        <span className="font-medium text-fg">{what}</span>
        {e.status !== null && <span className="text-xs text-fg-soft">→ {statusText(e.status)}</span>}
        {e.kind === "resubmitted" && newOrderId(e.detail) !== null && (
          <span className="text-xs text-fg-soft" data-testid="timeline-resubmitted-as">→ #{formatCount(newOrderId(e.detail) ?? 0, language)}</span>
        )}
      </div>
      {route && route.previous.length > 0 && (
        <ul className="text-xs text-fg-soft" data-testid="timeline-route-previous">
          {route.previous.map((p) => (
            <li key={p.orderId} data-provider={p.provider} data-status={p.status}>
              {t("orders.events.routedAfter", { provider: p.provider, serviceId: p.serviceId, status: statusText(p.status) })}
            </li>
          ))}
        </ul>
      )}
      <div className="text-xs text-muted">{formatDateTime(e.at, language)}</div>
    </li>
  );
}
