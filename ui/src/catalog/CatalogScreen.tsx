// Catalog: every provider's services in one virtualized table with instant search and
// filters, badges for new services and price changes, and a cross-provider comparison.
import { keepPreviousData, useQueries, useQuery } from "@tanstack/react-query";
import { useEffect, useMemo, useRef, useState } from "react";
import { useTranslation } from "react-i18next";

import { Select } from "../components/Select";
import { Badge, Button, EmptyState, ErrorBanner, INPUT_BASE, Loading } from "../components/ui";
import { useVirtualRows, VirtualTable } from "../components/VirtualTable";
import { commands } from "../ipc/bindings";
import type { ChangeView_Serialize, SaleRateView_Serialize as SaleRateView, ServiceFilter_Deserialize } from "../ipc/bindings";
import { toUiError } from "../ipc/errors";
import type { ServiceView } from "../ipc/views";
import { formatAmount, formatCount, formatPercentText } from "../lib/format";
import { usePreferences } from "../preferences/PreferencesProvider";
import { useProviders } from "../providers/queries";
import { useNavigate } from "../shell/navigation";
import { OfferGroupsView } from "../routing/OfferGroups";
import { CompareView } from "./CompareView";
import { PLATFORMS, SERVICE_TYPES } from "./constants";

/** Rows fetched per request; the table asks only for the pages on screen. */
export const PAGE_SIZE = 100;
const ROW_HEIGHT = 44;

/** The filters the screen holds (strings: empty means "any"). */
interface Filters {
  search: string;
  provider: string;
  platform: string;
  category: string;
  serviceType: string;
  refill: boolean;
  cancel: boolean;
  dripfeed: boolean;
  minRate: string;
  maxRate: string;
  sort: "price_asc" | "price_desc" | "provider";
}

const NO_FILTERS: Filters = {
  search: "",
  provider: "",
  platform: "",
  category: "",
  serviceType: "",
  refill: false,
  cancel: false,
  dripfeed: false,
  minRate: "",
  maxRate: "",
  sort: "price_asc",
};

function toQuery(f: Filters, page: number): ServiceFilter_Deserialize {
  const s = (v: string) => (v.trim() === "" ? null : v.trim());
  return {
    search: s(f.search),
    provider: s(f.provider),
    platform: s(f.platform),
    category: s(f.category),
    serviceType: s(f.serviceType),
    refill: f.refill ? true : null,
    cancel: f.cancel ? true : null,
    dripfeed: f.dripfeed ? true : null,
    minRate: s(f.minRate),
    maxRate: s(f.maxRate),
    sort: f.sort,
    limit: PAGE_SIZE,
    offset: page * PAGE_SIZE,
  };
}

/** Measures how long a search takes from the keystroke to the table showing its rows. */
const SEARCH_MARK = "catalog-search-input";
export const SEARCH_MEASURE = "catalog-search";

export function CatalogScreen() {
  const { t } = useTranslation();
  const [view, setView] = useState<"table" | "compare" | "groups">("table");
  const providers = useProviders();
  if (providers.isPending) return <Loading />;
  if (providers.isError) return <ErrorBanner error={toUiError(providers.error)} />;
  if (providers.data.length === 0) {
    return <EmptyState testId="catalog-empty" title={t("catalog.noProviders")} text={t("catalog.noProvidersText")} />;
  }
  return (
    <div className="flex h-full flex-col gap-3">
      <div className="flex items-center gap-2" role="tablist" aria-label={t("catalog.views")}>
        {(["table", "compare", "groups"] as const).map((v) => (
          <Button
            key={v}
            role="tab"
            aria-selected={view === v}
            variant={view === v ? "primary" : "secondary"}
            data-testid={`catalog-view-${v}`}
            onClick={() => {
              setView(v);
            }}
          >
            {t(`catalog.view.${v}`)}
          </Button>
        ))}
      </div>
      {view === "table" ? <ServiceTable providers={providers.data.map((p) => p.name)} /> : view === "compare" ? <CompareView /> : <OfferGroupsView />}
    </div>
  );
}

