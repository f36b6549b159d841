// The "when" part of the schedule form: repeat (once, every N hours or days, weekdays), the
// start (now or a date and time), the end (never, a date, a count) and the missed policy.
import { useTranslation } from "react-i18next";

import { Segmented } from "../components/Segmented";
import { Field, INPUT } from "../components/ui";
import { usePreferences } from "../preferences/PreferencesProvider";
import { WEEKDAYS, weekdayName } from "./rule";
import type { EndKind, RepeatKind, RuleForm } from "./rule";

export function RuleFields({
  value,
  onChange,
  errorFor,
}: {
  value: RuleForm;
  onChange: (next: RuleForm) => void;
  errorFor: (field: string) => string | undefined;
}) {
  const { t } = useTranslation();
  const { language } = usePreferences();
  const set = <K extends keyof RuleForm>(k: K, v: RuleForm[K]) => {
    onChange({ ...value, [k]: v });
  };
  const once = value.repeat === "once";
  const weekly = value.repeat === "weekdays";
  const showStartAt = once || !value.startNow;
  const startError = errorFor("start");
  const input = (id: string, field: string) => ({
    id,
    "data-testid": id,
    className: INPUT,
    dir: "ltr" as const,
    "aria-invalid": errorFor(field) !== undefined,
    "aria-describedby": errorFor(field) !== undefined ? `${id}-error` : undefined,
  });
  return (
    <fieldset className="flex flex-col gap-4 rounded-md border border-line p-3" data-testid="schedule-rule">
      <legend className="px-1 text-xs font-medium text-muted">{t("schedules.rule")}</legend>
      <div className="flex flex-col gap-1">
        <span className="text-xs font-medium text-fg-soft">{t("schedules.repeat")}</span>
        <Segmented<RepeatKind>
          name="sf-repeat"
          label={t("schedules.repeat")}
          value={value.repeat}
          options={(["once", "hours", "days", "weekdays"] as const).map((k) => ({ value: k, label: t(`schedules.repeats.${k}`) }))}
          onChange={(v) => {
            set("repeat", v);
          }}
        />
      </div>
      {(value.repeat === "hours" || value.repeat === "days") && (
        <Field id="sf-every" label={value.repeat === "hours" ? t("schedules.everyHours") : t("schedules.everyDays")} error={errorFor("every")}>
          <input {...input("sf-every", "every")} inputMode="numeric" className={`${INPUT} max-w-32`} value={value.every} onChange={(e) => { set("every", e.target.value); }} />
        </Field>
      )}
      {weekly && (
        <div className="flex flex-col gap-1" data-field="sf-weekdays">
          <span className="text-xs font-medium text-fg-soft" id="sf-weekdays-label">{t("schedules.weekdays")}</span>
          <div role="group" aria-labelledby="sf-weekdays-label" className="flex flex-wrap gap-1.5">
            {WEEKDAYS.map((d) => {
              const on = value.days.includes(d);
              return (
                <label key={d} className={`flex h-8 cursor-pointer items-center gap-1.5 rounded-md border px-2.5 text-sm ${on ? "border-accent bg-accent-soft text-accent-strong" : "border-line-strong text-fg-soft"}`}>
                  <input
                    type="checkbox"
                    className="size-3.5 accent-accent"
                    data-testid={`sf-day-${d}`}
                    checked={on}
                    onChange={(e) => {
                      set("days", e.target.checked ? WEEKDAYS.filter((x) => x === d || value.days.includes(x)) : value.days.filter((x) => x !== d));
                    }}
                  />
                  {weekdayName(d, language)}
                </label>
              );
            })}
          </div>
          {errorFor("weekdays") !== undefined && (
            <p role="alert" data-testid="error-sf-weekdays" className="text-xs text-danger">{errorFor("weekdays")}</p>
          )}
        </div>
      )}
      {!once && (
        <div className="flex flex-col gap-1">
          <span className="text-xs font-medium text-fg-soft">{t("schedules.starts")}</span>
          <Segmented<"now" | "at">
            name="sf-start"
            label={t("schedules.starts")}
            value={value.startNow ? "now" : "at"}
            options={[{ value: "now", label: t("schedules.startNow") }, { value: "at", label: t("schedules.startAt") }]}
            onChange={(v) => {
              set("startNow", v === "now");
            }}
          />
        </div>
      )}
      <div className="grid grid-cols-2 gap-4">
        {showStartAt && (
          <Field id="sf-date" label={t("schedules.date")} error={startError}>
            <input {...input("sf-date", "start")} type="date" value={value.date} onChange={(e) => { set("date", e.target.value); }} />
          </Field>
        )}
        {(showStartAt || weekly) && (
          <Field id="sf-time" label={t("schedules.time")} error={weekly ? errorFor("time") : undefined}>
            <input {...input("sf-time", weekly ? "time" : "start")} type="time" value={value.time} onChange={(e) => { set("time", e.target.value); }} />
          </Field>
        )}
      </div>
      {!once && (
        <div className="flex flex-col gap-2">
          <span className="text-xs font-medium text-fg-soft">{t("schedules.ends")}</span>
          <Segmented<EndKind>
            name="sf-end"
            label={t("schedules.ends")}
            value={value.end}
            options={[
              { value: "never", label: t("schedules.endNever") },
              { value: "until", label: t("schedules.endUntil") },
              { value: "count", label: t("schedules.endCount") },
            ]}
            onChange={(v) => {
              set("end", v);
            }}
          />
          {value.end === "until" && (
            <Field id="sf-until" label={t("schedules.until")} error={errorFor("until")}>
              <input {...input("sf-until", "until")} type="date" className={`${INPUT} max-w-48`} value={value.until} onChange={(e) => { set("until", e.target.value); }} />
            </Field>
          )}
          {value.end === "count" && (
            <Field id="sf-count" label={t("schedules.count")} error={errorFor("count")}>
              <input {...input("sf-count", "count")} inputMode="numeric" className={`${INPUT} max-w-32`} value={value.count} onChange={(e) => { set("count", e.target.value); }} />
            </Field>
          )}
        </div>
      )}
      <div className="flex flex-col gap-1">
        <span className="text-xs font-medium text-fg-soft">{t("schedules.missed")}</span>
        <Segmented<"skip" | "latest">
          name="sf-missed"
          label={t("schedules.missed")}
          value={value.missed}
          options={[{ value: "skip", label: t("schedules.missedSkip") }, { value: "latest", label: t("schedules.missedLatest") }]}
          onChange={(v) => {
            set("missed", v);
          }}
        />
        <p className="text-xs text-muted">{t("schedules.missedHint")}</p>
      </div>
      <p className="text-xs text-muted" data-testid="sf-zone">
        {t("schedules.zone", { zone: value.zone })}
        {errorFor("zone") !== undefined && <span role="alert" className="ms-2 text-danger">{errorFor("zone")}</span>}
      </p>
    </fieldset>
  );
}
