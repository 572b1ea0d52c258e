import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { amountMessage } from '../../../shared/i18n/amountMessages';
import type { Connection, CounterState, DisplayState, OrderView, PosApi, SettingsView } from '../../../shared/ipc/contract';
import { canTransitionPayment } from '../../../shared/ledger/lifecycle';
import { holdsCounter } from '../../../shared/ledger/saleInProgress';
import { formatHKD, minorToDecimal, parseAmount, type AmountError } from '../../../shared/money';
import { normaliseAuthCode, walletFromAuthCode } from '../../../shared/qfpay/authCode';
import { WALLETS, type AlipayRegion, type WalletId } from '../../../shared/wallets';
import { playChime } from '../common/chime';
import { useTimeLeft } from '../common/countdown';
import { amountKeyFromKeyboard, pressAmountKey, type AmountKey } from './amountEntry';
import { CodeEntry } from './CodeEntry';
import { keySource } from './keys';
import { Keypad } from './Keypad';
import { LateAlerts } from './LateAlerts';
import { StatusPanel } from './StatusPanel';
import { TodayOrders } from './TodayOrders';
import { SlipPanel } from '../common/SlipPanel';
import { WALLET_STEPS, WalletPicker } from './WalletPicker';
import type { ScanStep } from './scanBurst';
import { useScanBurst } from './useScanBurst';

/** Order events come in bursts (a batched query answers many at once): one refetch per burst. */
const REFETCH_AFTER_MS = 500;
/**
 * An answer that arrives after newer news of its order (a cancel's answer after the event that it
 * was paid late) must not put the order back: a state the shown one could not have come from,
 * but could lead to, is older.
 */
const isOlder = (incoming: OrderView, shown: OrderView) =>
  incoming.state !== shown.state && !canTransitionPayment(shown.state, incoming.state) && canTransitionPayment(incoming.state, shown.state);
/** An unacknowledged late payment chimes again this often. */
const LATE_CHIME_EVERY_MS = 30_000;

type Problem =
  | { kind: 'amount'; error: AmountError }
  | { kind: 'text'; text: { en: string; 'zh-HK': string } }
  | { kind: 'key'; key: string }
  /** A charge refused because another sale holds the counter: said until that sale ends. */
  | { kind: 'held'; text: { en: string; 'zh-HK': string }; outTradeNo: string };

/** The refusal that names a sale goes once that sale no longer holds the counter (paid, expired, cancelled elsewhere). */
const withoutEndedHold = (order: OrderView) => (problem: Problem | null) =>
  problem?.kind === 'held' && problem.outTradeNo === order.outTradeNo && !holdsCounter(order) ? null : problem;

