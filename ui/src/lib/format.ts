// Numbers, money and dates go through Intl in the interface language (never hand-formatted).
import type { Language } from "../ipc/bindings";
import { localeOf } from "../i18n";

/** A long date such as "Tuesday, November 24, 2026" or its Arabic form. */
export function formatLongDate(date: Date, language: Language): string {
  return new Intl.DateTimeFormat(localeOf(language), { dateStyle: "full" }).format(date);
}

// Building an Intl formatter costs far more than using one, and a catalog page formats
// hundreds of numbers: formatters are made once per locale (language and digits) and options.
const numberFormats = new Map<string, Intl.NumberFormat>();

function numberFormat(language: Language, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const locale = localeOf(language);
  const key = `${locale}|${JSON.stringify(options)}`;
  let format = numberFormats.get(key);
  if (format === undefined) {
    format = new Intl.NumberFormat(locale, options);
    numberFormats.set(key, format);
  }
  return format;
}

/** A whole number with the language's grouping and digits. */
export function formatCount(value: number, language: Language): string {
  return numberFormat(language, { maximumFractionDigits: 0 }).format(value);
}

/**
 * An amount of money. Money crosses the IPC boundary as a decimal string (never a float), and
 * Intl formats the string exactly: "0.000125" per unit stays 0.000125.
 */
export function formatMoney(amount: `${number}`, currency: string, language: Language): string {
  return numberFormat(language, {
    style: "currency",
    currency,
    minimumFractionDigits: 2,
    maximumFractionDigits: 6,
  }).format(amount);
}

/** A date and time such as "Nov 24, 2026, 1:05 PM" from an RFC 3339 string. */
export function formatDateTime(iso: string, language: Language): string {
  return new Intl.DateTimeFormat(localeOf(language), {
    dateStyle: "medium",
    timeStyle: "short",
  }).format(new Date(iso));
}

const relativeFormats = new Map<string, Intl.RelativeTimeFormat>();

/** How long ago, such as "5 minutes ago", from an RFC 3339 string. */
export function formatAgo(iso: string, language: Language, now: Date = new Date()): string {
  const seconds = Math.round((new Date(iso).getTime() - now.getTime()) / 1000);
  const locale = localeOf(language);
  let rtf = relativeFormats.get(locale);
  if (rtf === undefined) {
    rtf = new Intl.RelativeTimeFormat(locale, { numeric: "auto" });
    relativeFormats.set(locale, rtf);
  }
  const abs = Math.abs(seconds);
  if (abs < 60) return rtf.format(seconds, "second");
  if (abs < 3600) return rtf.format(Math.round(seconds / 60), "minute");
  if (abs < 86_400) return rtf.format(Math.round(seconds / 3600), "hour");
  return rtf.format(Math.round(seconds / 86_400), "day");
}

/** How long something took: "850 ms" below a second, else seconds with one decimal ("1.2 s"). */
export function formatDuration(ms: number, language: Language): string {
  if (ms < 1000) return numberFormat(language, { style: "unit", unit: "millisecond", unitDisplay: "short", maximumFractionDigits: 0 }).format(ms);
  return numberFormat(language, { style: "unit", unit: "second", unitDisplay: "short", maximumFractionDigits: 1 }).format(ms / 1000);
}

/** Money from an IPC decimal string; without a currency, the plain number. */
export function formatAmount(amount: string, currency: string | null | undefined, language: Language): string {
  if (currency && /^[A-Z]{3}$/.test(currency)) {
    return formatMoney(amount as `${number}`, currency, language);
  }
  return numberFormat(language, { minimumFractionDigits: 2, maximumFractionDigits: 6 }).format(
    amount as `${number}`,
  );
}

/** A percentage given in percent as a decimal string ("12.5" → "12.5%", Arabic digits in ar). */
export function formatPercentText(percent: string, language: Language): string {
  return numberFormat(language, { style: "percent", maximumFractionDigits: 2 }).format(Number(percent) / 100);
}
