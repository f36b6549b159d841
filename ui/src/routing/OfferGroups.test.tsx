import { clearMocks } from "@tauri-apps/api/mocks";
import { cleanup, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it } from "vitest";

import type { GroupSuggestionView_Serialize, RouteGroupView_Serialize } from "../ipc/bindings";
import { ipcError, renderScreen } from "../test/render";
import { OfferGroupsView, parseMembers } from "./OfferGroups";

afterEach(() => {
  cleanup();
  clearMocks();
});

const GROUP: RouteGroupView_Serialize = {
  id: 1,
  name: "IG followers",
  rule: "cheapest",
  createdAt: "2026-12-01T10:00:00Z",
  members: [
    { position: 1, provider: "alpha", providerActive: true, currency: "USD", serviceId: "1", serviceName: "Instagram Followers", serviceType: "Default", rate: "0.5", min: 10, max: 1000 },
    { position: 2, provider: "beta", providerActive: false, currency: "USD", serviceId: "7", serviceName: "Instagram Followers", serviceType: "Default", rate: "0.8", min: 10, max: 5000 },
  ],
};

const SUGGESTION: GroupSuggestionView_Serialize = {
  name: "Instagram Followers",
  platform: "instagram",
  kind: "followers",
  savedAs: null,
  members: [
    { serviceRef: 11, provider: "alpha", serviceId: "1", name: "Instagram Followers", rate: "0.5", currency: "USD", min: 10, max: 1000, cheapest: true },
    { serviceRef: 12, provider: "beta", serviceId: "7", name: "Instagram Followers", rate: "0.8", currency: "USD", min: 10, max: 5000, cheapest: false },
  ],
};

describe("parseMembers", () => {
  it("reads provider and service id per line, in any of the usual separators", () => {
    expect(parseMembers("alpha 1\n\n beta|7 \ngamma #9")).toEqual({
      members: [{ provider: "alpha", serviceId: "1" }, { provider: "beta", serviceId: "7" }, { provider: "gamma", serviceId: "9" }],
      badLine: null,
    });
  });

  it("names the first line that is not provider and service id", () => {
    expect(parseMembers("alpha 1\nbeta\ngamma 3").badLine).toBe(2);
    expect(parseMembers("alpha 1 extra").badLine).toBe(1);
  });
});

describe("the offer groups manager", () => {
  it("lists the saved groups with their members and rule", async () => {
    await renderScreen(<OfferGroupsView />, { list_offer_groups: () => [GROUP], suggest_offer_groups: () => [] });
    const row = await screen.findByTestId("group-row");
    expect(row.textContent).toContain("IG followers");
    expect(row.textContent).toContain("Cheapest first");
    expect(within(row).getAllByTestId("group-member")).toHaveLength(2);
    expect(row.textContent).toContain("provider disabled");
  });

  it("fills a new group from a suggestion and saves it with the rule chosen", async () => {
    const { calls } = await renderScreen(<OfferGroupsView />, {
      suggest_offer_groups: () => [SUGGESTION],
      add_offer_group: (a) => ({ ...GROUP, name: (a.group as { name: string }).name }),
    });
    await userEvent.click(await screen.findByTestId("suggestion-use"));
    expect(screen.getByTestId<HTMLInputElement>("group-name").value).toBe("Instagram Followers");
    expect(screen.getByTestId<HTMLTextAreaElement>("group-members").value).toBe("alpha 1\nbeta 7");
    await userEvent.selectOptions(screen.getByTestId("group-rule"), "preference");
    await userEvent.click(screen.getByTestId("group-save"));
    await waitFor(() => {
      expect(screen.queryByTestId("group-form")).toBeNull();
    });
    const add = calls.find((c) => c.cmd === "add_offer_group")?.args as { group: unknown };
    expect(add.group).toEqual({
      name: "Instagram Followers",
      rule: "preference",
      members: [{ provider: "alpha", serviceId: "1" }, { provider: "beta", serviceId: "7" }],
    });
  });

  it("shows a refused name on the name field and keeps the form", async () => {
    await renderScreen(<OfferGroupsView />, {
      suggest_offer_groups: () => [],
      add_offer_group: () => ipcError("offer_group.name_taken", "name"),
    });
    await userEvent.click(await screen.findByTestId("group-new"));
    await userEvent.type(screen.getByTestId("group-name"), "IG followers");
    await userEvent.type(screen.getByTestId("group-members"), "alpha 1");
    await userEvent.click(screen.getByTestId("group-save"));
    await waitFor(() => {
      expect(screen.getByTestId("group-name").getAttribute("aria-invalid")).toBe("true");
    });
    expect(document.getElementById("group-name-error")?.textContent).toBe("An offer group with that name already exists.");
    expect(screen.getByTestId("group-form")).toBeTruthy();
  });

  it("shows a members error on the members field (Arabic)", async () => {
    await renderScreen(<OfferGroupsView />, {
      suggest_offer_groups: () => [],
      add_offer_group: () => ipcError("offer_group.type_mismatch", "members"),
    }, "ar");
    await userEvent.click(await screen.findByTestId("group-new"));
    await userEvent.type(screen.getByTestId("group-name"), "مجموعة");
    await userEvent.type(screen.getByTestId("group-members"), "alpha 1\nbeta 9");
    await userEvent.click(screen.getByTestId("group-save"));
    await waitFor(() => {
      expect(screen.getByTestId("group-members").getAttribute("aria-invalid")).toBe("true");
    });
    expect(document.getElementById("group-members-error")?.textContent).toMatch(/[\u0600-\u06FF]/);
  });

  it("refuses a malformed member line in place without calling the engine", async () => {
    const { calls } = await renderScreen(<OfferGroupsView />, { suggest_offer_groups: () => [] });
    await userEvent.click(await screen.findByTestId("group-new"));
    await userEvent.type(screen.getByTestId("group-name"), "G");
    await userEvent.type(screen.getByTestId("group-members"), "alpha 1{enter}beta");
    await userEvent.click(screen.getByTestId("group-save"));
    expect((await screen.findByText("Line 2 is not “provider service_id”.")).id).toBe("group-members-error");
    expect(calls.some((c) => c.cmd === "add_offer_group")).toBe(false);
  });

  it("deletes a group only after the confirmation", async () => {
    const { calls } = await renderScreen(<OfferGroupsView />, {
      list_offer_groups: () => [GROUP],
      suggest_offer_groups: () => [],
      remove_offer_group: () => GROUP,
    });
    await userEvent.click(await screen.findByTestId("group-remove"));
    expect(screen.getByTestId("confirm-dialog").textContent).toContain("IG followers");
    await userEvent.click(screen.getByTestId("confirm-cancel"));
    expect(calls.some((c) => c.cmd === "remove_offer_group")).toBe(false);
    await userEvent.click(screen.getByTestId("group-remove"));
    await userEvent.click(screen.getByTestId("confirm-ok"));
    await waitFor(() => {
      expect(calls.find((c) => c.cmd === "remove_offer_group")?.args).toEqual({ name: "IG followers" });
    });
  });
});
