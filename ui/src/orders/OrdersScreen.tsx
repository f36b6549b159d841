// Orders: every order, newest first, in keyset pages; filters, status chips with counts,
// multi-select refresh/refill/cancel, CSV export, and a detail drawer. Live through engine
// events (the queries are invalidated; nothing polls).
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";

import { Badge, Button, EmptyState, ErrorBanner, INPUT_BASE, Loading } from "../components/ui";
import { Select } from "../catalog/CatalogScreen";
import { commands } from "../ipc/bindings";
import type { ActionOutcomeView_Serialize as ActionOutcomeView, OrderFilter_Deserialize as OrderFilter, OrderRowView_Serialize } from "../ipc/bindings";
import { toUiError } from "../ipc/errors";
import type { UiError } from "../ipc/errors";
import { KEYS } from "../ipc/useEngineEvents";
import { formatAgo, formatAmount, formatCount } from "../lib/format";
import { usePreferences } from "../preferences/PreferencesProvider";
import { useProviders } from "../providers/queries";
import { OrderDrawer } from "./OrderDrawer";
import { StatusBadge, useStatusText } from "./OrderResult";
import { useDebounced } from "./useDebounced";

export type OrderRow = OrderRowView_Serialize;

/** Rows per page (keyset paging: every page costs the same, however deep). */
export const PAGE_SIZE = 100;

/** The chips, in lifecycle order. */
export const STATUSES = [
  "pending",
  "processing",
  "in_progress",
  "active",
  "completed",
  "partial",
  "canceled",
  "refunded",
  "unknown",
  "submitting",
  "rejected",
  "not_sent",
  "not_placed",
] as const;

interface Filters {
  status: string[];
  provider: string;
  serviceId: string;
  from: string;
  to: string;
  link: string;
}

const NO_FILTERS: Filters = { status: [], provider: "", serviceId: "", from: "", to: "", link: "" };

/** The filter as the engine takes it: dates are local calendar days, `to` inclusive. */
export function toOrderFilter(f: Filters): OrderFilter {
  const day = (d: string, plusDays: number) => {
    const [y, m, dd] = d.split("-").map(Number);
    return new Date(y ?? 1970, (m ?? 1) - 1, (dd ?? 1) + plusDays).toISOString();
  };
  return {
    status: f.status,
    provider: f.provider === "" ? null : f.provider,
    serviceId: f.serviceId.trim() === "" ? null : f.serviceId.trim(),
    from: f.from === "" ? null : day(f.from, 0),
    to: f.to === "" ? null : day(f.to, 1),
    link: f.link.trim() === "" ? null : f.link.trim(),
  };
}

