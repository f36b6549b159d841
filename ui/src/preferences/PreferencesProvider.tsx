// The user's language, theme and digit style: applied to the document at once, saved through the
// `set_ui_settings` command so they survive a restart.
import { createContext, useCallback, useContext, useEffect, useMemo, useState } from "react";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";

import { commands } from "../ipc/bindings";
import { setDigitStyle } from "../i18n";
import type { Digits, Language, Theme, UiSettings_Serialize as UiSettings } from "../ipc/bindings";
import { toUiError } from "../ipc/errors";
import type { UiError } from "../ipc/errors";
import { applyLanguage, applyTheme, watchSystemTheme } from "./document";

interface Preferences {
  language: Language;
  theme: Theme;
  digits: Digits;
  setLanguage: (language: Language) => void;
  setTheme: (theme: Theme) => void;
  setDigits: (digits: Digits) => void;
  /** The last save failure, if the last save failed. */
  saveError: UiError | null;
}

const PreferencesContext = createContext<Preferences | null>(null);

/** Provides the preferences; `initial` is what was saved (or detected) before the first render. */
export function PreferencesProvider({
  initial,
  children,
}: {
  initial: UiSettings;
  children: ReactNode;
}) {
  const { i18n } = useTranslation();
  const [settings, setSettings] = useState<UiSettings>(initial);
  const [saveError, setSaveError] = useState<UiError | null>(null);
  // Before any child formats a number in this render (idempotent; every formatter reads it).
  setDigitStyle(settings.digits);

  useEffect(() => {
    applyLanguage(settings.language);
    if (i18n.language !== settings.language) void i18n.changeLanguage(settings.language);
  }, [settings.language, i18n]);

  useEffect(() => {
    applyTheme(settings.theme);
    if (settings.theme !== "system") return;
    return watchSystemTheme(() => {
      applyTheme("system");
    });
  }, [settings.theme]);

  const update = useCallback((next: UiSettings) => {
    setSettings(next);
    commands.setUiSettings(next).then(
      () => {
        setSaveError(null);
      },
      (error: unknown) => {
        setSaveError(toUiError(error));
      },
    );
  }, []);

  const value = useMemo<Preferences>(
    () => ({
      language: settings.language,
      theme: settings.theme,
      digits: settings.digits,
      setLanguage: (language) => {
        update({ ...settings, language });
      },
      setTheme: (theme) => {
        update({ ...settings, theme });
      },
      setDigits: (digits) => {
        update({ ...settings, digits });
      },
      saveError,
    }),
    [settings, saveError, update],
  );

  return <PreferencesContext.Provider value={value}>{children}</PreferencesContext.Provider>;
}

/** The current preferences and their setters. */
export function usePreferences(): Preferences {
  const value = useContext(PreferencesContext);
  if (value === null) throw new Error("usePreferences outside PreferencesProvider");
  return value;
}
