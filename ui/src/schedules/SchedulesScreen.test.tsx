import { clearMocks } from "@tauri-apps/api/mocks";
import { cleanup, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it } from "vitest";

import type { ServiceView_Serialize } from "../ipc/bindings";
import { AppShell } from "../shell/AppShell";
import { ipcError, renderScreen } from "../test/render";
import { describeRule, toRule, emptyRule } from "./rule";
import { SchedulesScreen } from "./SchedulesScreen";
import type { ScheduleRunView, ScheduleView } from "./types";

afterEach(() => {
  cleanup();
  clearMocks();
});

const RUN: ScheduleRunView = {
  id: 3,
  occurrenceAt: "2026-12-01T09:00:00Z",
  index: 0,
  state: "placed",
  orderId: 42,
  orderStatus: "pending",
  reason: null,
  message: null,
  finishedAt: "2026-12-01T09:00:01Z",
};

const DAILY: ScheduleView = {
  id: 7,
  provider: "demo",
  serviceId: "101",
  serviceName: "Instagram Followers",
  order: {
    provider: "demo", serviceId: "101", link: "https://instagram.com/p/daily", quantity: 500,
    comments: [], usernames: [], hashtags: [], keywords: [], groups: [], hashtag: null, username: null, media: null,
    answerNumber: null, runs: null, interval: null, subMin: null, subMax: null, posts: null, oldPosts: null,
    delay: null, expiry: null, country: null, device: null, typeOfTraffic: null, googleKeyword: null, referringUrl: null,
    idempotencyKey: null, force: false, customer: "Acme Cafe", salePrice: "2.5",
  },
  rule: { zone: "UTC", start: "2026-12-01T09:00:00", repeat: { kind: "days", every: 2 }, until: null, count: 5 },
  description: "every 2 days from 2026-12-01T09:00:00 UTC, 5 times",
  missed: "skip",
  active: true,
  nextAt: "2026-12-03T09:00:00Z",
  placed: 1,
  skipped: 0,
  missedCount: 0,
  lastRun: RUN,
  createdAt: "2026-11-30T12:00:00Z",
};

const SERVICE: ServiceView_Serialize = {
  id: 11, provider: "demo", serviceId: "101", name: "Instagram Followers", serviceType: "Default", category: "Instagram",
  rate: "1.25", currency: "USD", min: 10, max: 5000, refill: false, cancel: false, dripfeed: false, description: null,
  platform: "instagram", kind: "followers", firstSeen: "2026-11-24T12:00:00Z",
};

describe("the rule in words", () => {
  it("words each kind of rule in English and Arabic", async () => {
    await renderScreen(<div />);
    const i18n = (await import("../i18n")).default;
    const t = i18n.getFixedT("en");
    expect(describeRule(DAILY.rule, t, "en")).toBe("Every 2 days at 9:00 AM, from Dec 1, 2026, 5 runs");
    expect(describeRule({ ...DAILY.rule, repeat: { kind: "weekdays", days: ["thu", "mon"], time: "18:30" }, count: null, until: "2026-12-31" }, t, "en"))
      .toBe("Mon, Thu at 6:30 PM, until Dec 31, 2026");
    expect(describeRule({ ...DAILY.rule, repeat: { kind: "once" }, count: null }, t, "en")).toBe("Once on Dec 1, 2026, 9:00 AM");
    const ar = describeRule(DAILY.rule, i18n.getFixedT("ar"), "ar");
    expect(ar).toContain("كل 2 أيام");
    expect(ar).not.toMatch(/[A-Za-z]/);
  });

  it("the form's rule: now for a series, a date and time for once, the end chosen", () => {
    const f = { ...emptyRule(), zone: "Asia/Riyadh" };
    expect(toRule({ ...f, repeat: "hours", every: "6", startNow: true, end: "count", count: "4" })).toEqual({
      zone: "Asia/Riyadh", start: null, repeat: { kind: "hours", every: 6 }, until: null, count: 4,
    });
    expect(toRule({ ...f, repeat: "once", startNow: true, date: "2026-12-24", time: "20:15", end: "count", count: "4" })).toEqual({
      zone: "Asia/Riyadh", start: "2026-12-24T20:15", repeat: { kind: "once" }, until: null, count: null,
    });
    expect(toRule({ ...f, repeat: "weekdays", startNow: true, days: ["mon", "fri"], time: "07:00", end: "until", until: "2027-01-31" }).repeat)
      .toEqual({ kind: "weekdays", days: ["mon", "fri"], time: "07:00" });
    expect(toRule({ ...f, repeat: "days", every: "two" }).repeat).toEqual({ kind: "days", every: 0 });
  });
});