export function OrdersScreen({ orderId }: { orderId?: number | undefined } = {}) {
  const { t } = useTranslation();
  const { language } = usePreferences();
  const client = useQueryClient();
  const providers = useProviders();
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  const typed = useDebounced({ link: filters.link, serviceId: filters.serviceId }, 250);
  const filter = useMemo(
    () => toOrderFilter({ ...filters, link: typed.link, serviceId: typed.serviceId }),
    [filters, typed.link, typed.serviceId],
  );
  const [selected, setSelected] = useState<Set<number>>(new Set());
  const [open, setOpen] = useState<number | null>(orderId ?? null);
  const [notice, setNotice] = useState<{ text: string; tone: "ok" | "warn" } | null>(null);
  const [actionError, setActionError] = useState<UiError | null>(null);

  const list = useInfiniteQuery({
    queryKey: [...KEYS.orders, filter],
    queryFn: ({ pageParam }) => commands.listOrders(filter, PAGE_SIZE, pageParam),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.next,
    staleTime: 5_000,
  });
  const counts = useQuery({
    queryKey: [...KEYS.orderCounts, { ...filter, status: [] }],
    queryFn: () => commands.orderCounts({ ...filter, status: [] }),
    staleTime: 5_000,
  });
  const rows = useMemo(() => list.data?.pages.flatMap((p) => p.orders) ?? [], [list.data]);
  const countOf = (s: string) => counts.data?.find((c) => c.status === s)?.count ?? 0;
  const total = counts.data?.reduce((sum, c) => sum + c.count, 0) ?? 0;

  const set = <K extends keyof Filters>(key: K, value: Filters[K]) => {
    setFilters((f) => ({ ...f, [key]: value }));
    setSelected(new Set());
  };
  const toggleStatus = (s: string) => {
    set("status", filters.status.includes(s) ? filters.status.filter((x) => x !== s) : [...filters.status, s]);
  };

  const outcomeNotice = (kind: "refill" | "cancel", out: ActionOutcomeView[]) => {
    const refused = out.filter((o) => o.errorCode !== null || o.status === "rejected");
    setNotice({
      text: t(`orders.notice.${kind}`, {
        sent: formatCount(out.length - refused.length, language),
        refused: formatCount(refused.length, language),
      }),
      tone: refused.length > 0 ? "warn" : "ok",
    });
  };
  const after = () => {
    setActionError(null);
    void client.invalidateQueries({ queryKey: KEYS.orders });
    void client.invalidateQueries({ queryKey: KEYS.orderCounts });
    void client.invalidateQueries({ queryKey: KEYS.order });
  };
  const ids = [...selected];
  const refresh = useMutation({
    mutationFn: () => commands.refreshOrders(ids),
    onSuccess: (r) => {
      after();
      setNotice({
        text: t("orders.notice.refresh", { checked: formatCount(r.checked, language), changed: formatCount(r.changed, language) }),
        tone: r.errors.length > 0 ? "warn" : "ok",
      });
    },
    onError: (e) => { setActionError(toUiError(e)); },
  });
  const refill = useMutation({
    mutationFn: () => commands.refillOrders(ids),
    onSuccess: (out) => { after(); outcomeNotice("refill", out); },
    onError: (e) => { setActionError(toUiError(e)); },
  });
  const cancel = useMutation({
    mutationFn: () => commands.cancelOrders(ids),
    onSuccess: (out) => { after(); outcomeNotice("cancel", out); },
    onError: (e) => { setActionError(toUiError(e)); },
  });
  const exportCsv = useMutation({
    mutationFn: () => commands.exportOrdersCsv(filter),
    onSuccess: (r) => {
      setActionError(null);
      if (r !== null) {
        setNotice({ text: t("orders.notice.exported", { rows: formatCount(r.rows, language), path: r.path }), tone: "ok" });
      }
    },
    onError: (e) => { setActionError(toUiError(e)); },
  });
  const busy = refresh.isPending || refill.isPending || cancel.isPending;
  const allShown = rows.length > 0 && rows.every((r) => selected.has(r.id));

  const providerNames = (providers.data ?? []).map((p) => p.name);
  const demoNames = new Set((providers.data ?? []).filter((p) => p.isDemo).map((p) => p.name));
  return (
    <section className="flex min-h-0 flex-1 flex-col gap-3" data-testid="orders-screen">
      <div className="flex flex-wrap gap-1.5" role="group" aria-label={t("orders.statusFilter")} data-testid="status-chips">
        <Chip active={filters.status.length === 0} onClick={() => { set("status", []); }} testId="chip-all" count={total} label={t("orders.all")} />
        {STATUSES.filter((s) => countOf(s) > 0 || filters.status.includes(s)).map((s) => (
          <StatusChip key={s} status={s} count={countOf(s)} active={filters.status.includes(s)} onClick={() => { toggleStatus(s); }} />
        ))}
      </div>
      <div className="flex flex-wrap items-end gap-2">
        <Select label={t("orders.provider")} testId="orders-filter-provider" value={filters.provider}
          onChange={(v) => { set("provider", v); }} options={providerNames.map((p) => [p, p])} any={t("catalog.anyProvider")} />
        <input aria-label={t("orders.serviceId")} placeholder={t("orders.serviceId")} dir="ltr" data-testid="orders-filter-service"
          className={`${INPUT_BASE} w-28`} value={filters.serviceId} onChange={(e) => { set("serviceId", e.target.value); }} />
        <input type="search" aria-label={t("orders.link")} placeholder={t("orders.link")} dir="ltr" data-testid="orders-filter-link"
          className={`${INPUT_BASE} w-44`} value={filters.link} onChange={(e) => { set("link", e.target.value); }} />
        <label className="flex items-center gap-1.5 text-xs text-fg-soft">
          {t("orders.from")}
          <input type="date" data-testid="orders-filter-from" className={`${INPUT_BASE} w-34`} value={filters.from}
            onChange={(e) => { set("from", e.target.value); }} />
        </label>
        <label className="flex items-center gap-1.5 text-xs text-fg-soft">
          {t("orders.to")}
          <input type="date" data-testid="orders-filter-to" className={`${INPUT_BASE} w-34`} value={filters.to}
            onChange={(e) => { set("to", e.target.value); }} />
        </label>
        <div className="ms-auto flex gap-2">
          <Button busy={exportCsv.isPending} onClick={() => { exportCsv.mutate(); }} data-testid="orders-export">
            {t("orders.export")}
          </Button>
        </div>
      </div>
      <div className="flex min-h-8 flex-wrap items-center gap-2" data-testid="orders-actions">
        <span className="text-xs text-muted" data-testid="orders-selected" data-count={selected.size}>
          {t("orders.selected", { formatted: formatCount(selected.size, language) })}
        </span>
        <Button disabled={selected.size === 0 || busy} busy={refresh.isPending} onClick={() => { refresh.mutate(); }} data-testid="orders-refresh">
          {t("orders.refresh")}
        </Button>
        <Button disabled={selected.size === 0 || busy} busy={refill.isPending} onClick={() => { refill.mutate(); }} data-testid="orders-refill">
          {t("orders.refill")}
        </Button>
        <Button variant="dangerGhost" disabled={selected.size === 0 || busy} busy={cancel.isPending} onClick={() => { cancel.mutate(); }} data-testid="orders-cancel">
          {t("orders.cancel")}
        </Button>
        {notice && (
          <span role="status" data-testid="orders-notice" className={`text-xs ${notice.tone === "ok" ? "text-success" : "text-warning"}`}>
            <bdi>{notice.text}</bdi>
          </span>
        )}
      </div>
      {actionError && <ErrorBanner error={actionError} testId="orders-action-error" />}
      {list.isError && <ErrorBanner error={toUiError(list.error)} testId="orders-error" />}
      {list.isPending ? (
        <Loading />
      ) : rows.length === 0 ? (
        <EmptyState testId="orders-empty" title={t("orders.emptyTitle")} text={t("orders.emptyText")} />
      ) : (
        <div className="min-h-[300px] flex-1 overflow-auto rounded-lg border border-line bg-panel" data-testid="orders-table">
          <table className="w-full border-collapse text-sm [&_th]:whitespace-nowrap">
            <thead className="sticky top-0 z-10 bg-sunken text-xs text-muted">
              <tr>
                <th className="w-8 px-3 py-2 text-start">
                  <input type="checkbox" aria-label={t("orders.selectAll")} data-testid="orders-select-all" className="size-3.5 accent-accent"
                    checked={allShown}
                    onChange={() => { setSelected(allShown ? new Set() : new Set(rows.map((r) => r.id))); }} />
                </th>
                <th className="px-2 py-2 text-start font-medium">{t("orders.col.id")}</th>
                <th className="px-2 py-2 text-start font-medium">{t("orders.col.service")}</th>
                <th className="px-2 py-2 text-start font-medium">{t("orders.col.link")}</th>
                <th className="px-2 py-2 text-end font-medium">{t("orders.col.quantity")}</th>
                <th className="px-2 py-2 text-end font-medium">{t("orders.col.startCount")}</th>
                <th className="px-2 py-2 text-end font-medium">{t("orders.col.remains")}</th>
                <th className="px-2 py-2 text-end font-medium">{t("orders.col.charge")}</th>
                <th className="px-2 py-2 text-start font-medium">{t("orders.col.status")}</th>
                <th className="px-3 py-2 text-end font-medium">{t("orders.col.age")}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((o) => (
                <Row key={o.id} o={o} demo={demoNames.has(o.provider)} checked={selected.has(o.id)} active={open === o.id}
                  onCheck={() => {
                    setSelected((s) => {
                      const next = new Set(s);
                      if (next.has(o.id)) next.delete(o.id);
                      else next.add(o.id);
                      return next;
                    });
                  }}
                  onOpen={() => { setOpen(o.id); }} />
              ))}
            </tbody>
          </table>
          <div className="flex items-center justify-center gap-3 px-4 py-3 text-xs text-muted">
            <span data-testid="orders-shown" data-shown={rows.length}>
              {t("orders.shown", { shown: formatCount(rows.length, language), total: formatCount(total, language) })}
            </span>
            {list.hasNextPage && (
              <Button busy={list.isFetchingNextPage} onClick={() => { void list.fetchNextPage(); }} data-testid="orders-more">
                {t("orders.more")}
              </Button>
            )}
          </div>
        </div>
      )}
      {open !== null && <OrderDrawer id={open} onClose={() => { setOpen(null); }} />}
    </section>
  );
}

