// Numbers, money and dates go through Intl in the interface language (never hand-formatted).
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

/**
 * An amount of money. Money crosses the IPC boundary as a decimal string (never a float), and
 * Intl formats the string exactly: "0.000125" per unit stays 0.000125.
 */
export function formatMoney(amount: `${number}`, currency: string, language: Language): string {
  return new Intl.NumberFormat(localeOf(language), {
    style: "currency",
    currency,
    minimumFractionDigits: 2,
    maximumFractionDigits: 6,
  }).format(amount);
}
