import type pg from 'pg';
import { hongKongDayRange } from '../../../shared/hkTime';
import { PAID_STATES } from '../../../shared/ledger/lifecycle';
import { provesTampering, type ChainProblem } from '../../../shared/ledger/chain';
import { BooksTampered, checkStoreDayBooks } from './chainCheck';
import { storeRefundedColumn } from './storeRefunded';
import { paymentLine, refundLine, writeExportCsv, type Attribution, type ExportCells, type ExportSummary, type PaymentRow, type RefundRow } from '../reports/dayExport';

/**
 * The store's day as one CSV: the till's own export (the same columns, the same rules for `net`,
 * `counted_at` and `z_period`, built by the same functions), over every till that shipped to the
 * head office, the `till` column saying whose row it is. Summing `net` gives the store's takings,
 * equal to the sum of the tills' own files. One environment per file, as at the till.
 */
export interface StoreExportSummary extends ExportSummary {
  readonly tills: readonly string[];
  /** Rows behind the day that cannot be verified yet (shipped before the chain): written, and said. */
  readonly unverifiable: readonly ChainProblem[];
}

export class StoreExportRefused extends Error {
  constructor(
    message: string,
    readonly environments: readonly string[],
  ) {
    super(message);
    this.name = 'StoreExportRefused';
  }
}

const PAID = PAID_STATES.map((state) => `'${state}'`).join(', ');

/** The transition that counted an item's money at its till, and the Z period (closed or open) that holds it. */
const MONEY_AND_PERIOD = (entity: 'payment' | 'refund', item: string, moneyStates: string) => `
  LEFT JOIN LATERAL (SELECT t.seq, t.at FROM transitions t
     WHERE t.till_id = ${item}.till_id AND t.entity = '${entity}' AND t.out_trade_no = ${item}.out_trade_no AND t.to_state IN (${moneyStates})
     ORDER BY t.seq LIMIT 1) m ON true
  LEFT JOIN LATERAL (SELECT z.number FROM z_reports z
     WHERE z.till_id = ${item}.till_id AND m.seq > z.after_transition AND m.seq <= z.last_transition) closed ON true`;

const OPEN_PERIOD = (item: string) => `(SELECT COALESCE(MAX(number), 0) + 1 FROM z_reports WHERE till_id = ${item}.till_id)`;

/** Payments made on the day, and those made before it but paid on it (late payments around midnight) first. */
const STORE_PAYMENTS = `
  SELECT o.*, ${storeRefundedColumn('o')},
         m.seq AS money_id, m.at AS money_at, closed.number AS closed_period, ${OPEN_PERIOD('o')} AS open_period
  FROM orders o ${MONEY_AND_PERIOD('payment', 'o', PAID)}
  WHERE o.environment = $3 AND ((o.created_at >= $1 AND o.created_at < $2) OR (o.created_at < $1 AND m.at >= $1 AND m.at < $2))
  ORDER BY o.created_at >= $1, o.created_at, o.till_id, o.out_trade_no`;

const STORE_REFUNDS = `
  SELECT r.*, r.order_out_trade_no AS original_out_trade_no, o.environment, o.wallet, o.pay_type, o.currency, o.goods_name, o.pay_tag,
         m.seq AS money_id, m.at AS money_at, closed.number AS closed_period, ${OPEN_PERIOD('r')} AS open_period
  FROM refunds r JOIN orders o ON o.till_id = r.till_id AND o.out_trade_no = r.order_out_trade_no ${MONEY_AND_PERIOD('refund', 'r', "'succeeded'")}
  WHERE o.environment = $3 AND ((r.created_at >= $1 AND r.created_at < $2) OR (m.at >= $1 AND m.at < $2))
  ORDER BY r.created_at, r.till_id, r.out_trade_no`;

