import { useEffect, useState } from 'react';
import type { Connection, DisplayState, PosApi } from '../../../shared/ipc/contract';
import { formatHKD } from '../../../shared/money';
import { WALLETS, walletById, type WalletId } from '../../../shared/wallets';
import { WalletMark } from '../common/WalletMark';
import { splitTimeLeft, useTimeLeft } from '../common/countdown';
import { QrImage } from './QrImage';
import { catalogues, words } from '../../../shared/i18n/words';

/**
 * The customer-facing screen. It only ever knows its display state. Text is in both languages,
 * as Hong Kong customers expect; the countdown stays calm (minutes first) until the last 30 s.
 */

/** The screen's words in both languages, from the catalogues. */
const EN = catalogues.en;
const ZH = catalogues['zh-HK'];
const en = words('en');
const zh = words('zh-HK');

/** English, then Chinese marked as such, so a screen reader says each in its own voice. */
function Both({ en, zh, lines = false }: { en: string; zh: string; lines?: boolean }) {
  return (
    <>
      {en}
      {lines ? <br /> : ' · '}
      <span lang="zh-HK">{zh}</span>
    </>
  );
}

/** "WeChat Pay · 微信支付", but "PayMe" once where both languages use the same name. */
function BilingualName({ wallet, lines = false }: { wallet: WalletId; lines?: boolean }) {
  const { names } = walletById(wallet);
  return names.en === names['zh-HK'] ? <>{names.en}</> : <Both en={names.en} zh={names['zh-HK']} lines={lines} />;
}

/** `calm`: never the urgent red (a customer's code gives a minute in all: red for half of it would rush them). */
function Countdown({ deadline, serverNow, calm = false }: { deadline: number; serverNow: number; calm?: boolean }) {
  const left = useTimeLeft(deadline, serverNow);
  if (left === undefined) return null;
  const { minutes, seconds, urgent: nearTheEnd } = splitTimeLeft(left);
  const urgent = nearTheEnd && !calm;
  const text = minutes > 0 ? [en('display.minutesLeft', { minutes }), zh('display.minutesLeft', { minutes })] : [en('display.secondsLeft', { seconds }), zh('display.secondsLeft', { seconds })];
  return (
    <p className={urgent ? 'countdown urgent' : 'countdown'} data-testid="countdown">
      <Both en={text[0] as string} zh={text[1] as string} />
    </p>
  );
}

const TrainingBanner = () => (
  <div className="banner demo">
    <Both en={EN.demoBanner} zh={ZH.demoBanner} />
  </div>
);

/**
 * One page whatever the state, laid out to fit the screen without scrolling: a column on a tall
 * screen, the QR beside the amount on a wide, short one (an 800×480 second screen).
 */
export function DisplayView({ state }: { state: DisplayState }) {
  const qr = state.mode === 'payment' ? state.qrcode : null;
  return (
    <main className={`display display-${state.mode}`} data-mode={state.mode} data-result={state.mode === 'result' ? state.result : undefined}>
      {state.demo && <TrainingBanner />}
      {state.mode === 'idle' && (
        <div className="display-idle-body">
          <p className="welcome">
            <Both en={EN.display.welcome} zh={ZH.display.welcome} />
          </p>
          <h1 className="shop">{state.shopName}</h1>
          <p className="accepted-title">
            <Both en={EN.display.weAccept} zh={ZH.display.weAccept} />
          </p>
          <ul className="accepted" aria-label={`${EN.display.weAccept} · ${ZH.display.weAccept}`}>
            {WALLETS.map((wallet) => (
              <li key={wallet.id} className="accepted-wallet">
                <WalletMark wallet={wallet.id} size={44} />
                <span>
                  <BilingualName wallet={wallet.id} lines />
                </span>
              </li>
            ))}
          </ul>
        </div>
      )}
      {state.mode !== 'idle' && (
        <div className={`display-body${qr ? ' has-qr' : ''}`}>
          <h1 className="display-amount" data-testid="display-amount">
            {formatHKD(state.amount, 'en')}
          </h1>
          <p className="display-wallet">
            <WalletMark wallet={state.wallet} size={36} />
            <BilingualName wallet={state.wallet} />
          </p>
          {state.mode === 'payment' && state.paymentMode === 'cpm' && <CustomerCodeStep confirming={state.confirming} deadline={state.deadline} serverNow={state.serverNow} />}
          {state.mode === 'payment' &&
            state.paymentMode === 'mpm' &&
            (qr ? (
              <>
                <QrImage text={qr} label={`${en('display.qrCodeFor', { wallet: walletById(state.wallet).names.en })} · ${zh('display.qrCodeFor', { wallet: walletById(state.wallet).names['zh-HK'] })}`} />
                <p className="scan">
                  <Both en={en('display.scanWith', { wallet: walletById(state.wallet).names.en })} zh={zh('display.scanWith', { wallet: walletById(state.wallet).names['zh-HK'] })} lines />
                </p>
                <Countdown deadline={state.deadline} serverNow={state.serverNow} />
              </>
            ) : (
              <p className="preparing">
                <Both en={EN.display.preparing} zh={ZH.display.preparing} />
              </p>
            ))}
          {state.mode === 'result' && (
            <p className={`result result-${state.result}`} data-testid="result">
              {state.result === 'paid' && <PaidMark />}
              <span>
                {state.paymentMode === 'cpm' && state.result === 'expired' ? (
                  <Both en={EN.display.customerCode.expired} zh={ZH.display.customerCode.expired} lines />
                ) : (
                  <Both en={EN.display.results[state.result]} zh={ZH.display.results[state.result]} lines />
                )}
              </span>
            </p>
          )}
          {state.mode === 'result' && state.result === 'paid' && (
            <p className="order-number" data-testid="order-number">
              <Both en={EN.display.orderNo} zh={ZH.display.orderNo} /> <span className="mono">{state.outTradeNo}</span>
            </p>
          )}
          {state.mode === 'result' && state.doNotPay && (
            <p className="do-not-pay" data-testid="do-not-pay">
              {state.paymentMode === 'cpm' ? <Both en={EN.display.customerCode.doNotConfirm} zh={ZH.display.customerCode.doNotConfirm} lines /> : <Both en={EN.display.doNotPay} zh={ZH.display.doNotPay} lines />}
            </p>
          )}
        </div>
      )}
    </main>
  );
}

