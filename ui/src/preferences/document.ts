// Applies the language and theme to <html>: lang, dir (right to left for Arabic) and the
// `dark` class Tailwind's dark variant keys on.
import type { Language, Theme, UiSettings_Serialize } from "../ipc/bindings";
import { directionOf } from "../i18n";

const DARK_QUERY = "(prefers-color-scheme: dark)";

/** Whether `theme` currently means dark (System asks the OS). */
export function isDark(theme: Theme, win: Window = window): boolean {
  if (theme === "system") return win.matchMedia(DARK_QUERY).matches;
  return theme === "dark";
}

/** Sets `<html lang dir>`. */
export function applyLanguage(language: Language, doc: Document = document): void {
  doc.documentElement.lang = language;
  doc.documentElement.dir = directionOf(language);
}

/** Sets the `dark` class and the native colour scheme. */
export function applyTheme(theme: Theme, win: Window = window): void {
  const root = win.document.documentElement;
  const dark = isDark(theme, win);
  root.classList.toggle("dark", dark);
  root.style.colorScheme = dark ? "dark" : "light";
  root.dataset.theme = theme;
}

/** Applies both. */
export function applySettings(settings: Pick<UiSettings_Serialize, "language" | "theme">, win: Window = window): void {
  applyLanguage(settings.language, win.document);
  applyTheme(settings.theme, win);
}

/** Calls `onChange` when the OS switches between light and dark; returns the unsubscribe. */
export function watchSystemTheme(onChange: () => void, win: Window = window): () => void {
  const query = win.matchMedia(DARK_QUERY);
  query.addEventListener("change", onChange);
  return () => {
    query.removeEventListener("change", onChange);
  };
}