function Chip({ active, onClick, testId, count, label }: { active: boolean; onClick: () => void; testId: string; count: number; label: string }) {
  const { language } = usePreferences();
  return (
    <button type="button" onClick={onClick} data-testid={testId} aria-pressed={active} data-count={count}
      className={
        "inline-flex h-7 items-center gap-1.5 rounded-full border px-3 text-xs font-medium transition-colors " +
        "focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-accent " +
        (active ? "border-accent bg-accent-soft text-accent-strong" : "border-line-strong bg-panel text-fg-soft hover:bg-hover")
      }>
      {label}
      <span className="tabular-nums text-muted">{formatCount(count, language)}</span>
    </button>
  );
}

function StatusChip({ status, count, active, onClick }: { status: string; count: number; active: boolean; onClick: () => void }) {
  const text = useStatusText();
  return <Chip active={active} onClick={onClick} testId={`chip-${status}`} count={count} label={text(status)} />;
}

function Row({ o, demo, checked, active, onCheck, onOpen }: { o: OrderRow; demo: boolean; checked: boolean; active: boolean; onCheck: () => void; onOpen: () => void }) {
  const { t } = useTranslation();
  const { language } = usePreferences();
  const num = (v: number | null) => (v === null ? "—" : formatCount(v, language));
  return (
    <tr data-testid="order-row" data-id={o.id} data-status={o.status}
      className={`cursor-pointer border-t border-line hover:bg-hover ${active ? "bg-accent-soft/60" : ""}`}
      onClick={onOpen}>
      <td className="px-3 py-2" onClick={(e) => { e.stopPropagation(); }}>
        <input type="checkbox" aria-label={t("orders.select", { id: o.id })} data-testid="order-check" className="size-3.5 accent-accent"
          checked={checked} onChange={onCheck} />
      </td>
      <td className="px-2 py-2">
        <button type="button" data-testid="order-open" aria-label={t("orders.detail", { id: o.id })} dir="ltr"
          className="rounded font-mono text-xs text-accent hover:underline focus-visible:outline-2 focus-visible:outline-accent"
          onClick={(e) => { e.stopPropagation(); onOpen(); }}>
          #{o.id}
        </button>
      </td>
      <td className="max-w-44 px-2 py-2">
        <div className="truncate" dir="auto" title={o.serviceName}>{o.serviceName}</div>
        <div className="flex items-center gap-1.5 truncate text-xs text-muted">
          <bdi dir="ltr">{o.provider} · #{o.serviceId}</bdi>
          {demo && <Badge testId="order-demo">{t("orders.demo")}</Badge>}
        </div>
      </td>
      <td className="max-w-32 truncate px-2 py-2 text-xs text-fg-soft" dir="ltr" title={o.link ?? ""}>{o.link ?? "—"}</td>
      <td className="px-1.5 py-2 text-end tabular-nums">{num(o.quantity)}</td>
      <td className="px-1.5 py-2 text-end tabular-nums">{num(o.startCount)}</td>
      <td className="px-1.5 py-2 text-end tabular-nums" data-testid="order-remains">{num(o.remains)}</td>
      <td className="px-2 py-2 text-end tabular-nums whitespace-nowrap" data-testid="order-charge" data-charge={o.charge ?? ""}>
        {o.charge === null ? <span className="text-muted">{formatAmount(o.estimatedCost, o.currency, language)}*</span> : formatAmount(o.charge, o.currency, language)}
      </td>
      <td className="px-2 py-2">
        <StatusBadge status={o.status} />
      </td>
      <td className="px-3 py-2 text-end text-xs whitespace-nowrap text-muted" title={o.createdAt}>{formatAgo(o.createdAt, language)}</td>
    </tr>
  );
}
