import { beforeAll, describe, expect, it } from "vitest";

import i18n, { initI18n } from "../i18n";
import { errorText, toUiError } from "./errors";

beforeAll(async () => {
  await initI18n("en");
  await i18n.changeLanguage("en");
});

describe("toUiError", () => {
  it("keeps an engine error's code and message", () => {
    expect(toUiError({ code: "provider.not_found", message: "no provider" })).toEqual({
      code: "provider.not_found",
      message: "no provider",
    });
  });

  it("turns Tauri's plain-string rejections into ipc.failed", () => {
    expect(toUiError("command app_info not allowed")).toEqual({
      code: "ipc.failed",
      message: "command app_info not allowed",
    });
    expect(toUiError(new Error("boom")).code).toBe("ipc.failed");
  });
});

describe("errorText", () => {
  it("translates a code, never showing the message", () => {
    const text = errorText(i18n, { code: "panel.rejected.insufficient_funds", message: "raw" });
    expect(text).toBe("Your balance with this provider is too low.");
  });

  it("in Arabic too", async () => {
    await i18n.changeLanguage("ar");
    expect(errorText(i18n, { code: "provider.not_found", message: "raw" })).toBe(
      "لا يوجد مزوّد بهذا الاسم.",
    );
    await i18n.changeLanguage("en");
  });

  it("names an unknown code instead of showing nothing", () => {
    expect(errorText(i18n, { code: "brand.new_code", message: "raw" })).toBe(
      "Something went wrong (code brand.new_code).",
    );
    // A prefix of real codes is not a translation either.
    expect(errorText(i18n, { code: "panel.rejected", message: "raw" })).toBe(
      "Something went wrong (code panel.rejected).",
    );
  });
});
