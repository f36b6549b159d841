import { describe, expect, it } from "vitest";

import ar from "./ar.json";
import en from "./en.json";
import { detectLanguage, directionOf } from "./index";

/** Every key path of a nested translation object, e.g. "nav.dashboard". */
function keys(value: unknown, prefix = ""): string[] {
  if (typeof value !== "object" || value === null) return [prefix];
  return Object.entries(value).flatMap(([k, v]) => keys(v, prefix ? `${prefix}.${k}` : k));
}

function leaves(value: unknown): string[] {
  if (typeof value === "string") return [value];
  return Object.values(value as object).flatMap(leaves);
}

describe("translations", () => {
  it("Arabic and English have exactly the same keys", () => {
    expect(keys(ar).sort()).toEqual(keys(en).sort());
  });

  it("no translation is empty", () => {
    for (const text of [...leaves(en), ...leaves(ar)]) expect(text.trim()).not.toBe("");
  });

  it("Arabic texts are Arabic (not English left in place)", () => {
    const english = new Map(keys(en).map((k, i) => [k, leaves(en)[i]]));
    const same = keys(ar).filter((k, i) => english.get(k) === leaves(ar)[i]);
    // Only names that are the same in both languages may repeat.
    expect(same.sort()).toEqual(["app.name", "languages.ar", "languages.en"]);
  });

  it("interpolations match between languages", () => {
    const vars = (s: string) => (s.match(/\{\{\w+\}\}/g) ?? []).sort();
    const enLeaves = leaves(en);
    leaves(ar).forEach((text, i) => {
      expect(vars(text)).toEqual(vars(enLeaves[i] ?? ""));
    });
  });
});

describe("language helpers", () => {
  it("Arabic is right to left, English left to right", () => {
    expect(directionOf("ar")).toBe("rtl");
    expect(directionOf("en")).toBe("ltr");
  });

  it("an Arabic system starts in Arabic, anything else in English", () => {
    expect(detectLanguage(["ar-EG", "en-US"])).toBe("ar");
    expect(detectLanguage(["fr-FR", "en"])).toBe("en");
    expect(detectLanguage([])).toBe("en");
  });
});
