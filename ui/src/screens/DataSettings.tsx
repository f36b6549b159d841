// The data folder as a whole (issue #8): where it is and why, moving it to another folder,
// backing the database up to a chosen file, and restoring a backup. The engine checks everything before anything changes; a restore or
// a new folder takes effect when the app restarts, and the replaced data is always kept.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { useState } from "react";
import { useTranslation } from "react-i18next";

import { Button, ConfirmDialog, ErrorBanner } from "../components/ui";
import { commands } from "../ipc/bindings";
import type { BackupCheckView, DataFolderView_Serialize as DataFolderView, FolderChoiceView, MovedView } from "../ipc/bindings";
import { toUiError } from "../ipc/errors";
import { formatCount } from "../lib/format";
import { usePreferences } from "../preferences/PreferencesProvider";

type CardType = (props: { title: string; children: ReactNode }) => ReactNode;
type RowType = (props: { label: string; hint?: string; children: ReactNode }) => ReactNode;

const QUERY_KEY = ["data_folder"] as const;

function Path({ children, testId }: { children: string; testId?: string }) {
  return (
    <bdi dir="ltr" className="font-mono text-[13px] break-all" data-testid={testId}>
      {children}
    </bdi>
  );
}

function RestartButtons({ onLater }: { onLater: () => void }) {
  const { t } = useTranslation();
  const restart = useMutation({ mutationFn: () => commands.restartApp() });
  return (
    <div className="flex gap-2">
      <Button variant="primary" busy={restart.isPending} onClick={() => { restart.mutate(); }} data-testid="data-restart">
        {t("dataSettings.restart")}
      </Button>
      <Button variant="ghost" onClick={onLater} data-testid="data-later">
        {t("dataSettings.later")}
      </Button>
    </div>
  );
}

function FolderRow({ Row, folder }: { Row: RowType; folder: DataFolderView }) {
  const { t } = useTranslation();
  const [existing, setExisting] = useState<FolderChoiceView | null>(null);
  const [moved, setMoved] = useState<MovedView | null>(null);
  const change = useMutation({
    mutationFn: ({ path, useExisting }: { path: string; useExisting: boolean }) => commands.changeDataFolder(path, useExisting),
    onSuccess: (result) => {
      setExisting(null);
      setMoved(result);
    },
  });
  const choose = useMutation({
    mutationFn: () => commands.chooseDataFolder(),
    onSuccess: (choice) => {
      change.reset();
      setMoved(null);
      if (choice === null) return;
      if (choice.holdsData) setExisting(choice);
      else change.mutate({ path: choice.path, useExisting: false });
    },
  });
  const source = folder.source as "default" | "pointer" | "env" | "explicit";
  return (
    <Row label={t("dataSettings.folder")} hint={t("dataSettings.folderHint")}>
      <div className="flex min-w-0 basis-full flex-col items-start gap-2">
        <Path testId="data-dir">{folder.dataDir}</Path>
        <span className="text-xs text-muted" data-testid="data-source" data-source={source}>
          {t(`dataSettings.sources.${source}`)}
        </span>
        {folder.changeable && (
          <Button busy={choose.isPending || change.isPending} onClick={() => { choose.mutate(); }} data-testid="data-move">
            {t("dataSettings.move")}
          </Button>
        )}
        {existing && (
          <div role="alert" className="flex flex-col items-start gap-2 rounded-md border border-warning/40 bg-warning/10 p-3 text-sm" data-testid="data-has-data">
            <span>
              {t("dataSettings.hasData", { folder: "\u2068" + existing.path + "\u2069" })}
            </span>
            <div className="flex gap-2">
              <Button variant="primary" busy={change.isPending} onClick={() => { change.mutate({ path: existing.path, useExisting: true }); }} data-testid="data-use-existing">
                {t("dataSettings.useExisting")}
              </Button>
              <Button variant="ghost" onClick={() => { setExisting(null); }} data-testid="data-use-existing-cancel">
                {t("dataSettings.cancel")}
              </Button>
            </div>
          </div>
        )}
        {moved && (
          <div role="status" className="flex flex-col items-start gap-2 text-sm" data-testid="data-moved" data-new-dir={moved.newDir}>
            <span className="text-success">
              {t(moved.copied ? "dataSettings.copied" : "dataSettings.switched", { folder: "\u2068" + moved.newDir + "\u2069" })}
            </span>
            <span className="text-xs text-muted">{t("dataSettings.oldKept", { folder: "\u2068" + moved.oldDir + "\u2069" })}</span>
            <RestartButtons onLater={() => { setMoved(null); }} />
          </div>
        )}
        {choose.isError && <ErrorBanner error={toUiError(choose.error)} testId="data-move-error" />}
        {change.isError && <ErrorBanner error={toUiError(change.error)} testId="data-move-error" />}
      </div>
    </Row>
  );
}

