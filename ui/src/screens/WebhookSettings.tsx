// Settings › Webhooks (issue #14): the addresses that receive signed order and balance events.
// Add (the signing secret is shown once, to copy), switch off and on, send a test, see the
// latest deliveries, remove. The list is polled every 3 s while shown (delivery counts move).
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { useState } from "react";
import { useTranslation } from "react-i18next";

import { Button, ConfirmDialog, ErrorBanner, INPUT_BASE } from "../components/ui";
import { commands } from "../ipc/bindings";
import type { CreatedWebhookView, DeliveryView_Serialize as DeliveryView, WebhookView } from "../ipc/bindings";
import { toUiError } from "../ipc/errors";
import { formatDateTime, formatCount } from "../lib/format";
import { usePreferences } from "../preferences/PreferencesProvider";
import { CopyButton, Mono } from "./LocalApiSettings";

type CardType = (props: { title: string; children: ReactNode }) => ReactNode;

const LIST_KEY = ["webhooks"] as const;

/** The event types a webhook can receive, with their label keys. */
export const WEBHOOK_EVENTS = [
  { event: "order.status_changed", label: "webhooks.eventOrder" },
  { event: "balance.low", label: "webhooks.eventBalance" },
] as const;

type EventName = (typeof WEBHOOK_EVENTS)[number]["event"];

const STATE_LABEL = {
  pending: "webhooks.statePending",
  delivered: "webhooks.stateDelivered",
  failed: "webhooks.stateFailed",
} as const;

const STATE_TONE: Record<string, string> = {
  pending: "text-warning",
  delivered: "text-success",
  failed: "text-danger",
};

/** The events to send for the ticked boxes: `null` (every type, also future ones) when all are ticked. */
export function chosenEvents(ticked: ReadonlySet<EventName>): string[] | null {
  if (WEBHOOK_EVENTS.every((e) => ticked.has(e.event))) return null;
  return WEBHOOK_EVENTS.filter((e) => ticked.has(e.event)).map((e) => e.event);
}

export function WebhookSettings({ Card }: { Card: CardType }) {
  const { t } = useTranslation();
  const list = useQuery({ queryKey: [...LIST_KEY], queryFn: () => commands.listWebhooks(), refetchInterval: 3000 });
  const [created, setCreated] = useState<CreatedWebhookView | null>(null);
  const hooks = list.data ?? [];
  return (
    <Card title={t("webhooks.title")}>
      <div data-testid="webhooks">
        <p className="px-5 pt-4 text-xs text-muted">{t("webhooks.hint")}</p>
        <AddForm onAdded={setCreated} />
        {created && <SecretOnce created={created} onDone={() => { setCreated(null); }} />}
        {list.isError && (
          <div className="px-5 pb-3">
            <ErrorBanner error={toUiError(list.error)} />
          </div>
        )}
        {list.isSuccess && hooks.length === 0 && (
          <p className="border-t border-line px-5 py-4 text-sm text-muted" data-testid="webhooks-empty">{t("webhooks.none")}</p>
        )}
        {hooks.map((w) => <WebhookRow key={w.id} hook={w} />)}
      </div>
    </Card>
  );
}

function AddForm({ onAdded }: { onAdded: (c: CreatedWebhookView) => void }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const [url, setUrl] = useState("");
  const [ticked, setTicked] = useState<ReadonlySet<EventName>>(new Set(WEBHOOK_EVENTS.map((e) => e.event)));
  const add = useMutation({
    mutationFn: () => commands.addWebhook(url, chosenEvents(ticked)),
    onSuccess: (c) => {
      setUrl("");
      onAdded(c);
      void client.invalidateQueries({ queryKey: [...LIST_KEY] });
    },
  });
  const error = add.isError ? toUiError(add.error) : null;
  return (
    <form
      className="flex flex-col gap-3 px-5 py-4"
      data-testid="webhook-add"
      onSubmit={(e) => {
        e.preventDefault();
        add.mutate();
      }}
    >
      <div className="flex flex-wrap items-center gap-2">
        <input
          dir="ltr"
          data-testid="webhook-url"
          aria-label={t("webhooks.url")}
          aria-invalid={error?.field === "url"}
          placeholder="https://example.com/hooks/smm"
          className={`${INPUT_BASE} min-w-0 flex-1`}
          value={url}
          onChange={(e) => { setUrl(e.target.value); add.reset(); }}
        />
        <Button type="submit" variant="primary" busy={add.isPending} disabled={url.trim() === ""} data-testid="webhook-add-submit">
          {t("webhooks.add")}
        </Button>
      </div>
      <fieldset className="flex flex-wrap items-center gap-x-5 gap-y-2 text-sm">
        <legend className="sr-only">{t("webhooks.events")}</legend>
        <span className="text-xs text-muted">{t("webhooks.events")}</span>
        {WEBHOOK_EVENTS.map((e) => (
          <label key={e.event} className="flex items-center gap-2 text-fg">
            <input
              type="checkbox"
              className="size-4 accent-accent"
              data-testid={`webhook-event-${e.event}`}
              checked={ticked.has(e.event)}
              onChange={(ev) => {
                const next = new Set(ticked);
                if (ev.target.checked) next.add(e.event);
                else next.delete(e.event);
                setTicked(next);
                add.reset();
              }}
            />
            {t(e.label)}
          </label>
        ))}
      </fieldset>
      {error && <ErrorBanner error={error} testId="webhook-add-error" />}
    </form>
  );
}

