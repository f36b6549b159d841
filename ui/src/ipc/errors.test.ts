import { describe, expect, it } from "vitest";

import { toUiError } from "./errors";

describe("toUiError", () => {
  it("keeps an engine error's code and message", () => {
    expect(toUiError({ code: "no_home_folder", message: "no home" })).toEqual({
      code: "no_home_folder",
      message: "no home",
    });
  });

  it("turns Tauri's plain-string rejections into ipc_failed", () => {
    expect(toUiError("command app_info not allowed")).toEqual({
      code: "ipc_failed",
      message: "command app_info not allowed",
    });
    expect(toUiError(new Error("boom")).code).toBe("ipc_failed");
  });
});
