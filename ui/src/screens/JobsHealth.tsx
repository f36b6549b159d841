// The health of every background job (the app's twin of `smmdesk jobs`): per provider, each
// job's state, last start and duration, last success, next run and last error, with "Run now".
// Refreshed by the engine's job events (no polling); relative times re-render every 30 s.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";

import { Badge, Button, ErrorBanner, Loading } from "../components/ui";
import { commands } from "../ipc/bindings";
import type { JobHealthView_Serialize as JobHealthView } from "../ipc/bindings";
import { toUiError } from "../ipc/errors";
import { KEYS } from "../ipc/useEngineEvents";
import { formatAgo, formatCount, formatDateTime, formatDuration } from "../lib/format";
import { usePreferences } from "../preferences/PreferencesProvider";

type JobName = "order_status" | "catalog_sync" | "balance" | "cleanup";
type StateName = "ok" | "failing" | "offline" | "running" | "waiting";

function jobName(job: string): JobName {
  return job === "catalog_sync" || job === "balance" || job === "cleanup" ? job : "order_status";
}

function stateName(state: string): StateName {
  return state === "ok" || state === "failing" || state === "offline" || state === "running" ? state : "waiting";
}

const TONE = { ok: "success", failing: "warning", offline: "danger", running: "accent", waiting: "neutral" } as const;

/** A tick every 30 seconds so "2 minutes ago" and "in 3 minutes" stay true. */
function useNow(): Date {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const id = window.setInterval(() => {
      setNow(new Date());
    }, 30_000);
    return () => {
      window.clearInterval(id);
    };
  }, []);
  return now;
}

/** Groups jobs under their provider (cleanup, over everything, last). */
function groups(jobs: readonly JobHealthView[]): { key: string; title: string | null; jobs: JobHealthView[] }[] {
  const out: { key: string; title: string | null; jobs: JobHealthView[] }[] = [];
  for (const j of jobs) {
    const key = j.provider ?? "";
    let g = out.find((x) => x.key === key);
    if (g === undefined) {
      g = { key, title: j.provider === null ? null : (j.displayName ?? j.provider), jobs: [] };
      out.push(g);
    }
    g.jobs.push(j);
  }
  return out;
}

export function JobsHealth() {
  const { t } = useTranslation();
  const { language } = usePreferences();
  const client = useQueryClient();
  const tick = useNow();
  const jobs = useQuery({ queryKey: [...KEYS.jobs], queryFn: () => commands.jobHealth() });
  // "Now" is never older than the data: a run that just started reads "now", not "in 1 second".
  const now = new Date(Math.max(tick.getTime(), jobs.dataUpdatedAt));
  const run = useMutation({
    mutationFn: (j: JobHealthView) => commands.runJobNow(j.job, j.provider),
    onSettled: () => client.invalidateQueries({ queryKey: KEYS.jobs }),
  });

  if (jobs.isError) return <div className="px-5 py-4"><ErrorBanner error={toUiError(jobs.error)} /></div>;
  if (jobs.data === undefined) return <Loading />;
  if (jobs.data.length === 0) {
    return <p className="px-5 py-4 text-sm text-muted" data-testid="jobs-empty">{t("jobs.empty")}</p>;
  }
  // Past times never read as future ones (clocks differ by milliseconds between engine and UI).
  const ago = (iso: string | null) => (iso === null ? "—" : formatAgo(new Date(Math.min(Date.parse(iso), now.getTime())).toISOString(), language, now));
  return (
    <div className="overflow-x-auto">
      {run.isError && <div className="px-5 pt-3"><ErrorBanner error={toUiError(run.error)} testId="job-run-error" /></div>}
      <table className="w-full text-sm" data-testid="jobs-table">
        <thead className="text-xs text-muted">
          <tr>
            <th className="px-5 py-2 text-start font-medium">{t("jobs.job")}</th>
            <th className="px-2 py-2 text-start font-medium">{t("jobs.state")}</th>
            <th className="px-2 py-2 text-start font-medium">{t("jobs.lastRun")}</th>
            <th className="px-2 py-2 text-start font-medium">{t("jobs.lastSuccess")}</th>
            <th className="px-2 py-2 text-start font-medium">{t("jobs.nextRun")}</th>
            <th className="px-5 py-2"><span className="sr-only">{t("jobs.runNow")}</span></th>
          </tr>
        </thead>
        {groups(jobs.data).map((g) => (
          <tbody key={g.key} data-testid="jobs-group" data-provider={g.key}>
            <tr className="border-t border-line bg-sunken/50">
              <th colSpan={6} scope="colgroup" className="px-5 py-1.5 text-start text-xs font-semibold text-fg-soft">
                {g.title === null ? t("jobs.everything") : <bdi>{g.title}</bdi>}
              </th>
            </tr>
            {g.jobs.map((j) => {
              const state = stateName(j.state);
              const showError = j.lastError !== null && (j.lastSuccessAt === null || (j.lastErrorAt ?? "") > j.lastSuccessAt);
              const busy = run.isPending && run.variables.job === j.job && run.variables.provider === j.provider;
              return (
                <tr key={j.job} className="border-t border-line align-top" data-testid="job-row" data-job={j.job} data-provider={j.provider ?? ""} data-state={state}>
                  <td className="px-5 py-2">
                    <div className="font-medium text-fg">{t(`jobs.names.${jobName(j.job)}`)}</div>
                    {showError && (
                      <div className="mt-0.5 max-w-64 truncate text-xs text-danger" title={j.lastError ?? ""} data-testid="job-error">
                        {j.lastError}
                        {j.consecutiveFailures > 1 && ` · ${t("jobs.failuresInARow", { n: formatCount(j.consecutiveFailures, language) })}`}
                      </div>
                    )}
                  </td>
                  <td className="px-2 py-2"><Badge tone={TONE[state]}>{t(`dashboard.health.${state}`)}</Badge></td>
                  <td className="px-2 py-2 whitespace-nowrap text-fg-soft" title={j.lastStartedAt === null ? undefined : formatDateTime(j.lastStartedAt, language)} data-testid="job-last-run">
                    {ago(j.lastStartedAt)}
                    {j.lastDurationMs !== null && <span className="text-xs text-muted"> · {formatDuration(j.lastDurationMs, language)}</span>}
                  </td>
                  <td className="px-2 py-2 whitespace-nowrap text-fg-soft" title={j.lastSuccessAt === null ? undefined : formatDateTime(j.lastSuccessAt, language)} data-testid="job-last-success">
                    {ago(j.lastSuccessAt)}
                  </td>
                  <td className="px-2 py-2 whitespace-nowrap text-fg-soft" title={j.nextDueAt === null ? undefined : formatDateTime(j.nextDueAt, language)} data-testid="job-next">
                    {j.nextDueAt === null ? "—" : formatAgo(j.nextDueAt, language, now)}
                  </td>
                  <td className="px-5 py-1.5 text-end">
                    <Button busy={busy} disabled={state === "running"} onClick={() => { run.mutate(j); }} data-testid="job-run-now">
                      {t("jobs.runNow")}
                    </Button>
                  </td>
                </tr>
              );
            })}
          </tbody>
        ))}
      </table>
    </div>
  );
}
