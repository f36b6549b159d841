// A table of fixed-height rows of which only those in view are in the DOM. The header sits
// outside the scroll box (a sticky header would make every scrolled frame repaint the whole
// box) and follows its sideways scroll; a screen can load more as the end nears.
//
// Two halves: `useVirtualRows` says which rows are drawn (a screen that loads rows by page
// reads it to ask for the pages under them in the same render), and `VirtualTable` draws
// them. Rows are never measured, so scrolling only moves and swaps rows.
import { useVirtualizer } from "@tanstack/react-virtual";
import type { Virtualizer, VirtualItem } from "@tanstack/react-virtual";
import { useCallback, useRef } from "react";
import type { Key, ReactNode, RefObject, UIEvent } from "react";

/** The rows of a virtual table: which are drawn now, and the scroll box they move in. */
export interface VirtualRows {
  /** The rows drawn now (those in view and a few either side), first to last. */
  readonly drawn: readonly VirtualItem[];
  /** Every row's height in pixels. */
  readonly rowHeight: number;
  /** Scrolls back to the first row (nothing happens while the rows are not shown). */
  readonly scrollToTop: () => void;
  readonly scrollRef: RefObject<HTMLDivElement | null>;
  readonly virtualizer: Virtualizer<HTMLDivElement, Element>;
}

/** Which of `count` rows of `rowHeight` pixels are in view; `overscan` more are drawn either
 *  side, and `rowKey` (the index by default) keeps a row's element as rows come and go. */
export function useVirtualRows({ count, rowHeight, overscan, rowKey }: {
  count: number;
  rowHeight: number;
  overscan: number;
  rowKey?: ((index: number) => Key) | undefined;
}): VirtualRows {
  const scrollRef = useRef<HTMLDivElement>(null);
  // eslint-disable-next-line react-hooks/incompatible-library -- TanStack Virtual is not memoizable; the table re-renders on scroll by design.
  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => rowHeight,
    ...(rowKey === undefined ? {} : { getItemKey: rowKey }),
    overscan,
    // Before the scroll box is measured (and in tests without layout) assume a typical window.
    initialRect: { width: 1000, height: 600 },
  });
  const scrollToTop = useCallback(() => {
    scrollRef.current?.scrollTo({ top: 0 });
  }, []);
  return { drawn: virtualizer.getVirtualItems(), rowHeight, scrollToTop, scrollRef, virtualizer };
}

/** What a screen puts on one row's element: its own class, test id and data, a click. */
export type RowAttributes = {
  className?: string | undefined;
  onClick?: (() => void) | undefined;
} & { [data: `data-${string}`]: string | number | undefined };

/** Draws the rows `rows` says are drawn, under a header that shares their columns. */
export function VirtualTable<Row>({
  rows,
  label,
  rowCount,
  columns,
  minWidth,
  header,
  headerClassName,
  rowAt,
  rowClassName,
  rowAttributes,
  cells,
  loadingRow,
  placeholder,
  footer,
  testId,
  onNearEnd,
  nearEndRows = 0,
}: {
  rows: VirtualRows;
  /** The table's accessible name. */
  label: string;
  /** How many rows the table stands for (loaded or not, header aside); null while unknown. */
  rowCount: number | null;
  /** The CSS grid columns of the header and of every row. */
  columns: string;
  /** Below this width the rows scroll sideways (and the header with them). */
  minWidth?: string | undefined;
  /** The header's cells. */
  header: ReactNode;
  headerClassName: string;
  /** The row at an index, or undefined while it is not loaded. */
  rowAt: (index: number) => Row | undefined;
  /** The class of every row, loaded or not (position, grid and border are the table's). */
  rowClassName: string;
  rowAttributes?: ((row: Row) => RowAttributes) | undefined;
  /** A loaded row's cells. */
  cells: (row: Row) => ReactNode;
  /** How a row that is not loaded yet is drawn; without it such rows are left out. */
  loadingRow?: { testId: string; cells: ReactNode } | undefined;
  /** Shown under the header instead of the rows (while loading, or when nothing matches). */
  placeholder?: ReactNode;
  /** Shown after the last row, inside the scroll box. */
  footer?: ReactNode;
  /** The scroll box's test id. */
  testId: string;
  /** Called on scrolls that bring the end within `nearEndRows` rows of the view. */
  onNearEnd?: (() => void) | undefined;
  nearEndRows?: number | undefined;
}) {
  const headRef = useRef<HTMLDivElement>(null);
  const { drawn, rowHeight, scrollRef, virtualizer } = rows;
  const onScroll = (e: UIEvent<HTMLDivElement>) => {
    const el = e.currentTarget;
    if (headRef.current !== null) headRef.current.scrollLeft = el.scrollLeft;
    if (onNearEnd !== undefined && el.scrollTop + el.clientHeight >= el.scrollHeight - nearEndRows * rowHeight) onNearEnd();
  };
  return (
    <div role="table" aria-label={label} aria-rowcount={rowCount === null ? -1 : rowCount + 1}
      className="flex min-h-[300px] flex-1 flex-col overflow-hidden rounded-lg border border-line bg-panel">
      <div ref={headRef} className="shrink-0 overflow-hidden border-b border-line bg-sunken">
        <div role="row" aria-rowindex={1} className={`grid items-center text-xs text-muted ${headerClassName}`}
          style={{ gridTemplateColumns: columns, minWidth }}>
          {header}
        </div>
      </div>
      {placeholder ?? (
        <div ref={scrollRef} onScroll={onScroll} className="min-h-0 flex-1 overflow-auto" data-testid={testId}>
          <div role="rowgroup" className="relative" style={{ height: virtualizer.getTotalSize(), minWidth }}>
            {drawn.map((item) => {
              const row = rowAt(item.index);
              if (row === undefined && loadingRow === undefined) return null;
              const { className = "", onClick, ...data } = row === undefined ? {} : (rowAttributes?.(row) ?? {});
              return (
                <div key={item.key} role="row" aria-rowindex={item.index + 2} data-index={item.index}
                  data-testid={row === undefined ? loadingRow?.testId : undefined} {...data}
                  className={`absolute inset-x-0 top-0 grid items-center border-b border-line text-sm hover:bg-hover ${rowClassName} ${className}`}
                  style={{ height: rowHeight, transform: `translateY(${item.start}px)`, gridTemplateColumns: columns }}
                  onClick={onClick}>
                  {row === undefined ? loadingRow?.cells : cells(row)}
                </div>
              );
            })}
          </div>
          {footer}
        </div>
      )}
    </div>
  );
}
