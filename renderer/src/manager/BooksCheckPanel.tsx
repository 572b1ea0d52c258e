import { useTranslation } from 'react-i18next';
import type { Language } from '../../../shared/ipc/contract';
import { chainProblemWords } from '../../../shared/i18n/chainWords';
import { provesTampering, type BooksCheck } from '../../../shared/ledger/chain';

/**
 * Whether the books behind what the screen shows verify against their hash chain. Books that do
 * not are said first and loudly, each problem named (till, transition): the figures below them
 * may not be what the tills wrote. Books that verify get one quiet line.
 */
export function BooksCheckPanel(props: { checks: readonly BooksCheck[]; language: Language; scope: 'till' | 'store' }) {
  const { t } = useTranslation();
  const all = props.checks.flatMap((check) => check.problems);
  const problems = all.filter(provesTampering);
  const unverifiable = all.filter((problem) => !provesTampering(problem));
  const checked = props.checks.reduce((sum, check) => sum + check.checked, 0);
  if (problems.length === 0 && unverifiable.length > 0) {
    // Not proof of a change, but not proof of the figures either: said, not sounded as an alarm.
    return (
      <section className="late" aria-labelledby="books-unverifiable-heading" data-testid="books-unverifiable">
        <h2 id="books-unverifiable-heading">{t('books.chain.unverifiableTitle')}</h2>
        <ul>
          {unverifiable.map((problem) => (
            <li key={`${problem.tillId ?? ''}-${problem.seq}`}>{chainProblemWords(problem, props.language)}</li>
          ))}
        </ul>
      </section>
    );
  }
  if (problems.length === 0) {
    if (checked === 0) return null;
    return (
      <p className="hint" data-testid="books-verified">
        {t(`books.chain.verified.${props.scope}`, { count: checked })}
      </p>
    );
  }
  return (
    <section className="books-broken" role="alert" aria-labelledby="books-broken-heading" data-testid="books-broken">
      <h2 id="books-broken-heading">{t('books.chain.brokenTitle')}</h2>
      <ul>
        {problems.map((problem) => (
          <li key={`${problem.tillId ?? ''}-${problem.seq}-${problem.kind}-${problem.zNumber ?? ''}`}>{chainProblemWords(problem, props.language)}</li>
        ))}
      </ul>
      <p>{t(`books.chain.brokenHint.${props.scope}`)}</p>
    </section>
  );
}
