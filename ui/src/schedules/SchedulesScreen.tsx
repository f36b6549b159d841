// Schedules (issue #16): the scheduled orders with their rule in words, next run (in the
// user's time zone), last result and status; pause/resume, edit, delete (confirmed), the
// history of each one's runs with links to their orders, and a form to create one.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";

import { Badge, Button, Card, ConfirmDialog, EmptyState, ErrorBanner, Loading } from "../components/ui";
import { commands } from "../ipc/bindings";
import { toUiError } from "../ipc/errors";
import type { UiError } from "../ipc/errors";
import { KEYS } from "../ipc/useEngineEvents";
import { formatCount, formatDateTime } from "../lib/format";
import { STATUS_TONE } from "../orders/statuses";
import { usePreferences } from "../preferences/PreferencesProvider";
import { useNavigate } from "../shell/navigation";
import { describeRule } from "./rule";
import { ScheduleForm, scheduleErrorText } from "./ScheduleForm";
import type { ScheduleRunView, ScheduleView } from "./types";

const RUN_TONE = { claimed: "warning", placed: "success", skipped: "danger", missed: "neutral" } as const;

export function useSchedules() {
  return useQuery({ queryKey: KEYS.schedules, queryFn: () => commands.listSchedules() });
}

export function SchedulesScreen() {
  const { t } = useTranslation();
  const list = useSchedules();
  const [editing, setEditing] = useState<ScheduleView | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  return (
    <div className="mx-auto flex max-w-6xl flex-col gap-4">
      <p className="text-sm text-muted">{t("schedules.intro")}</p>
      {notice !== null && (
        <p role="status" data-testid="schedule-notice" className="rounded-md border border-success/30 bg-success/10 px-4 py-2 text-sm text-success">
          {notice}
        </p>
      )}
      <Card title={t("schedules.list")}>
        {list.isPending ? (
          <Loading />
        ) : list.isError ? (
          <div className="px-5 py-3">
            <ErrorBanner error={toUiError(list.error)} />
          </div>
        ) : list.data.length === 0 ? (
          <div className="p-4">
            <EmptyState testId="schedules-empty" title={t("schedules.emptyTitle")} text={t("schedules.emptyText")} />
          </div>
        ) : (
          <ScheduleTable
            schedules={list.data}
            onEdit={(s) => {
              setNotice(null);
              setEditing(s);
            }}
            onNotice={setNotice}
          />
        )}
      </Card>
      {editing ? (
        <ScheduleForm
          key={`edit-${editing.id}`}
          mode={{ kind: "edit", schedule: editing }}
          onCancel={() => {
            setEditing(null);
          }}
          onDone={(s) => {
            setEditing(null);
            setNotice(t("schedules.saved", { id: s.id }));
          }}
        />
      ) : (
        <ScheduleForm
          key="create"
          mode={{ kind: "create" }}
          onDone={(s) => {
            setNotice(t("schedules.created", { id: s.id }));
          }}
        />
      )}
    </div>
  );
}

function ScheduleTable({
  schedules,
  onEdit,
  onNotice,
}: {
  schedules: ScheduleView[];
  onEdit: (s: ScheduleView) => void;
  onNotice: (text: string) => void;
}) {
  const { t } = useTranslation();
  const [open, setOpen] = useState<number | null>(null);
  const head = "px-2 py-2 font-medium text-start";
  return (
    <div className="overflow-auto">
      <table className="w-full text-sm" data-testid="schedules-table">
        <thead className="bg-sunken text-xs text-muted">
          <tr>
            <th className={`${head} ps-5`}>{t("schedules.order")}</th>
            <th className={head}>{t("schedules.rule")}</th>
            <th className={head}>{t("schedules.next")}</th>
            <th className={head}>{t("schedules.last")}</th>
            <th className={head}>{t("schedules.status")}</th>
            <th className={`${head} pe-5`}>
              <span className="sr-only">{t("schedules.edit")}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {schedules.map((s) => (
            <ScheduleRow
              key={s.id}
              schedule={s}
              open={open === s.id}
              onToggle={() => {
                setOpen((o) => (o === s.id ? null : s.id));
              }}
              onEdit={() => {
                onEdit(s);
              }}
              onNotice={onNotice}
            />
          ))}
        </tbody>
      </table>
    </div>
  );
}

