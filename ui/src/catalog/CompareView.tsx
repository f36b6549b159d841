// The same offer across providers, cheapest first and marked.
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";

import { Select } from "../components/Select";
import { Badge, Button, EmptyState, ErrorBanner, INPUT_BASE, Loading } from "../components/ui";
import { commands } from "../ipc/bindings";
import { toUiError } from "../ipc/errors";
import { formatAmount, formatCount } from "../lib/format";
import { usePreferences } from "../preferences/PreferencesProvider";
import { useNavigate } from "../shell/navigation";
import { PLATFORMS } from "./constants";

export function CompareView() {
  const { t } = useTranslation();
  const { language } = usePreferences();
  const navigate = useNavigate();
  const [search, setSearch] = useState("");
  const [platform, setPlatform] = useState("");
  const offers = useQuery({
    queryKey: ["offers", search, platform],
    queryFn: () => commands.compareOffers(search.trim() || null, platform || null),
    placeholderData: keepPreviousData,
  });
  return (
    <section className="flex min-h-0 flex-1 flex-col gap-3" data-testid="compare-view">
      <p className="text-sm text-muted">{t("catalog.compareText")}</p>
      <div className="flex flex-wrap gap-2">
        <input
          type="search"
          aria-label={t("catalog.search")}
          placeholder={t("catalog.search")}
          data-testid="compare-search"
          className={`${INPUT_BASE} w-72`}
          value={search}
          onChange={(e) => {
            setSearch(e.target.value);
          }}
        />
        <Select label={t("catalog.platform")} testId="compare-platform" value={platform} onChange={setPlatform}
          options={PLATFORMS.map((p) => [p, t(`catalog.platforms.${p}`)])} any={t("catalog.anyPlatform")} />
      </div>
      {offers.isPending ? (
        <Loading />
      ) : offers.isError ? (
        <ErrorBanner error={toUiError(offers.error)} />
      ) : offers.data.length === 0 ? (
        <EmptyState title={t("catalog.compareEmpty")} text={t("catalog.compareEmptyText")} />
      ) : (
        <div className="min-h-0 flex-1 overflow-auto">
          <ul className="flex flex-col gap-3">
            {offers.data.map((g) => (
              <li key={g.key} className="rounded-lg border border-line bg-panel" data-testid="offer-group">
                <div className="flex items-center gap-2 border-b border-line px-4 py-2 text-xs text-muted">
                  <Badge>{t(`catalog.platforms.${g.platform as (typeof PLATFORMS)[number]}`)}</Badge>
                  <span>{g.kind}</span>
                </div>
                <table className="w-full text-sm">
                  <tbody>
                    {g.offers.map((o) => (
                      <tr key={o.serviceRef} className="border-b border-line last:border-0" data-cheapest={o.cheapest}>
                        <td className="px-4 py-2 text-xs text-fg-soft" dir="ltr">{o.provider}</td>
                        <td className="px-2 py-2">
                          <span className="font-mono text-xs text-muted" dir="ltr">#{o.serviceId}</span> <bdi>{o.name}</bdi>
                        </td>
                        <td className="px-2 py-2 text-end font-medium">
                          {formatAmount(o.rate, o.currency, language)}
                        </td>
                        <td className="px-2 py-2 text-end text-xs text-fg-soft">
                          <bdi dir="ltr" className="whitespace-nowrap">{formatCount(o.min, language)}–{formatCount(o.max, language)}</bdi>
                        </td>
                        <td className="px-2 py-2">{o.cheapest && <Badge tone="success" testId="badge-cheapest">{t("catalog.cheapest")}</Badge>}</td>
                        <td className="px-4 py-2 text-end">
                          <Button className="h-7 px-2 text-xs" onClick={() => { navigate({ screen: "newOrder", serviceRef: o.serviceRef }); }}>
                            {t("catalog.order")}
                          </Button>
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}
