// Providers: list with status, balance, services and last sync; add, edit, test, sync,
// enable/disable, delete (orders are kept).
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";

import { Badge, Button, Card, ConfirmDialog, ErrorBanner, Loading, Spinner } from "../components/ui";
import { commands } from "../ipc/bindings";
import type { BalanceView_Serialize, DiffView } from "../ipc/bindings";
import { errorText, toUiError } from "../ipc/errors";
import { formatAgo, formatAmount, formatCount } from "../lib/format";
import { usePreferences } from "../preferences/PreferencesProvider";
import { ProviderForm } from "./ProviderForm";
import { refreshAfterProviderChange, useProviders } from "./queries";
import type { ProviderView } from "./queries";
import { useStartDemo, Welcome } from "./Welcome";

type Status = "active" | "disabled" | "failing";

export function statusOf(p: ProviderView): Status {
  if (!p.active) return "disabled";
  return p.lastError ? "failing" : "active";
}

const STATUS_TONE = { active: "success", disabled: "neutral", failing: "danger" } as const;

export function ProvidersScreen() {
  const { t } = useTranslation();
  const providers = useProviders();
  const [form, setForm] = useState<{ editing?: ProviderView } | null>(null);
  const demo = useStartDemo();

  if (providers.isPending) return <Loading />;
  if (providers.isError) return <ErrorBanner error={toUiError(providers.error)} />;

  const list = providers.data;
  const hasDemo = list.some((p) => p.isDemo);
  return (
    <div className="mx-auto flex max-w-6xl flex-col gap-5">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <p className="text-sm text-muted">{t("screens.providers")}</p>
        {list.length > 0 && form === null && (
          <div className="flex gap-2">
            {!hasDemo && (
              <Button
                onClick={() => {
                  demo.mutate();
                }}
                busy={demo.isPending}
                data-testid="providers-demo"
              >
                {t("welcome.demo")}
              </Button>
            )}
            <Button
              variant="primary"
              onClick={() => {
                setForm({});
              }}
              data-testid="providers-add"
            >
              {t("providers.add")}
            </Button>
          </div>
        )}
      </div>
      {demo.isError && <ErrorBanner error={toUiError(demo.error)} />}
      {form !== null && (
        <Card title={form.editing ? t("providers.editTitle", { name: form.editing.displayName }) : t("providers.addTitle")}>
          <ProviderForm
            editing={form.editing}
            onDone={() => {
              setForm(null);
            }}
          />
        </Card>
      )}
      {list.length === 0 && form === null && (
        <Welcome
          onAdd={() => {
            setForm({});
          }}
        />
      )}
      {list.length > 0 && (
        <Card>
          <ul data-testid="provider-list" className="divide-y divide-line">
            {list.map((p) => (
              <ProviderRow
                key={p.name}
                provider={p}
                onEdit={() => {
                  setForm({ editing: p });
                }}
              />
            ))}
          </ul>
        </Card>
      )}
    </div>
  );
}

function DiffSummary({ diff }: { diff: DiffView }) {
  const { t } = useTranslation();
  const { language } = usePreferences();
  const n = (v: number) => formatCount(v, language);
  return (
    <span data-testid="sync-result">
      {t("providers.synced", {
        total: n(diff.total),
        added: n(diff.added),
        removed: n(diff.removed),
        changed: n(diff.priceChanged),
      })}
    </span>
  );
}

