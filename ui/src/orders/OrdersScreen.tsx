// Orders: every order, newest first, in keyset pages; filters, status chips with counts,
// multi-select refresh/refill/cancel, CSV export, and a detail drawer. Live through engine
// events (the queries are invalidated; nothing polls). The table is virtualized (only the
// rows in view are in the DOM) and the next page loads as the end scrolls into view; the
// rows never wait for the chips' counts, which arrive on their own.
import { infiniteQueryOptions, useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { memo, useCallback, useLayoutEffect, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";

import { Select } from "../components/Select";
import { Badge, Button, EmptyState, ErrorBanner, INPUT_BASE, Loading } from "../components/ui";
import { useVirtualRows, VirtualTable } from "../components/VirtualTable";
import { commands } from "../ipc/bindings";
import type { ActionOutcomeView_Serialize as ActionOutcomeView, OrderFilter_Deserialize as OrderFilter } from "../ipc/bindings";
import { toUiError } from "../ipc/errors";
import type { UiError } from "../ipc/errors";
import { KEYS } from "../ipc/useEngineEvents";
import type { OrderRow } from "../ipc/views";
import { formatAgo, formatAmount, formatCount } from "../lib/format";
import { useDebounced } from "../lib/useDebounced";
import { usePreferences } from "../preferences/PreferencesProvider";
import { useProviders } from "../providers/queries";
import { OrderDrawer } from "./OrderDrawer";
import { StatusBadge, useStatusText } from "./OrderResult";
import { useCustomers } from "./sale";
import { STATUSES } from "./statuses";
import type { OrderStatus } from "./statuses";

/** Rows per page (keyset paging: every page costs the same, however deep). */
export const PAGE_SIZE = 100;

/** Every row's height, fixed (two text lines and a border fit in it). */
const ROW_HEIGHT = 56;

/** The next page loads when the end of the list is this many rows away. */
const PREFETCH_ROWS = 30;



interface Filters {
  status: OrderStatus[];
  provider: string;
  serviceId: string;
  from: string;
  to: string;
  link: string;
  archived: boolean;
  /** A customer's local id, or "" for every order. */
  customer: string;
}

const NO_FILTERS: Filters = { status: [], provider: "", serviceId: "", from: "", to: "", link: "", archived: false, customer: "" };

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
    customer: f.customer === "" ? null : Number(f.customer),
    includeArchived: f.archived,
  };
}

