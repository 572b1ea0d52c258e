import type { PoolClient } from 'pg';
import { provesTampering } from '../../../shared/ledger/chain';
import { chainHeadAt, checkLedgerChain } from '../ledger/chain';
import { ledgerIdOf } from '../ledger/database';
import { lastTransitionId } from '../ledger/queries/history';
import { itemsToShip, recordsAfter, transitionLink, transitionsAfter, zChainHead, zPeriodsToShip, type ShippedTransition, type ShippedZPeriod } from '../ledger/queries/shipping';
import type { SqliteDatabase } from '../sqlite/openSqlite';
import { BooksTampered, checkHeadOfficeStretch } from './chainCheck';

/**
 * Ships a till's append-only history to the head office, in batches of its transitions, each in
 * one PostgreSQL transaction with the order and refund rows as that history leaves them.
 *
 * Where to resume is read from the head office itself (the highest transition and Z report it
 * holds for this till), so a batch and its cursor commit together: an interruption anywhere (a
 * kill -9 between COMMIT and anything else included) resumes after the last committed batch,
 * and a batch sent twice changes nothing. A row the head office already holds with other content
 * is not accepted silently: two tills with one id, or a ledger replaced by another, are refused.
 *
 * The books travel with their hash chain (shared/ledger/chain.ts), checked at both ends for the
 * rows shipped: the till's own before they leave, the head office's copy once they have landed
 * (an order edited there shows in the links of its new rows), and the head office's newest link
 * against the till's. So each shipment costs the rows it ships, never the history.
 */
export interface ShipOptions {
  readonly tillId: string;
  readonly batchSize?: number;
  /** Called after each batch commits (the tests stop the process there). */
  readonly afterCommit?: (batch: { readonly lastSeq: number }) => void | Promise<void>;
}

export interface ShipResult {
  readonly transitions: number;
  readonly orders: number;
  readonly refunds: number;
  readonly zReports: number;
  readonly batches: number;
  /** Records the head office still lacks (history rows and Z reports). */
  readonly behind: number;
}

export class HeadOfficeConflict extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HeadOfficeConflict';
  }
}

/** The till id is this ledger's at the head office: the first ledger to ship under it keeps it. */
async function claimTillId(client: PoolClient, tillId: string, ledgerId: string): Promise<void> {
  const { rows } = await client.query<{ ledger_id: string }>(
    `INSERT INTO tills (till_id, ledger_id) VALUES ($1, $2)
     ON CONFLICT (till_id) DO UPDATE SET last_shipped = now() WHERE tills.ledger_id = EXCLUDED.ledger_id
     RETURNING ledger_id`,
    [tillId, ledgerId],
  );
  if (rows.length === 0) {
    const held = await client.query<{ ledger_id: string }>('SELECT ledger_id FROM tills WHERE till_id = $1', [tillId]);
    throw new HeadOfficeConflict(
      `the head office keeps till ${tillId} for ledger ${held.rows[0]?.ledger_id.slice(0, 8) ?? '?'}, and this is ledger ${ledgerId.slice(0, 8)}: two tills may share the id, or this ledger replaced another. Nothing was shipped; give this till its own id.`,
    );
  }
}

/** What the head office lacks of this ledger, by the head office's own cursors. */
export async function headOfficeCursor(client: PoolClient, tillId: string): Promise<{ seq: number; zNumber: number }> {
  const { rows } = await client.query<{ seq: string; z: string }>(
    'SELECT (SELECT COALESCE(MAX(seq), 0) FROM transitions WHERE till_id = $1) AS seq, (SELECT COALESCE(MAX(number), 0) FROM z_reports WHERE till_id = $1) AS z',
    [tillId],
  );
  return { seq: Number(rows[0]?.seq ?? 0), zNumber: Number(rows[0]?.z ?? 0) };
}

