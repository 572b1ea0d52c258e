import type pg from 'pg';
import { hongKongDayRange } from '../../../shared/hkTime';
import { chainProblemWords } from '../../../shared/i18n/chainWords';
import { MAX_CHAIN_PROBLEMS, paymentFacts, refundFacts, walkChain, type BooksCheck, type ChainProblem, type ChainRecord, type StoredLink } from '../../../shared/ledger/chain';
import { genesisLink, nextLink } from '../ledger/chain';

/**
 * The head office's copy of each till's books checked against the tills' hash chain
 * (shared/ledger/chain.ts): recomputed here from what PostgreSQL holds, so an UPDATE of an amount,
 * a deleted or inserted transition is found and named (till, transition). The cost is the rows
 * checked: a shipment checks what it shipped, a day's report the day's stretch of each till.
 *
 * What the head office alone cannot find: every link recomputed to match an edit. That shows
 * against the till's own ledger (every sync compares the heads) and the chain head on each Z slip.
 */

/** Books that do not verify, found while shipping (the till's own) or at the head office. */
export class BooksTampered extends Error {
  constructor(
    readonly where: 'till' | 'head_office',
    readonly problems: readonly ChainProblem[],
  ) {
    const place = where === 'till' ? "this till's ledger" : "the head office's copy";
    super(`${place} does not verify: ${problems.map((problem) => chainProblemWords(problem, 'en')).join('; ')}`);
    this.name = 'BooksTampered';
  }
}

type Queryable = pg.Pool | pg.PoolClient;

interface HeadOfficeRow {
  seq: string;
  entity: 'payment' | 'refund';
  out_trade_no: string;
  from_state: string | null;
  to_state: string;
  cause: string;
  detail: string | null;
  at: string;
  chain_hash: string | null;
  environment: string | null;
  wallet: string | null;
  amount: string | null;
  currency: string | null;
  order_out_trade_no: string | null;
  refund_amount: string | null;
}

const ROWS = `
  SELECT t.seq, t.entity, t.out_trade_no, t.from_state, t.to_state, t.cause, t.detail, t.at, t.chain_hash,
         o.environment, o.wallet, o.amount, o.currency, r.order_out_trade_no, r.amount AS refund_amount
    FROM transitions t
    LEFT JOIN orders o ON t.entity = 'payment' AND o.till_id = t.till_id AND o.out_trade_no = t.out_trade_no
    LEFT JOIN refunds r ON t.entity = 'refund' AND r.till_id = t.till_id AND r.out_trade_no = t.out_trade_no
   WHERE t.till_id = $1 AND t.seq > $2 AND t.seq <= $3
   ORDER BY t.seq`;

// numeric and bigint arrive as text: whole numbers by the schema's own checks.
const whole = (value: string | null): number => (value === null ? 0 : Number(value));

function recordOf(row: HeadOfficeRow): ChainRecord {
  return {
    seq: Number(row.seq),
    entity: row.entity,
    outTradeNo: row.out_trade_no,
    fromState: row.from_state,
    toState: row.to_state,
    cause: row.cause,
    detail: row.detail,
    at: Number(row.at),
    facts: row.entity === 'payment' ? paymentFacts(row.environment ?? '', row.wallet ?? '', whole(row.amount), row.currency ?? '') : refundFacts(row.order_out_trade_no ?? '', whole(row.refund_amount)),
  };
}

/** The link the head office holds after transition `seq` of a till (0: the genesis of its ledger). */
async function storedLinkAt(client: Queryable, tillId: string, ledgerId: string, seq: number): Promise<{ link?: string; problem?: ChainProblem }> {
  if (seq === 0) return { link: genesisLink(ledgerId) };
  const { rows } = await client.query<{ chain_hash: string | null }>('SELECT chain_hash FROM transitions WHERE till_id = $1 AND seq = $2', [tillId, seq]);
  const row = rows[0];
  if (!row) return { problem: { tillId, seq, kind: 'missing' } };
  if (row.chain_hash === null) return { problem: { tillId, seq, kind: 'unchained' } };
  return { link: row.chain_hash };
}

