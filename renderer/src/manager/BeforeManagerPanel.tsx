import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { commandError } from '../../../shared/i18n/commandErrors';
import type { DayView, Language, OrderView, PosApi, RefundView } from '../../../shared/ipc/contract';
import { DECISION_REASON_LENGTH } from '../../../shared/ledger/evidence';
import { formatHKD } from '../../../shared/money';
import { environmentName, hkMinute } from '../../../shared/i18n/bookWords';

type Decision = 'paid' | 'not_paid' | 'succeeded' | 'failed';
type Item = { kind: 'order'; item: OrderView } | { kind: 'refund'; item: RefundView };

/** The till checks the same bounds; checking here first saves a round trip and says why at once. */
const REASON = DECISION_REASON_LENGTH;

/**
 * Everything QFPay gave no final answer about in time, from any day. A manager asks QFPay again,
 * or decides from what QFPay's merchant portal or support shows, and says why: the reason is kept
 * with the decision and in the item's history.
 */
export function BeforeManagerPanel(props: {
  api: PosApi<'cashier'>;
  language: Language;
  items: DayView['beforeManager'];
  /** Late payments, listed in their own section: the cashier counts them as waiting for a manager too. */
  latePayments: number;
  environment: string;
  /** Reload the day, and the order's panel if given. */
  onChanged: (showOrder?: string) => void;
  /** Bring the order's panel into view. */
  onShowOrder: (outTradeNo: string) => void;
  onMessage: (words: string) => void;
}) {
  const { t } = useTranslation();
  const { language } = props;
  const [deciding, setDeciding] = useState<string | null>(null);
  const [asking, setAsking] = useState(false);
  const items: Item[] = [...props.items.orders.map((item) => ({ kind: 'order' as const, item })), ...props.items.refunds.map((item) => ({ kind: 'refund' as const, item }))].sort(
    (a, b) => (a.item.attentionSince ?? 0) - (b.item.attentionSince ?? 0),
  );

  async function askAgain() {
    setAsking(true);
    const result = await props.api.commands.managerResolveNow({});
    setAsking(false);
    props.onMessage(result.ok ? t('manager.resolved', { count: result.value.queried, changed: result.value.changed }) : result.error.message[language]);
    props.onChanged();
  }

  return (
    <section className={`before-manager${items.length > 0 ? ' has-items' : ''}`} aria-labelledby="before-manager-heading" data-testid="before-manager">
      <h2 id="before-manager-heading">
        {t('books.before.title')} {items.length > 0 && <span className="badge badge-attention">{items.length}</span>}
      </h2>
      {items.length === 0 ? (
        <p className="hint">{props.latePayments > 0 ? t('books.before.onlyLate', { count: props.latePayments }) : t('books.before.empty')}</p>
      ) : (
        <>
          <p className="hint">{t('books.before.hint')}</p>
          <ul className="attention-items">
            {items.map((entry) => {
              const { item } = entry;
              const madeOn = entry.kind === 'order' ? entry.item.madeOn : null;
              return (
                <li key={item.outTradeNo} data-item={item.outTradeNo}>
                  <div className="attention-line">
                    <strong>{t(entry.kind === 'order' ? 'books.before.order' : 'books.before.refund')}</strong> <span className="mono">{item.outTradeNo}</span>
                    {entry.kind === 'refund' && (
                      <>
                        {' '}
                        <span className="mono">{t('books.before.ofOrder', { number: entry.item.orderOutTradeNo })}</span>
                      </>
                    )}{' '}
                    · <span className="amount-words">{formatHKD(item.amount, language)}</span> ·{' '}
                    {entry.kind === 'order' ? t(`states.${entry.item.state}`) : t(`refundStates.${entry.item.state}`)}
                  </div>
                  <div className="attention-reason">
                    {item.attention ? t(`attention.${item.attention}`) : ''}
                    {item.attentionSince !== null && ` · ${t('books.before.since', { time: hkMinute(item.attentionSince) })}`}
                  </div>
                  {madeOn && <p className="badge badge-other">{t('books.before.otherGateway', { environment: environmentName(t, madeOn) })}</p>}
                  <div className="item-actions">
                    <button type="button" disabled={asking} onClick={() => void askAgain()}>
                      {t('books.before.askAgain')}
                    </button>
                    {!madeOn && (
                      <button type="button" aria-expanded={deciding === item.outTradeNo} onClick={() => setDeciding(deciding === item.outTradeNo ? null : item.outTradeNo)}>
                        {t('books.before.decide')}
                      </button>
                    )}
                    <button type="button" onClick={() => props.onShowOrder(entry.kind === 'order' ? item.outTradeNo : entry.item.orderOutTradeNo)}>
                      {t('books.before.showOrder')}
                    </button>
                  </div>
                  {deciding === item.outTradeNo && (
                    <DecideForm
                      api={props.api}
                      language={language}
                      entry={entry}
                      onCancel={() => setDeciding(null)}
                      onDecided={(decision) => {
                        setDeciding(null);
                        props.onMessage(t('books.before.done', { number: item.outTradeNo, decision: t(`books.before.${decision}`) }));
                        props.onChanged(entry.kind === 'order' ? item.outTradeNo : entry.item.orderOutTradeNo);
                      }}
                    />
                  )}
                </li>
              );
            })}
          </ul>
        </>
      )}
    </section>
  );
}

function DecideForm(props: { api: PosApi<'cashier'>; language: Language; entry: Item; onCancel: () => void; onDecided: (decision: Decision) => void }) {
  const { t } = useTranslation();
  const { entry, language } = props;
  const choices: readonly Decision[] = entry.kind === 'order' ? ['paid', 'not_paid'] : ['succeeded', 'failed'];
  const [decision, setDecision] = useState<Decision | null>(null);
  const [reason, setReason] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [sending, setSending] = useState(false);
  const number = entry.item.outTradeNo;
  const id = (part: string) => `decide-${number}-${part}`;

  async function confirm(event: FormEvent) {
    event.preventDefault();
    if (!decision) return setProblem(t('books.before.chooseFirst'));
    const trimmed = reason.trim();
    if (trimmed.length < REASON.min || trimmed.length > REASON.max) return setProblem(commandError('decision_reason_invalid').message[language]);
    setProblem(null);
    setSending(true);
    const result = await props.api.commands.managerDecide({ outTradeNo: number, decision, reason: trimmed });
    setSending(false);
    if (!result.ok) return setProblem(result.error.message[language]);
    props.onDecided(decision);
  }

  return (
    <form className="decide-form" onSubmit={(event) => void confirm(event)} aria-label={`${t('books.before.decide')} ${number}`}>
      <fieldset>
        <legend>{t('books.before.question')}</legend>
        {choices.map((choice) => (
          <label key={choice}>
            <input type="radio" name={id('decision')} value={choice} checked={decision === choice} onChange={() => setDecision(choice)} /> {t(`books.before.${choice}`)}
          </label>
        ))}
      </fieldset>
      <label className="reason-field">
        {t('books.before.reason')}
        <textarea value={reason} rows={2} maxLength={REASON.max} onChange={(event) => setReason(event.target.value)} aria-describedby={id('problem')} />
      </label>
      <p className="problem" role="alert" id={id('problem')}>
        {problem}
      </p>
      <div className="confirm-buttons">
        <button type="submit" className="primary" disabled={sending}>
          {t('manager.confirm')}
        </button>
        <button type="button" onClick={props.onCancel}>
          {t('manager.back')}
        </button>
      </div>
    </form>
  );
}