/**
 * A payment with the customer's own code (CPM): nothing to scan here. While the till sends the
 * code, a short "processing"; once QFPay says the customer is confirming (1143/1145), the one
 * thing they must do, large, with the time the till still waits for it.
 */
function CustomerCodeStep({ confirming, deadline, serverNow }: { confirming: boolean; deadline: number; serverNow: number }) {
  if (!confirming) {
    return (
      <p className="preparing" data-testid="charging-code">
        <Both en={EN.display.customerCode.charging} zh={ZH.display.customerCode.charging} />
      </p>
    );
  }
  return (
    <>
      <p className="confirm-in-wallet" data-testid="confirm-in-wallet">
        <PhoneMark />
        <span>
          <Both en={EN.display.customerCode.confirm} zh={ZH.display.customerCode.confirm} lines />
        </span>
      </p>
      <Countdown deadline={deadline} serverNow={serverNow} calm />
    </>
  );
}

/** A phone with a tick: "on your phone", before any word is read. */
function PhoneMark() {
  return (
    <svg className="phone-mark" viewBox="0 0 40 56" width="48" height="67" aria-hidden="true" focusable="false">
      <rect x="3" y="2" width="34" height="52" rx="6" fill="none" stroke="currentColor" strokeWidth="3.5" />
      <line x1="15" y1="47" x2="25" y2="47" stroke="currentColor" strokeWidth="3.5" strokeLinecap="round" />
      <path d="M11 25l6 6 12-13" fill="none" stroke="currentColor" strokeWidth="4" strokeLinecap="round" strokeLinejoin="round" />
    </svg>
  );
}

/** A calm tick for "paid": seen from a metre away before any word is read. */
function PaidMark() {
  return (
    <svg className="paid-mark" viewBox="0 0 48 48" width="72" height="72" aria-hidden="true" focusable="false">
      <circle cx="24" cy="24" r="23" fill="currentColor" />
      <path d="M14 24.5l7 7 13-14" fill="none" stroke="#fff" strokeWidth="4.5" strokeLinecap="round" strokeLinejoin="round" />
    </svg>
  );
}

/** The till cannot be heard: no QR may be paid that nobody is watching. */
export function ReconnectingView({ demo }: { demo: boolean }) {
  return (
    <main className="display display-reconnecting" data-mode="reconnecting">
      {demo && <TrainingBanner />}
      <div className="display-body">
        <h1 className="reconnecting" role="status">
          <Both en={EN.display.reconnecting} zh={ZH.display.reconnecting} lines />
        </h1>
      </div>
    </main>
  );
}

export function DisplayApp({ api }: { api: PosApi<'display'> }) {
  const [state, setState] = useState<DisplayState | null>(null);
  const [connection, setConnection] = useState<Connection>('connected');
  useEffect(() => {
    void api.commands.readDisplayState({}).then((result) => result.ok && setState(result.value.display));
    const offState = api.on('displayChanged', setState);
    // On reconnecting the till sends its state again straight away (a reload, a restart).
    const offConnection = api.onConnection(setConnection);
    return () => {
      offState();
      offConnection();
    };
  }, [api]);
  if (connection === 'reconnecting') return <ReconnectingView demo={state?.demo ?? false} />;
  return state ? <DisplayView state={state} /> : <ReconnectingView demo={false} />;
}