export async function shipPending(ledger: SqliteDatabase, client: PoolClient, options: ShipOptions): Promise<ShipResult> {
  const batchSize = options.batchSize ?? 500;
  const totals = { transitions: 0, orders: 0, refunds: 0, zReports: 0, batches: 0 };
  const ledgerId = ledgerIdOf(ledger);
  await claimTillId(client, options.tillId, ledgerId);
  let cursor = await headOfficeCursor(client, options.tillId);
  await headAgrees(ledger, client, options.tillId, ledgerId, cursor.seq);
  await linkEarlierShipments(ledger, client, options.tillId);
  for (;;) {
    const transitions = transitionsAfter(ledger, cursor.seq, batchSize);
    const zReports = zPeriodsToShip(ledger, cursor.zNumber, transitions.at(-1)?.seq ?? cursor.seq);
    if (transitions.length === 0 && zReports.length === 0) break;
    const upto = transitions.at(-1)?.seq ?? cursor.seq;
    // Books that do not verify here are not spread to the store as if they did.
    const own = checkLedgerChain(ledger, ledgerId, cursor.seq, upto);
    if (own.problems.length > 0) throw new BooksTampered('till', own.problems.map((problem) => ({ ...problem, tillId: options.tillId })));
    await client.query('BEGIN');
    try {
      const shipped = await shipBatch(ledger, client, options.tillId, transitions, zReports);
      await client.query('COMMIT');
      totals.transitions += shipped.transitions;
      totals.orders += shipped.orders;
      totals.refunds += shipped.refunds;
      totals.zReports += shipped.zReports;
      totals.batches += 1;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
    // What landed, read back through the head office's own rows (an order edited there shows here).
    const landed = await checkHeadOfficeStretch(client, options.tillId, ledgerId, cursor.seq, upto);
    if (landed.problems.some(provesTampering)) throw new BooksTampered('head_office', landed.problems.filter(provesTampering));
    cursor = { seq: upto, zNumber: zReports.at(-1)?.number ?? cursor.zNumber };
    await options.afterCommit?.({ lastSeq: cursor.seq });
  }
  return { ...totals, behind: recordsAfter(ledger, cursor) };
}

/**
 * The head office's link where the two copies last overlap must be the till's own: otherwise its
 * copy was re-linked (or this ledger was). A till behind the head office (an older copy of its
 * ledger, restored) is compared at its own newest row, and ships nothing the head office has.
 */
async function headAgrees(ledger: SqliteDatabase, client: PoolClient, tillId: string, ledgerId: string, headOfficeSeq: number): Promise<void> {
  const tillNewest = lastTransitionId(ledger);
  const seq = Math.min(headOfficeSeq, tillNewest);
  if (seq === 0) return;
  const { rows } = await client.query<{ chain_hash: string | null }>('SELECT chain_hash FROM transitions WHERE till_id = $1 AND seq = $2', [tillId, seq]);
  const held = rows[0]?.chain_hash;
  if (held !== null && held !== undefined && held !== chainHeadAt(ledger, ledgerId, seq)) throw new BooksTampered('head_office', [{ tillId, seq, kind: 'diverged' }]);
}

/**
 * Rows shipped before the chain existed get their links (and Z reports their heads) once, from
 * this till; the head office's trigger allows exactly that and nothing else. A row whose content
 * was changed there meanwhile then fails its check, as it should.
 */
async function linkEarlierShipments(ledger: SqliteDatabase, client: PoolClient, tillId: string): Promise<void> {
  const link = transitionLink(ledger);
  for (;;) {
    const { rows } = await client.query<{ seq: string }>('SELECT seq FROM transitions WHERE till_id = $1 AND chain_hash IS NULL ORDER BY seq LIMIT 1000', [tillId]);
    const known = rows.map((row) => ({ seq: Number(row.seq), hash: link(Number(row.seq)) })).filter((row): row is { seq: number; hash: string } => row.hash !== undefined);
    if (known.length === 0) break;
    await client.query(
      `UPDATE transitions t SET chain_hash = l.hash FROM unnest($2::bigint[], $3::text[]) AS l(seq, hash)
        WHERE t.till_id = $1 AND t.seq = l.seq AND t.chain_hash IS NULL`,
      [tillId, known.map((row) => row.seq), known.map((row) => row.hash)],
    );
    if (known.length < rows.length) break;
  }
  const { rows: zs } = await client.query<{ number: number }>('SELECT number FROM z_reports WHERE till_id = $1 AND chain_head IS NULL', [tillId]);
  const head = zChainHead(ledger);
  for (const z of zs) {
    const own = head(z.number);
    if (own) await client.query('UPDATE z_reports SET chain_head = $3 WHERE till_id = $1 AND number = $2 AND chain_head IS NULL', [tillId, z.number, own]);
  }
}

async function shipBatch(ledger: SqliteDatabase, client: PoolClient, tillId: string, transitions: ShippedTransition[], zReports: ShippedZPeriod[]) {
  // Each item as this batch's history leaves it: its state and version are its last transition here.
  const last = new Map<string, ShippedTransition>();
  for (const row of transitions) last.set(`${row.entity}:${row.out_trade_no}`, row);
  const orderNumbers = [...last.values()].filter((row) => row.entity === 'payment');
  const refundNumbers = [...last.values()].filter((row) => row.entity === 'refund');

  const items = itemsToShip(ledger);

  let orders = 0;
  for (const item of orderNumbers) {
    const row = items.order(item.out_trade_no);
    const result = await client.query(
      `INSERT INTO orders (till_id, out_trade_no, environment, wallet, amount, currency, state, created_at, updated_at, syssn, sysdtm, paydtm, respcd, version, pay_type, goods_name, message, pay_tag, app_code, mchid, attention)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21)
       ON CONFLICT (till_id, out_trade_no) DO UPDATE SET state = EXCLUDED.state, updated_at = EXCLUDED.updated_at, syssn = EXCLUDED.syssn,
         sysdtm = EXCLUDED.sysdtm, paydtm = EXCLUDED.paydtm, respcd = EXCLUDED.respcd, version = EXCLUDED.version,
         pay_type = EXCLUDED.pay_type, goods_name = EXCLUDED.goods_name, message = EXCLUDED.message, pay_tag = EXCLUDED.pay_tag,
         app_code = EXCLUDED.app_code, mchid = EXCLUDED.mchid, attention = EXCLUDED.attention
       WHERE orders.version < EXCLUDED.version`,
      [tillId, row.out_trade_no, row.environment, row.wallet, row.amount, row.currency, item.to_state, row.created_at, row.updated_at, row.syssn, row.sysdtm, row.paydtm, row.respcd, item.seq, row.pay_type, row.goods_name, row.message, row.pay_tag, row.app_code, row.mchid, row.attention],
    );
    orders += result.rowCount ?? 0;
  }

  let refunds = 0;
  for (const item of refundNumbers) {
    const row = items.refund(item.out_trade_no);
    const result = await client.query(
      `INSERT INTO refunds (till_id, out_trade_no, order_out_trade_no, amount, state, created_at, updated_at, syssn, respcd, version, sysdtm, message, attention)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
       ON CONFLICT (till_id, out_trade_no) DO UPDATE SET state = EXCLUDED.state, updated_at = EXCLUDED.updated_at, syssn = EXCLUDED.syssn,
         respcd = EXCLUDED.respcd, version = EXCLUDED.version, sysdtm = EXCLUDED.sysdtm, message = EXCLUDED.message, attention = EXCLUDED.attention
       WHERE refunds.version < EXCLUDED.version`,
      [tillId, row.out_trade_no, row.order_out_trade_no, row.amount, item.to_state, row.created_at, row.updated_at, row.syssn, row.respcd, item.seq, row.sysdtm, row.message, row.attention],
    );
    refunds += result.rowCount ?? 0;
  }

  let inserted = 0;
  if (transitions.length > 0) {
    const column = <K extends keyof ShippedTransition>(key: K) => transitions.map((row) => row[key]);
    const result = await client.query<{ seq: string }>(
      `INSERT INTO transitions (till_id, seq, entity, out_trade_no, from_state, to_state, cause, detail, at, chain_hash)
       SELECT $1, * FROM unnest($2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::bigint[], $10::text[]) ORDER BY 1
       ON CONFLICT (till_id, seq) DO NOTHING RETURNING seq`,
      [tillId, column('seq'), column('entity'), column('out_trade_no'), column('from_state'), column('to_state'), column('cause'), column('detail'), column('at'), column('chain_hash')],
    );
    inserted = result.rowCount ?? 0;
    if (inserted < transitions.length) await refuseDifferentCopies(client, tillId, transitions, new Set(result.rows.map((row) => Number(row.seq))));
  }

  let zInserted = 0;
  for (const z of zReports) {
    const result = await client.query(
      `INSERT INTO z_reports (till_id, number, opened_at, closed_at, after_transition, last_transition, report, chain_head) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (till_id, number) DO NOTHING`,
      [tillId, z.number, z.opened_at, z.closed_at, z.after_transition, z.last_transition, z.report, z.chain_head],
    );
    zInserted += result.rowCount ?? 0;
  }
  return { transitions: inserted, orders, refunds, zReports: zInserted };
}

/** A transition the head office already holds must be this very one: same item, same change, same time. */
async function refuseDifferentCopies(client: PoolClient, tillId: string, sent: ShippedTransition[], inserted: Set<number>) {
  const held = sent.filter((row) => !inserted.has(row.seq));
  const { rows } = await client.query<ShippedTransition & { seq: string; at: string }>('SELECT seq, entity, out_trade_no, from_state, to_state, at, chain_hash FROM transitions WHERE till_id = $1 AND seq = ANY($2::bigint[])', [tillId, held.map((row) => row.seq)]);
  const bySeq = new Map(rows.map((row) => [Number(row.seq), row]));
  for (const row of held) {
    const copy = bySeq.get(row.seq);
    if (!copy || copy.entity !== row.entity || copy.out_trade_no !== row.out_trade_no || copy.from_state !== row.from_state || copy.to_state !== row.to_state || Number(copy.at) !== row.at) {
      throw new HeadOfficeConflict(`the head office holds another transition ${row.seq} for till ${tillId} (${copy?.out_trade_no ?? '?'} ${copy?.to_state ?? '?'}, not ${row.out_trade_no} ${row.to_state}): two tills may share the id ${tillId}, or this ledger replaced another. Nothing was shipped; give this till its own id.`);
    }
    if (copy.chain_hash !== null && copy.chain_hash !== row.chain_hash) throw new BooksTampered('head_office', [{ tillId, seq: row.seq, kind: 'diverged' }]);
  }
}
