// happy-dom has no layout: tests of virtualized tables give every element a box of their own.
import { afterAll, beforeAll } from "vitest";

const SIZES = ["offsetWidth", "offsetHeight", "clientWidth", "clientHeight"] as const;

/** Gives every element a window-sized box (1000 × 600) for the tests of the calling file, so a
 *  virtualizer shows a window's worth of rows; the real properties come back after them. */
export function boxEveryElement(): void {
  const saved = SIZES.map((k) => Object.getOwnPropertyDescriptor(HTMLElement.prototype, k));
  beforeAll(() => {
    Object.defineProperty(HTMLElement.prototype, "offsetWidth", { configurable: true, get: () => 1000 });
    Object.defineProperty(HTMLElement.prototype, "offsetHeight", { configurable: true, get: () => 600 });
    Object.defineProperty(HTMLElement.prototype, "clientWidth", { configurable: true, get: () => 1000 });
    Object.defineProperty(HTMLElement.prototype, "clientHeight", { configurable: true, get: () => 600 });
  });
  afterAll(() => {
    SIZES.forEach((k, i) => {
      const d = saved[i];
      if (d) Object.defineProperty(HTMLElement.prototype, k, d);
      else Reflect.deleteProperty(HTMLElement.prototype, k);
    });
  });
}
