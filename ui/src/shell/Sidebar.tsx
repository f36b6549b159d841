// The navigation column: at the inline start (left in English, right in Arabic).
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";

import { useUnreadAlerts } from "../alerts/AlertsScreen";
import { commands } from "../ipc/bindings";
import { formatCount } from "../lib/format";
import { usePreferences } from "../preferences/PreferencesProvider";
import { BrandMark, LanguageIcon } from "./icons";
import { SCREENS } from "./screens";
import type { ScreenId } from "./screens";

export function Sidebar({
  current,
  onNavigate,
}: {
  current: ScreenId;
  onNavigate: (screen: ScreenId) => void;
}) {
  const { t } = useTranslation();
  const { language } = usePreferences();
  const unread = useUnreadAlerts();
  return (
    <aside
      data-testid="sidebar"
      className="flex w-60 shrink-0 flex-col border-e border-line bg-panel"
    >
      <div className="flex h-14 items-center gap-2.5 border-b border-line px-4">
        <BrandMark />
        <div className="min-w-0 leading-tight">
          <div className="text-[15px] font-semibold tracking-tight text-fg">{t("app.name")}</div>
          <div className="truncate text-xs text-muted">{t("app.tagline")}</div>
        </div>
      </div>
      <nav aria-label={t("nav.label")} className="flex flex-1 flex-col gap-0.5 p-2">
        {SCREENS.map(({ id, icon: ScreenIcon }) => {
          const active = id === current;
          return (
            <button
              key={id}
              type="button"
              data-testid={`nav-${id}`}
              aria-current={active ? "page" : undefined}
              onClick={() => {
                onNavigate(id);
              }}
              className={
                "group flex h-9 w-full items-center gap-3 rounded-md px-3 text-start text-sm transition-colors " +
                "focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-accent " +
                (active
                  ? "bg-accent-soft font-medium text-accent-strong"
                  : "text-fg-soft hover:bg-hover hover:text-fg")
              }
            >
              <ScreenIcon
                className={active ? "text-accent" : "text-muted group-hover:text-fg-soft"}
              />
              <span className="truncate">{t(`nav.${id}`)}</span>
              {id === "alerts" && unread > 0 && (
                <span data-testid="nav-alerts-unread" data-count={unread} aria-label={t("alerts.unreadCount", { n: formatCount(unread, language) })}
                  className="ms-auto rounded-full bg-accent px-1.5 text-[11px] font-semibold leading-5 text-white tabular-nums dark:text-canvas">
                  {formatCount(unread, language)}
                </span>
              )}
            </button>
          );
        })}
      </nav>
      <SidebarFooter />
    </aside>
  );
}

/** The other language one click away, and the app's version. */
function SidebarFooter() {
  const { t } = useTranslation();
  const { language, setLanguage } = usePreferences();
  const info = useQuery({ queryKey: ["app_info"], queryFn: () => commands.appInfo() });
  const other = language === "ar" ? "en" : "ar";
  return (
    <div className="flex items-center justify-between gap-2 border-t border-line px-3 py-2.5">
      <button
        type="button"
        data-testid="sidebar-language"
        lang={other}
        onClick={() => {
          setLanguage(other);
        }}
        className="flex items-center gap-2 rounded-md px-2 py-1 text-xs text-fg-soft hover:bg-hover hover:text-fg focus-visible:outline-2 focus-visible:outline-accent"
      >
        <LanguageIcon width={15} height={15} className="text-muted" />
        {t(`languages.${other}`)}
      </button>
      {info.data && (
        <span className="text-xs text-muted tabular-nums" dir="ltr" data-testid="sidebar-version">
          v{info.data.version}
        </span>
      )}
    </div>
  );
}
