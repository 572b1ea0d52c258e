import type { ReconciliationResult } from '../../../../shared/ledger/reconcileDay';
import type { LedgerDatabase } from '../database';

/** A day's comparisons with QFPay, kept as they came out; the latest is the one that stands. */
export function reconciliationQueries(db: LedgerDatabase) {
  const statements = {
    insert: db.prepare<[string, string, number, number, string]>('INSERT INTO reconciliations (day, environment, checked_at, agrees, result) VALUES (?, ?, ?, ?, ?)'),
    latest: db.prepare<[string, string], { result: string }>('SELECT result FROM reconciliations WHERE day = ? AND environment = ? ORDER BY checked_at DESC, id DESC LIMIT 1'),
  };
  return {
    save(result: ReconciliationResult): void {
      statements.insert.run(result.day, result.environment, result.checkedAt, Number(result.agrees), JSON.stringify(result));
    },
    latest(day: string, environment: string): ReconciliationResult | undefined {
      const row = statements.latest.get(day, environment);
      return row ? (JSON.parse(row.result) as ReconciliationResult) : undefined;
    },
  };
}
