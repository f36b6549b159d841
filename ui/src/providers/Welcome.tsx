// First start: no provider yet. Add one, or try the built-in demo panel.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";

import { Button, ErrorBanner, Spinner } from "../components/ui";
import { commands } from "../ipc/bindings";
import { toUiError } from "../ipc/errors";
import { refreshAfterProviderChange } from "./queries";

/** "Try the demo panel": starts the simulator, adds the demo provider, syncs its catalog. */
export function useStartDemo() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => commands.startDemo(),
    onSuccess: async () => {
      await refreshAfterProviderChange(client);
    },
  });
}

export function Welcome({ onAdd }: { onAdd: () => void }) {
  const { t } = useTranslation();
  const demo = useStartDemo();
  return (
    <section data-testid="welcome" className="mx-auto flex max-w-3xl flex-col gap-5 py-6">
      <div className="text-center">
        <h2 className="text-lg font-semibold text-fg">{t("welcome.title")}</h2>
        <p className="mt-1 text-sm text-muted">{t("welcome.text")}</p>
      </div>
      <div className="grid grid-cols-1 gap-4 md:grid-cols-2">
        <div className="flex flex-col gap-3 rounded-lg border border-line bg-panel p-5">
          <h3 className="text-sm font-semibold text-fg">{t("welcome.addTitle")}</h3>
          <p className="flex-1 text-sm text-muted">{t("welcome.addText")}</p>
          <Button variant="primary" onClick={onAdd} data-testid="welcome-add">
            {t("welcome.add")}
          </Button>
        </div>
        <div className="flex flex-col gap-3 rounded-lg border border-line bg-panel p-5">
          <h3 className="text-sm font-semibold text-fg">{t("welcome.demoTitle")}</h3>
          <p className="flex-1 text-sm text-muted">{t("welcome.demoText")}</p>
          <Button
            onClick={() => {
              demo.mutate();
            }}
            busy={demo.isPending}
            data-testid="welcome-demo"
          >
            {t("welcome.demo")}
          </Button>
          {demo.isPending && (
            <p className="flex items-center gap-2 text-xs text-muted" role="status">
              <Spinner />
              {t("welcome.demoStarting")}
            </p>
          )}
        </div>
      </div>
      {demo.isError && <ErrorBanner error={toUiError(demo.error)} />}
    </section>
  );
}
