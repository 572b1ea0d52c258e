import { useTranslation } from 'react-i18next';
import { formatHongKongTimestamp } from '../../../shared/hkTime';
import type { Language, RefundView } from '../../../shared/ipc/contract';
import { formatHKD } from '../../../shared/money';
import { periodWords } from '../../../shared/i18n/bookWords';
import { LedgerTable, type LedgerColumn } from './LedgerTable';

/**
 * The day's refunds; a row opens its order, from the keyboard as in the orders' table. Refunds are
 * few beside orders: the first page is drawn whole, and a day with more says so (the CSV holds
 * them all).
 */
export function RefundsTable(props: { refunds: readonly RefundView[]; count: number; language: Language; selected: string | null; withDate?: boolean; filtered?: boolean; onSelect: (orderOutTradeNo: string, how: 'pointer' | 'keyboard') => void }) {
  const { t } = useTranslation();
  const { refunds, language } = props;
  const columns: LedgerColumn<RefundView>[] = [
    { header: t('time'), cell: (refund) => (props.withDate ? formatHongKongTimestamp(refund.createdAt).slice(5, 16) : formatHongKongTimestamp(refund.createdAt).slice(11)) },
    { header: t('manager.ofOrder'), className: 'mono', cell: (refund) => refund.orderOutTradeNo },
    { header: t('amount'), className: 'number', cell: (refund) => formatHKD(refund.amount, language) },
    {
      header: t('state'),
      cell: (refund) => (
        <>
          {refund.attention && <span className="badge badge-attention">⚠ {t('needsManager')}</span>}
          {t(`refundStates.${refund.state}`)}
        </>
      ),
    },
    { header: t('manager.period'), cell: (refund) => (refund.period ? periodWords(t, refund.period) : '') },
  ];
  return (
    <section aria-labelledby="refunds-heading">
      <h2 id="refunds-heading">{t('manager.refundsOfDay', { count: props.count })}</h2>
      {props.count > refunds.length && <p className="hint">{t('manager.firstRefunds', { shown: refunds.length, count: props.count })}</p>}
      {refunds.length === 0 ? (
        <p className="hint">{t(props.filtered ? 'sales.noRefundMatches' : props.withDate ? 'sales.noRefundsInRange' : 'manager.noRefunds')}</p>
      ) : (
        <LedgerTable
          className="refunds-table"
          testId="refunds-table"
          keysId="refunds-keys"
          columns={columns}
          count={refunds.length}
          rowAt={(index) => refunds[index]}
          keyOf={(refund) => refund.outTradeNo}
          opens={(refund) => refund.orderOutTradeNo}
          selected={props.selected}
          rowAttributes={(refund, selected) => ({ className: selected ? 'selected' : undefined, 'data-refund': refund.outTradeNo })}
          onOpen={props.onSelect}
        />
      )}
      <p id="refunds-keys" className="sr-only">
        {t('manager.rowKeys')}
      </p>
    </section>
  );
}