function RestoreRow({ Row, folder }: { Row: RowType; folder: DataFolderView }) {
  const { t } = useTranslation();
  const { language } = usePreferences();
  const client = useQueryClient();
  const [candidate, setCandidate] = useState<BackupCheckView | null>(null);
  const [later, setLater] = useState(false);
  const choose = useMutation({
    mutationFn: () => commands.chooseBackupFile(),
    onSuccess: (checked) => {
      restore.reset();
      setCandidate(checked);
    },
  });
  const restart = useMutation({ mutationFn: () => commands.restartApp() });
  const restore = useMutation({
    mutationFn: (path: string) => commands.restoreDatabase(path),
    onSuccess: (view) => {
      client.setQueryData([...QUERY_KEY], view);
      setCandidate(null);
      setLater(false);
      restart.mutate();
    },
    onError: () => {
      setCandidate(null);
    },
  });
  const cancel = useMutation({
    mutationFn: () => commands.cancelRestore(),
    onSuccess: (view) => {
      client.setQueryData([...QUERY_KEY], view);
    },
  });
  return (
    <Row label={t("dataSettings.restore")} hint={t("dataSettings.restoreHint")}>
      <div className="flex min-w-0 basis-full flex-col items-start gap-2">
        <Button busy={choose.isPending} onClick={() => { choose.mutate(); }} data-testid="restore-choose">
          {t("dataSettings.restoreChoose")}
        </Button>
        {folder.restoredPrevious != null && (
          <div role="status" className="flex flex-col gap-1 text-xs text-success" data-testid="restore-applied" data-previous={folder.restoredPrevious}>
            <span>{t("dataSettings.restored")}</span>
            <Path>{folder.restoredPrevious}</Path>
          </div>
        )}
        {folder.restorePending && (
          <div role="status" className="flex flex-col items-start gap-2 text-sm" data-testid="restore-pending" data-blocked={folder.restoreBlocked}>
            <span className={folder.restoreBlocked ? "text-warning" : "text-fg-soft"}>
              {t(folder.restoreBlocked ? "dataSettings.pendingBlocked" : "dataSettings.pending")}
            </span>
            <div className="flex gap-2">
              {!later && <RestartButtons onLater={() => { setLater(true); }} />}
              <Button variant="dangerGhost" busy={cancel.isPending} onClick={() => { cancel.mutate(); }} data-testid="restore-cancel">
                {t("dataSettings.cancelRestore")}
              </Button>
            </div>
          </div>
        )}
        {choose.isError && <ErrorBanner error={toUiError(choose.error)} testId="restore-error" />}
        {restore.isError && <ErrorBanner error={toUiError(restore.error)} testId="restore-error" />}
        {cancel.isError && <ErrorBanner error={toUiError(cancel.error)} />}
        {restart.isError && <ErrorBanner error={toUiError(restart.error)} />}
      </div>
      {candidate && (
        <ConfirmDialog
          title={t("dataSettings.confirmTitle")}
          text={`${t("dataSettings.confirmBackup", {
            file: "\u2068" + candidate.path + "\u2069",
            providers: formatCount(candidate.providers, language),
            orders: formatCount(candidate.orders, language),
          })} ${t("dataSettings.confirmReplace", { folder: "\u2068" + candidate.keepFolder + "\u2069" })}`}
          confirmLabel={t("dataSettings.confirmRestore")}
          busy={restore.isPending}
          onConfirm={() => { restore.mutate(candidate.path); }}
          onCancel={() => { setCandidate(null); }}
        />
      )}
    </Row>
  );
}

function BackupRow({ Row }: { Row: RowType }) {
  const { t } = useTranslation();
  const { language } = usePreferences();
  const backup = useMutation({ mutationFn: () => commands.backupDatabase() });
  return (
    <Row label={t("settings.backup")} hint={t("settings.backupHint")}>
      <div className="flex min-w-0 basis-full flex-col items-start gap-2">
        <Button busy={backup.isPending} onClick={() => { backup.mutate(); }} data-testid="backup">
          {t("settings.backupNow")}
        </Button>
        {backup.data && (
          <span className="text-xs text-success" role="status" data-testid="backup-done" data-path={backup.data.path}>
            {t("settings.backupDone", { size: formatCount(Math.ceil(backup.data.bytes / 1024), language) })}{" "}
            <bdi dir="ltr" className="font-mono">{backup.data.path}</bdi>
          </span>
        )}
        {backup.isError && <ErrorBanner error={toUiError(backup.error)} />}
      </div>
    </Row>
  );
}

/** The "Data folder, backup and restore" card of Settings. */
export function DataSettings({ Card, Row }: { Card: CardType; Row: RowType }) {
  const { t } = useTranslation();
  const folder = useQuery({ queryKey: [...QUERY_KEY], queryFn: () => commands.dataFolder() });
  return (
    <Card title={t("dataSettings.title")}>
      {folder.isError && <ErrorBanner error={toUiError(folder.error)} />}
      {folder.data && (
        <>
          <FolderRow Row={Row} folder={folder.data} />
          <BackupRow Row={Row} />
          <RestoreRow Row={Row} folder={folder.data} />
        </>
      )}
    </Card>
  );
}
