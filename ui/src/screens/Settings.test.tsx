import { clearMocks } from "@tauri-apps/api/mocks";
import { cleanup, fireEvent, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it } from "vitest";

import { setDigitStyle } from "../i18n";
import type { EngineSettingView, JobHealthView_Serialize } from "../ipc/bindings";
import { formatCount, formatDuration, formatMoney } from "../lib/format";
import { ipcError, renderApp, renderScreen } from "../test/render";
import { durationParts, toSeconds } from "./EngineSettings";
import { JobsHealth } from "./JobsHealth";
import { Settings } from "./Settings";

afterEach(() => {
  cleanup();
  clearMocks();
  setDigitStyle("latin");
});

const NOW = Date.now();
const iso = (offsetMs: number) => new Date(NOW + offsetMs).toISOString();

function job(jobName: string, provider: string | null, extra: Partial<JobHealthView_Serialize> = {}): JobHealthView_Serialize {
  return {
    job: jobName, provider, displayName: provider === null ? null : provider.toUpperCase(), state: "ok",
    lastStartedAt: iso(-120_000), lastSuccessAt: iso(-118_000), lastError: null, lastErrorAt: null,
    nextDueAt: iso(180_000), lastDurationMs: 1_250, consecutiveFailures: 0, ...extra,
  };
}

describe("background job health", () => {
  it("lists every job per provider with its times and errors, and runs one now", async () => {
    const { calls } = await renderScreen(<JobsHealth />, {
      job_health: () => [
        job("order_status", "jap"),
        job("catalog_sync", "jap", {
          state: "failing", lastError: "the provider answered HTTP 502", lastErrorAt: iso(-5_000), consecutiveFailures: 3,
        }),
        job("cleanup", null, { lastDurationMs: 80 }),
      ],
      run_job_now: () => null,
    });
    const rows = await screen.findAllByTestId("job-row");
    expect(rows.map((r) => `${r.dataset.provider ?? ""}/${r.dataset.job ?? ""}/${r.dataset.state ?? ""}`)).toEqual([
      "jap/order_status/ok", "jap/catalog_sync/failing", "/cleanup/ok",
    ]);
    const groups = screen.getAllByTestId("jobs-group");
    expect(groups[0]?.textContent).toContain("JAP");
    expect(groups[1]?.textContent).toContain("All providers");
    const first = rows[0];
    const failing = rows[1];
    if (first === undefined || failing === undefined) throw new Error("rows missing");
    expect(within(first).getByTestId("job-last-run").textContent).toBe("2 minutes ago · 1.3 sec");
    expect(within(first).getByTestId("job-next").textContent).toBe("in 3 minutes");
    expect(within(first).queryByTestId("job-error")).toBeNull();
    expect(within(failing).getByTestId("job-error").textContent).toBe("the provider answered HTTP 502 · 3 failures in a row");
    expect(within(rows[2] as HTMLElement).getByTestId("job-last-run").textContent).toContain("80 ms");

    await userEvent.click(within(failing).getByTestId("job-run-now"));
    await waitFor(() => {
      expect(calls.find((c) => c.cmd === "run_job_now")?.args).toEqual({ job: "catalog_sync", provider: "jap" });
    });
  });

  it("an error from a later success is not shown as current", async () => {
    await renderScreen(<JobsHealth />, {
      job_health: () => [job("balance", "jap", { lastError: "timed out", lastErrorAt: iso(-600_000) })],
    });
    const row = await screen.findByTestId("job-row");
    expect(within(row).queryByTestId("job-error")).toBeNull();
  });

  it("says so when no job has run yet, in Arabic too", async () => {
    await renderScreen(<JobsHealth />, { job_health: () => [] }, "ar");
    expect((await screen.findByTestId("jobs-empty")).textContent).toContain("لم تُشغَّل أي مهمة بعد");
  });
});

describe("job intervals in friendly units", () => {
  it("shows seconds in the largest whole unit and converts back", () => {
    expect(durationParts("300")).toEqual({ amount: "5", unit: "minutes" });
    expect(durationParts("3600")).toEqual({ amount: "1", unit: "hours" });
    expect(durationParts("604800")).toEqual({ amount: "7", unit: "days" });
    expect(durationParts("90")).toEqual({ amount: "90", unit: "seconds" });
    expect(toSeconds("2", "hours")).toBe("7200");
    expect(toSeconds(" 15 ", "minutes")).toBe("900");
    // Not a whole number: passed through for the engine's own specific error.
    expect(toSeconds("1.5", "minutes")).toBe("1.5");
    expect(toSeconds("-3", "seconds")).toBe("-3");
  });

  it("saves the interval as seconds", async () => {
    const setting: EngineSettingView = { key: "jobs.order_status.interval_secs", value: "300", default: "300", kind: "number", min: 1 };
    const { calls } = await renderScreen(<Settings />, {
      engine_settings: () => [setting],
      set_engine_setting: (args) => [{ ...setting, value: args.value as string }],
    });
    const input = await screen.findByTestId<HTMLInputElement>("setting-jobs_order_status_interval_secs");
    const unit = screen.getByTestId<HTMLSelectElement>("setting-jobs_order_status_interval_secs-unit");
    expect(input.value).toBe("5");
    expect(unit.value).toBe("minutes");
    fireEvent.change(input, { target: { value: "2" } });
    fireEvent.change(unit, { target: { value: "hours" } });
    await userEvent.click(screen.getByTestId("setting-jobs_order_status_interval_secs-save"));
    await waitFor(() => {
      expect(calls.find((c) => c.cmd === "set_engine_setting")?.args).toEqual({ key: "jobs.order_status.interval_secs", value: "7200" });
    });
    await waitFor(() => {
      expect(screen.getByTestId<HTMLInputElement>("setting-jobs_order_status_interval_secs").value).toBe("2");
    });
  });
});

