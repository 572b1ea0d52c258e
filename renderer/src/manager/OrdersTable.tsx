import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { formatHongKongTimestamp } from '../../../shared/hkTime';
import type { Language, OrderView } from '../../../shared/ipc/contract';
import { formatHKD } from '../../../shared/money';
import { walletById } from '../../../shared/wallets';
import { environmentName, periodWords } from '../../../shared/i18n/bookWords';
import { LedgerTable, useRowWindow, type LedgerColumn } from './LedgerTable';

/**
 * The day's orders, drawn a window at a time (useRowWindow). The rows themselves come from the till
 * a page at a time (useDayOrders): the table says which it draws, and draws a row still on its way
 * as an empty one in its place. A row opens its order.
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
  /** The list spans several days: each time says its day too. */
  withDate?: boolean;
  /** `keyboard`: opened with Enter or Space, so the order's panel takes the focus. */
  onSelect: (outTradeNo: string, how: 'pointer' | 'keyboard') => void;
}) {
  const { t } = useTranslation();
  const { language, environment, onDrawn } = props;
  const rows = useRowWindow(props.count);
  useEffect(() => onDrawn?.(rows.first, rows.last), [onDrawn, rows.first, rows.last]);
  const columns: LedgerColumn<OrderView>[] = [
    { header: t('time'), cell: (order) => (props.withDate ? formatHongKongTimestamp(order.createdAt).slice(5, 16) : formatHongKongTimestamp(order.createdAt).slice(11)) },
    { header: t('manager.number'), className: 'mono', cell: (order) => order.outTradeNo },
    { header: t('wallet'), cell: (order) => walletById(order.wallet).names[language] },
    { header: t('amount'), className: 'number', cell: (order) => formatHKD(order.amount, language) },
    {
      header: t('state'),
      className: 'state-cell',
      cell: (order) => (
        <>
          {order.attention && (
            <span className="badge badge-attention" title={t(`attention.${order.attention}`)} data-testid="attention-marker">
              ⚠ {t('needsManager')}
            </span>
          )}
          {t(`states.${order.state}`)}
          {order.refunded > 0 ? ` · −${formatHKD(order.refunded, language)}` : ''}
          {order.madeOn && (
            <span className="badge badge-other" title={t('madeOn', { made: environmentName(t, order.madeOn), runs: environmentName(t, environment) })}>
              {t('manager.madeOnShort', { made: environmentName(t, order.madeOn) })}
            </span>
          )}
        </>
      ),
    },
    { header: t('manager.period'), cell: (order) => (order.period ? periodWords(t, order.period) : '') },
  ];
  return (
    <div className="orders-scroll" {...rows.box} data-testid="orders-table">
      <LedgerTable
        className="orders"
        keysId="orders-keys"
        columns={columns}
        count={props.count}
        rowAt={props.orderAt}
        windowed={rows}
        opens={(order) => order.outTradeNo}
        selected={props.selected}
        rowAttributes={(order, selected) => ({ className: `row-${order.state}${selected ? ' selected' : ''}`, 'aria-current': selected ? 'true' : undefined, 'data-order': order.outTradeNo })}
        onOpen={props.onSelect}
      />
      <p id="orders-keys" className="sr-only">
        {t('manager.rowKeys')}
      </p>
    </div>
  );
}
