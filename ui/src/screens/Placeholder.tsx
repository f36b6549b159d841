// A screen whose issue has not landed yet: what it will hold, and "coming soon".
import { useTranslation } from "react-i18next";

import { SCREENS } from "../shell/screens";
import type { ScreenId } from "../shell/screens";

export function Placeholder({ screen }: { screen: Exclude<ScreenId, "settings"> }) {
  const { t } = useTranslation();
  const ScreenIcon = SCREENS.find((s) => s.id === screen)?.icon;
  return (
    <section
      data-testid="placeholder"
      className="flex flex-col items-center justify-center rounded-lg border border-dashed border-line-strong bg-panel/60 px-6 py-20 text-center"
    >
      {ScreenIcon && (
        <div className="mb-4 flex size-12 items-center justify-center rounded-full bg-accent-soft text-accent">
          <ScreenIcon width={22} height={22} />
        </div>
      )}
      <h2 className="text-base font-semibold text-fg">{t("placeholder.comingSoon")}</h2>
      <p className="mt-1.5 max-w-md text-sm text-muted">{t(`screens.${screen}`)}</p>
    </section>
  );
}
