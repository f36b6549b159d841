// Settings: language and theme (saved across restarts), the engine's settings, backup, and
// where the app keeps its files.
import { useQuery } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";

import { Segmented } from "../components/Segmented";
import { LANGUAGES } from "../i18n";
import { commands } from "../ipc/bindings";
import type { AppInfo, Digits, Theme } from "../ipc/bindings";
import { errorText, toUiError } from "../ipc/errors";
import { usePreferences } from "../preferences/PreferencesProvider";
import { DataSettings } from "./DataSettings";
import { EngineSettingsCards } from "./EngineSettings";
import { JobsHealth } from "./JobsHealth";
import { LocalApiSettings } from "./LocalApiSettings";
import { PriceListSettings } from "./PriceListSettings";
import { WebhookSettings } from "./WebhookSettings";

const THEMES: readonly Theme[] = ["light", "dark", "system"];
/** Each digit style, shown as itself. */
const DIGITS: readonly { value: Digits; sample: string }[] = [
  { value: "latin", sample: "123" },
  { value: "arabic", sample: "١٢٣" },
];

function Card({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section className="rounded-lg border border-line bg-panel shadow-xs">
      <h2 className="border-b border-line px-5 py-3 text-sm font-semibold text-fg">{title}</h2>
      <div className="divide-y divide-line">{children}</div>
    </section>
  );
}

function Row({ label, hint, children }: { label: string; hint?: string; children: ReactNode }) {
  return (
    <div className="flex flex-wrap items-center justify-between gap-x-8 gap-y-3 px-5 py-4">
      <div className="min-w-0">
        <div className="text-sm font-medium text-fg">{label}</div>
        {hint !== undefined && <div className="mt-0.5 text-xs text-muted">{hint}</div>}
      </div>
      {children}
    </div>
  );
}

const INFO_FIELDS = [
  ["version", "version"],
  ["dataDir", "dataDir"],
  ["logDir", "logDir"],
  ["databaseFile", "databaseFile"],
] as const satisfies readonly (readonly [keyof AppInfo, string])[];

function AboutInstallation() {
  const { t, i18n } = useTranslation();
  const info = useQuery({ queryKey: ["app_info"], queryFn: () => commands.appInfo() });

  if (info.isError) {
    return (
      <p role="alert" data-testid="app-info-error" className="px-5 py-4 text-sm text-danger">
        {errorText(i18n, toUiError(info.error))}
      </p>
    );
  }
  return (
    <dl data-testid="app-info" className="grid grid-cols-[max-content_1fr] gap-x-8 gap-y-2.5 px-5 py-4 text-sm">
      {INFO_FIELDS.map(([field, label]) => (
        <div key={field} className="contents">
          <dt className="text-muted">{t(`settings.${label}`)}</dt>
          <dd className="min-w-0 break-all font-mono text-[13px] text-fg" data-testid={`app-info-${field}`}>
            {info.data ? <span dir="ltr">{info.data[field]}</span> : <span className="text-muted">{t("settings.loading")}</span>}
          </dd>
        </div>
      ))}
    </dl>
  );
}

export function Settings() {
  const { t, i18n } = useTranslation();
  const { language, theme, digits, setLanguage, setTheme, setDigits, saveError } = usePreferences();
  return (
    <div className="mx-auto flex max-w-3xl flex-col gap-5">
      <p className="text-sm text-muted">{t("screens.settings")}</p>
      {saveError && (
        <p role="alert" className="rounded-md border border-danger/30 bg-danger/10 px-4 py-2.5 text-sm text-danger">
          {t("settings.saveFailed", { reason: errorText(i18n, saveError) })}
        </p>
      )}
      <Card title={t("settings.appearance")}>
        <Row label={t("settings.language")} hint={t("settings.languageHint")}>
          <Segmented
            name="language"
            label={t("settings.language")}
            value={language}
            options={LANGUAGES.map((l) => ({ value: l, label: t(`languages.${l}`), lang: l }))}
            onChange={setLanguage}
          />
        </Row>
        <Row label={t("settings.theme")} hint={t("settings.themeHint")}>
          <Segmented
            name="theme"
            label={t("settings.theme")}
            value={theme}
            options={THEMES.map((th) => ({ value: th, label: t(`settings.themes.${th}`) }))}
            onChange={setTheme}
          />
        </Row>
        <Row label={t("settings.digits")} hint={t("settings.digitsHint")}>
          <Segmented
            name="digits"
            label={t("settings.digits")}
            value={digits}
            options={DIGITS.map((d) => ({ value: d.value, label: `${d.sample} · ${t(`settings.digitStyles.${d.value}`)}` }))}
            onChange={setDigits}
          />
        </Row>
      </Card>
      <PriceListSettings Card={Card} />
      <EngineSettingsCards Card={Card} Row={Row} />
      <DataSettings Card={Card} Row={Row} />
      <LocalApiSettings Card={Card} Row={Row} />
      <WebhookSettings Card={Card} />
      <Card title={t("jobs.title")}>
        <JobsHealth />
      </Card>
      <Card title={t("settings.about")}>
        <AboutInstallation />
      </Card>
    </div>
  );
}
