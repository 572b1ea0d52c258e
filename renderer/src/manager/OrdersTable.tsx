import { useEffect, useLayoutEffect, useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { formatHongKongTimestamp } from '../../../shared/hkTime';
import type { Language, OrderView } from '../../../shared/ipc/contract';
import { formatHKD } from '../../../shared/money';
import { walletById } from '../../../shared/wallets';
import { environmentName, periodWords } from '../common/bookWords';

/**
 * The day's orders, drawn a window at a time: a busy day has thousands of rows, and only the
 * twenty or so in view are in the page, so scrolling and filtering stay fast. The rows themselves
 * come from the till a page at a time (useDayOrders): the table says which it draws, and draws a
 * row still on its way as an empty one in its place.
 */
const ROW_HEIGHT = 34;
const VIEW_HEIGHT = 408;
const OVERSCAN = 6;
/** Rows a Page Up or Page Down moves: about one view. */
const PAGE = Math.floor(VIEW_HEIGHT / ROW_HEIGHT) - 1;

/** How a key moves the focused row, or undefined for a key that does not. */
export function rowStep(key: string, index: number, count: number): number | undefined {
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
export const opensRow = (key: string) => key === 'Enter' || key === ' ';

/**
 * The table is one tab stop (the row last reached, or the first one drawn); arrows, Page Up/Down,
 * Home and End move between rows, scrolling rows not yet drawn into the page; Enter or Space opens
 * the order. Only a few rows exist in the page at a time, so aria-rowcount and aria-rowindex tell
 * a screen reader where a row is among all of them.
 */
export function OrdersTable(props: {
  /** How many orders there are in all, and the one at a place among them once it has come. */
  count: number;
  orderAt: (index: number) => OrderView | undefined;
  /** The rows drawn now, [first, last): the ones to have. */
  onDrawn?: (first: number, last: number) => void;
  language: Language;
  environment: string;
  selected: string | null;
  /** `keyboard`: opened with Enter or Space, so the order's panel takes the focus. */
  onSelect: (outTradeNo: string, how: 'pointer' | 'keyboard') => void;
}) {
  const { t } = useTranslation();
  const [scrollTop, setScrollTop] = useState(0);
  const [focusIndex, setFocusIndex] = useState(0);
  const box = useRef<HTMLDivElement>(null);
  const focusPending = useRef(false);
  const { count, onDrawn } = props;
  const first = Math.max(0, Math.floor(scrollTop / ROW_HEIGHT) - OVERSCAN);
  const last = Math.min(count, Math.ceil((scrollTop + VIEW_HEIGHT) / ROW_HEIGHT) + OVERSCAN);
  const shown = Array.from({ length: Math.max(0, last - first) }, (_, offset) => props.orderAt(first + offset));
  useEffect(() => onDrawn?.(first, last), [onDrawn, first, last]);
  const current = Math.min(focusIndex, Math.max(0, count - 1));
  // Scrolled away with the mouse, the reached row is no longer in the page: the first drawn row
  // takes the tab stop, so the table can always be reached with Tab.
  const tabStop = current >= first && current < last ? current : first;

  // A row reached by a key is focused once it is drawn (it may need a scroll first), before the
  // browser paints, so no frame shows the focus nowhere.
  useLayoutEffect(() => {
    if (!focusPending.current) return;
    const row = box.current?.querySelector<HTMLElement>(`tr[data-index="${current}"]`);
    if (!row) return;
    focusPending.current = false;
    row.focus({ preventScroll: true });
  });

  function reveal(index: number) {
    const element = box.current;
    if (!element) return;
    const head = element.querySelector('thead')?.offsetHeight ?? 0;
    const top = index * ROW_HEIGHT;
    if (top < element.scrollTop) element.scrollTop = top;
    else if (top + ROW_HEIGHT + head > element.scrollTop + element.clientHeight) element.scrollTop = top + ROW_HEIGHT + head - element.clientHeight;
    setScrollTop(element.scrollTop);
  }

  function onKeyDown(event: KeyboardEvent<HTMLTableRowElement>, index: number, outTradeNo: string | undefined) {
    if (opensRow(event.key)) {
      if (outTradeNo === undefined) return;
      event.preventDefault();
      setFocusIndex(index);
      props.onSelect(outTradeNo, 'keyboard');
      return;
    }
    const next = rowStep(event.key, index, count);
    if (next === undefined) return;
    event.preventDefault();
    setFocusIndex(next);
    focusPending.current = true;
    reveal(next);
  }

  return (
    <div className="orders-scroll" ref={box} style={{ maxHeight: VIEW_HEIGHT }} onScroll={(event) => setScrollTop(event.currentTarget.scrollTop)} data-testid="orders-table">
      <table className="orders" aria-rowcount={count + 1} aria-describedby="orders-keys">
        <thead>
          <tr aria-rowindex={1}>
            <th scope="col">{t('time')}</th>
            <th scope="col">{t('manager.number')}</th>
            <th scope="col">{t('wallet')}</th>
            <th scope="col" className="number">
              {t('amount')}
            </th>
            <th scope="col">{t('state')}</th>
            <th scope="col">{t('manager.period')}</th>
          </tr>
        </thead>
        <tbody>
          <tr style={{ height: first * ROW_HEIGHT }} aria-hidden="true" />
          {shown.map((order, offset) => {
            const index = first + offset;
            // Keyed by place, so a row that arrives keeps the focus its placeholder had.
            if (!order) {
              return (
                <tr key={index} style={{ height: ROW_HEIGHT }} aria-busy="true" onKeyDown={(event) => onKeyDown(event, index, undefined)} tabIndex={index === tabStop ? 0 : -1} aria-rowindex={index + 2} data-index={index}>
                  <td colSpan={6} />
                </tr>
              );
            }
            const open = props.selected === order.outTradeNo;
            return (
              <tr
                key={index}
                style={{ height: ROW_HEIGHT }}
                className={`row-${order.state}${open ? ' selected' : ''}`}
                onClick={() => {
                  setFocusIndex(index);
                  props.onSelect(order.outTradeNo, 'pointer');
                }}
                onKeyDown={(event) => onKeyDown(event, index, order.outTradeNo)}
                tabIndex={index === tabStop ? 0 : -1}
                aria-rowindex={index + 2}
                aria-current={open ? 'true' : undefined}
                data-order={order.outTradeNo}
                data-index={index}
              >
                <td>{formatHongKongTimestamp(order.createdAt).slice(11)}</td>
                <td className="mono">{order.outTradeNo}</td>
                <td>{walletById(order.wallet).names[props.language]}</td>
                <td className="number">{formatHKD(order.amount, props.language)}</td>
                <td className="state-cell">
                  {order.attention && (
                    <span className="badge badge-attention" title={t(`attention.${order.attention}`)} data-testid="attention-marker">
                      ⚠ {t('needsManager')}
                    </span>
                  )}
                  {t(`states.${order.state}`)}
                  {order.refunded > 0 ? ` · −${formatHKD(order.refunded, props.language)}` : ''}
                  {order.madeOn && (
                    <span className="badge badge-other" title={t('madeOn', { made: environmentName(t, order.madeOn), runs: environmentName(t, props.environment) })}>
                      {t('manager.madeOnShort', { made: environmentName(t, order.madeOn) })}
                    </span>
                  )}
                </td>
                <td>{order.period ? periodWords(t, order.period) : ''}</td>
              </tr>
            );
          })}
          <tr style={{ height: (count - last) * ROW_HEIGHT }} aria-hidden="true" />
        </tbody>
      </table>
      <p id="orders-keys" className="sr-only">
        {t('manager.rowKeys')}
      </p>
    </div>
  );
}
