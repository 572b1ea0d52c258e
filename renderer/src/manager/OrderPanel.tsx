import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { SlipPanel } from '../common/SlipPanel';
import { formatHongKongTimestamp } from '../../../shared/hkTime';
import { amountMessage } from '../../../shared/i18n/amountMessages';
import type { Language, OrderDetail, PosApi, RefundView } from '../../../shared/ipc/contract';
import { ACTIVE_PAYMENT_STATES } from '../../../shared/ledger/lifecycle';
import { formatHKD, parseAmount } from '../../../shared/money';
import { answerWords, causeWords, environmentName, hkMinute, historyDetailWords, periodWords } from '../../../shared/i18n/bookWords';

type Tone = 'good' | 'bad' | 'info';
type Said = { tone: Tone; text: string };
type Confirming = { kind: 'refund'; amount: number } | { kind: 'cancel' };

const TONE_CLASS: Readonly<Record<Tone, string>> = { good: 'good-words', bad: 'problem', info: 'notice' };

/**
 * One order's history and refunds; a refund, or the cancel of an open order, confirmed before
 * anything is sent. Mounted once per order (keyed by its number), so what it said about one order
 * is never shown beside another. Each step takes the keyboard focus to what comes next.
 */
export function OrderPanel(props: { api: PosApi<'cashier'>; language: Language; environment: string; detail: OrderDetail; onChanged: () => void }) {
  const { t } = useTranslation();
  const { language } = props;
  const { order, refunds, history, decisions } = props.detail;
  /** The refund whose slip is open. */
  const [refundSlip, setRefundSlip] = useState<string | null>(null);
  const [amountText, setAmountText] = useState('');
  const [confirming, setConfirming] = useState<Confirming | null>(null);
  const [said, setSaid] = useState<Said | null>(null);
  const [sending, setSending] = useState(false);
  const amountInput = useRef<HTMLInputElement>(null);
  const confirmButton = useRef<HTMLButtonElement>(null);
  const cancelButton = useRef<HTMLButtonElement>(null);
  const saidRef = useRef<HTMLParagraphElement>(null);
  const refocus = useRef<'start' | 'said' | null>(null);

  const refundable = order.amount - refunds.filter((refund) => refund.state !== 'failed').reduce((sum, refund) => sum + refund.amount, 0);
  // An order of another gateway is shown, never acted on: the main process would refuse it anyway.
  const canRefund = order.madeOn === null && (order.state === 'paid' || order.state === 'paid_late') && refundable > 0;
  const canCancel = order.madeOn === null && ACTIVE_PAYMENT_STATES.includes(order.state) && !(order.state === 'created' && order.cancelRequested);
  const decisionWords = (decision: string) => t(`books.before.${decision}`, { defaultValue: decision });
  const money = (cents: number) => formatHKD(cents, language);

  useEffect(() => {
    if (confirming) confirmButton.current?.focus();
  }, [confirming]);
  // After an answer or a Back, the focus goes where the manager's next step is.
  useEffect(() => {
    if (refocus.current === 'start') (amountInput.current ?? cancelButton.current)?.focus();
    else if (refocus.current === 'said') saidRef.current?.focus();
    refocus.current = null;
  });

  function back() {
    setConfirming(null);
    refocus.current = 'start';
  }

  function ask(event: FormEvent) {
    event.preventDefault();
    if (amountText.trim() === '') {
      setSaid(null);
      return setConfirming({ kind: 'refund', amount: refundable });
    }
    const parsed = parseAmount(amountText);
    if (!parsed.ok) return setSaid({ tone: 'bad', text: amountMessage(parsed.error, language) });
    // Checked here first: QFPay would refuse it only after the confirmation.
    if (parsed.value > refundable) return setSaid({ tone: 'bad', text: t('manager.refundTooMuch', { amount: money(refundable) }) });
    setSaid(null);
    setConfirming({ kind: 'refund', amount: parsed.value });
  }

  function refundSaid(refund: RefundView): Said {
    const amount = money(refund.amount);
    if (refund.state === 'succeeded') return { tone: 'good', text: t('manager.refundDone', { state: t('refundStates.succeeded'), amount }) };
    if (refund.state === 'failed') return { tone: 'bad', text: t('manager.refundRefused', { amount, reason: answerWords(refund.respcd, refund.message, language) ?? '' }) };
    return { tone: 'info', text: t('manager.refundWaiting', { amount }) };
  }

  async function refund(amount: number) {
    setConfirming(null);
    setSending(true);
    const result = await props.api.commands.managerRefund({ outTradeNo: order.outTradeNo, amount });
    setSending(false);
    if (result.ok) {
      setAmountText('');
      setSaid(refundSaid(result.value.refund));
      props.onChanged();
    } else {
      setSaid({ tone: 'bad', text: result.error.message[language] });
    }
    refocus.current = 'said';
  }

  async function cancel() {
    setConfirming(null);
    setSending(true);
    const result = await props.api.commands.cancel({ outTradeNo: order.outTradeNo });
    setSending(false);
    if (result.ok) {
      const cancelled = result.value.order;
      setSaid({ tone: 'good', text: cancelled.state === 'cancelled' ? t('manager.cancelDone') : t('manager.cancelRequested') });
      props.onChanged();
    } else {
      setSaid({ tone: 'bad', text: result.error.message[language] });
    }
    refocus.current = 'said';
  }

  const orderAnswer = order.state === 'paid' ? null : answerWords(order.respcd, order.message, language);

  return (
    <section className="order-panel" aria-labelledby="order-panel-title" data-testid="order-panel">
      <h3 className="mono" id="order-panel-title" tabIndex={-1}>
        {order.outTradeNo}
      </h3>
      <p>
        {money(order.amount)} · {t(`states.${order.state}`)}
        {orderAnswer ? ` · ${orderAnswer}` : ''}
        {order.period ? ` · ${periodWords(t, order.period)}` : ''}
      </p>
      {['failed', 'expired', 'cancelled'].includes(order.state) && <p data-testid="order-settled">{t(order.gatewaySettled ? 'manager.notPaidSettled' : 'manager.notPaidWatched')}</p>}
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
      <ol className="history" data-testid="history">
        {history.map((step) => {
          const detail = historyDetailWords(t, step.detail, language);
          return (
            <li key={`${step.at}-${step.toState}-${step.cause}`}>
              {formatHongKongTimestamp(step.at).slice(11)} {t(`states.${step.toState}`, { defaultValue: t(`refundStates.${step.toState}`, { defaultValue: step.toState }) })}{' '}
              <small>
                ({causeWords(t, step.cause)}
                {detail ? `: ${detail}` : ''})
              </small>
            </li>
          );
        })}
      </ol>
      {refunds.length > 0 && (
        <>
          <h4>{t('manager.refunds')}</h4>
          <ul>
            {refunds.map((refund) => {
              const answer = refund.state === 'succeeded' ? null : answerWords(refund.respcd, refund.message, language);
              return (
                <li key={refund.outTradeNo}>
                  {money(refund.amount)} · {t(`refundStates.${refund.state}`)}
                  {answer ? ` · ${answer}` : ''}
                  {refund.period ? ` · ${periodWords(t, refund.period)}` : ''}
                  {refund.attention && <span className="badge badge-attention">{t(`attention.${refund.attention}`)}</span>}{' '}
                  <button type="button" className="slip-toggle" aria-expanded={refundSlip === refund.outTradeNo} onClick={() => setRefundSlip((open) => (open === refund.outTradeNo ? null : refund.outTradeNo))}>
                    {t('slip.refundSlip')}
                  </button>
                </li>
              );
            })}
          </ul>
          {refundSlip && <SlipPanel key={refundSlip} api={props.api} kind="refund" outTradeNo={refundSlip} language={language} version={refunds.find((refund) => refund.outTradeNo === refundSlip)?.state} />}
        </>
      )}
      {/* Above the form, where the manager acted: the answer is in view without scrolling down. */}
      <p ref={saidRef} className={said ? TONE_CLASS[said.tone] : 'notice'} role="status" tabIndex={-1} data-testid="order-said" data-tone={said?.tone}>
        {said?.text}
      </p>
      {confirming ? (
        <div className="confirm" role="alertdialog" aria-labelledby="order-confirm-words" data-testid="order-confirm">
          <p id="order-confirm-words">
            {confirming.kind === 'refund'
              ? t('manager.confirmRefund', { amount: money(confirming.amount), order: order.outTradeNo })
              : t('manager.confirmCancel', { amount: money(order.amount), order: order.outTradeNo })}
          </p>
          <div className="confirm-buttons">
            <button ref={confirmButton} type="button" className="primary" onClick={() => void (confirming.kind === 'refund' ? refund(confirming.amount) : cancel())}>
              {t('manager.confirm')}
            </button>
            <button type="button" onClick={back}>
              {t('manager.back')}
            </button>
          </div>
        </div>
      ) : (
        <>
          {canRefund && (
            <form className="refund-form" onSubmit={ask} aria-label={t('manager.refundFormLabel')}>
              <label>
                {t('manager.refundAmount')}
                <input ref={amountInput} value={amountText} inputMode="decimal" autoComplete="off" onChange={(event) => setAmountText(event.target.value)} placeholder={money(refundable)} aria-describedby="refundable-words" />
              </label>
              <p className="hint" id="refundable-words">
                {t('manager.refundable', { amount: money(refundable) })}
              </p>
              <button type="submit" className="secondary" disabled={sending}>
                {t('manager.refund')}
              </button>
            </form>
          )}
          {canCancel && (
            <div className="cancel-order">
              <p className="hint">{t('manager.cancelHint')}</p>
              <button ref={cancelButton} type="button" className="secondary" disabled={sending} onClick={() => setConfirming({ kind: 'cancel' })}>
                {t('manager.cancelOrder')}
              </button>
            </div>
          )}
        </>
      )}
      {(order.state === 'paid' || order.state === 'paid_late') && <SlipPanel key={order.outTradeNo} api={props.api} kind="payment" outTradeNo={order.outTradeNo} language={language} version={`${order.state}-${order.refunded}`} />}
    </section>
  );
}
