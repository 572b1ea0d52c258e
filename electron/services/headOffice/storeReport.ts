import type pg from 'pg';
import { hongKongDayRange } from '../../../shared/hkTime';
import type { BooksCheck } from '../../../shared/ledger/chain';
import type { EnvironmentTotals } from '../../../shared/ledger/reportTypes';
import { PAID_STATES } from '../../../shared/ledger/lifecycle';
import type { MoneyEvent } from '../ledger/queries/periodSums';
import { totalsByEnvironment } from '../reports/periods';
import { checkStoreDayBooks } from './chainCheck';

/**
 * The store's day from the head office: the money that became final on a Hong Kong business day,
 * across every till, by the tills' own rule (a payment counts when it first entered a paid state,
 * a refund when it succeeded) and added up by the tills' own function, so the store's figures are
 * the sum of the tills' reports by construction. Environments are never summed together.
 *
 * Each till's books behind the day are checked against their hash chain (chainCheck.ts), so a
 * figure edited at the head office is named, not added up quietly.
 *
 * Not covered: a ledger of schema 1 left calendar-day reports whose events its periods leave out;
 * those day reports are not shipped, so such a ledger's old days can differ here.
 */
export interface StoreDay {
  readonly day: string;
  readonly tills: readonly string[];
  /** The store's totals, per environment and wallet. */
  readonly store: readonly EnvironmentTotals[];
  /** Each till's own totals, as its manager's day shows them. */
  readonly byTill: readonly { readonly tillId: string; readonly totals: readonly EnvironmentTotals[] }[];
  /** Each till's books behind the day, checked against its chain: figures from books that do not verify are not to be trusted. */
  readonly books: readonly { readonly tillId: string; readonly books: BooksCheck }[];
}

const PAID = PAID_STATES.map((state) => `'${state}'`).join(', ');

const STORE_MONEY_EVENTS = `
  SELECT t.till_id, t.seq AS id, t.at, 'payment' AS kind, o.environment, o.wallet, o.amount
    FROM transitions t JOIN orders o ON o.till_id = t.till_id AND o.out_trade_no = t.out_trade_no
   WHERE t.entity = 'payment' AND t.at >= $1 AND t.at < $2 AND ($3::text IS NULL OR t.till_id = $3)
     AND t.to_state IN (${PAID}) AND (t.from_state IS NULL OR t.from_state NOT IN (${PAID}))
  UNION ALL
  SELECT t.till_id, t.seq AS id, t.at, 'refund' AS kind, o.environment, o.wallet, r.amount
    FROM transitions t JOIN refunds r ON r.till_id = t.till_id AND r.out_trade_no = t.out_trade_no
    JOIN orders o ON o.till_id = r.till_id AND o.out_trade_no = r.order_out_trade_no
   WHERE t.entity = 'refund' AND t.at >= $1 AND t.at < $2 AND t.to_state = 'succeeded' AND ($3::text IS NULL OR t.till_id = $3)
  ORDER BY 1, 2`;

export async function storeDay(client: pg.Pool | pg.PoolClient, day: string, options: { tillId?: string } = {}): Promise<StoreDay> {
  const { start, end } = hongKongDayRange(day);
  const { rows } = await client.query<{ till_id: string; id: string; at: string; kind: 'payment' | 'refund'; environment: string; wallet: MoneyEvent['wallet']; amount: string }>(STORE_MONEY_EVENTS, [start, end, options.tillId ?? null]);
  const events = rows.map((row) => ({ tillId: row.till_id, event: { id: Number(row.id), at: Number(row.at), kind: row.kind, environment: row.environment, wallet: row.wallet, amount: Number(row.amount) } satisfies MoneyEvent }));
  const tills = [...new Set(events.map((entry) => entry.tillId))].sort();
  return {
    day,
    tills,
    store: totalsByEnvironment(events.map((entry) => entry.event)),
    byTill: tills.map((tillId) => ({ tillId, totals: totalsByEnvironment(events.filter((entry) => entry.tillId === tillId).map((entry) => entry.event)) })),
    books: await checkStoreDayBooks(client, day, options),
  };
}