function ProviderRow({ provider: p, onEdit }: { provider: ProviderView; onEdit: () => void }) {
  const { t, i18n } = useTranslation();
  const { language } = usePreferences();
  const client = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  const [note, setNote] = useState<
    { kind: "test"; value: BalanceView_Serialize } | { kind: "sync"; value: DiffView } | null
  >(null);
  const after = async () => {
    await refreshAfterProviderChange(client);
  };
  const test = useMutation({
    mutationFn: () => commands.testProvider(p.name),
    onSuccess: async (value) => {
      setNote({ kind: "test", value });
      await after();
    },
    onError: after,
  });
  const sync = useMutation({
    mutationFn: () => commands.syncCatalog(p.name),
    onSuccess: async (value) => {
      setNote({ kind: "sync", value });
      await after();
    },
    onError: after,
  });
  const toggle = useMutation({
    mutationFn: () => commands.setProviderActive(p.name, !p.active),
    onSuccess: after,
  });
  const remove = useMutation({
    mutationFn: () => commands.removeProvider(p.name),
    onSuccess: async () => {
      setConfirming(false);
      await after();
    },
  });
  const failure = [test, sync, toggle, remove].find((m) => m.isError)?.error;
  const status = statusOf(p);

  return (
    <li data-testid={`provider-${p.name}`} data-status={status} className="flex flex-col gap-2 px-5 py-4">
      <div className="flex flex-wrap items-start justify-between gap-4">
        <div className="min-w-0">
          <div className="flex flex-wrap items-center gap-2">
            <span className="text-sm font-semibold text-fg">{p.displayName}</span>
            <span className="font-mono text-xs text-muted" dir="ltr">
              {p.name}
            </span>
            <Badge tone={STATUS_TONE[status]} testId="provider-status">
              {t(`providers.status.${status}`)}
            </Badge>
            {p.isDemo && <Badge tone="accent">{t("providers.demo")}</Badge>}
          </div>
          <div className="mt-1 truncate font-mono text-xs text-muted" dir="ltr">
            {p.apiUrl} · {p.keyHint}
          </div>
        </div>
        <dl className="grid grid-cols-4 gap-x-6 gap-y-0.5 text-xs">
          <dt className="text-muted">{t("providers.balance")}</dt>
          <dt className="text-muted">{t("providers.services")}</dt>
          <dt className="text-muted">{t("providers.lastSync")}</dt>
          <dt className="text-muted">{t("providers.priority")}</dt>
          <dd data-testid="provider-balance" className="font-medium text-fg">
            {p.balance !== null ? formatAmount(p.balance, p.currency, language) : "—"}
            {p.balanceCheckedAt !== null && (
              <div className="font-normal text-muted">
                {t("providers.checked", { ago: formatAgo(p.balanceCheckedAt, language) })}
              </div>
            )}
          </dd>
          <dd data-testid="provider-services" className="font-medium text-fg">
            {formatCount(p.services, language)}
          </dd>
          <dd className="text-fg">{p.catalogSyncedAt !== null ? formatAgo(p.catalogSyncedAt, language) : t("providers.never")}</dd>
          <dd className="text-fg">{formatCount(p.priority, language)}</dd>
        </dl>
      </div>
      <div className="flex flex-wrap items-center gap-2">
        <Button busy={test.isPending} onClick={() => { test.mutate(); }} data-testid="provider-test">
          {t("providers.test")}
        </Button>
        <Button busy={sync.isPending} disabled={!p.active} onClick={() => { sync.mutate(); }} data-testid="provider-sync">
          {t("providers.sync")}
        </Button>
        <Button onClick={onEdit} data-testid="provider-edit">
          {t("providers.edit")}
        </Button>
        <Button busy={toggle.isPending} onClick={() => { toggle.mutate(); }} data-testid="provider-toggle">
          {p.active ? t("providers.disable") : t("providers.enable")}
        </Button>
        <Button variant="dangerGhost" onClick={() => { setConfirming(true); }} data-testid="provider-delete">
          {t("providers.delete")}
        </Button>
        <span className="text-xs text-muted" role="status">
          {sync.isPending && (
            <span className="inline-flex items-center gap-1.5">
              <Spinner />
              {t("providers.syncing")}
            </span>
          )}
          {!sync.isPending && note?.kind === "sync" && <DiffSummary diff={note.value} />}
          {!test.isPending && note?.kind === "test" && (
            <span data-testid="test-result" className="text-success">
              {t("providers.testOk", { balance: formatAmount(note.value.balance, note.value.currency, language) })}
            </span>
          )}
        </span>
      </div>
      {failure !== undefined && <ErrorBanner error={toUiError(failure)} testId="provider-error" />}
      {p.lastError !== null && failure === undefined && (
        <p className="text-xs text-danger" data-testid="provider-last-error">
          {t("providers.lastError")}
        </p>
      )}
      {p.noisyReplies > 0 && p.noisyReplyAt !== null && (
        <p className="text-xs text-warning" data-testid="provider-noisy">
          {t("providers.noisy", { n: formatCount(p.noisyReplies, language), ago: formatAgo(p.noisyReplyAt, language) })}
        </p>
      )}
      {confirming && (
        <ConfirmDialog
          title={t("providers.deleteTitle", { name: p.displayName })}
          text={t("providers.deleteText")}
          confirmLabel={t("providers.delete")}
          busy={remove.isPending}
          onConfirm={() => {
            remove.mutate();
          }}
          onCancel={() => {
            setConfirming(false);
          }}
        />
      )}
      {remove.isError && <span className="sr-only">{errorText(i18n, toUiError(remove.error))}</span>}
    </li>
  );
}
