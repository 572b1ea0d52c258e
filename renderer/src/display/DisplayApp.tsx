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

/** "WeChat Pay · 微信支付", but "PayMe" once where both languages use the same name. */
function bilingualName(wallet: WalletId): string {
  const { names } = walletById(wallet);
  return names.en === names['zh-HK'] ? names.en : `${names.en} · ${names['zh-HK']}`;
}

function Countdown({ deadline, serverNow }: { deadline: number; serverNow: number }) {
  const left = useTimeLeft(deadline, serverNow);
  if (left === undefined) return null;
  const { minutes, seconds, urgent } = splitTimeLeft(left);
  const text = minutes > 0 ? [`${minutes} min left`, `尚餘 ${minutes} 分鐘`] : [`${seconds} s left`, `尚餘 ${seconds} 秒`];
  return (
    <p className={urgent ? 'countdown urgent' : 'countdown'} data-testid="countdown">
      {text[0]} · {text[1]}
    </p>
  );
}

export function DisplayView({ state }: { state: DisplayState }) {
  return (
    <div className={`display display-${state.mode}`} data-mode={state.mode} data-result={state.mode === 'result' ? state.result : undefined}>
      {state.demo && <div className="banner demo">Training: no real money · 培訓模式：不涉及真實款項</div>}
      {state.mode === 'idle' && (
        <div className="display-idle-body">
          <p className="welcome">Welcome · 歡迎光臨</p>
          <h1 className="shop">{state.shopName}</h1>
        </div>
      )}
      {state.mode !== 'idle' && (
        <div className="display-body">
          <p className="display-amount" data-testid="display-amount">
            {formatHKD(state.amount, 'en')}
          </p>
          <p className="display-wallet">{bilingualName(state.wallet)}</p>
          {state.mode === 'payment' &&
            (state.qrcode ? (
              <>
                <QrImage text={state.qrcode} label={`QR code for ${walletById(state.wallet).names.en}`} />
                <p className="scan">
                  Scan with {walletById(state.wallet).names.en} · 請用{walletById(state.wallet).names['zh-HK']}掃描
                </p>
                <Countdown deadline={state.deadline} serverNow={state.serverNow} />
              </>
            ) : (
              <p className="preparing">Preparing your QR code… · 正在準備二維碼…</p>
            ))}
          {state.mode === 'result' && (
            <p className={`result result-${state.result}`} data-testid="result">
              {RESULT_WORDS[state.result][0]}
              <br />
              {RESULT_WORDS[state.result][1]}
            </p>
          )}
          {state.mode === 'result' && state.doNotPay && (
            <p className="do-not-pay" data-testid="do-not-pay">
              If the code is still on your phone, please do not pay it.
              <br />
              如二維碼仍在你的手機上，請勿付款。
            </p>
          )}
        </div>
      )}
    </div>
  );
}

/** The till cannot be heard: no QR may be paid that nobody is watching. */
export function ReconnectingView({ demo }: { demo: boolean }) {
  return (
    <main className="display display-reconnecting" data-mode="reconnecting">
      {demo && <div className="banner demo">Training: no real money · 培訓模式：不涉及真實款項</div>}
      <div className="display-body">
        <h1 className="reconnecting" role="status">
          Reconnecting to the till… Please wait.
          <br />
          正在重新連接收銀機…請稍候。
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