describe("the reconciliation tolerance", () => {
  it("is saved as a decimal; a bad one is refused on its input and the saved value stays", async () => {
    const setting: EngineSettingView = { key: "balances.reconcile_tolerance", value: "0.01", default: "0.01", kind: "amount", min: 0 };
    const { calls } = await renderScreen(<Settings />, {
      engine_settings: () => [setting],
      set_engine_setting: (args) =>
        /^\d+(\.\d+)?$/.test(args.value as string) ? [{ ...setting, value: args.value as string }] : ipcError("input.invalid", "tolerance"),
    });
    const input = await screen.findByTestId<HTMLInputElement>("setting-balances_reconcile_tolerance");
    expect(input.value).toBe("0.01");
    expect(screen.getByText("Allowed unexplained drop per balance check")).toBeTruthy();
    fireEvent.change(input, { target: { value: "-1" } });
    await userEvent.click(screen.getByTestId("setting-balances_reconcile_tolerance-save"));
    expect((await screen.findByTestId("error-setting-balances_reconcile_tolerance")).textContent).toBe("Some of what you entered is not valid.");
    expect(input.getAttribute("aria-invalid")).toBe("true");
    expect(screen.queryByTestId("engine-setting-error")).toBeNull();
    expect(input.value).toBe("-1");
    fireEvent.change(input, { target: { value: "0.5" } });
    await userEvent.click(screen.getByTestId("setting-balances_reconcile_tolerance-save"));
    await waitFor(() => {
      expect(screen.queryByTestId("error-setting-balances_reconcile_tolerance")).toBeNull();
    });
    expect(calls.filter((c) => c.cmd === "set_engine_setting").map((c) => c.args)).toEqual([
      { key: "balances.reconcile_tolerance", value: "-1" },
      { key: "balances.reconcile_tolerance", value: "0.5" },
    ]);
    expect(screen.getByTestId<HTMLInputElement>("setting-balances_reconcile_tolerance").value).toBe("0.5");
  });
});

describe("where the master key lives", () => {
  it("says once, in Settings, that a key file must be backed up and kept apart from the data", async () => {
    await renderScreen(<Settings />, {
      key_store: () => ({ kind: "key_file", path: "/home/u/.config/smm-desk/master.key", inDataFolder: false }),
    });
    const note = await screen.findByTestId("key-file-note");
    expect(screen.getByTestId("key-store").textContent).toContain("/home/u/.config/smm-desk/master.key");
    expect(note.textContent).toContain("No system keychain is in use");
    expect(note.textContent).toContain("can open neither your data nor its backups");
    expect(note.textContent).toContain("whoever has both can read your API keys");
    expect(screen.getAllByTestId("key-file-note")).toHaveLength(1);
  });

  it("warns that a copy of the data folder carries a key file kept inside it, in Arabic too", async () => {
    await renderScreen(<Settings />, {
      key_store: () => ({ kind: "key_file", path: "/data/smm/config/master.key", inDataFolder: true }),
    }, "ar");
    const note = await screen.findByTestId("key-file-note");
    expect(note.textContent).toContain("المفتاح الرئيسي ملف على هذا الجهاز");
    expect(note.textContent).toContain("داخل مجلد البيانات");
  });

  it("says nothing more when the key is in the system keychain", async () => {
    await renderScreen(<Settings />, { key_store: () => ({ kind: "keychain", path: null, inDataFolder: false }) });
    await waitFor(() => {
      expect(screen.getByTestId("key-store").dataset.kind).toBe("keychain");
    });
    expect(screen.queryByTestId("key-file-note")).toBeNull();
  });
});

describe("the digit style", () => {
  it("writes numbers, money and durations with Arabic-Indic digits when chosen, in either language", () => {
    expect(formatCount(1234, "en")).toBe("1,234");
    expect(formatCount(1234, "ar")).toBe("1,234");
    setDigitStyle("arabic");
    // Only the digits are asserted: separators come with the numbering system (ICU's choice).
    const digits = (text: string) => text.replace(/[^0-9\u0660-\u0669]/g, "");
    expect(digits(formatCount(1234, "en"))).toBe("١٢٣٤");
    expect(digits(formatCount(1234, "ar"))).toBe("١٢٣٤");
    expect(digits(formatMoney("0.5", "USD", "en"))).toBe("٠٥٠");
    expect(formatMoney("0.5", "USD", "en")).toContain("$");
    expect(digits(formatDuration(850, "en"))).toBe("٨٥٠");
    setDigitStyle("latin");
    expect(formatCount(1234, "en")).toBe("1,234");
  });

  it("is chosen in Settings, saved, and applied at once", async () => {
    const { calls } = await renderApp(undefined, {
      job_health: () => [job("balance", "jap", { lastDurationMs: 450 })],
    });
    await userEvent.click(screen.getByTestId("nav-settings"));
    expect((await screen.findByTestId("job-last-run")).textContent).toContain("450 ms");
    await userEvent.click(screen.getByTestId("digits-arabic"));
    await waitFor(() => {
      expect(calls.find((c) => c.cmd === "set_ui_settings")?.args).toEqual({ settings: { language: "en", theme: "light", digits: "arabic" } });
    });
    await waitFor(() => {
      expect(screen.getByTestId("job-last-run").textContent).toContain("٤٥٠ ms");
    });
  });
});
