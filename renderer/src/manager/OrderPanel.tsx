import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatHongKongTimestamp } from '../../../shared/hkTime';
import { amountMessage } from '../../../shared/i18n/amountMessages';
import type { Language, OrderDetail, PosApi } from '../../../shared/ipc/contract';
import { formatHKD, parseAmount } from '../../../shared/money';
import { environmentName, hkMinute, periodWords } from '../common/bookWords';

/** One order's history and refunds, and a refund that is confirmed before anything is sent. */
export function OrderPanel(props: { api: PosApi<'cashier'>; language: Language; environment: string; detail: OrderDetail; onChanged: () => void }) {
  const { t } = useTranslation();
  const { order, refunds, history, decisions } = props.detail;
  const [amountText, setAmountText] = useState('');
  const [confirming, setConfirming] = useState<number | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const refundable = order.amount - refunds.filter((refund) => refund.state !== 'failed').reduce((sum, refund) => sum + refund.amount, 0);
  // An order of another gateway is shown, never acted on: the main process would refuse it anyway.
  const canRefund = order.madeOn === null && (order.state === 'paid' || order.state === 'paid_late') && refundable > 0;
  const decisionWords = (decision: string) => t(`books.before.${decision}`, { defaultValue: decision });

  function ask() {
    if (amountText.trim() === '') return setConfirming(refundable);
    const parsed = parseAmount(amountText);
    if (!parsed.ok) return setMessage(amountMessage(parsed.error, props.language));
    setMessage(null);
    setConfirming(parsed.value);
  }

  async function refund(amount: number) {
    setConfirming(null);
    const result = await props.api.commands.managerRefund({ outTradeNo: order.outTradeNo, amount });
    if (result.ok) {
      setAmountText('');
      setMessage(t('manager.refundDone', { state: t(`refundStates.${result.value.refund.state}`), amount: formatHKD(result.value.refund.amount, props.language) }));
      props.onChanged();
    } else {
      setMessage(result.error.message[props.language]);
    }
  }

  return (
    <section className="order-panel" aria-label={order.outTradeNo}>
      <h3 className="mono" tabIndex={-1}>
        {order.outTradeNo}
      </h3>
      <p>
        {formatHKD(order.amount, props.language)} · {t(`states.${order.state}`)}
        {order.message ? ` · ${order.message}` : ''}
        {order.period ? ` · ${periodWords(t, order.period)}` : ''}
      </p>
      {order.attention && (
        <p className="attention-box" role="note">
          {t('manager.attentionSince', { reason: t(`attention.${order.attention}`), time: order.attentionSince === null ? '' : hkMinute(order.attentionSince) })}
        </p>
      )}
      {order.madeOn && (
        <p className="badge badge-other" role="note">
          {t('manager.madeOnReadOnly', { made: environmentName(t, order.madeOn), runs: environmentName(t, props.environment) })}
        </p>
      )}
      {decisions.length > 0 && (
        <>
          <h4>{t('manager.decisions')}</h4>
          <ul className="decisions" data-testid="decisions">
            {decisions.map((decision) => (
              <li key={`${decision.outTradeNo}-${decision.at}`}>
                {hkMinute(decision.at)} · <strong>{decisionWords(decision.decision)}</strong>
                {decision.outTradeNo !== order.outTradeNo && <> ({t('manager.decisionOf', { number: decision.outTradeNo })})</>}
                <q className="reason">{decision.reason}</q>
              </li>
            ))}
          </ul>
        </>
      )}
      <h4>{t('manager.history')}</h4>
      <ol className="history">
        {history.map((step) => (
          <li key={`${step.at}-${step.toState}-${step.cause}`}>
            {formatHongKongTimestamp(step.at).slice(11)} {t(`states.${step.toState}`, { defaultValue: t(`refundStates.${step.toState}`, { defaultValue: step.toState }) })}{' '}
            <small>
              ({t(`causes.${step.cause}`, { defaultValue: step.cause })}
              {step.detail ? `: ${step.detail}` : ''})
            </small>
          </li>
        ))}
      </ol>
      {refunds.length > 0 && (
        <>
          <h4>{t('manager.refunds')}</h4>
          <ul>
            {refunds.map((refund) => (
              <li key={refund.outTradeNo}>
                {formatHKD(refund.amount, props.language)} · {t(`refundStates.${refund.state}`)}
                {refund.message ? ` · ${refund.message}` : ''}
                {refund.period ? ` · ${periodWords(t, refund.period)}` : ''}
                {refund.attention && <span className="badge badge-attention">{t(`attention.${refund.attention}`)}</span>}
              </li>
            ))}
          </ul>
        </>
      )}
      {canRefund &&
        (confirming === null ? (
          <div className="refund-form">
            <label>
              {t('manager.refundAmount')}
              <input value={amountText} inputMode="decimal" onChange={(event) => setAmountText(event.target.value)} placeholder={formatHKD(refundable, props.language)} />
            </label>
            <button type="button" className="secondary" onClick={ask}>
              {t('manager.refund')}
            </button>
          </div>
        ) : (
          <div className="confirm" role="alertdialog" aria-label={t('manager.refund')}>
            <p>{t('manager.confirmRefund', { amount: formatHKD(confirming, props.language), order: order.outTradeNo })}</p>
            <button type="button" className="primary" onClick={() => void refund(confirming)}>
              {t('manager.confirm')}
            </button>
            <button type="button" onClick={() => setConfirming(null)}>
              {t('manager.back')}
            </button>
          </div>
        ))}
      <p className="problem" role="status">
        {message}
      </p>
    </section>
  );
}
