import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { formatHongKongTimestamp } from '../../../shared/hkTime';
import type { OrderView } from '../../../shared/ipc/contract';
import { formatHKD, type DisplayLocale } from '../../../shared/money';
import { walletById } from '../../../shared/wallets';
import { environmentName, periodWords } from '../../../shared/i18n/bookWords';

/**
 * Today's orders, with what the cashier must know at a glance: an order a manager must decide,
 * one made on another environment, and the Z period each paid order counts in. The column is
 * narrow beside the sale, so the period and the badges sit under the state, not in columns of
 * their own.
 */
export function TodayOrders(props: {
  orders: readonly OrderView[];
  language: DisplayLocale;
  /** Items waiting for a manager (from any day), and the open period's number, from todayOrders. */
  beforeManager: number;
  openPeriod: number | null;
  environment: string;
  onOpenManager?: () => void;
  /** Orders whose slip waits for the printer; the one whose slip is open; opening one. */
  notPrinted?: readonly string[];
  slipOf?: string | null;
  onSlip?: (outTradeNo: string) => void;
  /** The open slip's panel, shown under the list. */
  children?: ReactNode;
}) {
  const { t } = useTranslation();
  const { orders, language } = props;
  return (
    <section className="today" aria-labelledby="today-heading">
      <div className="today-head">
        <h2 id="today-heading">{t('todayOrders')}</h2>
        {props.openPeriod !== null && (
          <span className="today-period" data-testid="sales-go-into">
            {t('salesGoInto', { number: props.openPeriod })}
          </span>
        )}
      </div>
      {props.beforeManager > 0 && (
        <div className="manager-notice" role="status" data-testid="manager-notice">
          <span>{t('itemsNeedManager', { count: props.beforeManager })}</span>
          {props.onOpenManager && (
            <button type="button" onClick={props.onOpenManager}>
              {t('openManager')}
            </button>
          )}
        </div>
      )}
      {orders.length === 0 ? (
        <p>{t('noOrders')}</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">{t('time')}</th>
              <th scope="col">{t('wallet')}</th>
              <th scope="col" className="number">{t('amount')}</th>
              <th scope="col">{t('state')}</th>
              {props.onSlip && <th scope="col">{t('slip.title')}</th>}
            </tr>
          </thead>
          <tbody>
            {orders.map((order) => (
              <tr key={order.outTradeNo} className={`row-${order.state}${order.attention ? ' row-attention' : ''}`} title={order.outTradeNo} data-order={order.outTradeNo}>
                <td>{formatHongKongTimestamp(order.createdAt).slice(11, 16)}</td>
                <td>{walletById(order.wallet).names[language]}</td>
                <td className="number">{formatHKD(order.amount, language)}</td>
                <td>
                  {t(`states.${order.state}`)}
                  {order.attention && (
                    <span className="badge badge-attention" title={t(`attention.${order.attention}`)}>
                      {t('needsManager')}
                    </span>
                  )}
                  {order.madeOn && <span className="badge badge-other">{t('madeOn', { made: environmentName(t, order.madeOn), runs: environmentName(t, props.environment) })}</span>}
                  {props.notPrinted?.includes(order.outTradeNo) && <span className="badge badge-attention">{t('slip.notPrintedBadge')}</span>}
                  {order.period && (
                    <span className="period-cell" title={t('manager.period')}>
                      {periodWords(t, order.period)}
                    </span>
                  )}
                </td>
                {props.onSlip && (
                  <td className="slip-cell">
                    {(order.state === 'paid' || order.state === 'paid_late') && (
                      <button type="button" aria-expanded={props.slipOf === order.outTradeNo} onClick={() => props.onSlip?.(order.outTradeNo)}>
                        {t('slip.show')}
                      </button>
                    )}
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {props.children}
    </section>
  );
}
