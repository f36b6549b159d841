// Recording a top-up (issue #15) where a provider's balance is shown: money the user added to
// the account, so the next balance check counts it instead of taking the rise for a refund
// and the reconciliation raises no false alert. Bad input is refused on its field.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";

import { Button, ErrorBanner, Field, INPUT } from "../components/ui";
import { commands } from "../ipc/bindings";
import { errorText, toUiError } from "../ipc/errors";
import type { UiError } from "../ipc/errors";
import { KEYS } from "../ipc/useEngineEvents";
import { formatAmount } from "../lib/format";
import { usePreferences } from "../preferences/PreferencesProvider";

/** A "Record a top-up" link that opens a small form for one provider. */
export function TopUp({ provider, currency }: { provider: string; currency: string | null }) {
  const { t, i18n } = useTranslation();
  const { language } = usePreferences();
  const client = useQueryClient();
  const [open, setOpen] = useState(false);
  const [amount, setAmount] = useState("");
  const [note, setNote] = useState("");
  const [error, setError] = useState<UiError | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const save = useMutation({
    mutationFn: () => commands.recordTopup(provider, amount, note.trim() === "" ? null : note),
    onSuccess: (topup) => {
      setDone(topup.amount);
      setOpen(false);
      setAmount("");
      setNote("");
      void client.invalidateQueries({ queryKey: KEYS.balances });
    },
    onError: (e) => {
      setError(toUiError(e));
    },
  });
  const on = (field: string) => (error?.field === field ? errorText(i18n, error) : undefined);
  const general = error !== null && error.field !== "amount" && error.field !== "note" ? error : null;
  const id = (name: string) => `topup-${name}-${provider}`;
  if (!open) {
    return (
      <div className="mt-1 flex flex-wrap items-center gap-2 text-xs">
        <button type="button" data-testid="topup-open" className="text-accent hover:underline"
          onClick={() => { setOpen(true); setDone(null); setError(null); }}>
          {t("dashboard.topup")}
        </button>
        {done !== null && (
          <span role="status" data-testid="topup-done" className="text-success">
            {t("dashboard.topupDone", { amount: formatAmount(done, currency, language) })}
          </span>
        )}
      </div>
    );
  }
  return (
    <form data-testid="topup-form" noValidate className="mt-2 flex flex-col gap-2 border-t border-line pt-2"
      onSubmit={(e) => { e.preventDefault(); setError(null); save.mutate(); }}>
      <Field id={id("amount")} label={t("dashboard.topupAmount", { currency: currency ?? "—" })} error={on("amount")}>
        <input id={id("amount")} data-testid="topup-amount" inputMode="decimal" dir="ltr" className={INPUT} value={amount}
          aria-invalid={on("amount") !== undefined} aria-describedby={on("amount") !== undefined ? `${id("amount")}-error` : undefined}
          onChange={(e) => { setAmount(e.target.value); setError(null); }} />
      </Field>
      <Field id={id("note")} label={t("dashboard.topupNote")} hint={t("dashboard.topupHint")} error={on("note")}>
        <input id={id("note")} data-testid="topup-note" dir="auto" className={INPUT} value={note} maxLength={200}
          aria-invalid={on("note") !== undefined} aria-describedby={on("note") !== undefined ? `${id("note")}-error` : undefined}
          onChange={(e) => { setNote(e.target.value); setError(null); }} />
      </Field>
      {general && <ErrorBanner error={general} />}
      <div className="flex justify-end gap-2">
        <Button onClick={() => { setOpen(false); setError(null); }} data-testid="topup-cancel">{t("common.cancel")}</Button>
        <Button type="submit" variant="primary" busy={save.isPending} data-testid="topup-save">{t("dashboard.topupSave")}</Button>
      </div>
    </form>
  );
}
