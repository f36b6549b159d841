// Mass order: paste or load `service_id|link|quantity` lines, preview each line's service,
// cost and validation, total against the balance; place the valid lines with progress.
import { keepPreviousData, useMutation, useQuery } from "@tanstack/react-query";
import { Channel } from "@tauri-apps/api/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";

import { Button, Card, EmptyState, ErrorBanner, Field, INPUT, INPUT_BASE, Loading } from "../components/ui";
import { commands } from "../ipc/bindings";
import type { MassPreviewView_Serialize, MassProgressView_Deserialize, MassReportView_Serialize } from "../ipc/bindings";
import { errorText, toUiError } from "../ipc/errors";
import { formatAmount, formatCount } from "../lib/format";
import { newIdempotencyKey } from "../lib/idempotency";
import { useDebounced } from "../lib/useDebounced";
import { usePreferences } from "../preferences/PreferencesProvider";
import { useProviders } from "../providers/queries";
import { StatusBadge } from "./OrderResult";
import { RoutedMassOrder } from "../routing/RoutedMass";
import { useOfferGroups } from "../routing/GroupOrder";
import { CustomerInput, isAmount } from "./sale";

type Preview = MassPreviewView_Serialize;
type Result = MassProgressView_Deserialize["result"];

/** Preview rows in line order: valid lines with their cost, invalid ones with their error. */
export function previewRows(p: Preview): ({ line: number } & ({ ok: true; serviceName: string; link: string; quantity: number; cost: string; sale: string | null; customer: string | null; belowCost: boolean } | { ok: false; code: string }))[] {
  const rows = [
    ...p.lines.map((l) => ({ line: l.line, ok: true as const, serviceName: `#${l.serviceId} ${l.serviceName}`, link: l.link, quantity: l.quantity, cost: l.estimatedCost, sale: l.salePrice, customer: l.customer, belowCost: p.belowCost.includes(l.line) })),
    ...p.errors.map((e) => ({ line: e.line, ok: false as const, code: e.code })),
  ];
  return rows.sort((a, b) => a.line - b.line);
}

