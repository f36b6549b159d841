// The result of placing an order: its state, and for `unknown` what to do.
import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";

import { Badge, Button, Card, ErrorBanner, Field, INPUT } from "../components/ui";
import { commands } from "../ipc/bindings";
import { toUiError } from "../ipc/errors";
import type { OrderView } from "../ipc/views";
import { formatAmount, formatCount, formatDateTime } from "../lib/format";
import { usePreferences } from "../preferences/PreferencesProvider";
import { useNavigate } from "../shell/navigation";
import { isOrderStatus, PLACED_STATUSES, STATUS_TONE } from "./statuses";
import type { OrderStatus } from "./statuses";


/** A translated order state (unknown raw states show as they are). */
export function useStatusText(): (status: string) => string {
  const { t, i18n } = useTranslation();
  return (status) => (i18n.exists(`orderStatus.${status}`) ? t(`orderStatus.${status}` as "orderStatus.pending") : status);
}

export function StatusBadge({ status }: { status: string }) {
  const text = useStatusText();
  return (
    <Badge tone={isOrderStatus(status) ? STATUS_TONE[status] : "neutral"} testId="order-status">
      {text(status)}
    </Badge>
  );
}

export function OrderResult({ order: initial, onNew }: { order: OrderView; onNew: () => void }) {
  const { t } = useTranslation();
  const { language } = usePreferences();
  const navigate = useNavigate();
  const [order, setOrder] = useState(initial);
  const refresh = useMutation({
    mutationFn: () => commands.refreshOrder(order.id),
    onSuccess: setOrder,
  });
  const resubmit = useMutation({
    mutationFn: () => commands.resubmitOrder(order.id),
    onSuccess: setOrder,
  });
  const rows: [string, string][] = [
    [t("result.provider"), order.provider],
    [t("result.service"), `#${order.serviceId} ${order.serviceName}`],
    ...(order.link !== null ? ([[t("order.fields.link"), order.link]] as [string, string][]) : []),
    ...(order.quantity !== null ? ([[t("order.fields.quantity"), formatCount(order.quantity, language)]] as [string, string][]) : []),
    [t("order.estimate"), formatAmount(order.estimatedCost, order.currency, language)],
    ...(order.charge !== null ? ([[t("result.charge"), formatAmount(order.charge, order.currency, language)]] as [string, string][]) : []),
    [t("result.externalId"), order.externalId ?? "—"],
    [t("result.created"), formatDateTime(order.createdAt, language)],
  ];
  return (
    <Card title={t("result.title", { id: formatCount(order.id, language) })}>
      <div className="flex flex-col gap-4 px-5 py-4" data-testid="order-result" data-status={order.status}>
        <div className="flex items-center gap-2">
          <StatusBadge status={order.status} />
          <span className="text-sm text-fg-soft" data-testid="order-result-text">
            {t(`result.explain.${explainKey(order.status)}`)}
          </span>
        </div>
        {order.status === "unknown" && (
          <div role="alert" data-testid="order-unknown-help" className="rounded-md border border-warning/40 bg-warning/10 px-4 py-3 text-sm text-fg">
            <p className="font-medium">{t("result.unknownTitle")}</p>
            <ol className="mt-2 list-decimal space-y-1 ps-5 text-fg-soft">
              <li>{t("result.unknownStep1")}</li>
              <li>{t("result.unknownStep2")}</li>
              <li>{t("result.unknownStep3")}</li>
            </ol>
          </div>
        )}
        {order.status === "unknown" && <ResolveUnknown order={order} onResolved={setOrder} />}
        {(order.status === "not_sent" || order.status === "not_placed") && (
          <div className="flex items-center gap-2">
            <Button variant="primary" busy={resubmit.isPending} onClick={() => { resubmit.mutate(); }} data-testid="order-resubmit">
              {t("result.resubmit")}
            </Button>
            <span className="text-xs text-muted">{t("result.resubmitHint")}</span>
          </div>
        )}
        {resubmit.isError && <ErrorBanner error={toUiError(resubmit.error)} />}
        {order.status === "rejected" && order.rejectReason !== null && (
          <ErrorBanner error={{ code: `panel.rejected.${order.rejectReason}`, message: order.rejectReason }} testId="order-reject" />
        )}
        <dl className="grid grid-cols-[max-content_1fr] gap-x-8 gap-y-2 text-sm">
          {rows.map(([k, v]) => (
            <div key={k} className="contents">
              <dt className="text-muted">{k}</dt>
              <dd className="min-w-0 break-all text-fg">
                <bdi>{v}</bdi>
              </dd>
            </div>
          ))}
        </dl>
        {refresh.isError && <ErrorBanner error={toUiError(refresh.error)} />}
        <div className="flex flex-wrap justify-end gap-2">
          {order.externalId !== null && (
            <Button busy={refresh.isPending} onClick={() => { refresh.mutate(); }} data-testid="order-refresh">
              {t("result.refresh")}
            </Button>
          )}
          <Button onClick={() => { navigate({ screen: "catalog" }); }}>{t("result.toCatalog")}</Button>
          <Button variant="primary" onClick={onNew} data-testid="order-new">
            {t("result.new")}
          </Button>
        </div>
      </div>
    </Card>
  );
}

