import { describe, expect, it } from "vitest";

import { formatCount, formatLongDate, formatMoney } from "./format";

const DAY = new Date(2026, 10, 24, 12);

describe("Intl formatting in the interface language", () => {
  it("dates", () => {
    expect(formatLongDate(DAY, "en")).toBe("Tuesday, November 24, 2026");
    const ar = formatLongDate(DAY, "ar");
    expect(ar).toContain("نوفمبر");
    expect(ar).toContain("24");
    expect(ar).not.toContain("November");
  });

  it("counts group digits; Arabic keeps Latin digits, as the providers' panels show them", () => {
    expect(formatCount(1234567, "en")).toBe("1,234,567");
    expect(formatCount(1234567, "ar")).toBe("1,234,567");
  });

  it("money is formatted from its decimal string without rounding through a float", () => {
    expect(formatMoney("12345678901234.123456", "USD", "en")).toBe("$12,345,678,901,234.123456");
    expect(formatMoney("0.5", "USD", "en")).toBe("$0.50");
    expect(formatMoney("0.000125", "EUR", "en")).toBe("€0.000125");
  });
});