function ServiceTable({ providers }: { providers: string[] }) {
  const { t } = useTranslation();
  const { language } = usePreferences();
  const navigate = useNavigate();
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  const set = <K extends keyof Filters>(key: K, value: Filters[K]) => {
    setFilters((f) => ({ ...f, [key]: value, ...(key === "provider" ? { category: "" } : {}) }));
  };
  const pendingSearch = useRef<string | null>(null);

  const first = useQuery({
    queryKey: ["services", filters, 0],
    queryFn: () => commands.listServices(toQuery(filters, 0)),
    placeholderData: keepPreviousData,
  });
  const changes = useQuery({ queryKey: ["changes"], queryFn: () => commands.catalogChanges() });
  const categories = useQuery({
    queryKey: ["categories", filters.provider],
    queryFn: () => commands.catalogCategories(filters.provider === "" ? null : filters.provider),
  });
  const changeOf = useMemo(() => {
    const map = new Map<number, ChangeView_Serialize>();
    for (const c of changes.data ?? []) if (!map.has(c.serviceRef)) map.set(c.serviceRef, c);
    return map;
  }, [changes.data]);

  const total = first.data?.total ?? 0;
  const body = useVirtualRows({ count: total, rowHeight: ROW_HEIGHT, overscan: 12 });
  // The pages under the rows drawn now, asked for in this same render.
  const pages = [...new Set(body.drawn.map((i) => Math.floor(i.index / PAGE_SIZE)))].filter((p) => p > 0);
  const pageQueries = useQueries({
    queries: pages.map((page) => ({
      queryKey: ["services", filters, page],
      queryFn: () => commands.listServices(toQuery(filters, page)),
      staleTime: 60_000,
    })),
  });
  const rowAt = (index: number): PricedService | undefined => {
    const page = Math.floor(index / PAGE_SIZE);
    const data = page === 0 ? first.data : pageQueries[pages.indexOf(page)]?.data;
    const at = index - page * PAGE_SIZE;
    const service = data?.services[at];
    if (service === undefined) return undefined;
    const price = data?.prices[at];
    return { ...service, price: price?.service === service.id ? price : undefined };
  };

  // The search latency: keystroke → the table committed with that search's rows.
  const shown = first.isPlaceholderData ? null : filters.search;
  useEffect(() => {
    if (shown === null || pendingSearch.current !== shown) return;
    pendingSearch.current = null;
    requestAnimationFrame(() => {
      try {
        performance.measure(SEARCH_MEASURE, SEARCH_MARK);
      } catch {
        // no mark (the search was not typed)
      }
    });
  }, [shown, first.data]);

  const { scrollToTop } = body;
  useEffect(() => {
    scrollToTop();
  }, [filters, scrollToTop]);

  const checkbox = (key: "refill" | "cancel" | "dripfeed") => (
    <label className="flex items-center gap-1.5 text-xs text-fg-soft">
      <input
        type="checkbox"
        data-testid={`filter-${key}`}
        checked={filters[key]}
        onChange={(e) => {
          set(key, e.target.checked);
        }}
        className="size-3.5 accent-accent"
      />
      {t(`catalog.flags.${key}`)}
    </label>
  );

  return (
    <section className="flex min-h-0 flex-1 flex-col gap-3">
      <div className="flex flex-wrap items-end gap-2">
        <input
          type="search"
          data-testid="catalog-search"
          aria-label={t("catalog.search")}
          placeholder={t("catalog.search")}
          className={`${INPUT_BASE} w-72`}
          value={filters.search}
          onChange={(e) => {
            performance.clearMarks(SEARCH_MARK);
            performance.mark(SEARCH_MARK);
            pendingSearch.current = e.target.value;
            set("search", e.target.value);
          }}
        />
        <Select label={t("catalog.provider")} testId="filter-provider" value={filters.provider} onChange={(v) => { set("provider", v); }}
          options={providers.map((p) => [p, p])} any={t("catalog.anyProvider")} />
        <Select label={t("catalog.platform")} testId="filter-platform" value={filters.platform} onChange={(v) => { set("platform", v); }}
          options={PLATFORMS.map((p) => [p, t(`catalog.platforms.${p}`)])} any={t("catalog.anyPlatform")} />
        <Select label={t("catalog.category")} testId="filter-category" value={filters.category} onChange={(v) => { set("category", v); }}
          options={(categories.data ?? []).map((c) => [c.category, `${c.category} (${formatCount(c.services, language)})`])} any={t("catalog.anyCategory")} />
        <Select label={t("catalog.type")} testId="filter-type" value={filters.serviceType} onChange={(v) => { set("serviceType", v); }}
          options={SERVICE_TYPES.map((s) => [s, s])} any={t("catalog.anyType")} />
        <input aria-label={t("catalog.minRate")} placeholder={t("catalog.minRate")} inputMode="decimal" dir="ltr" data-testid="filter-min-rate"
          className={`${INPUT_BASE} w-24`} value={filters.minRate} onChange={(e) => { set("minRate", e.target.value); }} />
        <input aria-label={t("catalog.maxRate")} placeholder={t("catalog.maxRate")} inputMode="decimal" dir="ltr" data-testid="filter-max-rate"
          className={`${INPUT_BASE} w-24`} value={filters.maxRate} onChange={(e) => { set("maxRate", e.target.value); }} />
        <Select label={t("catalog.sort")} testId="filter-sort" value={filters.sort} onChange={(v) => { set("sort", v as Filters["sort"]); }}
          options={[["price_asc", t("catalog.sorts.price_asc")], ["price_desc", t("catalog.sorts.price_desc")], ["provider", t("catalog.sorts.provider")]]} />
        <div className="flex h-8 items-center gap-3">
          {checkbox("refill")}
          {checkbox("cancel")}
          {checkbox("dripfeed")}
        </div>
      </div>
      <div className="flex items-center justify-between text-xs text-muted">
        <span data-testid="catalog-count" data-search={shown ?? ""} data-total={total}>
          {t("catalog.count", { formatted: formatCount(total, language) })}
        </span>
        {first.isFetching && <span>{t("common.loading")}</span>}
      </div>
      {first.isError && <ErrorBanner error={toUiError(first.error)} testId="catalog-error" />}
      <VirtualTable rows={body} label={t("nav.catalog")} rowCount={total} columns={COLUMNS} testId="catalog-scroll"
        headerClassName="gap-3 px-4 py-2 font-medium"
        header={<>
          <span role="columnheader">{t("catalog.col.provider")}</span>
          <span role="columnheader">{t("catalog.col.service")}</span>
          <span role="columnheader">{t("catalog.col.type")}</span>
          <span role="columnheader" className="text-end">{t("catalog.col.rate")}</span>
          <span role="columnheader" className="text-end">{t("catalog.col.saleRate")}</span>
          <span role="columnheader" className="text-end">{t("catalog.col.margin")}</span>
          <span role="columnheader" className="text-end">{t("catalog.col.minMax")}</span>
          <span role="columnheader">{t("catalog.col.flags")}</span>
          <span role="columnheader" />
        </>}
        placeholder={first.isPending ? (
          <Loading />
        ) : total === 0 ? (
          <p className="px-5 py-10 text-center text-sm text-muted" data-testid="catalog-no-match">
            {t("catalog.noMatch")}
          </p>
        ) : undefined}
        rowAt={rowAt}
        rowClassName="gap-3 px-4"
        rowAttributes={(s) => ({ "data-testid": "catalog-row", "data-service-ref": s.id })}
        cells={(s) => (
          <ServiceRow
            s={s}
            change={changeOf.get(s.id)}
            onOrder={() => {
              navigate({ screen: "newOrder", serviceRef: s.id });
            }}
          />
        )}
        loadingRow={{ testId: "catalog-row-loading", cells: <span className="col-span-9 h-3 w-2/3 animate-pulse rounded bg-sunken" /> }} />
    </section>
  );
}

