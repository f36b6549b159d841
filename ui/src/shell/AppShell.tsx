// The window's frame: navigation at the inline start, a header and the current screen.
import { useState } from "react";
import { useTranslation } from "react-i18next";

import { formatLongDate } from "../lib/format";
import { usePreferences } from "../preferences/PreferencesProvider";
import { Placeholder } from "../screens/Placeholder";
import { Settings } from "../screens/Settings";
import { CalendarIcon } from "./icons";
import type { ScreenId } from "./screens";
import { Sidebar } from "./Sidebar";

export function AppShell({ today = new Date() }: { today?: Date }) {
  const { t } = useTranslation();
  const { language } = usePreferences();
  const [screen, setScreen] = useState<ScreenId>("dashboard");

  return (
    <div className="flex h-screen overflow-hidden bg-canvas text-fg">
      <Sidebar current={screen} onNavigate={setScreen} />
      <div className="flex min-w-0 flex-1 flex-col">
        <header className="flex h-14 shrink-0 items-center justify-between gap-4 border-b border-line bg-panel px-6">
          <h1 data-testid="screen-title" className="truncate text-base font-semibold text-fg">
            {t(`nav.${screen}`)}
          </h1>
          <div className="flex items-center gap-2 text-xs text-muted">
            <CalendarIcon width={15} height={15} />
            <time dateTime={today.toISOString().slice(0, 10)}>
              {formatLongDate(today, language)}
            </time>
          </div>
        </header>
        <main
          data-testid="screen"
          data-screen={screen}
          className="min-h-0 flex-1 overflow-auto px-6 py-5"
        >
          {screen === "settings" ? <Settings /> : <Placeholder screen={screen} />}
        </main>
      </div>
    </div>
  );
}