function explainKey(status: OrderStatus): "placed" | "unknown" | "rejected" | "not_sent" | "other" {
  if (PLACED_STATUSES.includes(status)) return "placed";
  if (status === "unknown" || status === "rejected" || status === "not_sent") return status;
  return "other";
}

/** Resolving an `unknown` order: the balance evidence, "found it" with the provider's id, or
 *  "not placed" (then it can be submitted again). */
export function ResolveUnknown({ order, onResolved }: { order: OrderView; onResolved: (o: OrderView) => void }) {
  const { t } = useTranslation();
  const { language } = usePreferences();
  const [externalId, setExternalId] = useState("");
  const help = useMutation({ mutationFn: () => commands.resolveHelp(order.id) });
  const resolve = useMutation({
    mutationFn: (found: string | null) => commands.resolveOrder(order.id, found),
    onSuccess: onResolved,
  });
  const money = (v: string | null) => (v === null ? "—" : formatAmount(v, order.currency, language));
  const error = resolve.isError ? toUiError(resolve.error) : null;
  return (
    <div className="flex flex-col gap-3 rounded-md border border-line px-4 py-3" data-testid="order-resolve">
      <div className="flex flex-wrap items-center gap-2">
        <Button busy={help.isPending} onClick={() => { help.mutate(); }} data-testid="order-resolve-help">
          {t("result.checkBalance")}
        </Button>
        {help.data && (
          <span className="text-xs text-fg-soft" data-testid="order-resolve-balance">
            {t("result.balanceEvidence", {
              before: money(help.data.balanceBefore),
              now: money(help.data.balanceNow),
              expected: money(help.data.expectedCharge),
              later: formatCount(help.data.laterOrders, language),
            })}
          </span>
        )}
      </div>
      {help.isError && <ErrorBanner error={toUiError(help.error)} />}
      <form
        className="flex flex-wrap items-end gap-2"
        onSubmit={(e) => {
          e.preventDefault();
          resolve.mutate(externalId.trim());
        }}
      >
        <div className="w-56">
          <Field id="resolve-external-id" label={t("result.foundIt")}>
            <input id="resolve-external-id" data-testid="resolve-external-id" dir="ltr" className={INPUT} value={externalId}
              onChange={(e) => { setExternalId(e.target.value); }} />
          </Field>
        </div>
        <Button type="submit" disabled={externalId.trim() === ""} busy={resolve.isPending && resolve.variables !== null} data-testid="resolve-found">
          {t("result.attachId")}
        </Button>
        <Button variant="secondary" busy={resolve.isPending && resolve.variables === null} onClick={() => { resolve.mutate(null); }} data-testid="resolve-not-placed">
          {t("result.notPlaced")}
        </Button>
      </form>
      {error && <ErrorBanner error={error} testId="order-resolve-error" />}
    </div>
  );
}