/** A till's transitions after `after` up to `upto`, as the head office holds them, against the chain. */
export async function checkHeadOfficeStretch(client: Queryable, tillId: string, ledgerId: string, after: number, upto: number): Promise<BooksCheck> {
  const start = await storedLinkAt(client, tillId, ledgerId, after);
  const { rows } = await client.query<HeadOfficeRow>(ROWS, [tillId, after, upto]);
  const stored: StoredLink[] = rows.map((row) => ({ record: recordOf(row), link: row.chain_hash }));
  const walked = walkChain(after, start.link, stored, nextLink, tillId);
  // At the head office a row without a link was shipped before the chain existed, not sneaked in.
  const problems = [...(start.problem ? [start.problem] : []), ...walked.problems.map((problem) => (problem.kind === 'unlinked' ? { ...problem, kind: 'unchained' as const } : problem))];
  const heads = await client.query<{ number: number; last_transition: string; chain_head: string | null }>(
    'SELECT number, last_transition, chain_head FROM z_reports WHERE till_id = $1 AND last_transition >= $2 AND last_transition <= $3 ORDER BY number',
    [tillId, after, upto],
  );
  for (const z of heads.rows) {
    if (z.chain_head === null) continue;
    const at = Number(z.last_transition);
    const link = at === after ? start.link : at === 0 ? genesisLink(ledgerId) : rows.find((row) => Number(row.seq) === at)?.chain_hash;
    if (link !== z.chain_head) problems.push({ tillId, seq: at, kind: 'diverged', zNumber: z.number });
  }
  return { checked: walked.checked, problems: problems.slice(0, MAX_CHAIN_PROBLEMS) };
}

/** Which ledger each till ships: the genesis of its chain. */
async function ledgerIdsOfTills(client: Queryable): Promise<Map<string, string>> {
  const { rows } = await client.query<{ till_id: string; ledger_id: string }>('SELECT till_id, ledger_id FROM tills');
  return new Map(rows.map((row) => [row.till_id, row.ledger_id]));
}

/**
 * The books behind a Hong Kong business day, till by till: each till's stretch of transitions from
 * its first to its last of the day, and the first transition of every order the day's refunds and
 * payments come from when that lies before the stretch (its facts give the wallet and the amount).
 * The cost is the day's rows, not the history.
 */
export async function checkStoreDayBooks(client: Queryable, day: string, options: { tillId?: string } = {}): Promise<{ tillId: string; books: BooksCheck }[]> {
  const { start, end } = hongKongDayRange(day);
  const ledgers = await ledgerIdsOfTills(client);
  const { rows: stretches } = await client.query<{ till_id: string; first: string; last: string }>(
    'SELECT till_id, MIN(seq) AS first, MAX(seq) AS last FROM transitions WHERE at >= $1 AND at < $2 AND ($3::text IS NULL OR till_id = $3) GROUP BY till_id ORDER BY till_id',
    [start, end, options.tillId ?? null],
  );
  const results: { tillId: string; books: BooksCheck }[] = [];
  for (const stretch of stretches) {
    const tillId = stretch.till_id;
    const ledgerId = ledgers.get(tillId);
    if (!ledgerId) {
      results.push({ tillId, books: { checked: 0, problems: [{ tillId, seq: Number(stretch.first), kind: 'unchained' }] } });
      continue;
    }
    const first = Number(stretch.first);
    const check = await checkHeadOfficeStretch(client, tillId, ledgerId, first - 1, Number(stretch.last));
    const problems = [...check.problems];
    let checked = check.checked;
    const { rows: earlier } = await client.query<{ seq: string }>(
      `SELECT MIN(o.seq) AS seq FROM transitions t
         LEFT JOIN refunds r ON t.entity = 'refund' AND r.till_id = t.till_id AND r.out_trade_no = t.out_trade_no
         JOIN transitions o ON o.till_id = t.till_id AND o.entity = 'payment' AND o.out_trade_no = COALESCE(r.order_out_trade_no, t.out_trade_no)
        WHERE t.till_id = $1 AND t.seq >= $2 AND t.seq <= $3
        GROUP BY o.out_trade_no HAVING MIN(o.seq) < $2`,
      [tillId, first, Number(stretch.last)],
    );
    for (const row of earlier) {
      const seq = Number(row.seq);
      const single = await checkHeadOfficeStretch(client, tillId, ledgerId, seq - 1, seq);
      checked += single.checked;
      problems.push(...single.problems);
    }
    results.push({ tillId, books: { checked, problems: problems.slice(0, MAX_CHAIN_PROBLEMS) } });
  }
  return results;
}
