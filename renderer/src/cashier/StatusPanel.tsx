import { useTranslation } from 'react-i18next';
import type { OrderView } from '../../../shared/ipc/contract';
import { formatHKD, type DisplayLocale } from '../../../shared/money';
import { canWithdraw, walletById } from '../../../shared/wallets';
import { answerWords } from '../../../shared/i18n/bookWords';
import { CODE_REFUSED_RESPCD } from '../../../shared/qfpay/authCode';
import { splitTimeLeft } from '../common/countdown';

/**
 * The current payment in words. The sentence sits in a polite live region so a screen reader
 * announces each change of state; the countdown sits outside it, so it is not read every second.
 */
export function StatusPanel({ order, language, timeLeftMs, flash = 0 }: { order: OrderView | null; language: DisplayLocale; timeLeftMs?: number; flash?: number }) {
  const { t } = useTranslation();
  let sentence = t('status.idle');
  if (order) {
    // Before a manager, whatever the state: the cashier must neither charge again nor guess.
    if (order.attention) sentence = t(`status.attention.${order.attention}`);
    else if (order.mode === 'cpm' && order.state === 'failed' && order.respcd === CODE_REFUSED_RESPCD) sentence = t('status.codeRefused');
    else if (order.state === 'failed') sentence = t('status.failed', { reason: answerWords(order.respcd, order.message, language) ?? '' });
    else if (order.state === 'created' && order.cancelRequested) sentence = t('status.cancelling');
    // The customer's own code: no QR to scan, the wallet asks the customer to confirm.
    // Where QFPay has no reversal for the wallet (PayMe), the till says so: it waits, and never claims a withdrawal.
    else if (order.mode === 'cpm' && !canWithdraw(order) && ['waiting', 'expired', 'cancelled'].includes(order.state)) {
      const key = order.state === 'waiting' ? 'status.confirmingNoWithdraw' : order.state === 'expired' ? 'status.expiredNotWithdrawn' : 'status.cancelledNotWithdrawn';
      sentence = t(key, { wallet: walletById(order.wallet).names[language] });
    } else if (order.mode === 'cpm' && order.state === 'waiting') sentence = t('status.confirming');
    else if (order.mode === 'cpm' && order.state === 'expired') sentence = t('status.expiredUnconfirmed');
    else sentence = t(`status.${order.state}`);
  }
  let tone = 'idle';
  if (order) {
    if (order.attention || order.state === 'paid_late') tone = 'alert';
    else if (order.state === 'paid') tone = 'good';
    else tone = ['failed', 'expired', 'cancelled'].includes(order.state) ? 'bad' : 'busy';
  }
  let countdown: string | undefined;
  if (order?.state === 'waiting' && order.mode !== 'cpm' && timeLeftMs !== undefined) {
    const { minutes, seconds } = splitTimeLeft(timeLeftMs);
    countdown = t('status.waitingLeft', { time: minutes > 0 ? t('minutesSeconds', { minutes, seconds }) : t('seconds', { seconds }) });
  }
  return (
    <section className={`status status-${tone}`} aria-label={t('status.label')}>
      {/* Keyed by the count, so each confirmed payment plays the flash again; the live region stays put. */}
      {flash > 0 && <div key={flash} className="paid-flash" aria-hidden="true" data-testid="paid-flash" />}
      {order && (
        <p className="status-amount">
          {formatHKD(order.amount, language)} · {walletById(order.wallet).names[language]}
          {order.authCodeMasked && (
            <>
              {' · '}
              <span className="nowrap">{t('scan.code', { masked: order.authCodeMasked })}</span>
            </>
          )}
        </p>
      )}
      <p className="status-sentence" role="status" aria-live="polite" data-state={order?.state ?? 'idle'}>
        {sentence}
      </p>
      {countdown && (
        <p className="status-countdown" aria-hidden="true">
          {countdown}
        </p>
      )}
    </section>
  );
}
