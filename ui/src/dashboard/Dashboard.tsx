// The Dashboard: balances with low-balance warnings and their history, spend over time per
// currency (stacked by provider), success rate over time, orders by status, active orders, provider health, for
// 7/30/90 days or a custom range. Real providers only; the demo panel has its own card.
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";

import { Segmented } from "../components/Segmented";
import { Badge, Card, EmptyState, ErrorBanner, INPUT_BASE, Loading } from "../components/ui";
import { commands } from "../ipc/bindings";
import type { BalanceGapView, DailyBalanceView, ProviderBalanceView_Serialize as ProviderBalanceView, ProviderStatsView_Serialize as ProviderStatsView, StatsView_Serialize as StatsView } from "../ipc/bindings";
import { toUiError } from "../ipc/errors";
import { KEYS } from "../ipc/useEngineEvents";
import { formatAgo, formatAmount, formatCount, formatDateTime } from "../lib/format";
import { localeOf } from "../i18n";
import { usePreferences } from "../preferences/PreferencesProvider";
import { BalanceChart, EXACT, SpendChart, StatusChart, SuccessChart } from "./charts";
import { ProfitCards } from "./ProfitCards";
import { TopUp } from "./TopUp";

type Preset = "7" | "30" | "90" | "custom";

/** The range's bounds: whole UTC days, `days` of them ending today (inclusive). */
export function rangeOf(preset: Preset, custom: { from: string; to: string }, now: Date = new Date()): { from: string; to: string; days: string[] } {
  const utcDay = (d: Date) => d.toISOString().slice(0, 10);
  let start: Date;
  let end: Date; // exclusive
  if (preset === "custom" && custom.from !== "" && custom.to !== "") {
    start = new Date(`${custom.from}T00:00:00Z`);
    end = new Date(`${custom.to}T00:00:00Z`);
    end.setUTCDate(end.getUTCDate() + 1);
  } else {
    const n = preset === "custom" ? 30 : Number(preset);
    end = new Date(`${utcDay(now)}T00:00:00Z`);
    end.setUTCDate(end.getUTCDate() + 1);
    start = new Date(end);
    start.setUTCDate(start.getUTCDate() - n);
  }
  const days: string[] = [];
  for (const d = new Date(start); d < end && days.length < 1000; d.setUTCDate(d.getUTCDate() + 1)) days.push(utcDay(d));
  return { from: start.toISOString(), to: end.toISOString(), days };
}

/**
 * Balance chart rows for one currency: per day, each provider's end-of-day balance, carried
 * over days without a check (from its first check in the range on). Numbers are for drawing;
 * the exact decimal string rides along under `exact:<provider>` for the tooltip.
 */
export function balanceRows(history: readonly DailyBalanceView[], currency: string, days: readonly string[], include: (provider: string) => boolean): { rows: Record<string, number | string>[]; providers: string[] } {
  const mine = history.filter((h) => h.currency === currency && include(h.provider));
  const providers = [...new Set(mine.map((h) => h.provider))];
  const at = new Map(mine.map((h) => [`${h.provider}|${h.day}`, h.amount]));
  const last = new Map<string, string>();
  const rows = days.map((day) => {
    const row: Record<string, number | string> = { day };
    for (const p of providers) {
      const amount = at.get(`${p}|${day}`) ?? last.get(p);
      if (amount === undefined) continue;
      last.set(p, amount);
      row[p] = Number(amount);
      row[`${EXACT}${p}`] = amount;
    }
    return row;
  });
  return { rows, providers };
}

/** Chart rows for one currency: per day, each provider's spend (numbers for drawing only). */
export function spendRows(stats: StatsView, currency: string, days: string[]): { rows: Record<string, number | string>[]; providers: string[] } {
  const providers = stats.providers.filter((p) => p.spent.some((m) => m.currency === currency)).map((p) => p.provider ?? "");
  const rows = days.map((day) => {
    const row: Record<string, number | string> = { day };
    for (const p of stats.providers) {
      if (p.provider === null || !providers.includes(p.provider)) continue;
      const amount = p.perDay.find((d) => d.day === day)?.spent.find((m) => m.currency === currency)?.amount;
      row[p.provider] = amount === undefined ? 0 : Number(amount);
    }
    return row;
  });
  return { rows, providers };
}

function pct(rate: string | null, language: "en" | "ar"): string {
  if (rate === null) return "—";
  return new Intl.NumberFormat(localeOf(language), { style: "percent", maximumFractionDigits: 1 }).format(Number(rate));
}

