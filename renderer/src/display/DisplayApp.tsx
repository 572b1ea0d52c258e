import { useEffect, useState } from 'react';
import type { Connection, DisplayState, PosApi } from '../../../shared/ipc/contract';
import { formatHKD } from '../../../shared/money';
import { walletById, type WalletId } from '../../../shared/wallets';
import { splitTimeLeft, useTimeLeft } from '../common/countdown';
import { QrImage } from './QrImage';

/**
 * The customer-facing screen. It only ever knows its display state. Text is in both languages,
 * as Hong Kong customers expect; the countdown stays calm (minutes first) until the last 30 s.
 */

const RESULT_WORDS = {
  paid: ['Payment received. Thank you!', '付款成功，多謝惠顧！'],
  expired: ['This QR code has expired.', '二維碼已過期。'],
  cancelled: ['Payment cancelled.', '付款已取消。'],
  failed: ['Payment not completed.', '付款未完成。'],
  checking: ['Checking your payment…', '正在確認付款…'],
} as const;

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
function BilingualName({ wallet }: { wallet: WalletId }) {
  const { names } = walletById(wallet);
  return names.en === names['zh-HK'] ? <>{names.en}</> : <Both en={names.en} zh={names['zh-HK']} />;
}

function Countdown({ deadline, serverNow }: { deadline: number; serverNow: number }) {
  const left = useTimeLeft(deadline, serverNow);
  if (left === undefined) return null;
  const { minutes, seconds, urgent } = splitTimeLeft(left);
  const text = minutes > 0 ? [`${minutes} min left`, `尚餘 ${minutes} 分鐘`] : [`${seconds} s left`, `尚餘 ${seconds} 秒`];
  return (
    <p className={urgent ? 'countdown urgent' : 'countdown'} data-testid="countdown">
      <Both en={text[0] as string} zh={text[1] as string} />
    </p>
  );
}

const TrainingBanner = () => (
  <div className="banner demo">
    <Both en="Training: no real money" zh="培訓模式：不涉及真實款項" />
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
            <Both en="Welcome" zh="歡迎光臨" />
          </p>
          <h1 className="shop">{state.shopName}</h1>
        </div>
      )}
      {state.mode !== 'idle' && (
        <div className={`display-body${qr ? ' has-qr' : ''}`}>
          <h1 className="display-amount" data-testid="display-amount">
            {formatHKD(state.amount, 'en')}
          </h1>
          <p className="display-wallet">
            <BilingualName wallet={state.wallet} />
          </p>
          {state.mode === 'payment' &&
            (qr ? (
              <>
                <QrImage text={qr} label={`QR code for ${walletById(state.wallet).names.en} · ${walletById(state.wallet).names['zh-HK']}二維碼`} />
                <p className="scan">
                  <Both en={`Scan with ${walletById(state.wallet).names.en}`} zh={`請用${walletById(state.wallet).names['zh-HK']}掃描`} lines />
                </p>
                <Countdown deadline={state.deadline} serverNow={state.serverNow} />
              </>
            ) : (
              <p className="preparing">
                <Both en="Preparing your QR code…" zh="正在準備二維碼…" />
              </p>
            ))}
          {state.mode === 'result' && (
            <p className={`result result-${state.result}`} data-testid="result">
              <Both en={RESULT_WORDS[state.result][0]} zh={RESULT_WORDS[state.result][1]} lines />
            </p>
          )}
          {state.mode === 'result' && state.result === 'paid' && (
            <p className="order-number" data-testid="order-number">
              <Both en="Order no." zh="訂單編號" /> <span className="mono">{state.outTradeNo}</span>
            </p>
          )}
          {state.mode === 'result' && state.doNotPay && (
            <p className="do-not-pay" data-testid="do-not-pay">
              <Both en="If the code is still on your phone, please do not pay it." zh="如二維碼仍在你的手機上，請勿付款。" lines />
            </p>
          )}
        </div>
      )}
    </main>
  );
}

/** The till cannot be heard: no QR may be paid that nobody is watching. */
export function ReconnectingView({ demo }: { demo: boolean }) {
  return (
    <main className="display display-reconnecting" data-mode="reconnecting">
      {demo && <TrainingBanner />}
      <div className="display-body">
        <h1 className="reconnecting" role="status">
          <Both en="Reconnecting to the till… Please wait." zh="正在重新連接收銀機…請稍候。" lines />
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
