// Settings kept by the engine: job intervals, alerts (on/off, thresholds), retention; the
// low-balance threshold per provider; where the master key lives.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";

import { Button, ErrorBanner, INPUT_BASE } from "../components/ui";
import { commands } from "../ipc/bindings";
import type { EngineSettingView, ProviderBalanceView_Serialize as ProviderBalanceView } from "../ipc/bindings";
import { errorText, toUiError } from "../ipc/errors";
import type { UiError } from "../ipc/errors";
import { KEYS } from "../ipc/useEngineEvents";

/** The groups Settings shows, in order, and the translation key of each setting. */
export const GROUPS: readonly { id: "jobs" | "alerts" | "retention"; keys: readonly string[] }[] = [
  {
    id: "jobs",
    keys: ["jobs.order_status.interval_secs", "jobs.catalog_sync.interval_secs", "jobs.balance.interval_secs", "jobs.cleanup.interval_secs"],
  },
  {
    id: "alerts",
    keys: [
      "alerts.low_balance.enabled",
      "alerts.order_finished.enabled",
      "alerts.order_stuck.enabled",
      "alerts.order_stuck.after_secs",
      "alerts.provider_failing.enabled",
      "alerts.provider_failing.calls",
      "alerts.key_rejected.enabled",
      "alerts.service_changed.enabled",
      "alerts.service_removed.enabled",
      "alerts.balance_gap.enabled",
      "alerts.balance_negative.enabled",
      "balances.reconcile_tolerance",
    ],
  },
  { id: "retention", keys: ["retention.api_calls_days", "retention.event_details_days", "retention.archive_orders_days"] },
];

/** `jobs.order_status.interval_secs` → `jobs_order_status_interval_secs` (a translation key). */
function labelKey(key: string): string {
  return key.replaceAll(".", "_");
}

export function EngineSettingsCards({ Card, Row }: { Card: CardType; Row: RowType }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const settings = useQuery({ queryKey: [...KEYS.settings], queryFn: () => commands.engineSettings() });
  const save = useMutation({
    mutationFn: ({ key, value }: { key: string; value: string }) => commands.setEngineSetting(key, value),
    onSuccess: (all) => {
      client.setQueryData([...KEYS.settings], all);
    },
  });
  const byKey = new Map((settings.data ?? []).map((s) => [s.key, s]));
  // An amount's error shows on its own input; the others in the banner.
  const saveError = save.isError ? toUiError(save.error) : null;
  const inline = saveError !== null && byKey.get(save.variables?.key ?? "")?.kind === "amount";
  return (
    <>
      {saveError !== null && !inline && <ErrorBanner error={saveError} testId="engine-setting-error" />}
      {settings.isError && <ErrorBanner error={toUiError(settings.error)} />}
      {GROUPS.map((g) => (
        <Card key={g.id} title={t(`settings.groups.${g.id}`)}>
          {g.keys.map((key) => {
            const s = byKey.get(key);
            if (s === undefined) return null;
            return (
              <Row key={key} label={t(`settings.keys.${labelKey(key)}` as "settings.keys.jobs_balance_interval_secs")}
                {...(s.kind === "amount" ? { hint: t("settings.amountHint") } : {})}>
                <SettingInput s={s} busy={save.isPending && save.variables.key === key}
                  error={inline && save.variables?.key === key ? saveError : null}
                  onSave={(value) => { save.mutate({ key, value }); }} />
              </Row>
            );
          })}
          {g.id === "alerts" && <Thresholds Row={Row} />}
        </Card>
      ))}
      <Card title={t("settings.security")}>
        <KeyStoreRow Row={Row} />
      </Card>
    </>
  );
}

type CardType = (props: { title: string; children: React.ReactNode }) => React.ReactNode;
type RowType = (props: { label: string; hint?: string; children: React.ReactNode }) => React.ReactNode;

