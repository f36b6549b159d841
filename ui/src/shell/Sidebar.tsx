// The navigation column: at the inline start (left in English, right in Arabic).
import { useTranslation } from "react-i18next";

import { BrandMark } from "./icons";
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
            </button>
          );
        })}
      </nav>
    </aside>
  );
}