export function OrdersScreen({ orderId, customerId }: { orderId?: number | undefined; customerId?: number | undefined } = {}) {
  const { t } = useTranslation();
  const { language } = usePreferences();
  const client = useQueryClient();
  const providers = useProviders();
  const [filters, setFilters] = useState<Filters>({ ...NO_FILTERS, customer: customerId === undefined ? "" : String(customerId) });
  const customers = useCustomers("");
  const typed = useDebounced({ link: filters.link, serviceId: filters.serviceId }, 250);
  const filter = useMemo(
    () => toOrderFilter({ ...filters, link: typed.link, serviceId: typed.serviceId }),
    [filters, typed.link, typed.serviceId],
  );
  const [selected, setSelected] = useState<Set<number>>(new Set());
  const [open, setOpen] = useState<number | null>(orderId ?? null);
  const [notice, setNotice] = useState<{ text: string; tone: "ok" | "warn" } | null>(null);
  const [actionError, setActionError] = useState<UiError | null>(null);

  const listOptions = useMemo(() => infiniteQueryOptions({
    queryKey: [...KEYS.orders, filter],
    queryFn: ({ pageParam }) => commands.listOrders(filter, PAGE_SIZE, pageParam),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.next,
    staleTime: 5_000,
  }), [filter]);
  // Ask for the page while this commit paints: the query's own (passive) effect would only
  // start it after the paint. Same key, so the list below takes this very request.
  useLayoutEffect(() => {
    // Errors show through the list's own query.
    client.infiniteQuery({ ...listOptions }).catch(() => undefined);
  }, [client, listOptions]);
  const list = useInfiniteQuery(listOptions);
  const counts = useQuery({
    queryKey: [...KEYS.orderCounts, { ...filter, status: [] }],
    queryFn: () => commands.orderCounts({ ...filter, status: [] }),
    staleTime: 5_000,
  });
  const rows = useMemo(() => list.data?.pages.flatMap((p) => p.orders) ?? [], [list.data]);
  const countOf = (s: OrderStatus) => counts.data?.find((c) => c.status === s)?.count ?? 0;
  const total = counts.data?.reduce((sum, c) => sum + c.count, 0) ?? 0;
  // What the list holds under the current chips (null until the counts arrive).
  const matching = counts.data === undefined
    ? null
    : filters.status.length === 0 ? total : filters.status.reduce((sum, s) => sum + countOf(s), 0);

  const toggle = useCallback((id: number) => {
    setSelected((s) => {
      const next = new Set(s);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  }, []);

  const set = <K extends keyof Filters>(key: K, value: Filters[K]) => {
    setFilters((f) => ({ ...f, [key]: value }));
    setSelected(new Set());
  };
  const toggleStatus = (s: OrderStatus) => {
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

  const providerNames = (providers.data ?? []).map((p) => p.name);
  const demoNames = useMemo(() => new Set((providers.data ?? []).filter((p) => p.isDemo).map((p) => p.name)), [providers.data]);
  return (
    <section className="flex h-full min-h-0 flex-col gap-3" data-testid="orders-screen">
      <div className="flex flex-wrap gap-1.5" role="group" aria-label={t("orders.statusFilter")} data-testid="status-chips">
        <Chip active={filters.status.length === 0} onClick={() => { set("status", []); }} testId="chip-all" count={total} label={t("orders.all")} />
        {STATUSES.filter((s) => countOf(s) > 0 || filters.status.includes(s)).map((s) => (
          <StatusChip key={s} status={s} count={countOf(s)} active={filters.status.includes(s)} onClick={() => { toggleStatus(s); }} />
        ))}
      </div>
      <div className="flex flex-wrap items-end gap-2">
        <Select label={t("orders.provider")} testId="orders-filter-provider" value={filters.provider}
          onChange={(v) => { set("provider", v); }} options={providerNames.map((p) => [p, p])} any={t("catalog.anyProvider")} />
        <Select label={t("orders.customer")} testId="orders-filter-customer" value={filters.customer}
          options={(customers.data ?? []).map((c) => [String(c.id), c.name] as const)} any={t("orders.anyCustomer")}
          onChange={(v) => { set("customer", v); }} />
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
        <label className="flex h-8 items-center gap-1.5 text-xs text-fg-soft">
          <input type="checkbox" data-testid="orders-filter-archived" className="size-3.5 accent-accent" checked={filters.archived}
            onChange={(e) => { set("archived", e.target.checked); }} />
          {t("orders.includeArchived")}
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
        <OrdersTable rows={rows} matching={matching} selected={selected} setSelected={setSelected} toggle={toggle}
          open={open} setOpen={setOpen} demoNames={demoNames} hasNextPage={list.hasNextPage}
          isFetchingNextPage={list.isFetchingNextPage} fetchNextPage={list.fetchNextPage} />
      )}
      {open !== null && <OrderDrawer id={open} onClose={() => { setOpen(null); }} />}
    </section>
  );
}

/** The order rows: only those in view are in the DOM; scrolling re-renders this table alone
 *  (not the chips and filters above it), and the next page loads as the end comes near. */
function OrdersTable({ rows, matching, selected, setSelected, toggle, open, setOpen, demoNames, hasNextPage, isFetchingNextPage, fetchNextPage }: {
  rows: OrderRow[];
  matching: number | null;
  selected: Set<number>;
  setSelected: (s: Set<number>) => void;
  toggle: (id: number) => void;
  open: number | null;
  setOpen: (id: number) => void;
  demoNames: Set<string>;
  hasNextPage: boolean;
  isFetchingNextPage: boolean;
  fetchNextPage: (options?: { cancelRefetch?: boolean }) => Promise<unknown>;
}) {
  const { t } = useTranslation();
  const { language } = usePreferences();
  const body = useVirtualRows({ count: rows.length, rowHeight: ROW_HEIGHT, overscan: 8, rowKey: (i) => rows[i]?.id ?? i });
  const allShown = rows.length > 0 && rows.every((r) => selected.has(r.id));
  const head = "px-2 font-medium";
  return (
    <VirtualTable rows={body} label={t("nav.orders")} rowCount={matching} columns={COLUMNS} minWidth={MIN_WIDTH} testId="orders-table"
      headerClassName="h-9 whitespace-nowrap"
      header={<>
        <span role="columnheader" className="px-3">
          <input type="checkbox" aria-label={t("orders.selectAll")} data-testid="orders-select-all" className="size-3.5 accent-accent"
            checked={allShown}
            onChange={() => { setSelected(allShown ? new Set() : new Set(rows.map((r) => r.id))); }} />
        </span>
        <span role="columnheader" className={`${head} text-start`}>{t("orders.col.id")}</span>
        <span role="columnheader" className={`${head} text-start`}>{t("orders.col.service")}</span>
        <span role="columnheader" className={`${head} text-start`}>{t("orders.col.link")}</span>
        <span role="columnheader" className={`${head} text-end`}>{t("orders.col.quantity")}</span>
        <span role="columnheader" className={`${head} text-end`}>{t("orders.col.startCount")}</span>
        <span role="columnheader" className={`${head} text-end`}>{t("orders.col.remains")}</span>
        <span role="columnheader" className={`${head} text-end`}>{t("orders.col.charge")}</span>
        <span role="columnheader" className={`${head} text-start`}>{t("orders.col.customer")}</span>
        <span role="columnheader" className={`${head} text-end`}>{t("orders.col.sale")}</span>
        <span role="columnheader" className={`${head} text-end`}>{t("orders.col.profit")}</span>
        <span role="columnheader" className={`${head} text-start`}>{t("orders.col.status")}</span>
        <span role="columnheader" className="px-3 text-end font-medium">{t("orders.col.age")}</span>
      </>}
      rowAt={(i) => rows[i]}
      rowClassName="cursor-pointer"
      rowAttributes={(o) => ({
        "data-testid": "order-row", "data-id": o.id, "data-status": o.status,
        className: open === o.id ? "bg-accent-soft/60" : "",
        onClick: () => { setOpen(o.id); },
      })}
      cells={(o) => (
        <OrderCells o={o} demo={demoNames.has(o.provider)} checked={selected.has(o.id)} onCheck={toggle} onOpen={setOpen} />
      )}
      nearEndRows={PREFETCH_ROWS}
      onNearEnd={() => {
        // Never cancel a page already on its way (scroll events come in bursts).
        if (hasNextPage && !isFetchingNextPage) void fetchNextPage({ cancelRefetch: false });
      }}
      footer={
        <div className="flex items-center justify-center gap-3 border-t border-line px-4 py-3 text-xs text-muted">
          <span data-testid="orders-shown" data-shown={rows.length}>
            {matching === null
              ? t("orders.shownCounting", { shown: formatCount(rows.length, language) })
              : t("orders.shown", { shown: formatCount(rows.length, language), total: formatCount(matching, language) })}
          </span>
          {hasNextPage && (
            <Button busy={isFetchingNextPage} onClick={() => { void fetchNextPage(); }} data-testid="orders-more">
              {t("orders.more")}
            </Button>
          )}
        </div>
      } />
  );
}

/** The table's columns (header and rows share them); below their minimum widths the body
 *  scrolls sideways and the header follows it. */
const COLUMNS =
  "2.25rem minmax(5rem,0.5fr) minmax(7rem,2fr) minmax(5rem,1.2fr) minmax(5.5rem,0.6fr) minmax(5.5rem,0.7fr) " +
  "minmax(5.5rem,0.6fr) minmax(7.25rem,0.9fr) minmax(6rem,1fr) minmax(6rem,0.8fr) minmax(6rem,0.8fr) " +
  "minmax(6rem,0.8fr) minmax(7.5rem,1fr)";
const MIN_WIDTH = "74.5rem";

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

/** One order's cells (the row around them is the table's); unchanged rows skip re-rendering
 *  while the table scrolls. */
const OrderCells = memo(function OrderCells({ o, demo, checked, onCheck, onOpen }: {
  o: OrderRow;
  demo: boolean;
  checked: boolean;
  onCheck: (id: number) => void;
  onOpen: (id: number) => void;
}) {
  const { t } = useTranslation();
  const { language } = usePreferences();
  const num = (v: number | null) => (v === null ? "—" : formatCount(v, language));
  const cell = "truncate px-2";
  return (
    <>
      <span role="cell" className="px-3" onClick={(e) => { e.stopPropagation(); }}>
        <input type="checkbox" aria-label={t("orders.select", { id: o.id })} data-testid="order-check" className="size-3.5 accent-accent"
          checked={checked} onChange={() => { onCheck(o.id); }} />
      </span>
      <span role="cell" className={cell}>
        <button type="button" data-testid="order-open" aria-label={t("orders.detail", { id: o.id })} dir="ltr"
          className="rounded font-mono text-xs text-accent hover:underline focus-visible:outline-2 focus-visible:outline-accent"
          onClick={(e) => { e.stopPropagation(); onOpen(o.id); }}>
          #{o.id}
        </button>
      </span>
      <span role="cell" className="min-w-0 px-2">
        <span className="block truncate" dir="auto" title={o.serviceName}>{o.serviceName}</span>
        <span className="flex min-w-0 items-center gap-1.5 text-xs text-muted">
          <bdi dir="ltr" className="truncate">{o.provider} · #{o.serviceId}</bdi>
          {demo && <Badge testId="order-demo">{t("orders.demo")}</Badge>}
        </span>
      </span>
      <span role="cell" className={`${cell} text-xs text-fg-soft`} dir="ltr" title={o.link ?? ""}>{o.link ?? "—"}</span>
      <span role="cell" className={`${cell} text-end tabular-nums`}>{num(o.quantity)}</span>
      <span role="cell" className={`${cell} text-end tabular-nums`}>{num(o.startCount)}</span>
      <span role="cell" className={`${cell} text-end tabular-nums`} data-testid="order-remains">{num(o.remains)}</span>
      <span role="cell" className={`${cell} text-end tabular-nums`} data-testid="order-charge" data-charge={o.charge ?? ""}
        title={o.charge ?? o.estimatedCost}>
        {o.charge === null ? <span className="text-muted">{formatAmount(o.estimatedCost, o.currency, language)}*</span> : formatAmount(o.charge, o.currency, language)}
      </span>
      <span role="cell" className={`${cell} text-xs`} dir="auto" data-testid="order-customer" title={o.customer ?? ""}>{o.customer ?? "—"}</span>
      <span role="cell" className={`${cell} text-end tabular-nums`} data-testid="order-sale" data-sale={o.salePrice ?? ""}>
        {o.salePrice === null ? "—" : formatAmount(o.settlement?.billed ?? o.salePrice, o.currency, language)}
      </span>
      <span role="cell" className={`${cell} text-end tabular-nums ${o.settlement !== null && o.settlement.profit.startsWith("-") ? "text-danger" : ""}`}
        data-testid="order-profit" data-profit={o.settlement?.profit ?? ""}>
        {o.settlement === null ? "—" : formatAmount(o.settlement.profit, o.currency, language)}
      </span>
      <span role="cell" className="px-2">
        <StatusBadge status={o.status} />
      </span>
      <span role="cell" className={`${cell} px-3 text-end text-xs text-muted`} title={o.createdAt}>{formatAgo(o.createdAt, language)}</span>
    </>
  );
});