const COLUMNS = "minmax(90px,0.8fr) minmax(220px,3fr) minmax(90px,1fr) minmax(100px,0.9fr) minmax(100px,0.9fr) minmax(70px,0.6fr) minmax(110px,1fr) 110px 72px";

/** A service with its selling rate from the price list (absent before the page answers). */
type PricedService = ServiceView & { price: SaleRateView | undefined };

function ServiceRow({ s, change, onOrder }: { s: PricedService; change: ChangeView_Serialize | undefined; onOrder: () => void }) {
  const { t } = useTranslation();
  const { language } = usePreferences();
  return (
    <>
      <span role="cell" className="truncate text-xs text-fg-soft" dir="ltr">
        {s.provider}
      </span>
      <span role="cell" className="flex min-w-0 items-center gap-1.5">
        <span className="shrink-0 font-mono text-xs text-muted" dir="ltr">
          #{s.serviceId}
        </span>
        <span className="truncate" dir="auto" title={`${s.name}\n${s.category}`} data-testid="service-name">
          {s.name}
        </span>
        {change?.change === "added" && <Badge tone="accent" testId="badge-new">{t("catalog.new")}</Badge>}
        {change?.change === "price" && change.oldRate !== null && (
          <Badge tone="warning" testId="badge-price" title={t("catalog.wasPrice", { price: formatAmount(change.oldRate, s.currency, language) })}>
            {t("catalog.priceChanged")}
          </Badge>
        )}
      </span>
      <span role="cell" className="truncate text-xs text-fg-soft" dir="auto">
        {s.serviceType}
      </span>
      <span role="cell" className="text-end font-medium" data-testid="service-rate">
        {formatAmount(s.rate, s.currency, language)}
      </span>
      <span role="cell" className={`text-end font-medium ${s.price?.unpriced === true ? "text-muted" : ""}`} data-testid="service-sale-rate"
        data-sale-rate={s.price?.saleRate ?? ""} title={s.price?.unpriced === true ? t("catalog.unpriced") : s.price?.manual === true ? t("catalog.manualPrice") : undefined}>
        {s.price === undefined ? "—" : formatAmount(s.price.saleRate, s.currency, language)}
      </span>
      <span role="cell" className="text-end text-xs text-fg-soft" data-testid="service-margin">
        {s.price?.marginPercent == null ? "—" : formatPercentText(s.price.marginPercent, language)}
      </span>
      <span role="cell" className="text-end text-xs whitespace-nowrap text-fg-soft">
        <bdi dir="ltr">
          {formatCount(s.min, language)}–{formatCount(s.max, language)}
        </bdi>
      </span>
      <span role="cell" className="flex gap-1">
        {s.refill && <Badge title={t("catalog.flags.refill")}>{t("catalog.flagShort.refill")}</Badge>}
        {s.cancel && <Badge title={t("catalog.flags.cancel")}>{t("catalog.flagShort.cancel")}</Badge>}
        {s.dripfeed && <Badge title={t("catalog.flags.dripfeed")}>{t("catalog.flagShort.dripfeed")}</Badge>}
      </span>
      <span role="cell" className="text-end">
        <Button className="h-7 px-2 text-xs" onClick={onOrder} data-testid="service-order">
          {t("catalog.order")}
        </Button>
      </span>
    </>
  );
}
