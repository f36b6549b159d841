// The Dashboard's charts (Recharts), readable right to left: the time axis runs from the
// inline start and the value axis sits at the inline start.
import { useTranslation } from "react-i18next";
import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ReferenceDot,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";

import { directionOf, localeOf } from "../i18n";
import type { BalanceGapView, Language } from "../ipc/bindings";
import { formatAmount, formatCount } from "../lib/format";
import { usePreferences } from "../preferences/PreferencesProvider";

/** Series colours (readable on light and dark). */
export const PALETTE: readonly string[] = ["#4f7df3", "#22a06b", "#e2883c", "#a259d9", "#d9455f", "#2bb3c0", "#8a8f98"];

const AXIS = { fontSize: 11, fill: "var(--c-muted)" };

function useAxes() {
  const { language } = usePreferences();
  const rtl = directionOf(language) === "rtl";
  return { language, rtl };
}

/** "Nov 24" / its Arabic form, from a UTC day `2026-11-24`. */
export function dayLabel(day: string, language: Language): string {
  return new Intl.DateTimeFormat(localeOf(language), { month: "short", day: "numeric", timeZone: "UTC" }).format(
    new Date(`${day}T00:00:00Z`),
  );
}

/** One currency's spend per day, stacked by provider. */
export function SpendChart({ currency, days, providers }: { currency: string; days: Record<string, number | string>[]; providers: string[] }) {
  const { language, rtl } = useAxes();
  return (
    <div className="h-56" data-testid="chart-spend" data-currency={currency} dir="ltr">
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={days} margin={{ top: 8, right: 8, left: 8, bottom: 0 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} stroke="var(--c-line)" />
          <XAxis dataKey="day" reversed={rtl} tick={AXIS} tickFormatter={(d: string) => dayLabel(d, language)} minTickGap={16} />
          <YAxis orientation={rtl ? "right" : "left"} tick={AXIS} width={64}
            tickFormatter={(v: number) => formatAmount(String(v), currency, language)} />
          <Tooltip
            labelFormatter={(d) => (typeof d === "string" ? dayLabel(d, language) : "")}
            formatter={(v) => formatAmount(String(v), currency, language)}
            contentStyle={{ direction: rtl ? "rtl" : "ltr", fontSize: 12 }}
          />
          <Legend wrapperStyle={{ fontSize: 12, direction: rtl ? "rtl" : "ltr" }} />
          {providers.map((p, i) => (
            <Bar key={p} dataKey={p} stackId="spend" fill={PALETTE[i % PALETTE.length] ?? "#4f7df3"} isAnimationActive={false} />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}

/** Success rate per day (0-100 %). */
export function SuccessChart({ days }: { days: { day: string; rate: number | null }[] }) {
  const { t } = useTranslation();
  const { language, rtl } = useAxes();
  const pct = (v: number) => new Intl.NumberFormat(localeOf(language), { style: "percent", maximumFractionDigits: 1 }).format(v);
  return (
    <div className="h-56" data-testid="chart-success" dir="ltr">
      <ResponsiveContainer width="100%" height="100%">
        <LineChart data={days} margin={{ top: 8, right: 8, left: 8, bottom: 0 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} stroke="var(--c-line)" />
          <XAxis dataKey="day" reversed={rtl} tick={AXIS} tickFormatter={(d: string) => dayLabel(d, language)} minTickGap={16} />
          <YAxis orientation={rtl ? "right" : "left"} domain={[0, 1]} tick={AXIS} width={48} tickFormatter={pct} />
          <Tooltip
            labelFormatter={(d) => (typeof d === "string" ? dayLabel(d, language) : "")}
            formatter={(v) => [pct(Number(v)), t("dashboard.successRate")]}
            contentStyle={{ direction: rtl ? "rtl" : "ltr", fontSize: 12 }}
          />
          <Line type="monotone" dataKey="rate" stroke={PALETTE[1] ?? "#22a06b"} strokeWidth={2} dot={{ r: 3 }} connectNulls isAnimationActive={false} />
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}

/** Orders by status, one bar each. */
export function StatusChart({ bars }: { bars: { label: string; count: number; key: string }[] }) {
  const { language, rtl } = useAxes();
  return (
    <div className="h-56" data-testid="chart-status" dir="ltr">
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={bars} layout="vertical" margin={{ top: 4, right: 16, left: 16, bottom: 0 }}>
          <CartesianGrid strokeDasharray="3 3" horizontal={false} stroke="var(--c-line)" />
          <XAxis type="number" reversed={rtl} tick={AXIS} allowDecimals={false} tickFormatter={(v: number) => formatCount(v, language)} />
          <YAxis type="category" dataKey="label" orientation={rtl ? "right" : "left"} tick={AXIS} width={96} />
          <Tooltip formatter={(v) => formatCount(Number(v), language)} contentStyle={{ direction: rtl ? "rtl" : "ltr", fontSize: 12 }} />
          <Bar dataKey="count" fill={PALETTE[0] ?? "#4f7df3"} isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}

/** Prefix of the exact decimal string kept beside each drawn balance (tooltips show it). */
export const EXACT = "exact:";

/** The colour of an unexplained balance drop's mark. */
export const GAP_COLOUR = "#d9455f";

/**
 * One currency's end-of-day balance per provider (a line each; days without a check carry
 * over), with a red mark on each unexplained drop at the balance read after it.
 */
export function BalanceChart({ currency, days, providers, gaps = [] }: { currency: string; days: Record<string, number | string>[]; providers: string[]; gaps?: readonly BalanceGapView[] }) {
  const { language, rtl } = useAxes();
  return (
    <div className="h-56" data-testid="chart-balance" data-currency={currency} dir="ltr">
      <ResponsiveContainer width="100%" height="100%">
        <LineChart data={days} margin={{ top: 8, right: 8, left: 8, bottom: 0 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} stroke="var(--c-line)" />
          <XAxis dataKey="day" reversed={rtl} tick={AXIS} tickFormatter={(d: string) => dayLabel(d, language)} minTickGap={16} />
          <YAxis orientation={rtl ? "right" : "left"} tick={AXIS} width={64} domain={["auto", "auto"]}
            tickFormatter={(v: number) => formatAmount(String(v), currency, language)} />
          <Tooltip
            labelFormatter={(d) => (typeof d === "string" ? dayLabel(d, language) : "")}
            formatter={(v, name, item) => {
              const row = (item as { payload?: Record<string, unknown> }).payload ?? {};
              const exact = row[`${EXACT}${String(name)}`];
              return formatAmount(typeof exact === "string" ? exact : String(v), currency, language);
            }}
            contentStyle={{ direction: rtl ? "rtl" : "ltr", fontSize: 12 }}
          />
          <Legend wrapperStyle={{ fontSize: 12, direction: rtl ? "rtl" : "ltr" }} />
          {providers.map((p, i) => (
            <Line key={p} type="stepAfter" dataKey={p} stroke={PALETTE[i % PALETTE.length] ?? "#4f7df3"} strokeWidth={2}
              dot={{ r: 2 }} connectNulls={false} isAnimationActive={false} />
          ))}
          {gaps.map((g) => (
            <ReferenceDot key={`${g.provider}|${g.to}`} x={g.day} y={Number(g.balanceAfter)} r={6} fill={GAP_COLOUR} stroke="var(--c-panel)"
              strokeWidth={2} ifOverflow="extendDomain" />
          ))}
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}

/** One currency's profit per day (bars; a loss goes below the axis). */
export function ProfitChart({ currency, days }: { currency: string; days: { day: string; profit: number; revenue: number }[] }) {
  const { t } = useTranslation();
  const { language, rtl } = useAxes();
  return (
    <div className="h-56" data-testid="chart-profit" data-currency={currency} dir="ltr">
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={days} margin={{ top: 8, right: 8, left: 8, bottom: 0 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} stroke="var(--c-line)" />
          <XAxis dataKey="day" reversed={rtl} tick={AXIS} tickFormatter={(d: string) => dayLabel(d, language)} minTickGap={16} />
          <YAxis orientation={rtl ? "right" : "left"} tick={AXIS} width={64}
            tickFormatter={(v: number) => formatAmount(String(v), currency, language)} />
          <Tooltip
            labelFormatter={(d) => (typeof d === "string" ? dayLabel(d, language) : "")}
            formatter={(v) => formatAmount(String(v), currency, language)}
            contentStyle={{ direction: rtl ? "rtl" : "ltr", fontSize: 12 }}
          />
          <Legend wrapperStyle={{ fontSize: 12, direction: rtl ? "rtl" : "ltr" }} />
          <Bar dataKey="revenue" name={t("dashboard.revenue")} fill={PALETTE[0] ?? "#4f7df3"} isAnimationActive={false} />
          <Bar dataKey="profit" name={t("dashboard.profit")} fill={PALETTE[1] ?? "#22a06b"} isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
