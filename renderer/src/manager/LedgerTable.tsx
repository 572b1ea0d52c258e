import { useLayoutEffect, useRef, useState, type HTMLAttributes, type Key, type KeyboardEvent, type ReactNode, type UIEvent } from 'react';

const ROW_HEIGHT = 34;
const VIEW_HEIGHT = 408;
const OVERSCAN = 6;
/** Rows a Page Up or Page Down moves: about one view. */
const PAGE = Math.floor(VIEW_HEIGHT / ROW_HEIGHT) - 1;

/** How a key moves the focused row, or undefined for a key that does not. */
function rowStep(key: string, index: number, count: number): number | undefined {
  const last = count - 1;
  if (key === 'ArrowDown') return Math.min(last, index + 1);
  if (key === 'ArrowUp') return Math.max(0, index - 1);
  if (key === 'PageDown') return Math.min(last, index + PAGE);
  if (key === 'PageUp') return Math.max(0, index - PAGE);
  if (key === 'Home') return 0;
  if (key === 'End') return last;
  return undefined;
}

/** Enter or Space on a row opens it, as a click does. */
const opensRow = (key: string) => key === 'Enter' || key === ' ';

/**
 * A long table drawn a window at a time: a busy day has thousands of orders, and only the twenty
 * or so in view are in the page, so scrolling and filtering stay fast. Every row is ROW_HEIGHT
 * high, so where the box is scrolled says which rows are in view. `box` goes on the scrolling box.
 */
export function useRowWindow(count: number) {
  const [scrollTop, setScrollTop] = useState(0);
  const ref = useRef<HTMLDivElement>(null);
  const first = Math.max(0, Math.floor(scrollTop / ROW_HEIGHT) - OVERSCAN);
  const last = Math.min(count, Math.ceil((scrollTop + VIEW_HEIGHT) / ROW_HEIGHT) + OVERSCAN);

  /** Scrolls the box just enough to show a row below the sticky heading. */
  function reveal(index: number) {
    const element = ref.current;
    if (!element) return;
    const head = element.querySelector('thead')?.offsetHeight ?? 0;
    const top = index * ROW_HEIGHT;
    if (top < element.scrollTop) element.scrollTop = top;
    else if (top + ROW_HEIGHT + head > element.scrollTop + element.clientHeight) element.scrollTop = top + ROW_HEIGHT + head - element.clientHeight;
    setScrollTop(element.scrollTop);
  }

  return { first, last, reveal, box: { ref, style: { maxHeight: VIEW_HEIGHT }, onScroll: (event: UIEvent<HTMLDivElement>) => setScrollTop(event.currentTarget.scrollTop) } };
}

export type LedgerColumn<Row> = {
  header: string;
  cell: (row: Row) => ReactNode;
  /** The cells' class; a `number` column's heading is right-aligned too. */
  className?: 'number' | 'mono' | 'state-cell';
};

type RowAttributes = HTMLAttributes<HTMLTableRowElement> & { [data: `data-${string}`]: string | undefined };

/**
 * The manager's orders and refunds: rows that each open an order. The table is one tab stop (the
 * row last reached, or the first one drawn); arrows, Page Up/Down, Home and End move between rows
 * and Enter or Space opens one, as a click does.
 *
 * `windowed` (useRowWindow) draws only the rows in view, scrolling a row reached by a key into the
 * page, and a row still on its way as an empty one in its place; aria-rowcount and aria-rowindex
 * tell a screen reader where a row is among all of them.
 */
export function LedgerTable<Row>(props: {
  className: string;
  testId?: string;
  /** The id of the words saying how to move between rows. */
  keysId: string;
  columns: readonly LedgerColumn<Row>[];
  /** How many rows there are in all, and the one at a place once it has come. */
  count: number;
  rowAt: (index: number) => Row | undefined;
  windowed?: ReturnType<typeof useRowWindow>;
  /** A row's React key; without it, rows are keyed by place (as a windowed table's must be). */
  keyOf?: (row: Row) => Key;
  /** The order a row opens: the row is drawn selected when that order is `selected`. */
  opens: (row: Row) => string;
  selected: string | null;
  rowAttributes: (row: Row, selected: boolean) => RowAttributes;
  /** `keyboard`: opened with Enter or Space, so the order's panel takes the focus. */
  onOpen: (outTradeNo: string, how: 'pointer' | 'keyboard') => void;
}) {
  const { count, columns, windowed } = props;
  const [focusIndex, setFocusIndex] = useState(0);
  const rows = useRef<(HTMLTableRowElement | null)[]>([]);
  const focusPending = useRef(false);
  const first = windowed?.first ?? 0;
  const last = windowed?.last ?? count;
  const current = Math.min(focusIndex, Math.max(0, count - 1));
  // Scrolled away with the mouse, the reached row is no longer in the page: the first drawn row
  // takes the tab stop, so the table can always be reached with Tab.
  const tabStop = current >= first && current < last ? current : first;

  // A row reached by a key in a windowed table is focused once it is drawn (it may need a scroll
  // first), before the browser paints, so no frame shows the focus nowhere.
  useLayoutEffect(() => {
    if (!focusPending.current) return;
    const row = rows.current[current];
    if (!row) return;
    focusPending.current = false;
    row.focus({ preventScroll: true });
  });

  function onKeyDown(event: KeyboardEvent<HTMLTableRowElement>, index: number, row: Row | undefined) {
    if (opensRow(event.key)) {
      if (row === undefined) return;
      event.preventDefault();
      setFocusIndex(index);
      props.onOpen(props.opens(row), 'keyboard');
      return;
    }
    const next = rowStep(event.key, index, count);
    if (next === undefined) return;
    event.preventDefault();
    setFocusIndex(next);
    if (windowed) {
      focusPending.current = true;
      windowed.reveal(next);
    } else {
      rows.current[next]?.focus();
    }
  }

  const spacer = (hidden: number) => windowed && <tr style={{ height: hidden * ROW_HEIGHT }} aria-hidden="true" />;
  return (
    <table className={props.className} data-testid={props.testId} aria-rowcount={windowed && count + 1} aria-describedby={props.keysId}>
      <thead>
        <tr aria-rowindex={windowed && 1}>
          {columns.map((column) => (
            <th key={column.header} scope="col" className={column.className === 'number' ? 'number' : undefined}>
              {column.header}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {spacer(first)}
        {Array.from({ length: Math.max(0, last - first) }, (_, offset) => {
          const index = first + offset;
          const row = props.rowAt(index);
          const common = {
            ref: (element: HTMLTableRowElement | null) => {
              rows.current[index] = element;
            },
            onKeyDown: (event: KeyboardEvent<HTMLTableRowElement>) => onKeyDown(event, index, row),
            tabIndex: index === tabStop ? 0 : -1,
            ...(windowed && { style: { height: ROW_HEIGHT }, 'aria-rowindex': index + 2, 'data-index': index }),
          };
          // Keyed by place, so a row that arrives keeps the focus its placeholder had.
          if (row === undefined) {
            return (
              <tr key={index} {...common} aria-busy="true">
                <td colSpan={columns.length} />
              </tr>
            );
          }
          const opens = props.opens(row);
          return (
            <tr
              key={props.keyOf?.(row) ?? index}
              {...common}
              {...props.rowAttributes(row, props.selected === opens)}
              onClick={() => {
                setFocusIndex(index);
                props.onOpen(opens, 'pointer');
              }}
            >
              {columns.map((column) => (
                <td key={column.header} className={column.className}>
                  {column.cell(row)}
                </td>
              ))}
            </tr>
          );
        })}
        {spacer(count - last)}
      </tbody>
    </table>
  );
}
