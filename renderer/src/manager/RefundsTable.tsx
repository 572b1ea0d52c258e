import { useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { formatHongKongTimestamp } from '../../../shared/hkTime';
import type { Language, RefundView } from '../../../shared/ipc/contract';
import { formatHKD } from '../../../shared/money';
import { periodWords } from '../common/bookWords';
import { opensRow, rowStep } from './OrdersTable';

/**
 * The day's refunds; a row opens its order. Like the orders, the table is one tab stop, arrows
 * move between rows and Enter or Space opens one. Refunds are few beside orders: the first page
 * is drawn whole, and a day with more says so (the CSV holds them all).
 */
export function RefundsTable(props: { refunds: readonly RefundView[]; count: number; language: Language; selected: string | null; onSelect: (orderOutTradeNo: string, how: 'pointer' | 'keyboard') => void }) {
  const { t } = useTranslation();
  const [focusIndex, setFocusIndex] = useState(0);
  const rows = useRef<(HTMLTableRowElement | null)[]>([]);
  const { refunds, language } = props;
  const tabStop = Math.min(focusIndex, Math.max(0, refunds.length - 1));

  function onKeyDown(event: KeyboardEvent<HTMLTableRowElement>, index: number, orderOutTradeNo: string) {
    if (opensRow(event.key)) {
      event.preventDefault();
      setFocusIndex(index);
      props.onSelect(orderOutTradeNo, 'keyboard');
      return;
    }
    const next = rowStep(event.key, index, refunds.length);
    if (next === undefined) return;
    event.preventDefault();
    setFocusIndex(next);
    rows.current[next]?.focus();
  }

  return (
    <section aria-labelledby="refunds-heading">
      <h2 id="refunds-heading">{t('manager.refundsOfDay', { count: props.count })}</h2>
      {props.count > refunds.length && <p className="hint">{t('manager.firstRefunds', { shown: refunds.length, count: props.count })}</p>}
      {refunds.length === 0 ? (
        <p className="hint">{t('manager.noRefunds')}</p>
      ) : (
        <table className="refunds-table" data-testid="refunds-table" aria-describedby="refunds-keys">
          <thead>
            <tr>
              <th scope="col">{t('time')}</th>
              <th scope="col">{t('manager.ofOrder')}</th>
              <th scope="col" className="number">
                {t('amount')}
              </th>
              <th scope="col">{t('state')}</th>
              <th scope="col">{t('manager.period')}</th>
            </tr>
          </thead>
          <tbody>
            {refunds.map((refund, index) => (
              <tr
                key={refund.outTradeNo}
                ref={(element) => {
                  rows.current[index] = element;
                }}
                className={props.selected === refund.orderOutTradeNo ? 'selected' : undefined}
                onClick={() => {
                  setFocusIndex(index);
                  props.onSelect(refund.orderOutTradeNo, 'pointer');
                }}
                onKeyDown={(event) => onKeyDown(event, index, refund.orderOutTradeNo)}
                tabIndex={index === tabStop ? 0 : -1}
                data-refund={refund.outTradeNo}
              >
                <td>{formatHongKongTimestamp(refund.createdAt).slice(11)}</td>
                <td className="mono">{refund.orderOutTradeNo}</td>
                <td className="number">{formatHKD(refund.amount, language)}</td>
                <td>
                  {refund.attention && <span className="badge badge-attention">⚠ {t('needsManager')}</span>}
                  {t(`refundStates.${refund.state}`)}
                </td>
                <td>{refund.period ? periodWords(t, refund.period) : ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p id="refunds-keys" className="sr-only">
        {t('manager.rowKeys')}
      </p>
    </section>
  );
}