describe("the Schedules screen", () => {
  it("lists a schedule: its order, rule in words, next run, last result and status", async () => {
    await renderScreen(<SchedulesScreen />, { list_schedules: () => [DAILY], list_services: () => ({ total: 0, services: [], prices: [] }) });
    const row = await screen.findByTestId("schedule-row");
    expect(within(row).getByTestId("schedule-link").textContent).toBe("https://instagram.com/p/daily");
    expect(within(row).getByTestId("schedule-rule").textContent).toContain("Every 2 days at 9:00 AM");
    expect(within(row).getByTestId("schedule-rule").textContent).toContain("1 placed · 0 skipped · 0 missed");
    expect(within(row).getByTestId("schedule-next").querySelector("time")?.getAttribute("dateTime")).toBe("2026-12-03T09:00:00Z");
    expect(within(row).getByTestId("run-state").textContent).toBe("Placed");
    expect(within(row).getByTestId("run-order").textContent).toBe("Order #42");
    expect(within(row).getByTestId("schedule-status").textContent).toBe("Active");
  });

  it("is right to left in Arabic with Arabic words", async () => {
    await renderScreen(<SchedulesScreen />, { list_schedules: () => [{ ...DAILY, active: false }], list_services: () => ({ total: 0, services: [], prices: [] }) }, "ar");
    const row = await screen.findByTestId("schedule-row");
    expect(within(row).getByTestId("schedule-status").textContent).toBe("موقوف مؤقتًا");
    expect(within(row).getByTestId("schedule-resume").textContent).toBe("استئناف");
    expect(within(row).getByTestId("schedule-link").getAttribute("dir")).toBe("ltr");
  });

  it("pauses, resumes and deletes after a confirmation", async () => {
    let active = true;
    let removed = false;
    const { calls } = await renderScreen(<SchedulesScreen />, {
      list_schedules: () => (removed ? [] : [{ ...DAILY, active }]),
      pause_schedule: () => { active = false; return { ...DAILY, active }; },
      resume_schedule: () => { active = true; return { ...DAILY, active }; },
      remove_schedule: () => { removed = true; return DAILY; },
      list_services: () => ({ total: 0, services: [], prices: [] }),
    });
    await userEvent.click(await screen.findByTestId("schedule-pause"));
    expect(await screen.findByTestId("schedule-resume")).toBeTruthy();
    expect(screen.getByTestId("schedule-status").textContent).toBe("Paused");
    await userEvent.click(screen.getByTestId("schedule-resume"));
    expect(await screen.findByTestId("schedule-pause")).toBeTruthy();
    await userEvent.click(screen.getByTestId("schedule-remove"));
    expect(screen.getByTestId("confirm-dialog").textContent).toContain("schedule #7");
    await userEvent.click(screen.getByTestId("confirm-cancel"));
    expect(calls.some((c) => c.cmd === "remove_schedule")).toBe(false);
    await userEvent.click(screen.getByTestId("schedule-remove"));
    await userEvent.click(screen.getByTestId("confirm-ok"));
    expect(await screen.findByTestId("schedules-empty")).toBeTruthy();
    expect(screen.getByTestId("schedule-notice").textContent).toBe("Schedule #7 deleted.");
    expect(calls.filter((c) => /^(pause|resume|remove)_schedule$/.test(c.cmd)).map((c) => [c.cmd, c.args])).toEqual([
      ["pause_schedule", { id: 7 }],
      ["resume_schedule", { id: 7 }],
      ["remove_schedule", { id: 7 }],
    ]);
  });

  it("creates a schedule from a service, link and quantity, every N days from now for a count; a bad field is shown in place", async () => {
    let tries = 0;
    const { calls } = await renderScreen(<SchedulesScreen />, {
      list_schedules: () => [],
      list_services: () => ({ total: 1, services: [SERVICE], prices: [] }),
      get_service: () => SERVICE,
      add_schedule: () => {
        tries += 1;
        return tries === 1 ? ipcError("input.invalid", "count") : { ...DAILY, id: 8 };
      },
    });
    await userEvent.click(await screen.findByTestId("order-service-option"));
    await userEvent.type(await screen.findByTestId("sf-link"), "https://instagram.com/p/new");
    await userEvent.type(screen.getByTestId("sf-quantity"), "250");
    await userEvent.click(screen.getByTestId("sf-repeat-days"));
    await userEvent.clear(screen.getByTestId("sf-every"));
    await userEvent.type(screen.getByTestId("sf-every"), "3");
    await userEvent.click(screen.getByTestId("sf-end-count"));
    await userEvent.type(screen.getByTestId("sf-count"), "0");
    await userEvent.click(screen.getByTestId("sf-missed-latest"));
    await userEvent.click(screen.getByTestId("sf-save"));
    expect((await screen.findByTestId("error-sf-count")).textContent).toBe("Enter a whole number of runs from 1 to 100000 that leaves a run after now.");
    const sent = calls.find((c) => c.cmd === "add_schedule")?.args as { schedule: { order: Record<string, unknown>; rule: Record<string, unknown>; missed: string } };
    expect(sent.schedule.order).toMatchObject({ provider: "demo", serviceId: "101", link: "https://instagram.com/p/new", quantity: 250, customer: null, salePrice: null });
    expect(sent.schedule.rule).toMatchObject({ start: null, repeat: { kind: "days", every: 3 }, until: null, count: 0 });
    expect(sent.schedule.missed).toBe("latest");
    await userEvent.clear(screen.getByTestId("sf-count"));
    await userEvent.type(screen.getByTestId("sf-count"), "5");
    await userEvent.click(screen.getByTestId("sf-save"));
    expect((await screen.findByTestId("schedule-notice")).textContent).toBe("Schedule #8 created.");
  });

  it("edits a schedule with its fields filled in; the rest of its order is kept", async () => {
    const { calls } = await renderScreen(<SchedulesScreen />, {
      list_schedules: () => [DAILY],
      list_services: () => ({ total: 0, services: [], prices: [] }),
      edit_schedule: () => ({ ...DAILY, order: { ...DAILY.order, quantity: 900 } }),
    });
    await userEvent.click(await screen.findByTestId("schedule-edit"));
    expect(screen.getByTestId<HTMLInputElement>("sf-quantity").value).toBe("500");
    expect(screen.getByTestId<HTMLInputElement>("sf-customer").value).toBe("Acme Cafe");
    expect(screen.getByTestId<HTMLInputElement>("sf-every").value).toBe("2");
    expect(screen.getByTestId<HTMLInputElement>("sf-date").value).toBe("2026-12-01");
    expect(screen.getByTestId<HTMLInputElement>("sf-count").value).toBe("5");
    await userEvent.clear(screen.getByTestId("sf-quantity"));
    await userEvent.type(screen.getByTestId("sf-quantity"), "900");
    await userEvent.click(screen.getByTestId("sf-save"));
    expect((await screen.findByTestId("schedule-notice")).textContent).toBe("Schedule #7 saved.");
    const args = calls.find((c) => c.cmd === "edit_schedule")?.args as { id: number; schedule: { order: Record<string, unknown>; rule: Record<string, unknown> } };
    expect(args.id).toBe(7);
    expect(args.schedule.order).toMatchObject({ link: "https://instagram.com/p/daily", quantity: 900, customer: "Acme Cafe", salePrice: "2.5", idempotencyKey: null });
    expect(args.schedule.rule).toEqual({ zone: "UTC", start: "2026-12-01T09:00", repeat: { kind: "days", every: 2 }, until: null, count: 5 });
  });

  it("shows a schedule's history; an order opens in Orders", async () => {
    const skipped: ScheduleRunView = { ...RUN, id: 4, occurrenceAt: "2026-12-03T09:00:00Z", state: "skipped", orderId: null, orderStatus: null, reason: "order.insufficient_balance", message: "balance too low" };
    const { calls } = await renderScreen(<AppShell />, {
      list_schedules: () => [DAILY],
      schedule_runs: () => [skipped, RUN],
      list_services: () => ({ total: 0, services: [], prices: [] }),
      list_orders: () => ({ orders: [], next: null }),
      order_counts: () => [],
      order_detail: () => ipcError("input.invalid", "id"),
    });
    await userEvent.click(await screen.findByRole("button", { name: "Schedules" }));
    await userEvent.click(await screen.findByTestId("schedule-history"));
    const rows = await screen.findAllByTestId("run-row");
    expect(rows.map((r) => r.dataset.state)).toEqual(["skipped", "placed"]);
    expect(within(rows[0] as HTMLElement).getByTestId("run-state").getAttribute("title")).toBe("balance too low");
    await userEvent.click(within(rows[1] as HTMLElement).getByTestId("run-order"));
    await waitFor(() => {
      expect(screen.getByTestId("screen").dataset.screen).toBe("orders");
    });
    expect(calls.find((c) => c.cmd === "schedule_runs")?.args).toEqual({ id: 7, limit: 100 });
  });
});
