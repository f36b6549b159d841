import { cleanup, render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";

import { boxEveryElement } from "../test/layout";
import { useVirtualRows, VirtualTable } from "./VirtualTable";

afterEach(() => {
  cleanup();
});

// Every element is 600 pixels high, so 15 rows of 40 are in view.
boxEveryElement();

const ROW_HEIGHT = 40;
const COUNT = 10_000;

interface Item {
  id: number;
  name: string;
}

/** `COUNT` rows; those whose index `loaded` refuses are not loaded yet. */
function Table({ onNearEnd = () => {}, onOpen = () => {}, loaded = () => true }: {
  onNearEnd?: () => void;
  onOpen?: (id: number) => void;
  loaded?: (index: number) => boolean;
}) {
  const rows = useVirtualRows({ count: COUNT, rowHeight: ROW_HEIGHT, overscan: 5, rowKey: (i) => `item-${i}` });
  return (
    <VirtualTable rows={rows} label="Items" rowCount={COUNT} columns="4rem 1fr" minWidth="30rem" testId="scroll"
      headerClassName="h-9" header={<><span role="columnheader">Id</span><span role="columnheader">Name</span></>}
      rowAt={(i): Item | undefined => (loaded(i) ? { id: i + 1, name: `Item ${i + 1}` } : undefined)}
      rowClassName="px-4"
      rowAttributes={(item) => ({ "data-testid": "row", "data-id": item.id, onClick: () => { onOpen(item.id); } })}
      cells={(item) => <><span role="cell">{item.id}</span><span role="cell">{item.name}</span></>}
      loadingRow={{ testId: "row-loading", cells: <span role="cell" /> }}
      onNearEnd={onNearEnd} nearEndRows={30}
      footer={<p data-testid="footer">end</p>} />
  );
}

/** Scrolls the table's box to `top` (its content standing `COUNT` rows high). */
function scrollTo(top: number, left = 0) {
  const box = screen.getByTestId("scroll");
  Object.defineProperty(box, "scrollHeight", { configurable: true, value: COUNT * ROW_HEIGHT });
  box.scrollTop = top;
  box.scrollLeft = left;
  box.dispatchEvent(new Event("scroll"));
}

const ids = () => screen.getAllByTestId("row").map((r) => Number(r.dataset.id));

describe("the virtual table", () => {
  it("draws only the rows in view (and a few more) out of ten thousand, and moves the window as it scrolls", async () => {
    render(<Table />);
    expect(ids()).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(screen.getByRole("table").getAttribute("aria-rowcount")).toBe(String(COUNT + 1));
    expect(screen.getAllByRole("row")[0]?.getAttribute("aria-rowindex")).toBe("1");
    expect(screen.getByRole("rowgroup").style.height).toBe(`${COUNT * ROW_HEIGHT}px`);

    scrollTo(5_000 * ROW_HEIGHT);
    await waitFor(() => {
      expect(ids()[0]).toBe(4_996);
    });
    expect(ids()).toHaveLength(25);
    const row = screen.getAllByTestId("row")[5];
    expect(row?.dataset.index).toBe("5000");
    expect(row?.getAttribute("aria-rowindex")).toBe("5002");
    expect(row?.style.transform).toBe(`translateY(${5_000 * ROW_HEIGHT}px)`);
  });

  it("calls onNearEnd on scrolls within the given rows of the end, not before", () => {
    const onNearEnd = vi.fn();
    render(<Table onNearEnd={onNearEnd} />);
    scrollTo(100 * ROW_HEIGHT);
    // 600 px in view: the end is 30 rows away once the top passes COUNT - 15 - 30 rows.
    scrollTo((COUNT - 46) * ROW_HEIGHT);
    expect(onNearEnd).not.toHaveBeenCalled();
    scrollTo((COUNT - 45) * ROW_HEIGHT);
    expect(onNearEnd).toHaveBeenCalledTimes(1);
  });

  it("keeps the header over the columns when the rows scroll sideways", () => {
    render(<Table />);
    scrollTo(0, 120);
    const header = screen.getAllByRole("row")[0]?.parentElement;
    expect(header?.scrollLeft).toBe(120);
  });

  it("draws rows not loaded yet with the loading look, and a click on a row reaches the screen", async () => {
    const onOpen = vi.fn();
    render(<Table onOpen={onOpen} loaded={(i) => i % 2 === 0} />);
    expect(screen.getAllByTestId("row")).toHaveLength(10);
    expect(screen.getAllByTestId("row-loading")).toHaveLength(10);
    const third = screen.getAllByTestId("row")[1];
    if (third === undefined) throw new Error("no row");
    await userEvent.click(third);
    expect(onOpen).toHaveBeenCalledWith(3);
  });
});
