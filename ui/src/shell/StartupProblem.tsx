// When the engine could not open (the data folder chosen in Settings is missing, the master key
// does not match the database, a newer database…): one full-window notice, translated, with the
// way out there is — instead of an app whose every screen fails.
import { useMutation } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";

import { Button, ErrorBanner } from "../components/ui";
import { commands } from "../ipc/bindings";
import type { StartupProblemView } from "../ipc/bindings";
import { errorText, toUiError } from "../ipc/errors";

export function StartupProblemScreen({ problem }: { problem: StartupProblemView }) {
  const { t, i18n } = useTranslation();
  const useDefault = useMutation({ mutationFn: () => commands.useDefaultDataFolder() });
  const retry = useMutation({ mutationFn: () => commands.restartApp() });
  return (
    <main className="flex min-h-screen items-center justify-center bg-canvas p-6" data-testid="startup-problem" data-code={problem.error.code}>
      <section className="flex w-full max-w-xl flex-col gap-4 rounded-lg border border-line bg-panel p-6 shadow-sm">
        <h1 className="text-lg font-semibold text-fg">{t("startup.title")}</h1>
        <p className="text-sm text-fg" role="alert" data-testid="startup-problem-text">{errorText(i18n, toUiError(problem.error))}</p>
        <dl className="grid grid-cols-[max-content_1fr] gap-x-6 gap-y-1.5 text-xs">
          {problem.chosenFolder !== null ? (
            <>
              <dt className="text-muted">{t("startup.chosenFolder")}</dt>
              <dd className="min-w-0 break-all font-mono text-fg" dir="ltr" data-testid="startup-chosen-folder">{problem.chosenFolder}</dd>
              <dt className="text-muted">{t("startup.defaultFolder")}</dt>
            </>
          ) : (
            <dt className="text-muted">{t("settings.dataDir")}</dt>
          )}
          <dd className="min-w-0 break-all font-mono text-fg-soft" dir="ltr">{problem.dataDir}</dd>
          {problem.folderChoice && problem.pointerFile !== null && (
            <>
              <dt className="text-muted">{t("startup.pointerFile")}</dt>
              <dd className="min-w-0 break-all font-mono text-fg-soft" dir="ltr">{problem.pointerFile}</dd>
            </>
          )}
        </dl>
        <details className="text-xs text-muted">
          <summary className="cursor-pointer">{t("orders.technicalDetails")}</summary>
          <p className="mt-1 break-words font-mono" dir="ltr">{problem.error.message}</p>
        </details>
        {problem.folderChoice && <Hint>{t("startup.defaultHint")}</Hint>}
        <div className="flex flex-wrap gap-2">
          {problem.folderChoice && (
            <Button variant="primary" busy={useDefault.isPending} onClick={() => { useDefault.mutate(); }} data-testid="startup-use-default">
              {t("startup.useDefault")}
            </Button>
          )}
          <Button busy={retry.isPending} onClick={() => { retry.mutate(); }} data-testid="startup-retry">
            {t("startup.retry")}
          </Button>
        </div>
        {useDefault.isError && <ErrorBanner error={toUiError(useDefault.error)} />}
        {retry.isError && <ErrorBanner error={toUiError(retry.error)} />}
      </section>
    </main>
  );
}

function Hint({ children }: { children: ReactNode }) {
  return <p className="text-xs text-muted">{children}</p>;
}

/** Asks the app why the engine could not open (`null`: it opened); a failed ask counts as none. */
export async function loadStartupProblem(): Promise<StartupProblemView | null> {
  try {
    return await commands.startupProblem();
  } catch (error) {
    console.error("cannot ask for the startup problem", error);
    return null;
  }
}
