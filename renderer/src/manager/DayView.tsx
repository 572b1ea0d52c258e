import { useCallback, useEffect, useEffectEvent, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { hongKongDay } from '../../../shared/hkTime';
import { MAX_DAY_ROWS, type DayRows, type DayView as Day, type Language, type OrderDetail, type PosApi, type RefundView } from '../../../shared/ipc/contract';
import { formatHKD } from '../../../shared/money';
import { environmentName } from '../../../shared/i18n/bookWords';
import { BeforeManagerPanel } from './BeforeManagerPanel';
import { OrderPanel } from './OrderPanel';
import { WalletAndStateFilters } from './OrderFilters';
import { OrdersTable } from './OrdersTable';
import { RefundsTable } from './RefundsTable';
import { EnvironmentTable } from './TotalsTable';
import { useDayOrders } from './useDayOrders';
import { DayPicker } from './DayPicker';
import { saveCsv, savedToKey, sentenceGap } from './saveCsv';

/** Where the manager is on the day's view: the day shown, and the order open. */
export interface DayPlace {
  readonly date: string;
  readonly order: string | null;
}

/**
 * The manager's day: what waits for a manager, the day's money per environment, and every order
 * and refund of the day. The books (the day compared with QFPay, X and Z) are on ReportsView.
 */
export function DayView({ api, language, place, onPlace }: { api: PosApi<'cashier'>; language: Language; place?: DayPlace; onPlace?: (place: DayPlace) => void }) {
  const { t } = useTranslation();
  const [date, setDate] = useState(() => place?.date ?? hongKongDay(Date.now()));
  const [day, setDay] = useState<Day | null>(null);
  const [wallet, setWallet] = useState('');
  const [state, setState] = useState('');
  const [selected, setSelected] = useState<string | null>(null);
  const [detail, setDetail] = useState<OrderDetail | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [exportedOthers, setExportedOthers] = useState<readonly string[]>([]);
  const detailRef = useRef<HTMLDivElement>(null);
  const bringDetail = useRef(false);

  // The day's figures come whole; its rows a page at a time, only those drawn (refunds: the first page).
  const [version, setVersion] = useState(0);
  const [refunds, setRefunds] = useState<DayRows<RefundView> | null>(null);
  const orders = useDayOrders(api, date, { wallet, state }, version);
  const load = useCallback(async () => {
    const [result, refundRows] = await Promise.all([api.commands.managerDay({ day: date }), api.commands.managerDayRefunds({ day: date, offset: 0, limit: MAX_DAY_ROWS })]);
    if (result.ok) setDay(result.value);
    else setMessage(result.error.message[language]);
    setRefunds(refundRows.ok ? refundRows.value : null);
    setVersion((count) => count + 1);
  }, [api, date, language]);

  const loadDetail = useCallback(
    async (outTradeNo: string) => {
      setSelected(outTradeNo);
      const result = await api.commands.managerOrder({ outTradeNo });
      if (result.ok) setDetail(result.value);
      else setMessage(result.error.message[language]);
    },
    [api, language],
  );

  useEffect(() => {
    void load();
  }, [load]);

  // Where the manager was (the day, the order open), kept by the manager's screen: after the PIN
  // is asked again (ten idle minutes, a reload) the same order is open again.
  const reopen = useRef(place?.order ?? null);
  useEffect(() => {
    if (reopen.current) void loadDetail(reopen.current);
    reopen.current = null;
  }, [loadDetail]);
  const placeChanged = useEffectEvent((next: DayPlace) => onPlace?.(next));
  useEffect(() => placeChanged({ date, order: selected }), [date, selected]);

  useEffect(() => setExportedOthers([]), [date]);

  // The order's panel is below the day's reports: asked for from a panel above, it is brought
  // into view and focused, so the manager sees it and a keyboard user lands in it.
  useEffect(() => {
    if (!detail || !bringDetail.current) return;
    bringDetail.current = false;
    detailRef.current?.scrollIntoView?.({ block: 'start' });
    detailRef.current?.querySelector<HTMLElement>('h3')?.focus();
  }, [detail]);
  const showOrder = (outTradeNo: string) => {
    bringDetail.current = true;
    void loadDetail(outTradeNo);
  };
  // Opened with the keyboard, the order's panel takes the focus (the refund form is in it); a
  // click leaves the focus where the manager is working.
  const openOrder = (outTradeNo: string, how: 'pointer' | 'keyboard') => (how === 'keyboard' ? showOrder(outTradeNo) : void loadDetail(outTradeNo));

  const late = (day?.latePayments ?? []).filter((order) => order.madeOn === null);
  // Each environment is exported on its own: offer the others that had money or items that day.
  const otherEnvironments = day ? [...new Set([...day.totals.map((totals) => totals.environment), ...exportedOthers])].filter((environment) => environment !== day.environment) : [];

  const refresh = async (showOrder?: string) => {
    await load();
    const number = showOrder ?? selected;
    if (number) await loadDetail(number);
  };

  async function resolveNow() {
    const result = await api.commands.managerResolveNow({});
    setMessage(result.ok ? t('manager.resolved', { count: result.value.queried, changed: result.value.changed }) : result.error.message[language]);
    await refresh();
  }

  async function exportCsv(environment?: string) {
    const chosen = environment as Parameters<typeof api.commands.managerExportDay>[0]['environment'];
    const result = await api.commands.managerExportDay({ day: date, ...(chosen ? { environment: chosen } : {}) });
    if (!result.ok) return setMessage(result.error.message[language]);
    const { fileName, payments, refunds, otherEnvironments: others } = result.value;
    setExportedOthers((known) => [...new Set([...known, ...others])]);
    // A download in a browser; in Electron, the same link opens its save dialog. The message names the file and where it went.
    const savedTo = saveCsv(fileName, result.value.csv);
    setMessage(
      `${t('manager.exported', { file: fileName, payments, refunds })}${sentenceGap(language)}${t(savedToKey(savedTo))}` +
        (others.length > 0 ? ` ${t('manager.exportedOthers', { list: others.map((name) => environmentName(t, name)).join(', ') })}` : ''),
    );
  }

  async function keep(outTradeNo: string) {
    const result = await api.commands.managerKeepLatePayment({ outTradeNo });
    if (!result.ok) setMessage(result.error.message[language]);
    await refresh();
  }

  return (
    <div className="day-view">
      <div className="toolbar">
        <DayPicker day={date} language={language} onDay={setDate} />
        <button type="button" onClick={() => void resolveNow()}>
          {t('manager.resolveNow')}
        </button>
        <button type="button" onClick={() => void exportCsv()}>
          {t('manager.exportCsv')}
        </button>
        {otherEnvironments.map((environment) => (
          <button key={environment} type="button" onClick={() => void exportCsv(environment)}>
            {t('manager.exportOther', { environment: environmentName(t, environment) })}
          </button>
        ))}
      </div>
      <p className="notice" role="status">
        {message}
      </p>
      {day && (
        <>
          <BeforeManagerPanel api={api} language={language} items={day.beforeManager} latePayments={late.length} environment={day.environment} onChanged={(number) => void refresh(number)} onShowOrder={showOrder} onMessage={setMessage} />
          {late.length > 0 && (
            <section className="late" aria-labelledby="late-heading">
              <h2 id="late-heading">{t('manager.latePayments')}</h2>
              <ul>
                {late.map((order) => (
                  <li key={order.outTradeNo}>
                    <span className="mono">{order.outTradeNo}</span> · {formatHKD(order.amount, language)}{' '}
                    <button type="button" onClick={() => void keep(order.outTradeNo)}>
                      {t('manager.keep')}
                    </button>{' '}
                    <button type="button" onClick={() => showOrder(order.outTradeNo)}>
                      {t('manager.refundAll')}
                    </button>
                  </li>
                ))}
              </ul>
            </section>
          )}
          <div className="books">
            <section className="day-money" aria-labelledby="day-money-heading" data-testid="day-money">
              <h2 id="day-money-heading">{t('books.dayMoney', { day: day.day })}</h2>
              <p className="hint">{t('books.dayMoneyHint')}</p>
              {day.totals.length === 0 ? (
                <p>{t('books.noMoney')}</p>
              ) : (
                <div className="money-tables">
                  {day.totals.map((totals) => (
                    <EnvironmentTable key={totals.environment} totals={totals} language={language} />
                  ))}
                </div>
              )}
            </section>
          </div>
        </>
      )}
      <div className="day-columns">
        <section aria-labelledby="orders-heading">
          <div className="section-head">
            <h2 id="orders-heading">{t('manager.orders', { count: day ? orders.matching : 0 })}</h2>
            <div className="filters">
              <WalletAndStateFilters language={language} wallet={wallet} state={state} onWallet={setWallet} onState={setState} />
            </div>
          </div>
          <OrdersTable count={day ? orders.matching : 0} orderAt={orders.orderAt} onDrawn={orders.onDrawn} language={language} environment={day?.environment ?? ''} selected={selected} onSelect={openOrder} />
          <RefundsTable refunds={refunds?.rows ?? []} count={refunds?.matching ?? 0} language={language} selected={selected} onSelect={openOrder} />
        </section>
        <div ref={detailRef} className="order-detail">
          {detail ? (
            // Keyed by the order: what the panel said about one order is never shown beside another.
            <OrderPanel key={detail.order.outTradeNo} api={api} language={language} environment={day?.environment ?? ''} detail={detail} onChanged={() => void refresh()} />
          ) : (
            <p className="hint">{t('manager.noSelection')}</p>
          )}
        </div>
      </div>
    </div>
  );
}
