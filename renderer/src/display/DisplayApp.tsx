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

function Countdown({ deadline, serverNow }: { deadline: number; serverNow: number }) {
  const left = useTimeLeft(deadline, serverNow);
  if (left === undefined) return null;
  const { minutes, seconds, urgent } = splitTimeLeft(left);
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
          {state.mode === 'payment' &&
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
                <Both en={EN.display.results[state.result]} zh={ZH.display.results[state.result]} lines />
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
              <Both en={EN.display.doNotPay} zh={ZH.display.doNotPay} lines />
            </p>
          )}
        </div>
      )}
    </main>
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