const STORE_ENVIRONMENTS = `
  SELECT environment FROM orders WHERE created_at >= $1 AND created_at < $2
  UNION
  SELECT o.environment FROM transitions t JOIN orders o ON o.till_id = t.till_id AND o.out_trade_no = t.out_trade_no WHERE t.entity = 'payment' AND t.at >= $1 AND t.at < $2
  UNION
  SELECT o.environment FROM transitions t JOIN refunds r ON r.till_id = t.till_id AND r.out_trade_no = t.out_trade_no
    JOIN orders o ON o.till_id = r.till_id AND o.out_trade_no = r.order_out_trade_no WHERE t.entity = 'refund' AND t.at >= $1 AND t.at < $2`;

interface Periodic {
  closed_period: number | null;
  open_period: number;
}

/** PostgreSQL's bigint and numeric arrive as text: money and times are made whole numbers again. */
function numbers<T extends object>(row: T, keys: readonly string[]): T {
  const copy = { ...row } as Record<string, unknown>;
  for (const key of keys) if (copy[key] !== null && copy[key] !== undefined) copy[key] = Number(copy[key]);
  return copy as T;
}

/** The environments with rows on a day; the export asks which one when there are several. */
export async function storeEnvironments(client: pg.Pool | pg.PoolClient, day: string): Promise<string[]> {
  const { start, end } = hongKongDayRange(day);
  const { rows } = await client.query<{ environment: string }>(STORE_ENVIRONMENTS, [start, end]);
  return rows.map((row) => row.environment).sort();
}

export async function exportStoreDay(client: pg.Pool | pg.PoolClient, day: string, outPath: string, options: { environment?: string } = {}): Promise<StoreExportSummary> {
  const { start, end } = hongKongDayRange(day);
  const environments = await storeEnvironments(client, day);
  const environment = options.environment ?? (environments.length === 1 ? environments[0] : undefined);
  if (environment === undefined) {
    throw new StoreExportRefused(
      environments.length === 0 ? `the head office holds nothing for ${day}` : `the head office holds ${environments.join(' and ')} rows for ${day}: say which with --environment (training and real money never share a file)`,
      environments,
    );
  }
  // A file for the accountant is written only from books that verify.
  const problems: ChainProblem[] = (await checkStoreDayBooks(client, day)).flatMap((till) => till.books.problems);
  if (problems.some(provesTampering)) throw new BooksTampered('head_office', problems.filter(provesTampering));
  const money = ['created_at', 'amount', 'refunded', 'money_id', 'money_at', 'open_period'];
  const payments = (await client.query<PaymentRow & Periodic>(STORE_PAYMENTS, [start, end, environment])).rows.map((row) => numbers(row, money));
  const refunds = (await client.query<RefundRow & Periodic>(STORE_REFUNDS, [start, end, environment])).rows.map((row) => numbers(row, money));

  const periodOf = new Map<string, { number: number; open: boolean }>();
  const key = (row: { till_id: string; money_id: number | null }) => `${row.till_id}:${row.money_id}`;
  for (const row of [...payments, ...refunds]) {
    if (row.money_id !== null) periodOf.set(key(row), row.closed_period !== null ? { number: row.closed_period, open: false } : { number: row.open_period, open: true });
  }
  const attribution: Attribution = { onDay: (at) => at >= start && at < end, period: (row) => periodOf.get(key(row)) ?? { number: 0, open: true } };

  let net = 0;
  function* rows(): Generator<ExportCells> {
    for (const row of payments) {
      const line = paymentLine(row, attribution);
      net += line.net;
      yield line.cells;
    }
    for (const row of refunds) {
      const line = refundLine(row, attribution);
      net += line.net;
      yield line.cells;
    }
  }
  await writeExportCsv(rows(), outPath);
  const tills = [...new Set([...payments, ...refunds].map((row) => row.till_id))].sort();
  return { day, to: day, environment, payments: payments.length, refunds: refunds.length, net, otherEnvironments: environments.filter((name) => name !== environment), file: outPath, tills, unverifiable: problems };
}
