import { useCallback, useEffect, useEffectEvent, useLayoutEffect, useRef, useState, type CSSProperties } from 'react';
import { useTranslation } from 'react-i18next';
import { DAY_SPANS, spanAround, type DaySpan } from '../../../shared/daySpan';
import { hongKongDay } from '../../../shared/hkTime';
import { MAX_DAY_ROWS, type DayRows, type DayView as Day, type Language, type OrderDetail, type PosApi, type RefundView, type SalesView } from '../../../shared/ipc/contract';
import { formatHKD } from '../../../shared/money';
import type { WalletId } from '../../../shared/wallets';
import { environmentName, sentenceGap } from '../../../shared/i18n/bookWords';
import { BeforeManagerPanel } from './BeforeManagerPanel';
import { BooksCheckPanel } from './BooksCheckPanel';
import { DayGlance } from './DayGlance';
import { DayPicker } from './DayPicker';
import { OrderPanel } from './OrderPanel';
import { WalletAndStateFilters } from './OrderFilters';
import { OrdersTable } from './OrdersTable';
import { RefundsTable } from './RefundsTable';
import { useDayOrders } from './useDayOrders';
import { saveCsv, savedToKey } from './saveCsv';

/** Where the manager is on the day's view: the day shown, its span, and the order open. */
export interface DayPlace {
  readonly date: string;
  readonly span?: DaySpan;
  readonly order: string | null;
}

/** How long typing pauses before the list is asked again: one question per word typed, not per key. */
const SEARCH_PAUSE_MS = 250;

/**
 * The manager's sales: the day (or its week, or its month) at a glance, what waits for a manager,
 * then the orders, found by search and filters, with the open order's panel beside them (refund
 * there). The books (X and Z, the day compared with QFPay) are the Reports tab's.
 */
