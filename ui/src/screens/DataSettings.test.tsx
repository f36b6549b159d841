import { clearMocks } from "@tauri-apps/api/mocks";
import { cleanup, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import type { ReactNode } from "react";
import { afterEach, describe, expect, it } from "vitest";

import type { DataFolderView_Serialize as DataFolderView } from "../ipc/bindings";
import { ipcError, renderApp, renderScreen } from "../test/render";
import type { Handler } from "../test/render";
import { DataSettings } from "./DataSettings";

afterEach(() => {
  cleanup();
  clearMocks();
});

function Card({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section>
      <h2>{title}</h2>
      {children}
    </section>
  );
}

function Row({ label, children }: { label: string; hint?: string; children: ReactNode }) {
  return (
    <div>
      <span>{label}</span>
      {children}
    </div>
  );
}

const FOLDER: DataFolderView = {
  dataDir: "/home/me/.local/share/smm-desk",
  source: "default",
  changeable: true,
  restorePending: false,
  restoreBlocked: false,
  restoredPrevious: null,
};

const BACKUP = {
  path: "/home/me/backups/smm-desk-backup-20261124.sqlite3",
  bytes: 81_920,
  providers: 2,
  orders: 1234,
  keepFolder: "/home/me/.local/share/smm-desk",
};

function render(extra: Record<string, Handler>, language: "en" | "ar" = "en") {
  return renderScreen(<DataSettings Card={Card} Row={Row} />, { data_folder: () => FOLDER, ...extra }, language);
}

describe("restore from a backup", () => {
  it("checks the chosen file, asks before replacing (saying where the current data is kept), then restarts", async () => {
    let folder = FOLDER;
    const { calls } = await render({
      data_folder: () => folder,
      choose_backup_file: () => BACKUP,
      restore_database: () => {
        folder = { ...FOLDER, restorePending: true };
        return folder;
      },
      restart_app: () => null,
    });
    await userEvent.click(await screen.findByTestId("restore-choose"));
    const dialog = await screen.findByTestId("confirm-dialog");
    expect(dialog.textContent).toContain("Replace the current data?");
    expect(dialog.textContent).toContain("smm-desk-backup-20261124.sqlite3");
    expect(dialog.textContent).toContain("providers: 2, orders: 1,234");
    expect(dialog.textContent).toContain("A copy of it is kept in \u2068/home/me/.local/share/smm-desk\u2069 as smm-desk.before-restore-");
    expect(calls.some((c) => c.cmd === "restore_database")).toBe(false);

    await userEvent.click(screen.getByTestId("confirm-ok"));
    await waitFor(() => {
      expect(calls.map((c) => c.cmd)).toContain("restart_app");
    });
    expect(calls.find((c) => c.cmd === "restore_database")?.args).toEqual({ path: BACKUP.path });
    expect(screen.queryByTestId("confirm-dialog")).toBeNull();
    expect((await screen.findByTestId("restore-pending")).textContent).toContain("applied when SMM Desk restarts");
  });

  it("cancelling the confirmation changes nothing", async () => {
    const { calls } = await render({ choose_backup_file: () => BACKUP });
    await userEvent.click(await screen.findByTestId("restore-choose"));
    await userEvent.click(await screen.findByTestId("confirm-cancel"));
    expect(screen.queryByTestId("confirm-dialog")).toBeNull();
    expect(calls.map((c) => c.cmd).filter((c) => c === "restore_database" || c === "restart_app")).toEqual([]);
  });

  it("a cancelled file dialog shows nothing", async () => {
    await render({ choose_backup_file: () => null });
    await userEvent.click(await screen.findByTestId("restore-choose"));
    await waitFor(() => {
      expect(screen.getByTestId("restore-choose").getAttribute("aria-busy")).toBeNull();
    });
    expect(screen.queryByTestId("confirm-dialog")).toBeNull();
    expect(screen.queryByTestId("restore-error")).toBeNull();
  });

  it("a refused backup shows the specific reason and never restarts", async () => {
    const { calls } = await render({ choose_backup_file: () => ipcError("restore.key_mismatch") });
    await userEvent.click(await screen.findByTestId("restore-choose"));
    expect((await screen.findByTestId("restore-error")).textContent).toContain("another master key");
    expect(screen.queryByTestId("confirm-dialog")).toBeNull();
    expect(calls.some((c) => c.cmd === "restart_app")).toBe(false);
  });

  it("says in Arabic when the backup is from a newer SMM Desk", async () => {
    await render({ choose_backup_file: () => ipcError("restore.newer_schema") }, "ar");
    await userEvent.click(await screen.findByTestId("restore-choose"));
    expect((await screen.findByTestId("restore-error")).textContent).toContain("إصدار أحدث");
  });

  it("a restore waiting on another program says so and can be cancelled", async () => {
    let folder: DataFolderView = { ...FOLDER, restorePending: true, restoreBlocked: true };
    const { calls } = await render({
      data_folder: () => folder,
      cancel_restore: () => {
        folder = FOLDER;
        return folder;
      },
    });
    const pending = await screen.findByTestId("restore-pending");
    expect(pending.textContent).toContain("smmdesk daemon");
    await userEvent.click(screen.getByTestId("restore-cancel"));
    await waitFor(() => {
      expect(screen.queryByTestId("restore-pending")).toBeNull();
    });
    expect(calls.map((c) => c.cmd)).toContain("cancel_restore");
  });

  it("after a restore it says where the replaced data is kept", async () => {
    const previous = "/home/me/.local/share/smm-desk/smm-desk.before-restore-20261124-120000.sqlite3";
    await render({ data_folder: () => ({ ...FOLDER, restoredPrevious: previous }) });
    const applied = await screen.findByTestId("restore-applied");
    expect(applied.textContent).toContain("The backup was restored");
    expect(applied.textContent).toContain(previous);
  });
});

describe("the data folder", () => {
  it("moves to an empty folder, says the old one is kept, and offers a restart", async () => {
    const { calls } = await render({
      choose_data_folder: () => ({ path: "/mnt/data/smm", holdsData: false }),
      change_data_folder: () => ({ oldDir: FOLDER.dataDir, newDir: "/mnt/data/smm", copied: true }),
      restart_app: () => null,
    });
    expect((await screen.findByTestId("data-dir")).textContent).toBe(FOLDER.dataDir);
    await userEvent.click(screen.getByTestId("data-move"));
    const moved = await screen.findByTestId("data-moved");
    expect(calls.find((c) => c.cmd === "change_data_folder")?.args).toEqual({ path: "/mnt/data/smm", useExisting: false });
    expect(moved.textContent).toContain("copied to \u2068/mnt/data/smm\u2069");
    expect(moved.textContent).toContain(`The old folder is left as it was: \u2068${FOLDER.dataDir}\u2069`);
    await userEvent.click(screen.getByTestId("data-restart"));
    await waitFor(() => {
      expect(calls.map((c) => c.cmd)).toContain("restart_app");
    });
  });

  it("a folder with SMM Desk data in it is used only when the user says so", async () => {
    const { calls } = await render({
      choose_data_folder: () => ({ path: "/mnt/old", holdsData: true }),
      change_data_folder: () => ({ oldDir: FOLDER.dataDir, newDir: "/mnt/old", copied: false }),
    });
    await userEvent.click(await screen.findByTestId("data-move"));
    expect((await screen.findByTestId("data-has-data")).textContent).toContain("already holds SMM Desk data");
    expect(calls.some((c) => c.cmd === "change_data_folder")).toBe(false);
    await userEvent.click(screen.getByTestId("data-use-existing"));
    expect((await screen.findByTestId("data-moved")).textContent).toContain("will use the data in");
    expect(calls.find((c) => c.cmd === "change_data_folder")?.args).toEqual({ path: "/mnt/old", useExisting: true });
  });

  it("shows the engine's refusal", async () => {
    await render({
      choose_data_folder: () => ({ path: "/mnt/x", holdsData: false }),
      change_data_folder: () => ipcError("restore.key_mismatch"),
    });
    await userEvent.click(await screen.findByTestId("data-move"));
    expect((await screen.findByTestId("data-move-error")).textContent).toContain("another master key");
    expect(screen.queryByTestId("data-moved")).toBeNull();
  });

  it("a folder forced by SMM_DESK_DATA_DIR cannot be changed, and says why (in Arabic too)", async () => {
    await render({ data_folder: () => ({ ...FOLDER, source: "env", changeable: false }) }, "ar");
    expect((await screen.findByTestId("data-source")).textContent).toContain("SMM_DESK_DATA_DIR");
    expect(screen.queryByTestId("data-move")).toBeNull();
  });

  it("is part of the Settings screen", async () => {
    await renderApp({ language: "en", theme: "light", digits: "latin" });
    await userEvent.click(await screen.findByTestId("nav-settings"));
    expect((await screen.findByTestId("data-source")).dataset.source).toBe("env");
  });
});
