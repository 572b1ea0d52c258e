import { useTranslation } from 'react-i18next';
import { formatHongKongTimestamp } from '../../../shared/hkTime';
import type { OrderView } from '../../../shared/ipc/contract';
import { formatHKD, type DisplayLocale } from '../../../shared/money';
import { walletById } from '../../../shared/wallets';

/**
 * Payments that landed after a cancel or an expiry: money is in that the till had given up on.
 * The banner stays (and chimes) until someone at the counter acknowledges each one; keeping or
 * refunding it is the manager's decision.
 */
export function LateAlerts(props: { alerts: readonly OrderView[]; language: DisplayLocale; onAcknowledge: (outTradeNo: string) => void; onOpenManager?: () => void }) {
  const { t } = useTranslation();
  if (props.alerts.length === 0) return null;
  return (
    <section className="late-alerts" role="alert" aria-labelledby="late-alerts-title" data-testid="late-alerts">
      <h2 id="late-alerts-title">{t('late.title', { count: props.alerts.length })}</h2>
      <p>{t('late.explain')}</p>
      <ul>
        {props.alerts.map((order) => (
          <li key={order.outTradeNo}>
            <span className="late-what">
              {formatHKD(order.amount, props.language)} · {walletById(order.wallet).names[props.language]} · {formatHongKongTimestamp(order.createdAt).slice(11, 16)}{' '}
              <span className="mono">{order.outTradeNo}</span>
            </span>
            <button type="button" onClick={() => props.onAcknowledge(order.outTradeNo)}>
              {t('late.acknowledge')}
            </button>
          </li>
        ))}
      </ul>
      {props.onOpenManager && (
        <button type="button" className="late-manager" onClick={props.onOpenManager}>
          {t('late.openManager')}
        </button>
      )}
    </section>
  );
}
