import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatHongKongTimestamp } from '../../../shared/hkTime';
import type { Language, OrderView } from '../../../shared/ipc/contract';
import { formatHKD } from '../../../shared/money';
import { walletById } from '../../../shared/wallets';
import { environmentName, periodWords } from '../common/bookWords';

/**
 * The day's orders, drawn a window at a time: a busy day has thousands of rows, and only the
 * twenty or so in view are in the page, so scrolling and filtering stay fast.
 */
const ROW_HEIGHT = 34;
const VIEW_HEIGHT = 408;
const OVERSCAN = 6;

export function OrdersTable(props: { orders: readonly OrderView[]; language: Language; environment: string; selected: string | null; onSelect: (outTradeNo: string) => void }) {
  const { t } = useTranslation();
  const [scrollTop, setScrollTop] = useState(0);
  const first = Math.max(0, Math.floor(scrollTop / ROW_HEIGHT) - OVERSCAN);
  const last = Math.min(props.orders.length, Math.ceil((scrollTop + VIEW_HEIGHT) / ROW_HEIGHT) + OVERSCAN);
  const shown = props.orders.slice(first, last);
  return (
    <div className="orders-scroll" style={{ maxHeight: VIEW_HEIGHT }} onScroll={(event) => setScrollTop(event.currentTarget.scrollTop)} data-testid="orders-table">
      <table className="orders">
        <thead>
          <tr>
            <th scope="col">{t('time')}</th>
            <th scope="col">{t('manager.number')}</th>
            <th scope="col">{t('wallet')}</th>
            <th scope="col" className="number">{t('amount')}</th>
            <th scope="col">{t('state')}</th>
            <th scope="col">{t('manager.period')}</th>
          </tr>
        </thead>
        <tbody>
          <tr style={{ height: first * ROW_HEIGHT }} aria-hidden="true" />
          {shown.map((order) => (
            <tr
              key={order.outTradeNo}
              style={{ height: ROW_HEIGHT }}
              className={`row-${order.state}${props.selected === order.outTradeNo ? ' selected' : ''}`}
              onClick={() => props.onSelect(order.outTradeNo)}
              onKeyDown={(event) => event.key === 'Enter' && props.onSelect(order.outTradeNo)}
              tabIndex={0}
              data-order={order.outTradeNo}
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
          ))}
          <tr style={{ height: (props.orders.length - last) * ROW_HEIGHT }} aria-hidden="true" />
        </tbody>
      </table>
    </div>
  );
}