export function DayView({ api, language, place, onPlace }: { api: PosApi<'cashier'>; language: Language; place?: DayPlace; onPlace?: (place: DayPlace) => void }) {
  const { t } = useTranslation();
  const [date, setDate] = useState(() => place?.date ?? hongKongDay(Date.now()));
  const [span, setSpan] = useState<DaySpan>(() => place?.span ?? 'day');
  const { from, to } = spanAround(date, span);
  const [day, setDay] = useState<Day | null>(null);
  const [sales, setSales] = useState<SalesView | null>(null);
  const [wallet, setWallet] = useState('');
  const [state, setState] = useState('');
  const [typed, setTyped] = useState('');
  const [search, setSearch] = useState('');
  const [selected, setSelected] = useState<string | null>(null);
  const [detail, setDetail] = useState<OrderDetail | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [exportedOthers, setExportedOthers] = useState<readonly string[]>([]);
  const detailRef = useRef<HTMLDivElement>(null);
  const needsRef = useRef<HTMLDivElement>(null);
  const bringDetail = useRef(false);

  useEffect(() => {
    const timer = setTimeout(() => setSearch(typed.trim()), SEARCH_PAUSE_MS);
    return () => clearTimeout(timer);
  }, [typed]);

  // The figures come whole; the rows a page at a time, only those drawn (refunds: the first page).
  const [version, setVersion] = useState(0);
  const [refunds, setRefunds] = useState<DayRows<RefundView> | null>(null);
  const orders = useDayOrders(api, { from, to }, { wallet, state, search }, version);
  // Answers can come back out of order (a week asked, then at once a day): only the latest
  // question's answer is shown, or the figures would belong to another span than the heading's.
  const loads = useRef(0);
  const load = useCallback(async () => {
    const asked = (loads.current += 1);
    const [dayResult, salesResult] = await Promise.all([api.commands.managerDay({ day: date }), api.commands.managerSales({ from, to })]);
    if (asked !== loads.current) return;
    if (dayResult.ok) setDay(dayResult.value);
    else setMessage(dayResult.error.message[language]);
    if (salesResult.ok) setSales(salesResult.value);
    else setMessage(salesResult.error.message[language]);
    setVersion((count) => count + 1);
  }, [api, date, from, to, language]);
  // The refunds follow the search and the wallet filter (and every reload of the figures), on their own.
  const refundLoads = useRef(0);
  useEffect(() => {
    const asked = (refundLoads.current += 1);
    void api.commands
      .managerDayRefunds({ day: from, to, offset: 0, limit: MAX_DAY_ROWS, ...(search ? { search } : {}), ...(wallet ? { wallet: wallet as WalletId } : {}) })
      .then((result) => asked === refundLoads.current && setRefunds(result.ok ? result.value : null));
  }, [api, from, to, search, wallet, version]);

  // The order last asked for: a slower answer about one clicked before it is dropped, never shown
  // (and refunded) beside the row now highlighted.
  const detailAsked = useRef<string | null>(null);
  const loadDetail = useCallback(
    async (outTradeNo: string) => {
      detailAsked.current = outTradeNo;
      setSelected(outTradeNo);
      const result = await api.commands.managerOrder({ outTradeNo });
      if (detailAsked.current !== outTradeNo) return;
      if (result.ok) setDetail(result.value);
      else setMessage(result.error.message[language]);
    },
    [api, language],
  );

  useEffect(() => {
    void load();
  }, [load]);

  // Where the manager was (the day, the span, the order open), kept by the manager's screen: after
  // the PIN is asked again (ten idle minutes, a reload) the same order is open again.
  const reopen = useRef(place?.order ?? null);
  useEffect(() => {
    if (reopen.current) {
      bringDetail.current = true;
      void loadDetail(reopen.current);
    }
    reopen.current = null;
  }, [loadDetail]);
  const placeChanged = useEffectEvent((next: DayPlace) => onPlace?.(next));
  useEffect(() => placeChanged({ date, span, order: selected }), [date, span, selected]);

  useEffect(() => setExportedOthers([]), [from, to]);
  // Another day or span: the order open was of the one before, and is closed, not left refundable beside another list.
  const shownRange = useRef(`${from}/${to}`);
  useEffect(() => {
    if (shownRange.current === `${from}/${to}`) return;
    shownRange.current = `${from}/${to}`;
    detailAsked.current = null;
    setSelected(null);
    setDetail(null);
  }, [from, to]);

  // Asked for from a panel above (a late payment, an item before a manager) or with the keyboard,
  // the order's panel takes the focus, so a keyboard user lands in it (the refund form is there).
  useEffect(() => {
    if (!detail || !bringDetail.current) return;
    bringDetail.current = false;
    detailRef.current?.scrollIntoView?.({ block: 'nearest' });
    detailRef.current?.querySelector<HTMLElement>('h3')?.focus();
  }, [detail]);
  const showOrder = (outTradeNo: string) => {
    bringDetail.current = true;
    void loadDetail(outTradeNo);
  };
  // A click leaves the focus where the manager is working.
  const openOrder = (outTradeNo: string, how: 'pointer' | 'keyboard') => (how === 'keyboard' ? showOrder(outTradeNo) : void loadDetail(outTradeNo));
  const ordersRef = useRef<HTMLElement>(null);
  const closeOrder = useCallback(() => {
    const row = detailAsked.current;
    detailAsked.current = null;
    setSelected(null);
    setDetail(null);
    // Back on the row it was opened from (this list's: the till's own list behind has the same numbers), or the list's heading.
    const target = row ? [...(ordersRef.current?.querySelectorAll<HTMLElement>('tr[data-order]') ?? [])].find((element) => element.dataset.order === row) : undefined;
    (target ?? ordersRef.current?.querySelector<HTMLElement>('h2'))?.focus();
  }, []);
  // Escape closes the open order from anywhere on the day (a sheet opened with the mouse leaves the
  // focus on the list behind it), except where a question or a field takes Escape first.
  const orderOpen = detail !== null;
  useEffect(() => {
    if (!orderOpen) return undefined;
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== 'Escape' || event.defaultPrevented) return;
      if (event.target instanceof Element && event.target.closest('[role="alertdialog"], [role="dialog"], dialog, .manager > header')) return;
      closeOrder();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [orderOpen, closeOrder]);

  // Below 1280 px the order opens as a sheet over the page's right side (styles.css): it starts
  // under the manager's header while that is in view, so the tabs, Lock and Back stay in reach.
  const [sheetTop, setSheetTop] = useState(0);
  useLayoutEffect(() => {
    if (!orderOpen) return undefined;
    const header = document.querySelector('.manager > header');
    const place = () => setSheetTop(Math.max(0, Math.round(header?.getBoundingClientRect().bottom ?? 0)));
    place();
    window.addEventListener('scroll', place, { passive: true });
    window.addEventListener('resize', place);
    return () => {
      window.removeEventListener('scroll', place);
      window.removeEventListener('resize', place);
    };
  }, [orderOpen]);

  const late = (day?.latePayments ?? []).filter((order) => order.madeOn === null);
  const beforeManager = day ? day.beforeManager.orders.length + day.beforeManager.refunds.length : 0;
  const booksProblem = day !== null && day.books.problems.length > 0;
  const showNeeds = beforeManager + late.length > 0 || booksProblem;
  // Once items were shown, their panel stays (saying "nothing is waiting" once decided) instead of vanishing under the manager's hand.
  const [decidedHere, setDecidedHere] = useState(false);
  useEffect(() => {
    if (beforeManager > 0) setDecidedHere(true);
  }, [beforeManager]);
  // Each environment is exported on its own: offer the others that had money or items in the range.
  const otherEnvironments = sales ? [...new Set([...sales.totals.map((totals) => totals.environment), ...exportedOthers])].filter((environment) => environment !== sales.environment) : [];

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
    const result = await api.commands.managerExportDay({ day: from, ...(to !== from ? { to } : {}), ...(chosen ? { environment: chosen } : {}) });
    if (!result.ok) return setMessage(result.error.message[language]);
    const { fileName, payments, refunds, otherEnvironments: others } = result.value;
    setExportedOthers((known) => [...new Set([...known, ...others])]);
    // A download in a browser; in Electron, the same link opens its save dialog. The message names the file and where it went.
    const saved = await saveCsv(fileName, result.value.csv);
    setMessage(
      `${t('manager.exported', { file: fileName, payments, refunds })}${sentenceGap(language)}${t(...savedToKey(saved, fileName))}` +
        (others.length > 0 ? ` ${t('manager.exportedOthers', { list: others.map((name) => environmentName(t, name)).join(', ') })}` : ''),
    );
  }

  async function keep(outTradeNo: string) {
    const result = await api.commands.managerKeepLatePayment({ outTradeNo });
    if (!result.ok) setMessage(result.error.message[language]);
    await refresh();
  }

  const bringNeeds = () => {
    needsRef.current?.scrollIntoView?.({ block: 'start' });
    needsRef.current?.focus();
  };

  return (
    <div className="day-view">
      <div className="toolbar">
        <DayPicker day={date} language={language} onDay={setDate} />
        <label>
          {t('sales.span')}
          <select value={span} onChange={(event) => setSpan(event.target.value as DaySpan)} data-testid="day-span">
            {DAY_SPANS.map((name) => (
              <option key={name} value={name}>
                {t(`sales.spans.${name}`)}
              </option>
            ))}
          </select>
        </label>
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
      {sales && day && <DayGlance sales={sales} span={span} language={language} needs={{ items: beforeManager + late.length, booksProblem }} onShowNeeds={bringNeeds} />}
      {day && (showNeeds || decidedHere) && (
        <div className="needs" ref={needsRef} tabIndex={-1} aria-label={t('sales.needs')}>
          {booksProblem && <BooksCheckPanel checks={[day.books]} language={language} scope="till" />}
          {(beforeManager > 0 || decidedHere) && (
            <BeforeManagerPanel api={api} language={language} items={day.beforeManager} latePayments={late.length} environment={day.environment} onChanged={(number) => void refresh(number)} onShowOrder={showOrder} onMessage={setMessage} />
          )}
          {late.length > 0 && (
            <section className="late" aria-labelledby="late-heading">
              <h2 id="late-heading" tabIndex={-1}>
                {t('manager.latePayments')}
              </h2>
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
        </div>
      )}
      <div className={`day-columns${detail ? ' with-order' : ''}`}>
        <section aria-labelledby="orders-heading" className="orders-section" ref={ordersRef}>
          <div className="section-head">
            <h2 id="orders-heading" tabIndex={-1}>{t('manager.orders', { count: day ? orders.matching : 0 })}</h2>
            <div className="filters">
              <input
                  type="search"
                  value={typed}
                  placeholder={t('sales.searchHint')}
                  title={t('sales.searchHelp')}
                  aria-label={t('sales.search')}
                  aria-describedby="search-hint"
                  data-testid="order-search"
                  onChange={(event) => setTyped(event.target.value)}
                  onKeyDown={(event) => {
                    if (event.key === 'Escape' && typed) {
                      event.preventDefault();
                      setTyped('');
                    }
                  }}
                />
              <span id="search-hint" className="sr-only">
                {t('sales.searchHelp')}
              </span>
              <WalletAndStateFilters language={language} wallet={wallet} state={state} onWallet={setWallet} onState={setState} />
            </div>
          </div>
          {(search || wallet || state) && day && orders.matching === 0 && (
            <p className="hint" role="status" data-testid="no-match">
              {search ? t('sales.noMatch', { search }) : t('sales.noFilterMatch')}
            </p>
          )}
          <OrdersTable count={day ? orders.matching : 0} orderAt={orders.orderAt} onDrawn={orders.onDrawn} language={language} environment={day?.environment ?? ''} selected={selected} withDate={from !== to} onSelect={openOrder} />
          <RefundsTable refunds={refunds?.rows ?? []} count={refunds?.matching ?? 0} language={language} selected={selected} withDate={from !== to} filtered={Boolean(search || wallet)} onSelect={openOrder} />
        </section>
        {detail && (
          <aside
            ref={detailRef}
            className="order-detail"
            aria-label={detail.order.outTradeNo}
            data-testid="order-aside"
            style={{ '--sheet-top': `${sheetTop}px` } as CSSProperties}
          >
            <button type="button" className="close-order" onClick={closeOrder}>
              {t('sales.closeOrder')}
            </button>
            {/* Keyed by the order: what the panel said about one order is never shown beside another. */}
            <OrderPanel key={detail.order.outTradeNo} api={api} language={language} environment={day?.environment ?? ''} detail={detail} onChanged={() => void refresh()} />
          </aside>
        )}
      </div>
    </div>
  );
}
