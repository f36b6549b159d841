// i18next set-up: English and Arabic, typed keys (see i18next.d.ts), `<html lang dir>` handled
// by the preferences provider.
import i18n from "i18next";
import { initReactI18next } from "react-i18next";

import type { Digits, Language } from "../ipc/bindings";
import ar from "./ar.json";
import en from "./en.json";

/** The translation resources; `ar` must have exactly the keys of `en` (checked by a test). */
export const resources = {
  en: { translation: en },
  ar: { translation: ar satisfies typeof en },
} as const;

/** Every language the UI ships, in the order the language switch shows them. */
export const LANGUAGES: readonly Language[] = ["en", "ar"];

/** The writing direction of a language. */
export function directionOf(language: Language): "ltr" | "rtl" {
  return language === "ar" ? "rtl" : "ltr";
}

/**
 * The BCP 47 locale for `Intl` formatting in a language, with the chosen digit style. The
 * default is Latin digits in Arabic too (`-u-nu-latn`): order ids, quantities and prices then
 * read the same as on the providers' panels, and engines disagree on the default digits for
 * plain `ar`. The numbering system is always explicit.
 */
export function localeOf(language: Language): string {
  if (language === "ar") return digitStyle === "arabic" ? "ar-u-nu-arab" : "ar-u-nu-latn";
  return digitStyle === "arabic" ? "en-US-u-nu-arab" : "en-US";
}

let digitStyle: Digits = "latin";

/**
 * Chooses the digits every number, amount and date is written with from now on (the Settings
 * "digits" preference): Latin 0–9 by default, or Arabic-Indic ٠–٩, in either language.
 */
export function setDigitStyle(digits: Digits): void {
  digitStyle = digits;
}

/** The language to start in when the user has not chosen one: Arabic on an Arabic system. */
export function detectLanguage(preferred: readonly string[]): Language {
  return preferred.some((tag) => tag.toLowerCase().startsWith("ar")) ? "ar" : "en";
}

/** Initialises i18next in `language`; resolves when translations are ready. */
export async function initI18n(language: Language): Promise<typeof i18n> {
  await i18n.use(initReactI18next).init({
    resources,
    lng: language,
    fallbackLng: "en",
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  return i18n;
}

export default i18n;
