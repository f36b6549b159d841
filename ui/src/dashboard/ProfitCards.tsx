// The Dashboard's sales (issue #15): revenue, cost, profit and margin per currency (never
// summed across currencies), profit per day, per provider, platform or category, and the top
// customers, for the range.
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";

import { PLATFORMS } from "../catalog/constants";
import { Segmented } from "../components/Segmented";
import { Card, ErrorBanner } from "../components/ui";
import { commands } from "../ipc/bindings";
import type { EarningsGroupView_Serialize as EarningsGroup, ProfitView_Serialize as ProfitView } from "../ipc/bindings";
import { toUiError } from "../ipc/errors";
import { KEYS } from "../ipc/useEngineEvents";
import { formatAmount, formatCount, formatPercentText } from "../lib/format";
import { usePreferences } from "../preferences/PreferencesProvider";
import { ProfitChart } from "./charts";

/** Chart rows for one currency: per day of the range, revenue and profit (numbers for drawing only). */
export function profitRows(perDay: readonly EarningsGroup[], currency: string, days: readonly string[]): { day: string; profit: number; revenue: number }[] {
  const at = new Map(perDay.map((g) => [g.key, g.earnings.find((e) => e.currency === currency)]));
  return days.map((day) => {
    const e = at.get(day);
    return { day, profit: e ? Number(e.profit) : 0, revenue: e ? Number(e.revenue) : 0 };
  });
}

export function ProfitCards({ range, provider, testPrefix }: { range: { from: string; to: string; days: string[] }; provider: string | null; testPrefix: string }) {
  const { t } = useTranslation();
  const { language } = usePreferences();
  const profit = useQuery({
    queryKey: [...KEYS.profit, range.from, range.to, provider],
    queryFn: () => commands.dashboardProfit(range.from, range.to, provider),
  });
  if (profit.isError) return <ErrorBanner error={toUiError(profit.error)} />;
  if (profit.data === undefined) return null;
  const p = profit.data;
  if (p.overall.length === 0) {
    return (
      <Card title={t("dashboard.sales")}>
        <p className="px-5 py-6 text-center text-sm text-muted" data-testid={`${testPrefix}-profit-empty`}>
          {t("dashboard.noSales")}
        </p>
      </Card>
    );
  }
  return (
    <div className="flex flex-col gap-4" data-testid={`${testPrefix}-profit`}>
      <Card title={t("dashboard.sales")}>
        <div className="flex flex-col gap-3 px-5 py-4">
          {p.overall.map((e) => (
            <EarningsKpis key={e.currency} e={e} testPrefix={testPrefix} />
          ))}
          {p.unsoldOrders > 0 && <p className="text-xs text-muted">{t("dashboard.unsold", { n: formatCount(p.unsoldOrders, language) })}</p>}
        </div>
      </Card>
      <div className="grid gap-4 xl:grid-cols-2">
        {p.overall.map((e) => (
          <Card key={e.currency} title={t("dashboard.profitIn", { currency: e.currency === "" ? "—" : e.currency })}>
            <div className="px-3 py-3"><ProfitChart currency={e.currency} days={profitRows(p.perDay, e.currency, range.days)} /></div>
          </Card>
        ))}
        <TopCustomers p={p} testPrefix={testPrefix} />
        <ProfitByGroup p={p} testPrefix={testPrefix} />
      </div>
    </div>
  );
}

function EarningsKpis({ e, testPrefix }: { e: ProfitView["overall"][number]; testPrefix: string }) {
  const { t } = useTranslation();
  const { language } = usePreferences();
  const money = (a: string) => formatAmount(a, e.currency, language);
  const cell = (label: string, key: string, text: string, data: string) => (
    <div className="rounded-md bg-sunken px-3 py-2" data-testid={`${testPrefix}-${key}`} data-currency={e.currency} data-amount={data}>
      <div className="text-xs text-muted">{label}</div>
      <div className="text-lg font-semibold tabular-nums text-fg">{text}</div>
    </div>
  );
  return (
    <div className="grid grid-cols-[repeat(auto-fill,minmax(10rem,1fr))] gap-3">
      {cell(t("dashboard.revenue"), "revenue", money(e.revenue), e.revenue)}
      {cell(t("dashboard.cost"), "cost", money(e.cost), e.cost)}
      {cell(t("dashboard.profit"), "profit-amount", money(e.profit), e.profit)}
      {cell(t("dashboard.margin"), "margin", e.marginPercent === null ? "—" : formatPercentText(e.marginPercent, language), e.marginPercent ?? "")}
      {cell(t("dashboard.soldOrders"), "sold", formatCount(e.orders, language), String(e.orders))}
    </div>
  );
}

