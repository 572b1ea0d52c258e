import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CommandResult, Language, PosApi } from '../../../shared/ipc/contract';
import type { ReconciliationCategory, ReconciliationResult } from '../../../shared/ledger/reconcileDay';
import { formatHKD } from '../../../shared/money';
import { reconciliationSentence, whyWords } from '../../../shared/i18n/bookWords';
import type { ComparedBooks } from '../../../shared/i18n/reconciliationWords';

const ORDER: readonly ReconciliationCategory[] = ['differs', 'at_qfpay_only', 'open', 'matched'];

/**
 * The day compared with QFPay's own records: the latest comparison kept in the ledger, or a new
 * one on request. Every line that is not matched is listed for people to look at. The store view
 * runs the same comparison across its tills (`check`), under its own title.
 */
export function ReconciliationPanel(props: {
  api: PosApi<'cashier'>;
  language: Language;
  day: string;
  latest: ReconciliationResult | null;
  onChecked: () => void;
  check?: () => Promise<CommandResult<'managerReconcileDay'>>;
  title?: string;
  /** Whose books QFPay's are compared with: the store view compares the head office's copy. */
  books?: ComparedBooks;
}) {
  const { t } = useTranslation();
  const { language } = props;
  const [checked, setChecked] = useState<ReconciliationResult | null>(null);
  const [checking, setChecking] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const result = checked ?? props.latest;

  async function check() {
    setChecking(true);
    setProblem(null);
    const answer = await (props.check ? props.check() : props.api.commands.managerReconcileDay({ day: props.day }));
    setChecking(false);
    if (!answer.ok) return setProblem(answer.error.message[language]);
    setChecked(answer.value.result);
    props.onChecked();
  }

  const lines = result ? [...result.lines].sort((a, b) => ORDER.indexOf(a.category) - ORDER.indexOf(b.category)) : [];
  const stateWords = (kind: 'payment' | 'refund', state: string) => (kind === 'refund' ? t(`refundStates.${state}`, { defaultValue: state }) : t(`states.${state}`, { defaultValue: state }));

  return (
    <section className="reconciliation" aria-labelledby="reconciliation-heading" data-testid="reconciliation">
      <div className="section-head">
        <h2 id="reconciliation-heading">{props.title ?? t('books.reconcile.title')}</h2>
        <button type="button" className="no-print" disabled={checking} onClick={() => void check()}>
          {t('books.reconcile.check')}
        </button>
      </div>
      <div role="status">
        {checking && <p>{t('books.reconcile.checking')}</p>}
        {problem && <p className="problem">{problem}</p>}
      </div>
      {result === null ? (
        <p className="hint">{t('books.reconcile.never')}</p>
      ) : (
        <>
          <p className={`reconcile-sentence ${result.agrees ? 'good-words' : 'alert-words'}`} data-testid="reconcile-sentence">
            {reconciliationSentence(t, result)}
          </p>
          <p className="hint">
            {t('books.reconcile.records', { count: result.qfpayRecords, day: result.day })}
            {result.otherGateway > 0 && ` ${t('books.reconcile.otherGateway', { count: result.otherGateway })}`}
          </p>
          {lines.length > 0 && (
            // Scrolls sideways on a narrow screen: focusable, so the keyboard can scroll it too.
            <div className="table-scroll" tabIndex={0} role="region" aria-label={t('books.reconcile.linesLabel')}>
              <table className="reconcile-lines" data-testid="reconcile-lines">
                <thead>
                  <tr>
                    <th scope="col">{t('books.reconcile.finding')}</th>
                    <th scope="col">{t('books.reconcile.kind')}</th>
                    <th scope="col">{t('books.reconcile.number')}</th>
                    <th scope="col">{t('books.reconcile.syssn')}</th>
                    <th scope="col">{t('books.reconcile.ledger')}</th>
                    <th scope="col">{t('books.reconcile.qfpay')}</th>
                    <th scope="col">{t('books.reconcile.why')}</th>
                  </tr>
                </thead>
                <tbody>
                  {lines.map((line, index) => (
                    <tr key={`${line.outTradeNo ?? ''}-${line.syssn ?? ''}-${index}`} className={`line-${line.category}`}>
                      <td>{t(`books.reconcile.categories.${line.category}`)}</td>
                      <td>{t(`books.reconcile.kinds.${line.kind}`)}</td>
                      <td className="mono">{line.outTradeNo ?? '—'}</td>
                      <td className="mono">{line.syssn ?? '—'}</td>
                      <td>{line.ledger ? `${stateWords(line.kind, line.ledger.state)} · ${formatHKD(line.ledger.amount, language)}` : t(props.books === 'head office' ? 'books.reconcile.notAtHeadOffice' : 'books.reconcile.notInLedger')}</td>
                      <td>{line.qfpay ? `${line.qfpay.respcd} · ${formatHKD(line.qfpay.amount, language)}` : t('books.reconcile.noRecord')}</td>
                      <td>{whyWords(t, line, language, props.books)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </>
      )}
    </section>
  );
}