function ScheduleRow({
  schedule: s,
  open,
  onToggle,
  onEdit,
  onNotice,
}: {
  schedule: ScheduleView;
  open: boolean;
  onToggle: () => void;
  onEdit: () => void;
  onNotice: (text: string) => void;
}) {
  const { t, i18n } = useTranslation();
  const { language } = usePreferences();
  const client = useQueryClient();
  const [confirm, setConfirm] = useState(false);
  const [error, setError] = useState<UiError | null>(null);
  const done = () => {
    setError(null);
    void client.invalidateQueries({ queryKey: KEYS.schedules });
  };
  const toggle = useMutation({
    mutationFn: () => (s.active ? commands.pauseSchedule(s.id) : commands.resumeSchedule(s.id)),
    onSuccess: done,
    onError: (e) => {
      setError(toUiError(e));
    },
  });
  const remove = useMutation({
    mutationFn: () => commands.removeSchedule(s.id),
    onSuccess: () => {
      setConfirm(false);
      done();
      onNotice(t("schedules.removed", { id: s.id }));
    },
    onError: (e) => {
      setConfirm(false);
      setError(toUiError(e));
    },
  });
  const over = s.nextAt === null;
  const status = over ? "over" : s.active ? "active" : "paused";
  const tone = over ? "neutral" : s.active ? "success" : "warning";
  return (
    <>
      <tr data-testid="schedule-row" data-id={s.id} data-status={status} className="border-t border-line align-top">
        <td className="max-w-72 px-2 py-2 ps-5">
          <div className="truncate font-medium text-fg" dir="auto" title={s.serviceName ?? ""}>
            {s.serviceName ?? `#${s.serviceId}`}
          </div>
          <div className="font-mono text-xs text-muted" dir="ltr">
            {s.provider} #{s.serviceId}
            {s.order.quantity !== null && <> · ×{formatCount(s.order.quantity, "en")}</>}
          </div>
          {s.order.link !== null && (
            <div className="truncate text-xs text-fg-soft" dir="ltr" title={s.order.link} data-testid="schedule-link">
              {s.order.link}
            </div>
          )}
          {s.order.customer !== null && (
            <div className="truncate text-xs text-muted" dir="auto">{s.order.customer}</div>
          )}
        </td>
        <td className="px-2 py-2" data-testid="schedule-rule" title={s.rule.zone}>
          <span dir="auto">{describeRule(s.rule, t, language)}</span>
          <div className="text-xs text-muted">{t("schedules.counts", { placed: formatCount(s.placed, language), skipped: formatCount(s.skipped, language), missed: formatCount(s.missedCount, language) })}</div>
        </td>
        <td className="px-2 py-2 whitespace-nowrap" data-testid="schedule-next">
          {s.nextAt === null ? "—" : <time dateTime={s.nextAt}>{formatDateTime(s.nextAt, language)}</time>}
        </td>
        <td className="px-2 py-2" data-testid="schedule-last">
          {s.lastRun === null ? "—" : <RunResult run={s.lastRun} />}
        </td>
        <td className="px-2 py-2">
          <Badge tone={tone} testId="schedule-status">{t(`schedules.${status}`)}</Badge>
        </td>
        <td className="px-2 py-2 pe-5">
          <div className="flex flex-wrap justify-end gap-1">
            {!over && (
              <Button variant="ghost" busy={toggle.isPending} data-testid={s.active ? "schedule-pause" : "schedule-resume"} onClick={() => { toggle.mutate(); }}>
                {s.active ? t("schedules.pause") : t("schedules.resume")}
              </Button>
            )}
            <Button variant="ghost" data-testid="schedule-edit" onClick={onEdit}>{t("schedules.edit")}</Button>
            <Button variant="ghost" data-testid="schedule-history" aria-expanded={open} onClick={onToggle}>
              {open ? t("schedules.hideHistory") : t("schedules.history")}
            </Button>
            <Button variant="dangerGhost" data-testid="schedule-remove" onClick={() => { setConfirm(true); }}>{t("schedules.remove")}</Button>
          </div>
          {error && <p role="alert" className="mt-1 text-end text-xs text-danger" data-testid="schedule-row-error">{scheduleErrorText(i18n, error)}</p>}
          {confirm && (
            <ConfirmDialog
              title={t("schedules.removeTitle")}
              text={t("schedules.removeText", { id: s.id })}
              confirmLabel={t("schedules.removeButton")}
              busy={remove.isPending}
              onConfirm={() => { remove.mutate(); }}
              onCancel={() => { setConfirm(false); }}
            />
          )}
        </td>
      </tr>
      {open && (
        <tr className="border-t border-line bg-sunken/50">
          <td colSpan={6} className="px-5 py-3">
            <History id={s.id} />
          </td>
        </tr>
      )}
    </>
  );
}

/** What became of a run: its state, and its order (a link to the order's detail). */
function RunResult({ run }: { run: ScheduleRunView }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const reason = run.reason === "schedule.missed" ? t("schedules.reasons.missed") : run.reason === "schedule.paused" ? t("schedules.reasons.paused") : (run.message ?? undefined);
  return (
    <div className="flex flex-wrap items-center gap-1.5">
      <Badge tone={RUN_TONE[run.state]} title={reason} testId="run-state">{t(`schedules.runState.${run.state}`)}</Badge>
      {run.orderId !== null && (
        <button
          type="button"
          data-testid="run-order"
          data-order={run.orderId}
          className="rounded text-xs font-medium text-accent hover:underline focus-visible:outline-2 focus-visible:outline-accent"
          onClick={() => {
            navigate({ screen: "orders", orderId: run.orderId ?? undefined });
          }}
        >
          {t("schedules.orderLink", { id: run.orderId })}
        </button>
      )}
      {run.orderStatus !== null && <Badge tone={STATUS_TONE[run.orderStatus]}>{t(`orderStatus.${run.orderStatus}`)}</Badge>}
    </div>
  );
}

function History({ id }: { id: number }) {
  const { t } = useTranslation();
  const { language } = usePreferences();
  const runs = useQuery({ queryKey: [...KEYS.schedules, "runs", id], queryFn: () => commands.scheduleRuns(id, 100) });
  if (runs.isPending) return <Loading />;
  if (runs.isError) return <ErrorBanner error={toUiError(runs.error)} />;
  if (runs.data.length === 0) return <p className="text-sm text-muted" data-testid="history-empty">{t("schedules.historyEmpty")}</p>;
  return (
    <table className="w-full text-sm" data-testid="schedule-runs">
      <thead className="text-xs text-muted">
        <tr>
          <th className="py-1 text-start font-medium">{t("schedules.occurrence")}</th>
          <th className="py-1 text-start font-medium">{t("schedules.result")}</th>
        </tr>
      </thead>
      <tbody>
        {runs.data.map((r) => (
          <tr key={r.id} data-testid="run-row" data-state={r.state} className="border-t border-line">
            <td className="py-1.5 pe-4 whitespace-nowrap">
              <time dateTime={r.occurrenceAt}>{formatDateTime(r.occurrenceAt, language)}</time>
            </td>
            <td className="py-1.5">
              <RunResult run={r} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
