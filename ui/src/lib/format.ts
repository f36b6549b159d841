// Numbers and dates go through Intl in the interface language (never hand-formatted).
import type { Language } from "../ipc/bindings";
import { localeOf } from "../i18n";

/** A long date such as "Tuesday, November 24, 2026" or its Arabic form. */
export function formatLongDate(date: Date, language: Language): string {
  return new Intl.DateTimeFormat(localeOf(language), { dateStyle: "full" }).format(date);
}

/** A whole number with the language's grouping and digits. */
export function formatCount(value: number, language: Language): string {
  return new Intl.NumberFormat(localeOf(language), { maximumFractionDigits: 0 }).format(value);
}