function SettingInput({ s, busy, error, onSave }: { s: EngineSettingView; busy: boolean; error: UiError | null; onSave: (value: string) => void }) {
  const { t } = useTranslation();
  const [draft, setDraft] = useState<string | null>(null);
  const testId = `setting-${labelKey(s.key)}`;
  if (s.kind === "switch") {
    return (
      <input type="checkbox" role="switch" data-testid={testId} className="size-4 accent-accent" checked={s.value === "true"}
        aria-label={s.key} onChange={(e) => { onSave(e.target.checked ? "true" : "false"); }} />
    );
  }
  if (s.key.endsWith("_secs")) return <DurationInput s={s} busy={busy} onSave={onSave} />;
  if (s.kind === "amount") return <AmountInput key={s.value} s={s} busy={busy} error={error} onSave={onSave} />;
  const value = draft ?? s.value;
  const dirty = draft !== null && draft !== s.value;
  return (
    <form className="flex items-center gap-2" onSubmit={(e) => { e.preventDefault(); onSave(value); setDraft(null); }}>
      <input inputMode="numeric" dir="ltr" data-testid={testId} className={`${INPUT_BASE} w-28 text-end`} value={value}
        aria-label={s.key} onChange={(e) => { setDraft(e.target.value); }} />
      <span className="w-16 text-xs text-muted">{t(`settings.units.${unitOf(s.key)}`)}</span>
      <Button type="submit" disabled={!dirty} busy={busy} data-testid={`${testId}-save`}>
        {t("settings.save")}
      </Button>
    </form>
  );
}

/** A decimal amount in each account's currency (the reconciliation tolerance); its error below it. */
function AmountInput({ s, busy, error, onSave }: { s: EngineSettingView; busy: boolean; error: UiError | null; onSave: (value: string) => void }) {
  const { t, i18n } = useTranslation();
  const [draft, setDraft] = useState<string | null>(null);
  const testId = `setting-${labelKey(s.key)}`;
  const value = draft ?? s.value;
  const dirty = draft !== null && draft !== s.value;
  return (
    <form className="flex flex-col items-end gap-1" onSubmit={(e) => { e.preventDefault(); onSave(value); }}>
      <div className="flex items-center gap-2">
        <input inputMode="decimal" dir="ltr" data-testid={testId} className={`${INPUT_BASE} w-28 text-end`} value={value}
          aria-label={s.key} aria-invalid={error !== null} aria-describedby={error !== null ? `${testId}-error` : undefined}
          onChange={(e) => { setDraft(e.target.value); }} />
        <Button type="submit" disabled={!dirty && error === null} busy={busy} data-testid={`${testId}-save`}>
          {t("settings.save")}
        </Button>
      </div>
      {error !== null && (
        <p id={`${testId}-error`} role="alert" data-testid={`error-${testId}`} className="text-xs text-danger">{errorText(i18n, error)}</p>
      )}
    </form>
  );
}

function unitOf(key: string): "days" | "calls" {
  return key.endsWith("_days") ? "days" : "calls";
}

/** The units a duration in seconds can be entered in, largest first. */
export const DURATION_UNITS = [
  { unit: "days", seconds: 86_400 },
  { unit: "hours", seconds: 3_600 },
  { unit: "minutes", seconds: 60 },
  { unit: "seconds", seconds: 1 },
] as const;
type DurationUnit = (typeof DURATION_UNITS)[number]["unit"];

/** The largest unit that shows `seconds` as a whole number: 300 → 5 minutes, 90 → 90 seconds. */
export function durationParts(seconds: string): { amount: string; unit: DurationUnit } {
  const n = Number(seconds);
  if (!/^\d+$/.test(seconds) || n === 0) return { amount: seconds, unit: "seconds" };
  const best = DURATION_UNITS.find((u) => n % u.seconds === 0) ?? DURATION_UNITS[3];
  return { amount: String(n / best.seconds), unit: best.unit };
}

/**
 * An amount in `unit` as the engine's seconds. A whole number is converted; anything else is
 * passed through unchanged so the engine rejects it with its own specific message.
 */
export function toSeconds(amount: string, unit: DurationUnit): string {
  const text = amount.trim();
  if (!/^\d+$/.test(text)) return text;
  const factor = DURATION_UNITS.find((u) => u.unit === unit)?.seconds ?? 1;
  return String(Number(text) * factor);
}