export function MassOrderScreen() {
  const { t, i18n } = useTranslation();
  const { language } = usePreferences();
  const providers = useProviders();
  const groups = useOfferGroups();
  const [provider, setProvider] = useState("");
  const [text, setText] = useState("");
  const [customer, setCustomer] = useState("");
  const [salePrice, setSalePrice] = useState("");
  const [batchKey, setBatchKey] = useState(newIdempotencyKey);
  const [progress, setProgress] = useState<{ done: number; total: number; results: Map<number, Result> } | null>(null);
  const [report, setReport] = useState<MassReportView_Serialize | null>(null);
  const group = provider.startsWith("group:") ? provider.slice("group:".length) : null;
  const chosen = group !== null ? "" : provider || providers.data?.find((p) => p.active)?.name || "";
  const batchCustomer = customer.trim() === "" ? null : customer.trim();
  const batchPrice = isAmount(salePrice.trim()) ? salePrice.trim() : null;
  const priceMalformed = salePrice.trim() !== "" && batchPrice === null;
  const input = useDebounced({ provider: chosen, text, customer: batchCustomer, salePrice: batchPrice }, 200);
  const preview = useQuery({
    queryKey: ["mass-preview", input],
    queryFn: () => commands.checkMassOrder(input.provider, input.text, input.customer, input.salePrice),
    enabled: input.provider !== "" && input.text.trim() !== "",
    placeholderData: keepPreviousData,
    retry: false,
    staleTime: 0,
  });
  const place = useMutation({
    mutationFn: async () => {
      const results = new Map<number, Result>();
      setProgress({ done: 0, total: preview.data?.lines.length ?? 0, results });
      const channel = new Channel<MassProgressView_Deserialize>();
      channel.onmessage = (p) => {
        results.set(p.result.line, p.result);
        setProgress({ done: p.done, total: p.total, results: new Map(results) });
      };
      return commands.placeMassOrder(chosen, text, batchKey, batchCustomer, batchPrice, channel);
    },
    onSuccess: setReport,
  });

  if (providers.isPending) return <Loading />;
  if (providers.isError) return <ErrorBanner error={toUiError(providers.error)} />;
  if (providers.data.length === 0) {
    return <EmptyState testId="mass-empty" title={t("catalog.noProviders")} text={t("catalog.noProvidersText")} />;
  }
  const p = text.trim() === "" ? undefined : preview.data;
  const fresh = input.text === text && input.provider === chosen && input.customer === batchCustomer && input.salePrice === batchPrice && !preview.isFetching && !priceMalformed;
  const busy = place.isPending;
  const done = report !== null;

  return (
    <div className="mx-auto flex max-w-5xl flex-col gap-4">
      <p className="text-sm text-muted">{t("mass.intro")}</p>
      <Card>
        <div className="flex flex-col gap-3 px-5 py-4">
          <div className="flex flex-wrap items-end gap-3">
            <Field id="mass-provider" label={t("routing.source")}>
              <select id="mass-provider" data-testid="mass-provider" className={`${INPUT_BASE} w-56`} value={group !== null ? provider : chosen} disabled={busy || done}
                onChange={(e) => { setProvider(e.target.value); setReport(null); setProgress(null); }}>
                <optgroup label={t("catalog.provider")}>
                  {providers.data.map((pr) => (
                    <option key={pr.name} value={pr.name}>{pr.displayName}</option>
                  ))}
                </optgroup>
                {(groups.data?.length ?? 0) > 0 && (
                  <optgroup label={t("routing.groups")}>
                    {groups.data?.map((g) => (
                      <option key={g.id} value={`group:${g.name}`}>{g.name}</option>
                    ))}
                  </optgroup>
                )}
              </select>
            </Field>
            <label className="inline-flex h-8 cursor-pointer items-center rounded-md border border-line-strong bg-panel px-3 text-sm font-medium text-fg hover:bg-hover focus-within:outline-2 focus-within:outline-accent">
              {t("mass.loadFile")}
              <input type="file" accept=".txt,.csv,text/plain" className="sr-only" disabled={busy || done}
                onChange={(e) => {
                  const file = e.target.files?.[0];
                  if (file) void file.text().then(setText);
                }} />
            </label>
          </div>
          <div className="grid grid-cols-2 gap-4">
            <Field id="mass-customer" label={t("mass.customer")} hint={t("mass.customerHint")}>
              <CustomerInput id="mass-customer" value={customer} invalid={false} onChange={setCustomer} />
            </Field>
            <Field id="mass-salePrice" label={t("mass.salePrice")} hint={t("mass.salePriceHint")} error={priceMalformed ? t("order.salePriceInvalid") : undefined}>
              <input id="mass-salePrice" data-testid="mass-salePrice" dir="ltr" inputMode="decimal" className={INPUT} value={salePrice} disabled={busy || done}
                aria-invalid={priceMalformed} onChange={(e) => { setSalePrice(e.target.value); }} />
            </Field>
          </div>
          <Field id="mass-text" label={t("mass.lines")} hint={group !== null ? t("routing.massGroupHint") : t("mass.linesHint")}>
            <textarea id="mass-text" data-testid="mass-text" dir="ltr" rows={8} className={`${INPUT} h-auto py-1.5 font-mono text-xs`}
              placeholder={group !== null ? "https://instagram.com/p/abc|1000" : "123|https://instagram.com/p/abc|1000"} value={text} disabled={busy || done}
              onChange={(e) => { setText(e.target.value); setReport(null); setProgress(null); }} />
          </Field>
        </div>
      </Card>
      {group !== null && (
        <RoutedMassOrder group={group} text={text} customer={batchCustomer} salePrice={priceMalformed ? null : batchPrice} onReset={() => { setText(""); }} />
      )}
      {group === null && preview.isError && text.trim() !== "" && <ErrorBanner error={toUiError(preview.error)} testId="mass-error" />}
      {group === null && p && (
        <Card
          title={t("mass.preview")}
          actions={
            <span className="text-xs text-muted" data-testid="mass-summary" data-fresh={fresh} data-valid={p.lines.length} data-invalid={p.errors.length}>
              {t("mass.summary", { valid: formatCount(p.lines.length, language), invalid: formatCount(p.errors.length, language) })}
            </span>
          }
        >
          <div className="max-h-[420px] overflow-auto">
            <table className="w-full text-sm" data-testid="mass-table">
              <thead className="sticky top-0 bg-sunken text-xs text-muted">
                <tr>
                  <th className="px-4 py-2 text-start font-medium">{t("mass.line")}</th>
                  <th className="px-2 py-2 text-start font-medium">{t("result.service")}</th>
                  <th className="px-2 py-2 text-start font-medium">{t("order.fields.link")}</th>
                  <th className="px-2 py-2 text-end font-medium">{t("order.fields.quantity")}</th>
                  <th className="px-2 py-2 text-end font-medium">{t("order.estimate")}</th>
                  <th className="px-2 py-2 text-end font-medium">{t("order.salePrice")}</th>
                  <th className="px-2 py-2 text-start font-medium">{t("order.customer")}</th>
                  <th className="px-4 py-2 text-start font-medium">{t("mass.result")}</th>
                </tr>
              </thead>
              <tbody>
                {previewRows(p).map((r) => {
                  const res = progress?.results.get(r.line);
                  return (
                    <tr key={r.line} data-testid="mass-row" data-line={r.line} data-ok={r.ok} className="border-t border-line">
                      <td className="px-4 py-1.5 text-xs text-muted">{formatCount(r.line, language)}</td>
                      {r.ok ? (
                        <>
                          <td className="max-w-64 truncate px-2 py-1.5" dir="auto">{r.serviceName}</td>
                          <td className="max-w-64 truncate px-2 py-1.5 text-xs" dir="ltr">{r.link}</td>
                          <td className="px-2 py-1.5 text-end">{formatCount(r.quantity, language)}</td>
                          <td className="px-2 py-1.5 text-end">{formatAmount(r.cost, p.currency, language)}</td>
                          <td className={`px-2 py-1.5 text-end ${r.belowCost ? "text-warning" : ""}`} data-testid="mass-sale" data-below-cost={r.belowCost}>
                            {r.sale === null ? "—" : formatAmount(r.sale, p.currency, language)}
                          </td>
                          <td className="max-w-40 truncate px-2 py-1.5 text-xs" dir="auto">{r.customer ?? "—"}</td>
                          <td className="px-4 py-1.5">
                            {res?.order ? <StatusBadge status={res.order.status} /> : res?.errorCode ? (
                              <span className="text-xs text-danger">{errorText(i18n, { code: res.errorCode, message: "" })}</span>
                            ) : <span className="text-xs text-success">{t("mass.ok")}</span>}
                          </td>
                        </>
                      ) : (
                        <td colSpan={7} className="px-2 py-1.5 text-xs text-danger" data-testid="mass-line-error" data-code={r.code}>
                          {errorText(i18n, { code: r.code, message: "" })}
                        </td>
                      )}
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
          <div className="flex flex-wrap items-center justify-between gap-3 border-t border-line px-5 py-3">
            <div className="text-sm">
              <span className="text-muted">{t("mass.total")} </span>
              <span className="font-semibold" data-testid="mass-total">{formatAmount(p.totalCost, p.currency, language)}</span>
              <span className="text-muted"> · {t("order.balance")} </span>
              <span className="font-semibold">{p.balance !== null ? formatAmount(p.balance, p.currency, language) : t("order.balanceUnknown")}</span>
              {p.exceedsBalance && <span className="ms-2 text-xs text-danger" role="alert">{t("order.exceeds")}</span>}
              {p.totalSale !== null && (
                <span className="block" data-testid="mass-total-sale">
                  <span className="text-muted">{t("mass.totalSale")} </span>
                  <span className="font-semibold">{formatAmount(p.totalSale, p.currency, language)}</span>
                </span>
              )}
              {p.belowCost.length > 0 && (
                <span className="block text-xs text-warning" role="alert" data-testid="mass-below-cost">
                  {t("mass.belowCost", { lines: p.belowCost.map((l) => formatCount(l, language)).join(", ") })}
                </span>
              )}
            </div>
            {!done && (
              <Button variant="primary" busy={busy} disabled={p.lines.length === 0 || p.exceedsBalance || !fresh} onClick={() => { place.mutate(); }} data-testid="mass-place">
                {t("mass.place", { formatted: formatCount(p.lines.length, language) })}
              </Button>
            )}
            {done && (
              <Button onClick={() => { setText(""); setCustomer(""); setSalePrice(""); setReport(null); setProgress(null); setBatchKey(newIdempotencyKey()); }} data-testid="mass-new">
                {t("mass.new")}
              </Button>
            )}
          </div>
          {progress && (
            <div className="flex flex-col gap-1 border-t border-line px-5 py-3">
              <div className="h-2 overflow-hidden rounded bg-sunken" role="progressbar" aria-valuemin={0} aria-valuemax={progress.total} aria-valuenow={progress.done} aria-label={t("mass.progress")}>
                <div className="h-full bg-accent transition-[width]" style={{ width: `${progress.total === 0 ? 100 : (100 * progress.done) / progress.total}%` }} />
              </div>
              <span className="text-xs text-muted" data-testid="mass-progress">
                {t("mass.progressText", { done: formatCount(progress.done, language), total: formatCount(progress.total, language) })}
              </span>
            </div>
          )}
          {report && (
            <p className="border-t border-line px-5 py-3 text-sm" data-testid="mass-report" data-accepted={report.accepted} data-failed={report.failed} data-unknown={report.unknown}>
              {t("mass.report", { accepted: formatCount(report.accepted, language), failed: formatCount(report.failed, language), unknown: formatCount(report.unknown, language) })}
              {report.alreadyPlaced > 0 && (
                <span className="block text-fg-soft" data-testid="mass-already-placed">
                  {t("mass.alreadyPlaced", { n: formatCount(report.alreadyPlaced, language) })}
                </span>
              )}
            </p>
          )}
          {place.isError && <ErrorBanner error={toUiError(place.error)} />}
        </Card>
      )}
    </div>
  );
}