function TopCustomers({ p, testPrefix }: { p: ProfitView; testPrefix: string }) {
  const { t } = useTranslation();
  const { language } = usePreferences();
  return (
    <Card title={t("dashboard.topCustomers")}>
      {p.customers.length === 0 ? (
        <p className="px-5 py-6 text-center text-sm text-muted">{t("dashboard.noCustomers")}</p>
      ) : (
        <ol className="flex flex-col divide-y divide-line text-sm" data-testid={`${testPrefix}-top-customers`}>
          {p.customers.map((c) => (
            <li key={c.key} className="flex items-start justify-between gap-3 px-5 py-2" data-testid="top-customer">
              <span className="truncate font-medium" dir="auto">{c.key}</span>
              <span className="text-end tabular-nums">
                {c.earnings.map((e) => (
                  <span key={e.currency} className="block">
                    <bdi>{formatAmount(e.profit, e.currency, language)}</bdi>
                    {e.marginPercent !== null && <span className="ms-1 text-xs text-muted">({formatPercentText(e.marginPercent, language)})</span>}
                  </span>
                ))}
              </span>
            </li>
          ))}
        </ol>
      )}
    </Card>
  );
}

/** What the "Profit by" card groups by. */
type GroupBy = "providers" | "platforms" | "categories";

/** Revenue, cost, profit and margin per provider, platform or category, one line per currency. */
function ProfitByGroup({ p, testPrefix }: { p: ProfitView; testPrefix: string }) {
  const { t } = useTranslation();
  const { language } = usePreferences();
  const [by, setBy] = useState<GroupBy>("providers");
  const label = (key: string): string => {
    if (by === "platforms") return (PLATFORMS as readonly string[]).includes(key) ? t(`catalog.platforms.${key as (typeof PLATFORMS)[number]}`) : key;
    if (by === "categories" && key === "") return "—";
    return key;
  };
  const head = "px-2 py-2 font-medium";
  return (
    <Card
      title={t("dashboard.profitBy")}
      actions={
        <Segmented
          name={`${testPrefix}-profit-by`}
          label={t("dashboard.profitBy")}
          value={by}
          options={(["providers", "platforms", "categories"] as const).map((g) => ({ value: g, label: t(`dashboard.profitGroups.${g}`) }))}
          onChange={setBy}
        />
      }
    >
      <table className="w-full text-sm" data-testid={`${testPrefix}-profit-groups`} data-by={by}>
        <thead className="text-xs text-muted">
          <tr>
            <th className={`${head} ps-5 text-start`}>{t(`dashboard.profitGroups.${by}`)}</th>
            <th className={`${head} text-end`}>{t("dashboard.revenue")}</th>
            <th className={`${head} text-end`}>{t("dashboard.cost")}</th>
            <th className={`${head} pe-5 text-end`}>{t("dashboard.profit")}</th>
          </tr>
        </thead>
        <tbody>
          {p[by].map((g) => (
            <tr key={g.key} className="border-t border-line align-top" data-testid="profit-group" data-key={g.key}>
              <td className="max-w-56 truncate px-2 py-2 ps-5 font-medium" dir={by === "providers" ? "ltr" : "auto"}>{label(g.key)}</td>
              {(["revenue", "cost", "profit"] as const).map((k) => (
                <td key={k} className={`px-2 py-2 text-end tabular-nums ${k === "profit" ? "pe-5" : ""}`}>
                  {g.earnings.map((e) => (
                    <span key={e.currency} className="block" data-testid={`profit-group-${k}`} data-currency={e.currency} data-amount={e[k]}>
                      <bdi>{formatAmount(e[k], e.currency, language)}</bdi>
                      {k === "profit" && e.marginPercent !== null && <span className="ms-1 text-xs text-muted">({formatPercentText(e.marginPercent, language)})</span>}
                    </span>
                  ))}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </Card>
  );
}
