import type { ChainProblem } from '../ledger/chain';
import type { DisplayLocale } from '../money';
import { words } from './words';

/** A problem with the books' chain in words (the catalogue's chainProblems), for the screens, the CLI and the slips. */
export function chainProblemWords(problem: ChainProblem, locale: DisplayLocale): string {
  const t = words(locale);
  const where = problem.tillId ? t('chainProblems.whereOfTill', { till: problem.tillId, seq: problem.seq }) : t('chainProblems.where', { seq: problem.seq });
  if (problem.kind === 'diverged' && problem.zNumber !== undefined) return t('chainProblems.divergedFromZ', { where, z: problem.zNumber });
  return t(`chainProblems.${problem.kind}`, { where });
}
