import { useTranslation } from 'react-i18next';
import { formatHongKongTimestamp } from '../../../shared/hkTime';
import type { OrderView } from '../../../shared/ipc/contract';
import { formatHKD, type DisplayLocale } from '../../../shared/money';
import { walletById } from '../../../shared/wallets';

export function TodayOrders({ orders, language }: { orders: readonly OrderView[]; language: DisplayLocale }) {
  const { t } = useTranslation();
  return (
    <section className="today" aria-labelledby="today-heading">
      <h2 id="today-heading">{t('todayOrders')}</h2>
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
            </tr>
          </thead>
          <tbody>
            {orders.map((order) => (
              <tr key={order.outTradeNo} className={`row-${order.state}`} title={order.outTradeNo}>
                <td>{formatHongKongTimestamp(order.createdAt).slice(11, 16)}</td>
                <td>{walletById(order.wallet).names[language]}</td>
                <td className="number">{formatHKD(order.amount, language)}</td>
                <td>{t(`states.${order.state}`)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
