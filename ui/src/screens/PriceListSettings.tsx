// Settings › Price list (issue #15): the selling price rules — a default markup, overrides per
// platform, category and service — listed most general first; set one (replacing the rule of
// the same scope) or remove one. Bad input is shown on its field and changes nothing.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { useState } from "react";
import { useTranslation } from "react-i18next";

import { PLATFORMS } from "../catalog/constants";
import { Button, ErrorBanner, Field, INPUT } from "../components/ui";
import { commands } from "../ipc/bindings";
import type { PriceLevel, PriceRuleView_Serialize as PriceRuleView } from "../ipc/bindings";
import { errorText, toUiError } from "../ipc/errors";
import type { UiError } from "../ipc/errors";
import { KEYS } from "../ipc/useEngineEvents";
import { formatPercentText } from "../lib/format";
import { usePreferences } from "../preferences/PreferencesProvider";

type CardType = (props: { title: string; children: ReactNode }) => ReactNode;

const LEVELS: readonly PriceLevel[] = ["default", "platform", "category", "service"];
const AMOUNTS = ["percent", "fixed", "minMargin", "step", "price"] as const;
type Amount = (typeof AMOUNTS)[number];

export function PriceListSettings({ Card }: { Card: CardType }) {
  const { t } = useTranslation();
  const rules = useQuery({ queryKey: [...KEYS.prices], queryFn: () => commands.priceRules() });
  return (
    <Card title={t("prices.title")}>
      <div data-testid="price-list" className="flex flex-col">
        <p className="px-5 pt-4 text-xs text-muted">{t("prices.hint")}</p>
        <RuleForm />
        {rules.isError && (
          <div className="px-5 pb-3">
            <ErrorBanner error={toUiError(rules.error)} />
          </div>
        )}
        {rules.data?.length === 0 && <p className="px-5 pb-4 text-sm text-muted" data-testid="price-rules-empty">{t("prices.none")}</p>}
        {rules.data && rules.data.length > 0 && <RuleTable rules={rules.data} />}
      </div>
    </Card>
  );
}

function useInvalidate() {
  const client = useQueryClient();
  // Selling prices show in the catalog and the order form's quote.
  return () => Promise.all([KEYS.prices, ["services"], ["quote"]].map((queryKey) => client.invalidateQueries({ queryKey })));
}

