import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateHeadOffice, POSTGRES_MIGRATIONS } from '../../electron/services/headOffice/postgresSchema';
import { legalEdges } from '../../shared/ledger/lifecycle';
import { postgresAvailable, startPostgres, type TestPostgres } from '../support/postgres';

/**
 * The head office's schema refuses what a till's SQLite ledger refuses, whatever a buggy till
 * sends: each statement below is what such a till might write, sent straight to a real PostgreSQL.
 */
describe.skipIf(!postgresAvailable)("the head office's schema", () => {
  let postgres: TestPostgres;
  let client: pg.Client;

  beforeAll(async () => {
    postgres = await startPostgres();
    client = new pg.Client({ connectionString: await postgres.createDatabase() });
    await client.connect();
    const pool = new pg.Pool({ connectionString: postgres.url('store_1') });
    const migrating = await pool.connect();
    await migrateHeadOffice(migrating);
    await migrateHeadOffice(migrating); // twice: the second finds nothing to do
    migrating.release();
    await pool.end();
    // One order with its history: created, then waiting.
    await client.query('BEGIN');
    await client.query(`INSERT INTO orders VALUES ('t', 'O1', 'demo', 'fps', 1230, 'HKD', 'waiting', 1, 2, NULL, NULL, NULL, NULL, 2)`);
    await client.query(`INSERT INTO transitions VALUES ('t', 1, 'payment', 'O1', NULL, 'created', 'charge_requested', NULL, 1), ('t', 2, 'payment', 'O1', 'created', 'waiting', 'qr_issued', NULL, 2)`);
    await client.query('COMMIT');
  });
  afterAll(async () => {
    await client?.end();
    await postgres?.remove();
  });

  /** Runs `sql` in its own transaction, committed: the error PostgreSQL gives, or undefined. */
  async function refusal(sql: string): Promise<string | undefined> {
    await client.query('BEGIN');
    try {
      await client.query(sql);
      await client.query('COMMIT');
      return undefined;
    } catch (error) {
      await client.query('ROLLBACK');
      return (error as Error).message;
    }
  }

  it('is at the last migration, with the lifecycle\'s legal edges', async () => {
    const version = await client.query('SELECT MAX(version)::int AS v FROM schema_migrations');
    expect(version.rows[0].v).toBe(POSTGRES_MIGRATIONS.length);
    const edges = await client.query('SELECT COUNT(*)::int AS n FROM legal_transitions');
    expect(edges.rows[0].n).toBe(legalEdges().length);
  });

  it.each([
    ['a zero amount', `INSERT INTO orders VALUES ('t', 'O2', 'demo', 'fps', 0, 'HKD', 'created', 1, 1, NULL, NULL, NULL, NULL, 3)`, /orders_amount_check/],
    ['a negative amount', `INSERT INTO orders VALUES ('t', 'O2', 'demo', 'fps', -5, 'HKD', 'created', 1, 1, NULL, NULL, NULL, NULL, 3)`, /orders_amount_check/],
    ['a fraction of a cent', `INSERT INTO orders VALUES ('t', 'O2', 'demo', 'fps', 12.5, 'HKD', 'created', 1, 1, NULL, NULL, NULL, NULL, 3)`, /orders_amount_check/],
    ['more than QFPay\'s Int(11)', `INSERT INTO orders VALUES ('t', 'O2', 'demo', 'fps', 2147483648, 'HKD', 'created', 1, 1, NULL, NULL, NULL, NULL, 3)`, /orders_amount_check/],
    ['a state that does not exist', `INSERT INTO orders VALUES ('t', 'O2', 'demo', 'fps', 100, 'HKD', 'refunded-ish', 1, 1, NULL, NULL, NULL, NULL, 3)`, /orders_state_check/],
    ['an illegal transition (waiting back to created)', `INSERT INTO transitions VALUES ('t', 3, 'payment', 'O1', 'waiting', 'created', 'x', NULL, 3)`, /illegal payment transition waiting -> created/],
    ['a transition that does not continue its history', `INSERT INTO transitions VALUES ('t', 3, 'payment', 'O1', 'created', 'paid', 'x', NULL, 3)`, /does not continue O1's history/],
    ['an order whose state its history never reached', `UPDATE orders SET state = 'paid', version = 3 WHERE out_trade_no = 'O1'`, /is paid, but its history says waiting/],
    ['a changed transition', `UPDATE transitions SET to_state = 'paid' WHERE seq = 2`, /transitions is append-only/],
    ['a deleted transition', `DELETE FROM transitions WHERE seq = 2`, /transitions is append-only/],
    ['a deleted order', `DELETE FROM orders WHERE out_trade_no = 'O1'`, /orders is append-only/],
    ['a refund of a zero amount', `INSERT INTO refunds VALUES ('t', 'R1', 'O1', 0, 'created', 1, 1, NULL, NULL, 4)`, /refunds_amount_check/],
    ['a refund of an order it does not have', `INSERT INTO refunds VALUES ('t', 'R1', 'NOPE', 100, 'created', 1, 1, NULL, NULL, 4)`, /foreign key/],
  ])('refuses %s', async (_case, sql, reason) => {
    expect(await refusal(sql)).toMatch(reason);
  });

  it('accepts the legal next step, with the order agreeing with it', async () => {
    expect(await refusal(`INSERT INTO transitions VALUES ('t', 3, 'payment', 'O1', 'waiting', 'paid', 'query_paid', NULL, 3); UPDATE orders SET state = 'paid', version = 3 WHERE out_trade_no = 'O1'`)).toBeUndefined();
  });
});