export function CashierApp({
  api,
  initialSettings,
  active: screenActive = true,
  onOpenManager,
  onLanguage,
}: {
  api: PosApi<'cashier'>;
  initialSettings: SettingsView;
  /** False while the manager's screen is over the till: the keyboard is theirs. */
  active?: boolean;
  onOpenManager?: () => void;
  onLanguage?: (language: SettingsView['language']) => void;
}) {
  const { t, i18n } = useTranslation();
  const [settings, setSettings] = useState(initialSettings);
  const [amountText, setAmountText] = useState('');
  const [wallet, setWallet] = useState<WalletId | null>(null);
  const [alipayRegion, setAlipayRegion] = useState<AlipayRegion>('ALIPAYHK');
  const [current, setCurrent] = useState<OrderView | null>(null);
  const [orders, setOrders] = useState<OrderView[]>([]);
  const [books, setBooks] = useState<{ beforeManager: number; openPeriod: number } | null>(null);
  const [notPrinted, setNotPrinted] = useState<readonly string[]>([]);
  /** The order whose slip the cashier opened from today's list. */
  const [slipOf, setSlipOf] = useState<string | null>(null);
  const [display, setDisplay] = useState<DisplayState | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [busy, setBusy] = useState(false);
  const [connection, setConnection] = useState<Connection>('connected');
  const [lateAlerts, setLateAlerts] = useState<readonly OrderView[]>([]);
  const [flash, setFlash] = useState(0);
  /** F7: the field for a customer's code typed by hand. */
  const [codeEntry, setCodeEntry] = useState(false);
  const keypadFocus = useRef<HTMLDivElement>(null);
  const language = settings.language;

  // An order before a manager is theirs now: the till may take the next customer meanwhile.
  const active = current !== null && holdsCounter(current);
  const deadline = display?.mode === 'payment' ? display.deadline : undefined;
  const timeLeft = useTimeLeft(deadline, display?.serverNow);

  // todayOrders also says how many items wait for a manager and which period sales go into; no
  // event carries those, so the list is fetched again shortly after orders change. What is heard
  // while a fetch is under way is newer than its answer and is laid over it.
  const fetchSeq = useRef(0);
  const heardDuringFetch = useRef<Map<string, { order: OrderView; charged: boolean }> | null>(null);
  const refetchTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const fetchToday = useCallback(async () => {
    const seq = ++fetchSeq.current;
    const heard = new Map<string, { order: OrderView; charged: boolean }>();
    heardDuringFetch.current = heard;
    const result = await api.commands.todayOrders({});
    if (seq !== fetchSeq.current || !result.ok) return;
    heardDuringFetch.current = null;
    const answered = result.value.orders.map((order) => heard.get(order.outTradeNo)?.order ?? order);
    const chargedSince = [...heard.values()].filter((entry) => entry.charged && !answered.some((order) => order.outTradeNo === entry.order.outTradeNo)).map((entry) => entry.order);
    setOrders([...chargedSince, ...answered].sort((a, b) => b.createdAt - a.createdAt));
    setBooks({ beforeManager: result.value.beforeManager, openPeriod: result.value.openPeriod });
    setNotPrinted(result.value.notPrinted);
  }, [api]);

  /** An order this screen charged or cancelled: it is today's, so it is listed. */
  const upsert = useCallback((order: OrderView) => {
    heardDuringFetch.current?.set(order.outTradeNo, { order, charged: true });
    setOrders((list) => {
      const listed = list.find((candidate) => candidate.outTradeNo === order.outTradeNo);
      const kept = listed && isOlder(order, listed) ? listed : order;
      return [kept, ...list.filter((candidate) => candidate.outTradeNo !== order.outTradeNo)].sort((a, b) => b.createdAt - a.createdAt);
    });
    setCurrent((shown) => (shown && shown.outTradeNo === order.outTradeNo && !isOlder(order, shown) ? order : shown));
    setProblem(withoutEndedHold(order));
  }, []);

  const onOrderUpdated = useCallback(
    (order: OrderView) => {
      const heard = heardDuringFetch.current;
      heard?.set(order.outTradeNo, { order, charged: heard.get(order.outTradeNo)?.charged ?? false });
      // Only rows already listed change here: an event may be about an order of another day
      // (a manager deciding it); today's new orders come with the charge's answer or the refetch.
      setOrders((list) => (list.some((row) => row.outTradeNo === order.outTradeNo) ? list.map((row) => (row.outTradeNo === order.outTradeNo ? order : row)) : list));
      setCurrent((shown) => (shown && shown.outTradeNo === order.outTradeNo ? order : shown));
      setProblem(withoutEndedHold(order));
      clearTimeout(refetchTimer.current);
      refetchTimer.current = setTimeout(() => void fetchToday(), REFETCH_AFTER_MS);
    },
    [fetchToday],
  );

  /** The counter as the main process holds it: the sale on it, late payments, counts. */
  const showCounter = useCallback((counter: CounterState) => {
    setCurrent(counter.current);
    // A sale still open (after a reload, a restart, or one taken up from elsewhere) shows its own amount and wallet.
    const open = counter.current;
    if (open && holdsCounter(open)) {
      setAmountText(minorToDecimal(open.amount));
      setWallet(open.wallet);
    }
    setLateAlerts(counter.lateAlerts);
    setBooks({ beforeManager: counter.beforeManager, openPeriod: counter.openPeriod });
  }, []);

  /** Everything this screen shows, read again: on load, and when the till is heard again. */
  const rebuild = useCallback(async () => {
    const [counter, shown, read] = await Promise.all([api.commands.readCounter({}), api.commands.readDisplayState({}), api.commands.readSettings({})]);
    if (counter.ok) showCounter(counter.value.counter);
    if (shown.ok) setDisplay(shown.value.display);
    if (read.ok) setSettings(read.value.settings);
    void fetchToday();
  }, [api, showCounter, fetchToday]);

  useEffect(() => {
    void rebuild();
    const offOrders = api.on('orderUpdated', onOrderUpdated);
    const offDisplay = api.on('displayChanged', setDisplay);
    const offSettings = api.on('settingsChanged', setSettings);
    const offCounter = api.on('counterChanged', showCounter);
    let lost = false;
    const offConnection = api.onConnection((next) => {
      setConnection(next);
      if (next === 'reconnecting') lost = true;
      else if (lost) {
        lost = false;
        void rebuild();
      }
    });
    return () => {
      offOrders();
      offDisplay();
      offSettings();
      offCounter();
      offConnection();
      clearTimeout(refetchTimer.current);
    };
  }, [api, onOrderUpdated, showCounter, rebuild]);

  // A payment confirmed on the counter: a chime (unless turned off) and a flash of the status panel.
  // Only a change this screen saw happen: a sale already paid when the screen was opened is not news.
  const lastSeen = useRef<{ outTradeNo: string; state: OrderView['state'] } | null>(null);
  useEffect(() => {
    const before = lastSeen.current;
    lastSeen.current = current ? { outTradeNo: current.outTradeNo, state: current.state } : null;
    if (!current || current.state !== 'paid' || before?.outTradeNo !== current.outTradeNo || before.state === 'paid') return;
    if (settings.paidChime) playChime('paid');
    setFlash((count) => count + 1);
  }, [current, settings.paidChime]);

  // A late payment sounds when it arrives and again every 30 s until someone acknowledges it.
  const lateHeard = useRef(new Set<string>());
  useEffect(() => {
    if (lateAlerts.length === 0) return undefined;
    const fresh = lateAlerts.some((order) => !lateHeard.current.has(order.outTradeNo));
    lateAlerts.forEach((order) => lateHeard.current.add(order.outTradeNo));
    if (fresh) playChime('late');
    const again = setInterval(() => playChime('late'), LATE_CHIME_EVERY_MS);
    return () => clearInterval(again);
  }, [lateAlerts]);

  const acknowledge = useCallback(
    async (outTradeNo: string) => {
      const result = await api.commands.acknowledgeLatePayment({ outTradeNo });
      if (result.ok) showCounter(result.value.counter);
    },
    [api, showCounter],
  );

  // On load, and on coming back from the manager's screen: a close or a decision there changes
  // the period and the count without any order event reaching this list. The keyboard is the
  // till's again, so the focus goes to the amount entry, where Enter charges.
  useEffect(() => {
    if (!screenActive) return;
    void fetchToday();
    keypadFocus.current?.focus();
  }, [screenActive, fetchToday]);
  // While the till cannot be heard, nothing on this screen may pretend a QR is payable.
  const reconnecting = connection === 'reconnecting';

  useEffect(() => {
    void i18n.changeLanguage(language);
    document.documentElement.lang = language;
    onLanguage?.(language);
  }, [i18n, language, onLanguage]);

  const refocus = () => keypadFocus.current?.focus();

  const newSale = useCallback(() => {
    setCurrent(null);
    setAmountText('');
    setWallet(null);
    setProblem(null);
    // Every cashier window clears the finished sale too.
    void api.commands.newSale({});
    refocus();
  }, [api]);

  const press = useCallback(
    (key: AmountKey) => {
      if (active || busy) return;
      // A key typed while a finished sale is shown starts the next sale from nothing: typed onto
      // the old amount, it would charge the last customer's amount again.
      const fresh = current !== null;
      if (fresh) newSale();
      const next = pressAmountKey(fresh ? '' : amountText, key);
      setAmountText(next.text);
      setProblem(next.refused ? { kind: 'amount', error: next.refused } : null);
    },
    [active, busy, amountText, current, newSale],
  );

  /**
   * Cashiers press keys in either order: a wallet chosen while a finished sale is shown starts the
   * next sale with that wallet, so the amount typed next does not clear it again.
   */
  const chooseWallet = useCallback(
    (id: WalletId) => {
      if (active || busy) return;
      if (current !== null) newSale();
      setWallet(id);
    },
    [active, busy, current, newSale],
  );

  /** A charge's answer, by QR or by the customer's code: the sale on the counter, or why not. */
  const charged = useCallback(
    (result: Awaited<ReturnType<PosApi<'cashier'>['commands']['charge']>>): result is Extract<typeof result, { ok: true }> => {
      if (result.ok) {
        setCurrent(result.value.order);
        upsert(result.value.order);
        return true;
      }
      const holding = result.error.code === 'payment_in_progress' ? result.error.details?.outTradeNo : undefined;
      setProblem(typeof holding === 'string' ? { kind: 'held', text: result.error.message, outTradeNo: holding } : { kind: 'text', text: result.error.message });
      // The sale that holds the counter may have been started elsewhere (the CLI): list it.
      if (holding !== undefined) void fetchToday();
      return false;
    },
    [upsert, fetchToday],
  );

  const charge = useCallback(async () => {
    if (active || busy) return;
    const parsed = parseAmount(amountText);
    if (!parsed.ok) return setProblem({ kind: 'amount', error: parsed.error });
    if (!wallet) return setProblem({ kind: 'key', key: 'chooseWalletFirst' });
    setBusy(true);
    setProblem(null);
    const result = await api.commands.charge({ amount: parsed.value, wallet, ...(wallet === 'alipay' ? { alipayRegion } : {}) });
    setBusy(false);
    charged(result);
    refocus();
  }, [active, busy, amountText, wallet, alipayRegion, api, charged]);

  /**
   * The customer's own code, from the scanner or F7, for the amount typed before it. Sent once:
   * a refusal is said and the code forgotten (the customer refreshes it in their wallet).
   */
  const chargeCode = useCallback(
    async (scanned: string, typed: string) => {
      if (active || busy) return setProblem({ kind: 'key', key: 'scan.busy' });
      const parsed = parseAmount(typed);
      if (!parsed.ok) return setProblem({ kind: 'key', key: 'scan.amountFirst' });
      const code = normaliseAuthCode(scanned);
      if (!code) return setProblem({ kind: 'key', key: 'commandErrors.auth_code_invalid' });
      // The code's documented prefix names its wallet; otherwise the wallet picked does.
      const detected = walletFromAuthCode(code);
      setBusy(true);
      setProblem(null);
      const result = await api.commands.chargeCustomerCode({ amount: parsed.value, authCode: code, ...(detected === undefined && wallet ? { wallet } : {}) });
      setBusy(false);
      if (charged(result)) setWallet(result.value.order.wallet);
      refocus();
    },
    [active, busy, wallet, api, charged],
  );

  const onScanStep = useCallback(
    (step: Exclude<ScanStep, { kind: 'amount' }>) => {
      setAmountText(step.amount);
      // An amount refusal from the scan's first keys (taken for a person's) goes with them.
      if (step.kind === 'scanning') setProblem((shown) => (shown?.kind === 'amount' ? null : shown));
      else if (step.kind === 'misread') setProblem({ kind: 'key', key: 'scan.misread' });
      else void chargeCode(step.code, step.amount);
    },
    [chargeCode],
  );
  const feedScan = useScanBurst((amount) => onScanStep({ kind: 'misread', state: null, amount }));

  const cancel = useCallback(async () => {
    if (!current || !active) return;
    const result = await api.commands.cancel({ outTradeNo: current.outTradeNo });
    if (result.ok) {
      upsert(result.value.order);
      setProblem(null);
    } else setProblem({ kind: 'text', text: result.error.message });
    refocus();
  }, [api, current, active, upsert]);

  // One keyboard listener that always calls the latest handler. The handler is replaced before
  // the browser paints (layout effect), so a key pressed the moment a new state shows (Esc right
  // after "waiting") is never handled with the state from before it.
  const keyHandler = useRef<(event: KeyboardEvent) => void>(() => undefined);
  useLayoutEffect(() => {
    keyHandler.current = (event: KeyboardEvent) => {
      const source = keySource(event.target);
      if (source === 'text' || event.altKey || event.ctrlKey || event.metaKey) return;
      // A scanner types like a keyboard: its burst is taken out of the amount before anything else sees it.
      if (!event.repeat) {
        const step = feedScan(event.key, event.timeStamp, current !== null ? '' : amountText);
        if (step.kind !== 'amount') {
          event.preventDefault();
          onScanStep(step);
          return;
        }
      }
      if (event.key === 'F7') {
        event.preventDefault();
        // Not while a sale holds the counter: a code scanned now would only be refused.
        if (!active && !busy) setCodeEntry(true);
        return;
      }
      const fkey = /^F([1-6])$/.exec(event.key);
      if (fkey) {
        event.preventDefault();
        const chosen = WALLETS[Number(fkey[1]) - 1];
        if (chosen) chooseWallet(chosen.id);
        return;
      }
      const step = WALLET_STEPS[event.key];
      if (step !== undefined && source === 'entry' && !(event.target instanceof HTMLInputElement)) {
        // From the amount entry, as the help line says: the arrows choose the next or previous wallet.
        event.preventDefault();
        const at = WALLETS.findIndex((candidate) => candidate.id === wallet);
        const next = WALLETS[(at < 0 ? (step > 0 ? 0 : WALLETS.length - 1) : (at + step + WALLETS.length) % WALLETS.length)];
        if (next) chooseWallet(next.id);
        return;
      }
      if (event.key === 'Enter') {
        // Left alone, the browser activates the focused control: that is its own action.
        if (source === 'control') return;
        event.preventDefault();
        if (current && !active) newSale();
        else void charge();
        return;
      }
      if (event.key === 'Escape') {
        event.preventDefault();
        if (active) void cancel();
        else if (current) newSale();
        else press('clear');
        return;
      }
      const key = amountKeyFromKeyboard(event.key);
      if (key) {
        event.preventDefault();
        press(key);
      }
    };
  });
  useEffect(() => {
    if (!screenActive) return undefined;
    const onKey = (event: KeyboardEvent) => keyHandler.current(event);
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [screenActive]);

  const switchLanguage = async () => {
    const result = await api.commands.setLanguage({ language: language === 'en' ? 'zh-HK' : 'en' });
    if (result.ok) setSettings(result.value.settings);
    refocus();
  };

  const problemText =
    problem === null ? null : problem.kind === 'amount' ? amountMessage(problem.error, language) : problem.kind === 'text' || problem.kind === 'held' ? problem.text[language] : t(problem.key);
  const parsed = parseAmount(amountText);

  return (
    <div className="cashier">
      <header>
        {reconnecting && (
          <div className="banner reconnecting" role="alert">
            {t('reconnecting')}
          </div>
        )}
        {settings.demo && <div className="banner demo">{t('demoBanner')}</div>}
        {settings.environment === 'production' && <div className="banner production">{t('productionBadge')}</div>}
        <div className="topbar">
          <h1>
            {settings.shopName} · {t('title')} {settings.tillId}
          </h1>
          <div className="topbar-actions">
            {onOpenManager && (
              <button type="button" className="language" onClick={onOpenManager}>
                {t('manager.open')}
              </button>
            )}
            <button type="button" className="language" lang={language === 'en' ? 'zh-HK' : 'en'} onClick={() => void switchLanguage()}>
              {t('language')}
            </button>
          </div>
        </div>
      </header>
      <main>
        {/* Above everything else, so that a late payment is never below the fold. */}
        <LateAlerts alerts={lateAlerts} language={language} onAcknowledge={(number) => void acknowledge(number)} onOpenManager={onOpenManager} />
        <div className="cashier-main">
          <div className="entry" ref={keypadFocus} tabIndex={-1} role="group" aria-label={t('amountEntry')}>
            <div className="amount" data-testid="amount">
              {parsed.ok ? formatHKD(parsed.value, language) : amountText === '' ? formatHKD(0, language) : `HK$${amountText}`}
            </div>
            <p className="problem" role="alert">
              {problemText}
            </p>
            <Keypad onKey={press} disabled={active || busy} />
            <p className="help">{t('keyboardHelp')}</p>
          </div>
          <div className="side">
            <WalletPicker language={language} selected={wallet} onSelect={chooseWallet} alipayRegion={alipayRegion} onAlipayRegion={setAlipayRegion} disabled={active || busy} />
            <div className="actions">
              {current && !active ? (
                <button type="button" className="primary" onClick={newSale}>
                  {t('newSale')}
                </button>
              ) : (
                <button type="button" className="primary" disabled={active || busy} onClick={() => void charge()}>
                  {t('charge')}
                </button>
              )}
              <button type="button" className="secondary" disabled={!active} onClick={() => void cancel()}>
                {t('cancel')}
              </button>
              <button type="button" className="tertiary" aria-expanded={codeEntry} disabled={active || busy} onClick={() => setCodeEntry((open) => !open)}>
                {t('scan.open')}
              </button>
            </div>
            {codeEntry && (
              <CodeEntry
                onClose={() => {
                  setCodeEntry(false);
                  refocus();
                }}
                onCode={(code) => {
                  setCodeEntry(false);
                  void chargeCode(code, current !== null ? '' : amountText);
                }}
              />
            )}
            <StatusPanel flash={flash} order={current} language={language} timeLeftMs={current?.state === 'waiting' && !reconnecting ? timeLeft : undefined} />
            {current && (current.state === 'paid' || current.state === 'paid_late') && (
              <SlipPanel
                key={current.outTradeNo}
                api={api}
                kind="payment"
                outTradeNo={current.outTradeNo}
                language={language}
                version={`${current.state}-${current.refunded}`}
                onSlipChanged={() => void fetchToday()}
              />
            )}
          </div>
          <TodayOrders
            orders={orders}
            language={language}
            beforeManager={books?.beforeManager ?? 0}
            openPeriod={books?.openPeriod ?? null}
            environment={settings.environment}
            onOpenManager={onOpenManager}
            notPrinted={notPrinted}
            slipOf={slipOf}
            onSlip={(number) => setSlipOf((open) => (open === number ? null : number))}
          >
            {slipOf && (
              <SlipPanel
                key={slipOf}
                api={api}
                kind="payment"
                outTradeNo={slipOf}
                language={language}
                version={orders.find((order) => order.outTradeNo === slipOf)?.state}
                onSlipChanged={() => void fetchToday()}
              />
            )}
          </TodayOrders>
        </div>
      </main>
    </div>
  );
}
