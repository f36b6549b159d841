// A schedule's rule as the form holds it (strings, one per input) and as the engine takes it
// (`ScheduleRule`), and the rule in the user's words. The engine checks every field; the
// form only shapes what was typed.
import type { TFunction } from "i18next";

import type { Language, MissedPolicy, Repeat, ScheduleRule_Serialize as ScheduleRule } from "../ipc/bindings";
import { localeOf } from "../i18n";

export type RepeatKind = Repeat["kind"];
export type EndKind = "never" | "until" | "count";

/** The weekdays in the engine's names, Monday first. */
export const WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;
export type WeekdayName = (typeof WEEKDAYS)[number];

/** The rule part of the schedule form. */
export interface RuleForm {
  repeat: RepeatKind;
  /** A series from now (not for Once). */
  startNow: boolean;
  /** `YYYY-MM-DD`. */
  date: string;
  /** `HH:MM`: the start's time, and the weekdays' time of day. */
  time: string;
  every: string;
  days: WeekdayName[];
  end: EndKind;
  /** `YYYY-MM-DD`. */
  until: string;
  count: string;
  missed: MissedPolicy;
  /** The IANA zone the times are in. */
  zone: string;
}

/** The user's IANA time zone. */
export function userZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
}

/** A fresh form: once, tomorrow at the next full hour, in the user's zone. */
export function emptyRule(now: Date = new Date()): RuleForm {
  const next = new Date(now.getTime() + 24 * 3600 * 1000);
  const pad = (n: number) => String(n).padStart(2, "0");
  return {
    repeat: "once",
    startNow: true,
    date: `${next.getFullYear()}-${pad(next.getMonth() + 1)}-${pad(next.getDate())}`,
    time: `${pad(now.getHours())}:00`,
    every: "1",
    days: [],
    end: "never",
    until: "",
    count: "",
    missed: "skip",
    zone: userZone(),
  };
}

/** A whole number typed in a field; anything else is 0 (the engine names the field). */
function whole(text: string): number {
  const n = Number(text.trim());
  return Number.isSafeInteger(n) && n >= 0 ? n : 0;
}

/** The rule the form describes. */
export function toRule(f: RuleForm): ScheduleRule {
  const fromNow = f.startNow && f.repeat !== "once";
  const start = fromNow ? null : `${f.date.trim()}T${f.repeat === "weekdays" ? "00:00" : f.time.trim()}`;
  let repeat: Repeat;
  switch (f.repeat) {
    case "once":
      repeat = { kind: "once" };
      break;
    case "hours":
      repeat = { kind: "hours", every: whole(f.every) };
      break;
    case "days":
      repeat = { kind: "days", every: whole(f.every) };
      break;
    case "weekdays":
      repeat = { kind: "weekdays", days: [...f.days], time: f.time.trim() };
      break;
  }
  const once = f.repeat === "once";
  return {
    zone: f.zone,
    start,
    repeat,
    until: !once && f.end === "until" ? f.until.trim() : null,
    count: !once && f.end === "count" ? whole(f.count) : null,
  };
}

/** The form for a stored rule (its start is always fixed). */
export function fromRule(rule: ScheduleRule, missed: MissedPolicy): RuleForm {
  const start = rule.start ?? "";
  const r = rule.repeat;
  return {
    repeat: r.kind,
    startNow: false,
    date: start.slice(0, 10),
    time: r.kind === "weekdays" ? r.time.slice(0, 5) : start.slice(11, 16),
    every: r.kind === "hours" || r.kind === "days" ? String(r.every) : "1",
    days: r.kind === "weekdays" ? WEEKDAYS.filter((d) => r.days.some((x) => x.slice(0, 3).toLowerCase() === d)) : [],
    end: rule.until !== null ? "until" : rule.count !== null ? "count" : "never",
    until: rule.until?.slice(0, 10) ?? "",
    count: rule.count === null ? "" : String(rule.count),
    missed,
    zone: rule.zone,
  };
}

/** A local (civil) date-time `2026-12-01T09:00[:00]` in words, not moved to any zone. */
export function formatCivil(text: string, language: Language, withTime = true): string {
  const iso = text.length <= 10 ? `${text}T00:00:00Z` : `${text.slice(0, 16)}:00Z`;
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return text;
  return new Intl.DateTimeFormat(localeOf(language), {
    timeZone: "UTC",
    dateStyle: "medium",
    ...(withTime ? { timeStyle: "short" } : {}),
  }).format(at);
}

/** A weekday's short name in the language (Monday = 0). */
export function weekdayName(day: WeekdayName, language: Language): string {
  // 2024-01-01 was a Monday.
  const at = new Date(Date.UTC(2024, 0, 1 + WEEKDAYS.indexOf(day)));
  return new Intl.DateTimeFormat(localeOf(language), { timeZone: "UTC", weekday: "short" }).format(at);
}

/** The rule in words: "Every 2 days at 09:00, from 1 Dec 2026, until 31 Dec 2026". */
export function describeRule(rule: ScheduleRule, t: TFunction, language: Language): string {
  const start = rule.start ?? "";
  const time = formatTime(start.slice(11, 16), language);
  const r = rule.repeat;
  const parts: string[] = [];
  switch (r.kind) {
    case "once":
      parts.push(t("schedules.words.once", { when: formatCivil(start, language) }));
      break;
    case "hours":
      parts.push(r.every === 1 ? t("schedules.words.hour") : t("schedules.words.hours", { every: r.every }));
      parts.push(t("schedules.words.from", { when: formatCivil(start, language) }));
      break;
    case "days":
      parts.push(r.every === 1 ? t("schedules.words.day", { time }) : t("schedules.words.days", { every: r.every, time }));
      parts.push(t("schedules.words.from", { when: formatCivil(start, language, false) }));
      break;
    case "weekdays": {
      const sep = language === "ar" ? "، " : ", ";
      const days = WEEKDAYS.filter((d) => r.days.some((x) => x.slice(0, 3).toLowerCase() === d)).map((d) => weekdayName(d, language));
      parts.push(t("schedules.words.weekdays", { days: days.join(sep), time: formatTime(r.time.slice(0, 5), language) }));
      break;
    }
  }
  if (rule.until !== null) parts.push(t("schedules.words.until", { date: formatCivil(rule.until, language, rule.until.length > 10) }));
  if (rule.count !== null) parts.push(t("schedules.words.count", { count: rule.count }));
  return parts.join(language === "ar" ? "، " : ", ");
}

/** `HH:MM` in the language's digits and clock. */
function formatTime(hhmm: string, language: Language): string {
  const at = new Date(`2024-01-01T${hhmm}:00Z`);
  if (Number.isNaN(at.getTime())) return hhmm;
  return new Intl.DateTimeFormat(localeOf(language), { timeZone: "UTC", timeStyle: "short" }).format(at);
}
