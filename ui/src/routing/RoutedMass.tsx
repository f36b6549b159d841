// A mass order on an offer group: every `link|quantity` line a routed order, placed with
// progress; each line shows the route it took (every attempt: provider, outcome).
import { useMutation } from "@tanstack/react-query";
import { Channel } from "@tauri-apps/api/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";

import { Button, Card, ErrorBanner } from "../components/ui";
import { commands } from "../ipc/bindings";
import type { RoutedLineView_Deserialize as RoutedLine, RoutedMassReportView_Serialize as Report } from "../ipc/bindings";
import { errorText, toUiError } from "../ipc/errors";
import { formatCount } from "../lib/format";
import { newIdempotencyKey } from "../lib/idempotency";
import { usePreferences } from "../preferences/PreferencesProvider";
import { StatusBadge } from "../orders/OrderResult";

export function RoutedMassOrder({
  group,
  text,
  customer,
  salePrice,
  onReset,
}: {
  group: string;
  text: string;
  customer: string | null;
  salePrice: string | null;
  onReset: () => void;
}) {
  const { t, i18n } = useTranslation();
  const { language } = usePreferences();
  const [batchKey, setBatchKey] = useState(newIdempotencyKey);
  const [lines, setLines] = useState<Map<number, RoutedLine>>(new Map());
  const [report, setReport] = useState<Report | null>(null);
  const place = useMutation({
    mutationFn: () => {
      const seen = new Map<number, RoutedLine>();
      setLines(new Map());
      const channel = new Channel<RoutedLine>();
      channel.onmessage = (l) => {
        seen.set(l.line, l);
        setLines(new Map(seen));
      };
      return commands.placeRoutedMassOrder(group, text, batchKey, customer, salePrice, channel);
    },
    onSuccess: (r) => {
      setReport(r);
      setLines(new Map(r.results.map((l) => [l.line, l])));
    },
  });
  const rows = [...lines.values()].sort((a, b) => a.line - b.line);
  const count = text.split(/\r?\n/).filter((l) => l.trim() !== "").length;
  return (
    <Card title={t("routing.route", { group })}>
      {rows.length > 0 && (
        <table className="w-full text-sm" data-testid="routed-mass-table">
          <tbody>
            {rows.map((r) => {
              const last = r.placement?.order;
              return (
                <tr key={r.line} className="border-t border-line" data-testid="routed-mass-row" data-line={r.line}>
                  <td className="px-4 py-1.5 text-xs text-muted">{formatCount(r.line, language)}</td>
                  <td className="px-2 py-1.5 text-xs">
                    {r.placement?.attempts.map((a) => (
                      <span key={a.orderId} className="me-3 inline-flex items-center gap-1" data-testid="routed-mass-attempt" data-provider={a.provider} data-status={a.status}>
                        <bdi dir="ltr">{a.provider}</bdi> <StatusBadge status={a.status} />
                      </span>
                    ))}
                    {r.errorCode && <span className="text-danger">{errorText(i18n, { code: r.errorCode, message: "" })}</span>}
                  </td>
                  <td className="px-4 py-1.5 text-end">{last && <StatusBadge status={last.status} />}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {report && (
        <p className="border-t border-line px-5 py-3 text-sm" data-testid="mass-report" data-accepted={report.accepted} data-failed={report.failed} data-unknown={report.unknown}>
          {t("routing.massReport", { accepted: formatCount(report.accepted, language), failed: formatCount(report.failed, language), unknown: formatCount(report.unknown, language) })}
          {report.skipped.map((e) => (
            <span key={e.line} className="block text-xs text-danger" data-testid="mass-line-error" data-code={e.code}>
              {formatCount(e.line, language)}: {errorText(i18n, { code: e.code, message: "" })}
            </span>
          ))}
        </p>
      )}
      {place.isError && <ErrorBanner error={toUiError(place.error)} testId="mass-error" />}
      <div className="flex justify-end gap-2 border-t border-line px-5 py-3">
        {report === null ? (
          <Button variant="primary" busy={place.isPending} disabled={count === 0} onClick={() => { place.mutate(); }} data-testid="mass-place">
            {t("mass.place", { formatted: formatCount(count, language) })}
          </Button>
        ) : (
          <Button onClick={() => { setReport(null); setLines(new Map()); setBatchKey(newIdempotencyKey()); onReset(); }} data-testid="mass-new">
            {t("mass.new")}
          </Button>
        )}
      </div>
    </Card>
  );
}
