import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../../electron/cli/main';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openLedgerDatabase } from '../../electron/services/ledger/database';
import { createLedgerStore } from '../../electron/services/ledger/ledgerStore';
import { MIGRATIONS } from '../../electron/services/ledger/migrations';
import { PAYMENT_TRANSITIONS, REFUND_TRANSITIONS } from '../../shared/ledger/lifecycle';
import { testLedgerFile, type TestFolder } from '../support/ledger';

/**
 * A ledger written by schema 1, which believed empty answers, opened by this version: what it
 * wrote off without evidence is watched again and put before a manager; nothing else changes.
 */
let folder: TestFolder;
let path: string;
beforeEach(() => {
  ({ folder, path } = testLedgerFile('qfpos-migration-'));
});
afterEach(() => folder.remove());

function schemaOneLedger() {
  const db = new Database(path);
  db.exec(MIGRATIONS[0] as string);
  db.pragma('user_version = 1');
  const legal = db.prepare('INSERT INTO legal_transitions (entity, from_state, to_state) VALUES (?, ?, ?)');
  for (const [from, targets] of Object.entries(PAYMENT_TRANSITIONS)) for (const to of targets) legal.run('payment', from, to);
  for (const [from, targets] of Object.entries(REFUND_TRANSITIONS)) for (const to of targets) legal.run('refund', from, to);
  const order = (number: string, path: [string, string][], settled: number) => {
    db.prepare("INSERT INTO trade_numbers VALUES (?, 'payment')").run(number);
    const id = Number(
      db.prepare(`INSERT INTO orders (out_trade_no, till_id, environment, wallet, pay_type, amount, currency, request_fields, state, created_at, updated_at, qr_deadline, gateway_deadline)
        VALUES (?, 't1', 'production', 'fps', '802001', 500, 'HKD', '{}', 'created', 1000, 1000, 2000, 3000)`).run(number).lastInsertRowid,
    );
    let from = 'created';
    for (const [to, cause] of path) {
      db.prepare('UPDATE orders SET state = ?, gateway_settled = ? WHERE id = ?').run(to, settled, id);
      db.prepare('INSERT INTO transitions (order_id, from_state, to_state, cause, at) VALUES (?, ?, ?, ?, 5000)').run(id, from, to, cause);
      from = to;
    }
    return id;
  };
  const writtenOff = order('OLD-P1', [['unknown', 'no_definitive_answer'], ['failed', 'never_reached_gateway']], 1);
  const refused = order('OLD-P2', [['failed', 'gateway_refused']], 1);
  const paid = order('OLD-P3', [['waiting', 'qr_issued'], ['paid', 'query_paid']], 0);
  db.prepare("INSERT INTO trade_numbers VALUES ('OLD-R1', 'refund')").run();
  const refund = Number(
    db.prepare(`INSERT INTO refunds (order_id, out_trade_no, till_id, amount, request_fields, state, created_at, updated_at) VALUES (?, 'OLD-R1', 't1', 500, '{}', 'created', 6000, 6000)`).run(paid).lastInsertRowid,
  );
  db.prepare("UPDATE refunds SET state = 'failed' WHERE id = ?").run(refund);
  db.prepare("INSERT INTO transitions (refund_id, from_state, to_state, cause, at) VALUES (?, 'created', 'failed', 'never_reached_gateway', 7000)").run(refund);
  db.close();
  return { writtenOff, refused, paid, refund };
}

describe('a schema-1 ledger opened by this version', () => {
  it('puts what it wrote off on an empty answer before a manager, watched again; leaves the rest', () => {
    const ids = schemaOneLedger();
    const db = openLedgerDatabase(path);
    try {
      const store = createLedgerStore(db);
      expect(store.order(ids.writtenOff)).toMatchObject({ state: 'failed', gatewaySettled: false, attention: 'no_final_answer', attentionSince: 5000 });
      expect(store.order(ids.refused)).toMatchObject({ state: 'failed', gatewaySettled: true, attention: null });
      expect(store.order(ids.paid)).toMatchObject({ state: 'paid', attention: null, gatewayUrl: null, appCode: null });
      expect(store.refund(ids.refund)).toMatchObject({ state: 'failed', attention: 'refund_not_confirmed', attentionSince: 7000 });
      expect(store.unsettledOrders().map((order) => order.id)).toEqual([ids.writtenOff]);
      expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    } finally {
      db.close();
    }
  });

  it('holding real money with no settings.json: refused before it is opened, not started in demo mode and named (issue 20)', async () => {
    schemaOneLedger();
    for (const env of [{ QFPOS_DB: path }, { QFPOS_DB: path, QFPOS_GATEWAY: 'demo' }]) {
      const refused = await runCli(['orders'], env);
      expect(refused.exitCode).toBe(2);
      expect(refused.lines[0]).toMatch(/till\.sqlite is a ledger from an older version and holds real-money orders, but .*settings\.json is missing, so this till will not use it/);
    }
    expect(existsSync(join(folder.path, 'settings.json'))).toBe(false);
  });
});