function SecretOnce({ created, onDone }: { created: CreatedWebhookView; onDone: () => void }) {
  const { t } = useTranslation();
  return (
    <div role="status" className="mx-5 mb-4 rounded-md border border-accent/40 bg-accent/5 px-4 py-3" data-testid="webhook-secret-panel">
      <div className="text-sm font-medium text-fg">{t("webhooks.secretTitle")}</div>
      <p className="mt-0.5 text-xs text-muted">{t("webhooks.secretText")}</p>
      <div className="mt-2 flex flex-wrap items-center gap-2">
        <Mono testId="webhook-secret">{created.secret}</Mono>
        <CopyButton text={created.secret} testId="webhook-secret-copy" />
        <Button onClick={onDone} data-testid="webhook-secret-done">{t("webhooks.done")}</Button>
      </div>
    </div>
  );
}

function WebhookRow({ hook }: { hook: WebhookView }) {
  const { t } = useTranslation();
  const { language } = usePreferences();
  const client = useQueryClient();
  const [open, setOpen] = useState(false);
  const [confirm, setConfirm] = useState(false);
  const refresh = () => {
    void client.invalidateQueries({ queryKey: [...LIST_KEY] });
    void client.invalidateQueries({ queryKey: ["webhook_deliveries", hook.id] });
  };
  const toggle = useMutation({ mutationFn: (on: boolean) => commands.setWebhookActive(hook.id, on), onSuccess: refresh });
  const test = useMutation({ mutationFn: () => commands.testWebhook(hook.id), onSuccess: () => { setOpen(true); refresh(); } });
  const remove = useMutation({ mutationFn: () => commands.removeWebhook(hook.id), onSuccess: () => { setConfirm(false); refresh(); } });
  const failure = [toggle, test, remove].find((m) => m.isError)?.error;
  const n = (v: number) => formatCount(v, language);
  return (
    <div className="border-t border-line px-5 py-3" data-testid="webhook-row" data-id={hook.id} data-active={hook.active}>
      <div className="flex flex-wrap items-center justify-between gap-x-6 gap-y-2">
        <div className="min-w-0">
          <Mono testId="webhook-row-url">{hook.url}</Mono>
          <div className="mt-1 flex flex-wrap items-center gap-x-3 gap-y-1 text-xs text-muted">
            <span>{hook.events.map((e) => t(WEBHOOK_EVENTS.find((k) => k.event === e)?.label ?? "webhooks.events")).join(" · ")}</span>
            <span data-testid="webhook-counts" data-delivered={hook.delivered} data-pending={hook.pending} data-failed={hook.failed}>
              {t("webhooks.counts", { delivered: n(hook.delivered), pending: n(hook.pending), failed: n(hook.failed) })}
            </span>
          </div>
        </div>
        <div className="flex flex-wrap items-center gap-2">
          <label className="flex items-center gap-2 text-xs text-fg-soft">
            <input
              type="checkbox"
              role="switch"
              className="size-4 accent-accent"
              data-testid="webhook-active"
              aria-label={t("webhooks.switch")}
              checked={hook.active}
              disabled={toggle.isPending}
              onChange={(e) => { toggle.mutate(e.target.checked); }}
            />
            {t(hook.active ? "webhooks.on" : "webhooks.off")}
          </label>
          <Button onClick={() => { test.mutate(); }} busy={test.isPending} disabled={!hook.active} data-testid="webhook-test">
            {t(test.isSuccess ? "webhooks.testSent" : "webhooks.test")}
          </Button>
          <Button variant="ghost" onClick={() => { setOpen(!open); }} aria-expanded={open} data-testid="webhook-deliveries-toggle">
            {t("webhooks.deliveries")}
          </Button>
          <Button variant="dangerGhost" onClick={() => { setConfirm(true); }} data-testid="webhook-remove">{t("webhooks.remove")}</Button>
        </div>
      </div>
      {failure !== undefined && (
        <div className="mt-2">
          <ErrorBanner error={toUiError(failure)} testId="webhook-row-error" />
        </div>
      )}
      {open && <Deliveries id={hook.id} />}
      {confirm && (
        <ConfirmDialog title={t("webhooks.removeTitle")} text={t("webhooks.removeText")} confirmLabel={t("webhooks.remove")}
          busy={remove.isPending} onConfirm={() => { remove.mutate(); }} onCancel={() => { setConfirm(false); }} />
      )}
    </div>
  );
}

function Deliveries({ id }: { id: number }) {
  const { t } = useTranslation();
  const { language } = usePreferences();
  const q = useQuery({ queryKey: ["webhook_deliveries", id], queryFn: () => commands.webhookDeliveries(id), refetchInterval: 3000 });
  const rows: DeliveryView[] = q.data ?? [];
  if (q.isError) return <div className="mt-2"><ErrorBanner error={toUiError(q.error)} /></div>;
  if (rows.length === 0) return <p className="mt-2 text-sm text-muted" data-testid="webhook-deliveries-empty">{t("webhooks.noDeliveries")}</p>;
  return (
    <table className="mt-2 w-full text-sm" data-testid="webhook-deliveries">
      <tbody>
        {rows.map((d) => (
          <tr key={d.id} className="border-t border-line" data-testid="webhook-delivery" data-state={d.state} data-type={d.eventType}>
            <td className="py-1.5 pe-4"><Mono>{d.eventType}</Mono></td>
            <td className={`py-1.5 pe-4 ${STATE_TONE[d.state] ?? "text-fg"}`}>
              {d.state in STATE_LABEL ? t(STATE_LABEL[d.state as keyof typeof STATE_LABEL]) : d.state}
              {d.lastStatus !== null && <span className="ms-2 font-mono text-[13px] text-fg-soft">{d.lastStatus}</span>}
            </td>
            <td className="py-1.5 pe-4 whitespace-nowrap text-fg-soft">{t("webhooks.attempts")}: {formatCount(d.attempts, language)}</td>
            <td className="py-1.5 text-end whitespace-nowrap text-fg-soft">{formatDateTime(d.lastAttemptAt ?? d.createdAt, language)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
