// Settings › Local API (issue #14): the switch, the address, the port, the token (masked, shown
// on demand, copied, rotated) and the last requests, polled every 2 s while shown.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { useState } from "react";
import { useTranslation } from "react-i18next";

import { Button, ConfirmDialog, ErrorBanner, INPUT_BASE } from "../components/ui";
import { commands } from "../ipc/bindings";
import type { LocalApiView_Serialize as LocalApiView } from "../ipc/bindings";
import { toUiError } from "../ipc/errors";
import { formatDateTime, formatDuration } from "../lib/format";
import { usePreferences } from "../preferences/PreferencesProvider";

type CardType = (props: { title: string; children: ReactNode }) => ReactNode;
type RowType = (props: { label: string; hint?: string; children: ReactNode }) => ReactNode;

const STATUS_KEY = ["local_api"] as const;
const TOKEN_KEY = ["local_api_token"] as const;
const REQUESTS_KEY = ["local_api_requests"] as const;

/** The port typed by the user, or why it is not one (1024–65535). */
export function parsePort(text: string): number | "invalid" {
  const t = text.trim();
  if (!/^\d{1,5}$/.test(t)) return "invalid";
  const n = Number(t);
  return n >= 1024 && n <= 65535 ? n : "invalid";
}

/** A token with all but its prefix hidden. */
export function maskToken(token: string): string {
  return token.slice(0, 5) + "•".repeat(16);
}

export function CopyButton({ text, testId }: { text: string; testId: string }) {
  const { t } = useTranslation();
  const [state, setState] = useState<"idle" | "copied" | "failed">("idle");
  return (
    <Button
      data-testid={testId}
      data-state={state}
      onClick={() => {
        navigator.clipboard.writeText(text).then(
          () => { setState("copied"); },
          () => { setState("failed"); },
        );
      }}
    >
      {t(state === "copied" ? "localApi.copied" : state === "failed" ? "localApi.copyFailed" : "localApi.copy")}
    </Button>
  );
}

export function Mono({ children, testId }: { children: string; testId?: string }) {
  return (
    <bdi dir="ltr" className="font-mono text-[13px] break-all text-fg" data-testid={testId}>
      {children}
    </bdi>
  );
}