export function Dashboard() {
  const { t } = useTranslation();
  const [preset, setPreset] = useState<Preset>("30");
  const [custom, setCustom] = useState({ from: "", to: "" });
  const range = rangeOf(preset, custom);
  const balances = useQuery({ queryKey: [...KEYS.balances], queryFn: () => commands.providerBalances() });
  const stats = useQuery({
    queryKey: [...KEYS.stats, range.from, range.to],
    queryFn: () => commands.dashboardStats(range.from, range.to, null),
  });
  const demo = balances.data?.find((b) => b.isDemo);
  const demoStats = useQuery({
    queryKey: [...KEYS.stats, range.from, range.to, demo?.provider],
    queryFn: () => commands.dashboardStats(range.from, range.to, demo?.provider ?? null),
    enabled: demo !== undefined,
  });
  // With only the demo panel, its numbers fill the charts, clearly labelled (never mixed in).
  const onlyDemo = demo !== undefined && (balances.data ?? []).every((b) => b.isDemo);

  return (
    <div className="flex flex-col gap-4" data-testid="dashboard">
      <div className="flex flex-wrap items-center gap-3">
        <Segmented
          name="range"
          label={t("dashboard.range")}
          value={preset}
          options={(["7", "30", "90", "custom"] as const).map((p) => ({ value: p, label: t(`dashboard.ranges.${p}`) }))}
          onChange={setPreset}
        />
        {preset === "custom" && (
          <div className="flex items-center gap-2 text-xs text-fg-soft">
            <input type="date" aria-label={t("orders.from")} data-testid="dash-from" className={`${INPUT_BASE} w-36`} value={custom.from}
              onChange={(e) => { setCustom((c) => ({ ...c, from: e.target.value })); }} />
            <span>–</span>
            <input type="date" aria-label={t("orders.to")} data-testid="dash-to" className={`${INPUT_BASE} w-36`} value={custom.to}
              onChange={(e) => { setCustom((c) => ({ ...c, to: e.target.value })); }} />
          </div>
        )}
        <span className="text-xs text-muted">{t("dashboard.utcNote")}</span>
      </div>
      {balances.isError && <ErrorBanner error={toUiError(balances.error)} />}
      {stats.isError && <ErrorBanner error={toUiError(stats.error)} />}
      <Balances balances={balances.data ?? []} />
      {onlyDemo ? (
        demoStats.data ? (
          <>
            <p role="note" data-testid="dash-demo-banner" className="rounded-md border border-warning/40 bg-warning/10 px-4 py-2.5 text-sm text-fg">
              {t("dashboard.demoOnly")}
            </p>
            <Overview stats={demoStats.data} days={range.days} testPrefix="dash-demo" />
          </>
        ) : (
          <Loading />
        )
      ) : stats.isPending ? (
        <Loading />
      ) : stats.data ? (
        <Overview stats={stats.data} days={range.days} testPrefix="dash" />
      ) : null}
      {onlyDemo ? (
        <ProfitCards range={range} provider={demo.provider} testPrefix="dash-demo" />
      ) : (
        balances.data !== undefined && <ProfitCards range={range} provider={null} testPrefix="dash" />
      )}
      <BalanceHistory range={range} balances={balances.data ?? []} onlyDemo={onlyDemo} />
      {!onlyDemo && demo !== undefined && demoStats.data && (
        <Card
          title={
            <span className="flex items-center gap-2">
              {t("dashboard.demoTitle")}
              <Badge tone="warning">{t("orders.demo")}</Badge>
            </span>
          }
        >
          <div className="flex flex-col gap-3 px-5 py-4" data-testid="dash-demo">
            <p className="text-xs text-muted">{t("dashboard.demoNote")}</p>
            <Kpis s={demoStats.data.overall} testPrefix="dash-demo" />
          </div>
        </Card>
      )}
    </div>
  );
}

/** End-of-day balances over the range, a chart per currency (real providers; the demo panel's only when it is alone). */
function BalanceHistory({ range, balances, onlyDemo }: { range: { from: string; to: string; days: string[] }; balances: ProviderBalanceView[]; onlyDemo: boolean }) {
  const { t } = useTranslation();
  const history = useQuery({
    queryKey: [...KEYS.balances, "history", range.from, range.to],
    queryFn: () => commands.balanceHistory(range.from, range.to),
  });
  const gaps = useQuery({
    queryKey: [...KEYS.balances, "gaps", range.from, range.to],
    queryFn: () => commands.balanceGaps(range.from, range.to),
  });
  if (history.isError) return <ErrorBanner error={toUiError(history.error)} />;
  if (history.data === undefined) return null;
  const demo = new Set(balances.filter((b) => b.isDemo).map((b) => b.provider));
  const include = (p: string) => onlyDemo || !demo.has(p);
  const currencies = [...new Set(history.data.filter((h) => include(h.provider)).map((h) => h.currency))];
  if (currencies.length === 0) {
    return (
      <Card title={t("dashboard.balanceOverTime")}>
        <p className="px-5 py-8 text-center text-sm text-muted" data-testid="dash-balance-empty">{t("dashboard.noBalanceChecks")}</p>
      </Card>
    );
  }
  return (
    <div className="grid gap-4 xl:grid-cols-2">
      {currencies.map((c) => {
        const { rows, providers } = balanceRows(history.data, c, range.days, include);
        const marks = (gaps.data ?? []).filter((g) => g.currency === c && include(g.provider));
        return (
          <Card key={c} title={t("dashboard.balanceIn", { currency: c === "" ? "—" : c })}>
            <div className="px-3 py-3"><BalanceChart currency={c} days={rows} providers={providers} gaps={marks} /></div>
            {marks.length > 0 && <BalanceGaps gaps={marks} />}
          </Card>
        );
      })}
    </div>
  );
}

