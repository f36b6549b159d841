import { clearMocks } from "@tauri-apps/api/mocks";
import { cleanup, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it } from "vitest";

import type { StartupProblemView } from "../ipc/bindings";
import { renderApp } from "../test/render";

afterEach(() => {
  cleanup();
  clearMocks();
});

const MISSING: StartupProblemView = {
  error: {
    code: "data_dir.pointer_target_missing",
    message: "the data folder /media/usb/smm (chosen in Settings, recorded in /home/u/.config/smm-desk/data-dir) holds no database",
  },
  dataDir: "/home/u/.local/share/smm-desk",
  folderChoice: true,
  pointerFile: "/home/u/.config/smm-desk/data-dir",
  chosenFolder: "/media/usb/smm",
};

describe("a data folder that cannot be opened", () => {
  it("is one translated notice with a way back to the default folder, not a broken app", async () => {
    const { calls } = await renderApp(undefined, {
      startup_problem: () => MISSING,
      use_default_data_folder: () => null,
    });
    const notice = await screen.findByTestId("startup-problem");
    expect(notice.dataset.code).toBe("data_dir.pointer_target_missing");
    expect(screen.getByTestId("startup-problem-text").textContent).toBe(
      "The data folder you chose in Settings holds no database right now — is the drive it is on connected?",
    );
    expect(screen.getByTestId("startup-chosen-folder").textContent).toBe("/media/usb/smm");
    expect(screen.queryByTestId("nav-dashboard")).toBeNull();
    expect(calls.map((c) => c.cmd)).not.toContain("dashboard_stats");
    await userEvent.click(screen.getByTestId("startup-use-default"));
    await waitFor(() => {
      expect(calls.map((c) => c.cmd)).toContain("use_default_data_folder");
    });
  });

  it("reads in Arabic, and offers only 'try again' when the folder choice is not the problem", async () => {
    await renderApp({ language: "ar", theme: "light", digits: "latin" }, {
      startup_problem: () => ({
        ...MISSING,
        error: { code: "secrets.master_key_mismatch", message: "master key mismatch" },
        folderChoice: false,
        chosenFolder: null,
      }),
    });
    expect((await screen.findByTestId("startup-problem-text")).textContent).toContain("المفتاح الرئيسي");
    expect(screen.queryByTestId("startup-use-default")).toBeNull();
    expect(screen.getByTestId("startup-retry")).toBeTruthy();
  });
});