export function LocalApiSettings({ Card, Row }: { Card: CardType; Row: RowType }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const status = useQuery({ queryKey: [...STATUS_KEY], queryFn: () => commands.localApiStatus() });
  const put = (view: LocalApiView) => {
    client.setQueryData([...STATUS_KEY], view);
    void client.invalidateQueries({ queryKey: [...TOKEN_KEY] });
  };
  const toggle = useMutation({ mutationFn: (on: boolean) => commands.setLocalApiEnabled(on), onSuccess: put });
  const s = status.data;
  return (
    <Card title={t("localApi.title")}>
      <div id="local-api" data-testid="local-api" data-running={s?.running ?? false}>
        <Row label={t("localApi.switch")} hint={t("localApi.switchHint")}>
          <input
            type="checkbox"
            role="switch"
            data-testid="api-enabled"
            className="size-4 accent-accent"
            aria-label={t("localApi.switch")}
            checked={s?.enabled ?? false}
            disabled={s === undefined || toggle.isPending}
            onChange={(e) => { toggle.mutate(e.target.checked); }}
          />
        </Row>
        {status.isError && <ErrorBanner error={toUiError(status.error)} />}
        {toggle.isError && <ErrorBanner error={toUiError(toggle.error)} testId="api-toggle-error" />}
        {s?.problem && (
          <div className="px-5 pb-3">
            <ErrorBanner error={toUiError(s.problem)} testId="api-problem" />
          </div>
        )}
        {s && (
          <>
            <Row label={t("localApi.address")} hint={s.running ? t("localApi.running") : t("localApi.stopped")}>
              <div className="flex items-center gap-2">
                <Mono testId="api-url">{s.url ?? `http://127.0.0.1:${String(s.port)}`}</Mono>
                {s.url !== null && <CopyButton text={s.url} testId="api-copy-url" />}
              </div>
            </Row>
            <PortRow Row={Row} view={s} onSaved={put} />
            <TokenRow Row={Row} view={s} />
            <p className="border-t border-line px-5 py-3 text-xs text-muted" data-testid="api-openapi">
              {t("localApi.openapi")} <Mono>{`${s.url ?? `http://127.0.0.1:${String(s.port)}`}/api/openapi.json`}</Mono>
            </p>
            <Requests running={s.running} />
          </>
        )}
        {!s && !status.isError && <p className="px-5 py-4 text-sm text-muted">{t("settings.loading")}</p>}
      </div>
    </Card>
  );
}

function PortRow({ Row, view, onSaved }: { Row: RowType; view: LocalApiView; onSaved: (v: LocalApiView) => void }) {
  const { t } = useTranslation();
  const [draft, setDraft] = useState<string | null>(null);
  const [invalid, setInvalid] = useState(false);
  const save = useMutation({
    mutationFn: (port: number) => commands.setLocalApiPort(port),
    onSuccess: (v) => { setDraft(null); onSaved(v); },
  });
  const value = draft ?? String(view.port);
  return (
    <Row label={t("localApi.port")} hint={t("localApi.portHint")}>
      <form
        className="flex flex-col items-end gap-1"
        onSubmit={(e) => {
          e.preventDefault();
          const port = parsePort(value);
          if (port === "invalid") { setInvalid(true); return; }
          setInvalid(false);
          save.mutate(port);
        }}
      >
        <div className="flex items-center gap-2">
          <input inputMode="numeric" dir="ltr" data-testid="api-port" aria-label={t("localApi.port")} aria-invalid={invalid || save.isError}
            className={`${INPUT_BASE} w-24 text-end`} value={value}
            onChange={(e) => { setDraft(e.target.value); setInvalid(false); save.reset(); }} />
          <Button type="submit" disabled={draft === null || draft === String(view.port)} busy={save.isPending} data-testid="api-port-save">
            {t("settings.save")}
          </Button>
        </div>
        {invalid && <p role="alert" className="text-xs text-danger" data-testid="api-port-error">{t("localApi.portInvalid")}</p>}
        {save.isError && <ErrorBanner error={toUiError(save.error)} testId="api-port-error" />}
      </form>
    </Row>
  );
}

function TokenRow({ Row, view }: { Row: RowType; view: LocalApiView }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const [shown, setShown] = useState(false);
  const [confirm, setConfirm] = useState(false);
  const token = useQuery({ queryKey: [...TOKEN_KEY], queryFn: () => commands.localApiToken(), enabled: view.token === "session" });
  const rotate = useMutation({
    mutationFn: () => commands.rotateLocalApiToken(),
    onSuccess: (fresh) => {
      setConfirm(false);
      setShown(true);
      client.setQueryData([...TOKEN_KEY], fresh);
      void client.invalidateQueries({ queryKey: [...STATUS_KEY] });
    },
  });
  const plain = view.token === "session" ? (token.data ?? null) : null;
  return (
    <Row label={t("localApi.token")} hint={t("localApi.tokenHint")}>
      <div className="flex min-w-0 flex-col items-end gap-2">
        {plain !== null ? (
          <div className="flex flex-wrap items-center justify-end gap-2">
            <Mono testId="api-token">{shown ? plain : maskToken(plain)}</Mono>
            <Button data-testid="api-token-show" onClick={() => { setShown(!shown); }}>{t(shown ? "localApi.hide" : "localApi.show")}</Button>
            <CopyButton text={plain} testId="api-token-copy" />
          </div>
        ) : (
          <span className="text-sm text-muted" data-testid="api-token-state" data-state={view.token}>
            {t(view.token === "earlier" ? "localApi.tokenEarlier" : "localApi.tokenNone")}
          </span>
        )}
        {view.token !== "none" && (
          <Button variant="dangerGhost" data-testid="api-token-rotate" onClick={() => { setConfirm(true); }}>{t("localApi.rotate")}</Button>
        )}
        {rotate.isError && <ErrorBanner error={toUiError(rotate.error)} />}
      </div>
      {confirm && (
        <ConfirmDialog title={t("localApi.rotateTitle")} text={t("localApi.rotateText")} confirmLabel={t("localApi.rotate")}
          busy={rotate.isPending} onConfirm={() => { rotate.mutate(); }} onCancel={() => { setConfirm(false); }} />
      )}
    </Row>
  );
}

function Requests({ running }: { running: boolean }) {
  const { t } = useTranslation();
  const { language } = usePreferences();
  const requests = useQuery({ queryKey: [...REQUESTS_KEY], queryFn: () => commands.localApiRequests(), refetchInterval: running ? 2000 : false });
  const rows = requests.data ?? [];
  return (
    <div className="border-t border-line px-5 py-4">
      <h3 className="mb-2 text-sm font-medium text-fg">{t("localApi.requests")}</h3>
      {rows.length === 0 ? (
        <p className="text-sm text-muted" data-testid="api-requests-empty">{t("localApi.noRequests")}</p>
      ) : (
        <table className="w-full text-sm" data-testid="api-requests">
          <thead className="text-xs text-muted">
            <tr>
              <th className="py-1 pe-4 text-start font-medium">{t("localApi.method")}</th>
              <th className="py-1 pe-4 text-start font-medium">{t("localApi.path")}</th>
              <th className="py-1 pe-4 text-start font-medium">{t("localApi.status")}</th>
              <th className="py-1 pe-4 text-start font-medium">{t("localApi.time")}</th>
              <th className="py-1 text-end font-medium">{t("localApi.took")}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r, i) => (
              <tr key={`${r.at}-${String(i)}`} className="border-t border-line" data-testid="api-request-row" data-method={r.method} data-path={r.path} data-status={r.status}>
                <td className="py-1.5 pe-4"><Mono>{r.method}</Mono></td>
                <td className="py-1.5 pe-4"><Mono>{r.path}</Mono></td>
                <td className={`py-1.5 pe-4 font-mono text-[13px] ${r.status >= 400 ? "text-danger" : "text-success"}`}>{r.status}</td>
                <td className="py-1.5 pe-4 whitespace-nowrap text-fg-soft">{formatDateTime(r.at, language)}</td>
                <td className="py-1.5 text-end whitespace-nowrap text-fg-soft">{formatDuration(r.millis, language)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