/** The unexplained drops marked on a balance chart, listed with their figures. */
function BalanceGaps({ gaps }: { gaps: BalanceGapView[] }) {
  const { t } = useTranslation();
  const { language } = usePreferences();
  return (
    <div className="border-t border-line px-5 py-3" data-testid="dash-balance-gaps">
      <h3 className="text-xs font-semibold text-danger">{t("dashboard.gapsTitle")}</h3>
      <ul className="mt-1 flex flex-col gap-1 text-xs">
        {gaps.map((g) => (
          <li key={`${g.provider}|${g.to}`} data-testid="balance-gap" data-provider={g.provider} data-gap={g.gap} data-day={g.day}>
            <span className="font-medium" dir="ltr">{g.provider}</span>{" "}
            <span className="text-muted">{formatDateTime(g.to, language)}</span>{" "}
            <span className="text-danger">{t("dashboard.gapMissing", { gap: formatAmount(g.gap, g.currency, language) })}</span>{" "}
            <span className="text-fg-soft">
              {t("dashboard.gapDetail", {
                expected: formatAmount(g.expectedAfter, g.currency, language),
                balance: formatAmount(g.balanceAfter, g.currency, language),
                n: formatCount(g.orders.length, language),
              })}
            </span>
          </li>
        ))}
      </ul>
    </div>
  );
}

function Balances({ balances }: { balances: ProviderBalanceView[] }) {
  const { t } = useTranslation();
  const { language } = usePreferences();
  if (balances.length === 0) return null;
  return (
    <div className="grid grid-cols-[repeat(auto-fill,minmax(15rem,1fr))] gap-3" data-testid="dash-balances">
      {balances.map((b) => (
        <section key={b.provider} data-testid={`balance-${b.provider}`} data-low={b.low}
          className={`rounded-lg border bg-panel px-4 py-3 shadow-xs ${b.low ? "border-warning/60" : "border-line"}`}>
          <div className="flex items-center justify-between gap-2">
            <h3 className="truncate text-sm font-medium text-fg" dir="auto">{b.displayName}</h3>
            <span className="flex gap-1">
              {b.isDemo && <Badge tone="warning">{t("orders.demo")}</Badge>}
              <Badge tone={b.health === "ok" ? "success" : b.health === "failing" || b.health === "offline" ? "danger" : "neutral"} testId="balance-health">
                {t(`dashboard.health.${healthKey(b.health)}`)}
              </Badge>
            </span>
          </div>
          <div className="mt-1 text-xl font-semibold tabular-nums text-fg" data-testid="balance-amount" data-amount={b.balance ?? ""}>
            {b.balance === null ? "—" : formatAmount(b.balance, b.currency, language)}
          </div>
          {b.low && b.threshold !== null && (
            <p role="alert" className="mt-1 text-xs font-medium text-warning" data-testid="balance-low">
              {t("dashboard.lowBalance", { threshold: formatAmount(b.threshold, b.currency, language) })}
            </p>
          )}
          <p className="mt-1 text-xs text-muted">
            {b.lastSyncAt !== null
              ? t("dashboard.lastSync", { ago: formatAgo(b.lastSyncAt, language) })
              : b.checkedAt !== null
                ? t("dashboard.lastSync", { ago: formatAgo(b.checkedAt, language) })
                : t("dashboard.neverSynced")}
          </p>
          {!b.isDemo && <TopUp provider={b.provider} currency={b.currency} />}
        </section>
      ))}
    </div>
  );
}

function healthKey(h: string): "ok" | "failing" | "offline" | "running" | "waiting" {
  return h === "ok" || h === "failing" || h === "offline" || h === "running" ? h : "waiting";
}

