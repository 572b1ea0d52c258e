import { useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatHongKongTimestamp, hongKongDay } from '../../../shared/hkTime';
import type { DayView as Day, Language, OrderDetail, PosApi } from '../../../shared/ipc/contract';
import { PAYMENT_STATES } from '../../../shared/ledger/lifecycle';
import { formatHKD } from '../../../shared/money';
import { WALLETS } from '../../../shared/wallets';
import { OrderPanel } from './OrderPanel';
import { OrdersTable } from './OrdersTable';
import { ReportTable } from './ReportTable';

/** The manager's day: every order and refund, totals, late payments to decide, export, Z report. */
export function DayView({ api, language }: { api: PosApi<'cashier'>; language: Language }) {
  const { t } = useTranslation();
  const [date, setDate] = useState(() => hongKongDay(Date.now()));
  const [day, setDay] = useState<Day | null>(null);
  const [wallet, setWallet] = useState('');
  const [state, setState] = useState('');
  const [selected, setSelected] = useState<string | null>(null);
  const [detail, setDetail] = useState<OrderDetail | null>(null);
  const [message, setMessage] = useState<string | null>(null);

  const load = useCallback(async () => {
    const result = await api.commands.managerDay({ day: date });
    if (result.ok) setDay(result.value);
    else setMessage(result.error.message[language]);
  }, [api, date, language]);

  const loadDetail = useCallback(
    async (outTradeNo: string) => {
      setSelected(outTradeNo);
      const result = await api.commands.managerOrder({ outTradeNo });
      if (result.ok) setDetail(result.value);
    },
    [api],
  );

  useEffect(() => {
    void load();
  }, [load]);

  const shown = useMemo(() => (day?.orders ?? []).filter((order) => (!wallet || order.wallet === wallet) && (!state || order.state === state)), [day, wallet, state]);
  const late = (day?.orders ?? []).filter((order) => order.state === 'paid_late');

  const refresh = async () => {
    await load();
    if (selected) await loadDetail(selected);
  };

  async function resolveNow() {
    const result = await api.commands.managerResolveNow({});
    setMessage(result.ok ? t('manager.resolved', { queried: result.value.queried, changed: result.value.changed }) : result.error.message[language]);
    await refresh();
  }

  async function exportCsv() {
    const result = await api.commands.managerExportDay({ day: date });
    if (!result.ok) return setMessage(result.error.message[language]);
    // A download in a browser; in Electron, the same link opens its save dialog.
    const link = document.createElement('a');
    link.href = URL.createObjectURL(new Blob([result.value.csv], { type: 'text/csv;charset=utf-8' }));
    link.download = result.value.fileName;
    link.click();
    URL.revokeObjectURL(link.href);
  }

  async function closeDay() {
    if (!window.confirm(t('manager.confirmClose', { day: date }))) return;
    const result = await api.commands.managerCloseDay({ day: date });
    setMessage(result.ok ? t('manager.closed', { number: result.value.report.number }) : result.error.message[language]);
    await load();
  }

  async function keep(outTradeNo: string) {
    const result = await api.commands.managerKeepLatePayment({ outTradeNo });
    if (!result.ok) setMessage(result.error.message[language]);
    await refresh();
  }

  return (
    <div className="day-view">
      <div className="toolbar">
        <label>
          {t('manager.date')}
          <input type="date" value={date} onChange={(event) => event.target.value && setDate(event.target.value)} />
        </label>
        <select aria-label={t('wallet')} value={wallet} onChange={(event) => setWallet(event.target.value)}>
          <option value="">{t('manager.allWallets')}</option>
          {WALLETS.map((item) => (
            <option key={item.id} value={item.id}>
              {item.names[language]}
            </option>
          ))}
        </select>
        <select aria-label={t('state')} value={state} onChange={(event) => setState(event.target.value)}>
          <option value="">{t('manager.allStates')}</option>
          {PAYMENT_STATES.map((item) => (
            <option key={item} value={item}>
              {t(`states.${item}`)}
            </option>
          ))}
        </select>
        <button type="button" onClick={() => void resolveNow()}>
          {t('manager.resolveNow')}
        </button>
        <button type="button" onClick={() => void exportCsv()}>
          {t('manager.exportCsv')}
        </button>
        <button type="button" onClick={() => window.print()}>
          {t('manager.print')}
        </button>
        <button type="button" className="secondary" onClick={() => void closeDay()}>
          {t('manager.closeDay')}
        </button>
      </div>
      <p className="notice" role="status">
        {message}
      </p>
      {day && <ReportTable report={day.report} language={language} />}
      {late.length > 0 && (
        <section className="late">
          <h3>{t('manager.latePayments')}</h3>
          <ul>
            {late.map((order) => (
              <li key={order.outTradeNo}>
                <span className="mono">{order.outTradeNo}</span> · {formatHKD(order.amount, language)}{' '}
                <button type="button" onClick={() => void keep(order.outTradeNo)}>
                  {t('manager.keep')}
                </button>{' '}
                <button type="button" onClick={() => void loadDetail(order.outTradeNo)}>
                  {t('manager.refundAll')}
                </button>
              </li>
            ))}
          </ul>
        </section>
      )}
      <div className="day-columns">
        <section>
          <h3>{t('manager.orders', { count: shown.length })}</h3>
          <OrdersTable orders={shown} language={language} selected={selected} onSelect={(number) => void loadDetail(number)} />
          <h3>{t('manager.refundsOfDay', { count: day?.refunds.length ?? 0 })}</h3>
          <table className="refunds-table" data-testid="refunds-table">
            <tbody>
              {(day?.refunds ?? []).map((refund) => (
                <tr key={refund.outTradeNo} onClick={() => void loadDetail(refund.orderOutTradeNo)}>
                  <td>{formatHongKongTimestamp(refund.createdAt).slice(11)}</td>
                  <td className="mono">{refund.orderOutTradeNo}</td>
                  <td className="number">{formatHKD(refund.amount, language)}</td>
                  <td>{t(`refundStates.${refund.state}`)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
        {detail ? <OrderPanel api={api} language={language} detail={detail} onChanged={() => void refresh()} /> : <p className="hint">{t('manager.noSelection')}</p>}
      </div>
    </div>
  );
}