/** A job interval or "stuck after" time: a whole number and a unit (seconds … days). */
function DurationInput({ s, busy, onSave }: { s: EngineSettingView; busy: boolean; onSave: (value: string) => void }) {
  const { t } = useTranslation();
  const saved = durationParts(s.value);
  const [draft, setDraft] = useState<{ amount: string; unit: DurationUnit } | null>(null);
  const value = draft ?? saved;
  const testId = `setting-${labelKey(s.key)}`;
  const seconds = toSeconds(value.amount, value.unit);
  const dirty = draft !== null && seconds !== s.value;
  return (
    <form className="flex items-center gap-2" onSubmit={(e) => { e.preventDefault(); onSave(seconds); setDraft(null); }}>
      <input inputMode="numeric" dir="ltr" data-testid={testId} className={`${INPUT_BASE} w-20 text-end`} value={value.amount}
        aria-label={s.key} onChange={(e) => { setDraft({ ...value, amount: e.target.value }); }} />
      <select data-testid={`${testId}-unit`} className={`${INPUT_BASE} w-24`} value={value.unit} aria-label={t("settings.unit")}
        onChange={(e) => { setDraft({ ...value, unit: e.target.value as DurationUnit }); }}>
        {DURATION_UNITS.map((u) => (
          <option key={u.unit} value={u.unit}>{t(`settings.units.${u.unit}`)}</option>
        ))}
      </select>
      <Button type="submit" disabled={!dirty} busy={busy} data-testid={`${testId}-save`}>
        {t("settings.save")}
      </Button>
    </form>
  );
}

function Thresholds({ Row }: { Row: RowType }) {
  const { t } = useTranslation();
  const balances = useQuery({ queryKey: [...KEYS.balances], queryFn: () => commands.providerBalances() });
  return (
    <>
      {(balances.data ?? []).map((b) => (
        <Row key={b.provider} label={t("settings.threshold", { provider: b.displayName })} hint={t("settings.thresholdHint")}>
          <ThresholdInput b={b} />
        </Row>
      ))}
    </>
  );
}

function ThresholdInput({ b }: { b: ProviderBalanceView }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const [draft, setDraft] = useState<string | null>(null);
  const save = useMutation({
    mutationFn: (v: string) => commands.setLowBalanceThreshold(b.provider, v.trim() === "" ? null : v.trim()),
    onSuccess: () => {
      setDraft(null);
      void client.invalidateQueries({ queryKey: KEYS.balances });
    },
  });
  const value = draft ?? b.threshold ?? "";
  return (
    <form className="flex flex-col items-end gap-1" onSubmit={(e) => { e.preventDefault(); save.mutate(value); }}>
      <div className="flex items-center gap-2">
        <input inputMode="decimal" dir="ltr" data-testid={`threshold-${b.provider}`} className={`${INPUT_BASE} w-28 text-end`} value={value}
          aria-label={t("settings.threshold", { provider: b.displayName })} placeholder="—" onChange={(e) => { setDraft(e.target.value); }} />
        <span className="w-16 text-xs text-muted" dir="ltr">{b.currency ?? ""}</span>
        <Button type="submit" disabled={draft === null} busy={save.isPending} data-testid={`threshold-${b.provider}-save`}>
          {t("settings.save")}
        </Button>
      </div>
      {save.isError && <ErrorBanner error={toUiError(save.error)} />}
    </form>
  );
}

function KeyStoreRow({ Row }: { Row: RowType }) {
  const { t } = useTranslation();
  const ks = useQuery({ queryKey: ["key_store"], queryFn: () => commands.keyStore() });
  return (
    <>
      <Row label={t("settings.masterKey")} hint={t("settings.masterKeyHint")}>
        <span className="max-w-md text-end text-sm text-fg" data-testid="key-store" data-kind={ks.data?.kind ?? ""}>
          {ks.data === undefined ? "…" : ks.data.kind === "keychain" ? t("settings.keychain") : (
            <>
              {t("settings.keyFile")}{" "}
              <span dir="ltr" className="font-mono text-[13px] break-all">{ks.data.path}</span>
            </>
          )}
        </span>
      </Row>
      {ks.data?.kind === "key_file" && <KeyFileNote inDataFolder={ks.data.inDataFolder} />}
    </>
  );
}

/** Without a keychain the master key is a file: what that means for backups (said here only). */
function KeyFileNote({ inDataFolder }: { inDataFolder: boolean }) {
  const { t } = useTranslation();
  return (
    <div className="px-5 py-4">
      <div role="note" className="flex flex-col gap-1.5 rounded-md border border-warning/40 bg-warning/10 p-3 text-sm text-fg"
        data-testid="key-file-note" data-in-data-folder={inDataFolder}>
        <strong className="font-semibold">{t("settings.keyFileNoteTitle")}</strong>
        <p>{t("settings.keyFileNote")}</p>
        <p>{inDataFolder ? t("settings.keyFileInDataFolder") : t("settings.keyFileApart")}</p>
      </div>
    </div>
  );
}