/** The headline numbers: spend per currency, success rate, orders, active orders. */
function Kpis({ s, testPrefix }: { s: ProviderStatsView; testPrefix: string }) {
  const { t } = useTranslation();
  const { language } = usePreferences();
  return (
    <div className="grid grid-cols-[repeat(auto-fill,minmax(11rem,1fr))] gap-3">
      <Kpi label={t("dashboard.spent")} testId={`${testPrefix}-spend`}>
        {s.spent.length === 0 ? "—" : s.spent.map((m) => (
          <div key={m.currency} data-testid={`${testPrefix}-spend-amount`} data-currency={m.currency} data-amount={m.amount}>
            {formatAmount(m.amount, m.currency, language)}
          </div>
        ))}
      </Kpi>
      <Kpi label={t("dashboard.successRate")} testId={`${testPrefix}-success`} data={s.successRate ?? ""}>
        {pct(s.successRate, language)}
      </Kpi>
      <Kpi label={t("dashboard.orders")} testId={`${testPrefix}-orders`} data={String(s.orders.total)}>
        {formatCount(s.orders.total, language)}
      </Kpi>
      <Kpi label={t("dashboard.active")} testId={`${testPrefix}-active`} data={String(s.orders.open)}>
        {formatCount(s.orders.open, language)}
      </Kpi>
    </div>
  );
}

function Kpi({ label, testId, data, children }: { label: string; testId: string; data?: string; children: React.ReactNode }) {
  return (
    <div className="rounded-md border border-line bg-sunken/40 px-3 py-2">
      <div className="text-xs text-muted">{label}</div>
      <div className="mt-0.5 text-lg font-semibold tabular-nums text-fg" data-testid={testId} data-value={data}>
        {children}
      </div>
    </div>
  );
}

function Overview({ stats, days, testPrefix }: { stats: StatsView; days: string[]; testPrefix: string }) {
  const { t } = useTranslation();
  const { language } = usePreferences();
  const s = stats.overall;
  if (s.orders.total === 0 && s.api.calls === 0) {
    return (
      <>
        <Kpis s={s} testPrefix={testPrefix} />
        <EmptyState testId="dash-empty" title={t("dashboard.emptyTitle")} text={t("dashboard.emptyText")} />
      </>
    );
  }
  const currencies = s.spent.map((m) => m.currency);
  const success = days.map((day) => {
    const rate = s.perDay.find((d) => d.day === day)?.successRate ?? null;
    return { day, rate: rate === null ? null : Number(rate) };
  });
  const o = s.orders;
  const bars = (
    [
      ["open", o.open], ["completed", o.completed], ["partial", o.partial], ["canceled", o.canceled], ["refunded", o.refunded],
      ["rejected", o.rejected], ["unknown", o.unknown], ["not_placed", o.notPlaced],
    ] as const
  ).map(([key, count]) => ({ key, count, label: t(`dashboard.outcomes.${key}`) }));
  return (
    <>
      <Kpis s={s} testPrefix={testPrefix} />
      <div className="grid gap-4 xl:grid-cols-2">
        {currencies.length === 0 ? (
          <Card title={t("dashboard.spendOverTime")}>
            <p className="px-5 py-10 text-center text-sm text-muted">{t("dashboard.noSpend")}</p>
          </Card>
        ) : (
          currencies.map((c) => {
            const { rows, providers } = spendRows(stats, c, days);
            return (
              <Card key={c} title={t("dashboard.spendIn", { currency: c === "" ? "—" : c })}>
                <div className="px-3 py-3"><SpendChart currency={c} days={rows} providers={providers} /></div>
              </Card>
            );
          })
        )}
        <Card title={t("dashboard.successOverTime")}>
          <div className="px-3 py-3"><SuccessChart days={success} /></div>
        </Card>
        <Card title={t("dashboard.byStatus")}>
          <div className="px-3 py-3"><StatusChart bars={bars} /></div>
        </Card>
        <Card title={t("dashboard.providerHealth")}>
          <table className="w-full text-sm" data-testid="dash-health">
            <thead className="text-xs text-muted">
              <tr>
                <th className="px-5 py-2 text-start font-medium">{t("orders.provider")}</th>
                <th className="px-2 py-2 text-end font-medium">{t("dashboard.avgMs")}</th>
                <th className="px-2 py-2 text-end font-medium">{t("dashboard.p95Ms")}</th>
                <th className="px-5 py-2 text-end font-medium">{t("dashboard.errorRate")}</th>
              </tr>
            </thead>
            <tbody>
              {stats.providers.map((p) => (
                <tr key={p.provider} className="border-t border-line" data-testid="health-row" data-provider={p.provider}>
                  <td className="px-5 py-2" dir="ltr">{p.provider}</td>
                  <td className="px-2 py-2 text-end tabular-nums">{p.api.avgMs === null ? "—" : t("dashboard.ms", { ms: formatCount(Number(p.api.avgMs), language) })}</td>
                  <td className="px-2 py-2 text-end tabular-nums">{p.api.p95Ms === null ? "—" : t("dashboard.ms", { ms: formatCount(p.api.p95Ms, language) })}</td>
                  <td className="px-5 py-2 text-end tabular-nums">{pct(p.api.errorRate, language)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </Card>
      </div>
    </>
  );
}