function RuleTable({ rules }: { rules: PriceRuleView[] }) {
  const { t } = useTranslation();
  const { language } = usePreferences();
  const invalidate = useInvalidate();
  const remove = useMutation({
    mutationFn: (r: PriceRuleView) => commands.removePriceRule(r.level, r.target),
    onSuccess: () => invalidate(),
  });
  const pct = (v: string | null) => (v === null ? "—" : formatPercentText(v, language));
  const num = (v: string | null) => v ?? "—";
  const head = "px-2 py-2 font-medium";
  return (
    <div className="overflow-auto border-t border-line">
      <table className="w-full text-sm" data-testid="price-rules">
        <thead className="bg-sunken text-xs text-muted">
          <tr>
            <th className={`${head} ps-5 text-start`}>{t("prices.scope")}</th>
            <th className={`${head} text-end`}>{t("prices.percent")}</th>
            <th className={`${head} text-end`}>{t("prices.fixed")}</th>
            <th className={`${head} text-end`}>{t("prices.minMargin")}</th>
            <th className={`${head} text-end`}>{t("prices.step")}</th>
            <th className={`${head} text-end`}>{t("prices.price")}</th>
            <th className={`${head} pe-5`} />
          </tr>
        </thead>
        <tbody>
          {rules.map((r) => (
            <tr key={`${r.level}|${r.target}`} className="border-t border-line" data-testid="price-rule" data-level={r.level} data-target={r.target}>
              <td className="px-2 py-1.5 ps-5">
                {t(`prices.levels.${r.level}`)}
                {r.level !== "default" && <bdi className="ms-1 text-fg-soft" dir="auto">{r.level === "service" ? `#${r.target}` : r.target}</bdi>}
              </td>
              <td className="px-2 py-1.5 text-end tabular-nums" data-testid="rule-percent">{pct(r.percent)}</td>
              <td className="px-2 py-1.5 text-end tabular-nums" dir="ltr">{num(r.fixed)}</td>
              <td className="px-2 py-1.5 text-end tabular-nums">{pct(r.minMargin)}</td>
              <td className="px-2 py-1.5 text-end tabular-nums" dir="ltr">{num(r.step)}</td>
              <td className="px-2 py-1.5 text-end tabular-nums" dir="ltr">{num(r.price)}</td>
              <td className="px-2 py-1.5 pe-5 text-end">
                <Button variant="dangerGhost" className="h-7 px-2 text-xs" data-testid="rule-remove" busy={remove.isPending && remove.variables === r}
                  onClick={() => { remove.mutate(r); }}>
                  {t("prices.remove")}
                </Button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {remove.isError && <div className="px-5 py-2"><ErrorBanner error={toUiError(remove.error)} /></div>}
    </div>
  );
}

function RuleForm() {
  const { t, i18n } = useTranslation();
  const invalidate = useInvalidate();
  const [level, setLevel] = useState<PriceLevel>("default");
  const [target, setTarget] = useState("");
  const [values, setValues] = useState<Record<Amount, string>>({ percent: "", fixed: "", minMargin: "", step: "", price: "" });
  const [error, setError] = useState<UiError | null>(null);
  const save = useMutation({
    mutationFn: () => {
      const v = (k: Amount) => (values[k].trim() === "" ? null : values[k].trim());
      return commands.setPriceRule({
        level,
        target: level === "default" ? "" : level === "platform" && target === "" ? PLATFORMS[0] : target,
        percent: v("percent"),
        fixed: v("fixed"),
        minMargin: v("minMargin"),
        step: v("step"),
        price: level === "service" ? v("price") : null,
      });
    },
    onSuccess: () => {
      setValues({ percent: "", fixed: "", minMargin: "", step: "", price: "" });
      void invalidate();
    },
    onError: (e) => {
      setError(toUiError(e));
    },
  });
  const on = (field: string) => (error?.field === field ? errorText(i18n, error) : undefined);
  const known = ["target", "service", "category", ...AMOUNTS];
  const general = error !== null && !known.includes(error.field ?? "") ? error : null;
  const amount = (k: Amount) => (
    <Field key={k} id={`pr-${k}`} label={t(`prices.${k}`)} error={on(k)}>
      <input id={`pr-${k}`} data-testid={`pr-${k}`} dir="ltr" inputMode="decimal" className={INPUT} value={values[k]}
        aria-invalid={on(k) !== undefined} aria-describedby={on(k) !== undefined ? `pr-${k}-error` : undefined}
        onChange={(e) => { setValues((s) => ({ ...s, [k]: e.target.value })); setError(null); }} />
    </Field>
  );
  const targetError = on("target") ?? on("service") ?? on("category");
  return (
    <form data-testid="price-rule-form" noValidate className="flex flex-col gap-3 px-5 py-4"
      onSubmit={(e) => { e.preventDefault(); setError(null); save.mutate(); }}>
      <div className="grid grid-cols-2 gap-4">
        <Field id="pr-level" label={t("prices.scope")}>
          <select id="pr-level" data-testid="pr-level" className={INPUT} value={level}
            onChange={(e) => { setLevel(e.target.value as PriceLevel); setTarget(""); setError(null); }}>
            {LEVELS.map((l) => <option key={l} value={l}>{t(`prices.levels.${l}`)}</option>)}
          </select>
        </Field>
        {level === "platform" && (
          <Field id="pr-target" label={t("prices.levels.platform")} error={targetError}>
            <select id="pr-target" data-testid="pr-target" className={INPUT} value={target === "" ? PLATFORMS[0] : target}
              onChange={(e) => { setTarget(e.target.value); }}>
              {PLATFORMS.map((p) => <option key={p} value={p}>{t(`catalog.platforms.${p}`)}</option>)}
            </select>
          </Field>
        )}
        {(level === "category" || level === "service") && (
          <Field id="pr-target" label={t(level === "service" ? "prices.serviceId" : "prices.category")} error={targetError}>
            <input id="pr-target" data-testid="pr-target" dir="auto" className={INPUT} value={target}
              aria-invalid={targetError !== undefined} onChange={(e) => { setTarget(e.target.value); setError(null); }} />
          </Field>
        )}
      </div>
      <div className="grid grid-cols-[repeat(auto-fill,minmax(9rem,1fr))] gap-4">
        {AMOUNTS.filter((k) => k !== "price" || level === "service").map(amount)}
      </div>
      {general && <ErrorBanner error={general} />}
      <div className="flex justify-end">
        <Button type="submit" variant="primary" busy={save.isPending} data-testid="pr-save">{t("prices.save")}</Button>
      </div>
    </form>
  );
}
