import { afterEach, describe, expect, it, vi } from "vitest";

import { applySettings, applyTheme, isDark } from "./document";

function fakeMatchMedia(dark: boolean) {
  return vi.spyOn(window, "matchMedia").mockImplementation(
    (query: string) =>
      ({
        matches: dark && query.includes("dark"),
        media: query,
        addEventListener: () => undefined,
        removeEventListener: () => undefined,
      }) as unknown as MediaQueryList,
  );
}

afterEach(() => {
  document.documentElement.className = "";
});

describe("theme", () => {
  it("System follows the operating system", () => {
    fakeMatchMedia(true);
    expect(isDark("system")).toBe(true);
    fakeMatchMedia(false);
    expect(isDark("system")).toBe(false);
  });

  it("Light and Dark ignore the operating system", () => {
    fakeMatchMedia(true);
    expect(isDark("light")).toBe(false);
    expect(isDark("dark")).toBe(true);
  });

  it("sets the dark class and colour scheme on <html>", () => {
    fakeMatchMedia(false);
    applyTheme("dark");
    expect(document.documentElement.classList.contains("dark")).toBe(true);
    expect(document.documentElement.style.colorScheme).toBe("dark");
    applyTheme("light");
    expect(document.documentElement.classList.contains("dark")).toBe(false);
  });
});

describe("language", () => {
  it("Arabic sets lang=ar dir=rtl; English lang=en dir=ltr", () => {
    fakeMatchMedia(false);
    applySettings({ language: "ar", theme: "light" });
    expect(document.documentElement.lang).toBe("ar");
    expect(document.documentElement.dir).toBe("rtl");
    applySettings({ language: "en", theme: "light" });
    expect(document.documentElement.dir).toBe("ltr");
  });
});
