import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { chainHeadAt, checkLedgerChain, genesisLink, nextLink } from '../../electron/services/ledger/chain';
import { ledgerIdOf, openLedgerDatabase, type LedgerDatabase } from '../../electron/services/ledger/database';
import { createLedgerStore, type LedgerStore } from '../../electron/services/ledger/ledgerStore';
import { MIGRATIONS } from '../../electron/services/ledger/migrations';
import { closePeriod, xReport } from '../../electron/services/reports/periods';
import { chainProblemWords } from '../../shared/i18n/chainWords';
import { chainText, paymentFacts, refundFacts } from '../../shared/ledger/chain';
import { runCli } from '../../electron/cli/main';
import { EXIT } from '../../electron/cli/exitCodes';
import { closeTestLedger, ledgerAt, openTestLedger, orderFields, type TestFolder } from '../support/ledger';
import { startTestSimulator, tillEnvironment } from '../support/simulator';

/**
 * The ledger's hash chain, tampered with as someone holding the SQLite file would: an amount
 * edited, a history row deleted or slipped in around the triggers, and the links rewritten to
 * match. Each is found and named by its transition number; honest books verify.
 */

let folder: TestFolder;
let path: string;
let db: LedgerDatabase;
let store: LedgerStore;

beforeEach(() => {
  ({ folder, path, db, store } = openTestLedger('qfpos-chain-'));
});
afterEach(() => closeTestLedger(db, folder));

let clock = 1_764_000_000_000;
function paidOrder(number: string, amount: number) {
  const order = store.insertOrder(orderFields({ outTradeNo: number, environment: 'production', gatewayUrl: 'https://openapi-hk.qfapi.com', appCode: 'A', amount, createdAt: (clock += 1000) }));
  store.transitionOrder(order.id, 'waiting', 'qr_issued', (clock += 1000), { syssn: `S${number}` });
  return store.transitionOrder(order.id, 'paid', 'query_paid', (clock += 1000));
}
function refunded(orderId: number, number: string, amount: number) {
  const refund = store.insertRefund({ orderId, outTradeNo: number, tillId: 't1', amount, requestFields: {}, createdAt: (clock += 1000) });
  return store.transitionRefund(refund.id, 'succeeded', 'refund_succeeded', (clock += 1000));
}
const everything = () => checkLedgerChain(db, ledgerIdOf(db), 0, store.lastTransitionId());

/** Another program's connection to the file: no chain function, and free to drop triggers. */
function tamper(work: (raw: Database.Database) => void) {
  db.close();
  const raw = new Database(path);
  work(raw);
  raw.close();
  ({ db, store } = ledgerAt(path));
}

describe('the ledger as a hash chain', () => {
  it('links every history row as it is written; honest books verify, row by row, from the genesis of this ledger', () => {
    const order = paidOrder('P1', 3000);
    paidOrder('P2', 1250);
    refunded(order.id, 'R1', 1000);
    const check = everything();
    expect(check).toEqual({ checked: 8, problems: [] });

    // The links are the documented formula over the documented record, not whatever the trigger liked.
    const ledgerId = ledgerIdOf(db);
    const first = nextLink(genesisLink(ledgerId), { seq: 1, entity: 'payment', outTradeNo: 'P1', fromState: null, toState: 'created', cause: 'charge_requested', detail: null, at: order.createdAt, facts: paymentFacts('production', 'fps', 3000, 'HKD') });
    expect(chainHeadAt(db, ledgerId, 1)).toBe(first);
    const refundCreated = db.prepare("SELECT id, at FROM transitions WHERE refund_id IS NOT NULL AND to_state = 'created'").get() as { id: number; at: number };
    const expected = nextLink(chainHeadAt(db, ledgerId, refundCreated.id - 1) as string, { seq: refundCreated.id, entity: 'refund', outTradeNo: 'R1', fromState: null, toState: 'created', cause: 'refund_requested', detail: null, at: refundCreated.at, facts: refundFacts('P1', 1000) });
    expect(chainHeadAt(db, ledgerId, refundCreated.id)).toBe(expected);
    // Unambiguous: a field's text cannot pass for two fields.
    expect(chainText({ seq: 1, entity: 'payment', outTradeNo: 'a|b', fromState: null, toState: 'c', cause: 'd', detail: null, at: 1, facts: [] })).not.toBe(
      chainText({ seq: 1, entity: 'payment', outTradeNo: 'a', fromState: 'b', toState: 'c', cause: 'd', detail: null, at: 1, facts: [] }),
    );
  });

  it('an amount edited in the SQLite file: found at the first row of that order, named by its number', () => {
    paidOrder('P1', 3000);
    const second = paidOrder('P2', 1250);
    tamper((raw) => raw.prepare("UPDATE orders SET amount = 99999 WHERE out_trade_no = 'P2'").run());
    const check = everything();
    const firstOfP2 = (db.prepare('SELECT MIN(id) AS id FROM transitions WHERE order_id = ?').get(second.id) as { id: number }).id;
    expect(check.problems[0]).toEqual({ seq: firstOfP2, kind: 'edited' });
    expect(chainProblemWords(check.problems[0] as never, 'en')).toBe(`transition ${firstOfP2} was changed after it was written (it no longer matches its link)`);
    expect(chainProblemWords(check.problems[0] as never, 'zh-HK')).toBe(`第 ${firstOfP2} 項記錄在寫入後被更改（與其鏈結不符）`);
  });

  it('a history row deleted around the triggers: found as missing', () => {
    paidOrder('P1', 3000);
    paidOrder('P2', 1250);
    tamper((raw) => {
      raw.exec('PRAGMA foreign_keys = OFF; DROP TRIGGER transitions_no_delete');
      raw.prepare('DELETE FROM transitions WHERE id = 4').run();
    });
    expect(everything().problems).toContainEqual({ seq: 4, kind: 'missing' });
  });

  it('the newest rows deleted with their links: found against the Z report that closed over them', () => {
    paidOrder('P1', 3000);
    closePeriod(store, { tillId: 't1', now: (clock += 1000), isMine: () => true });
    tamper((raw) => {
      raw.exec('DROP TRIGGER transitions_no_delete; DROP TRIGGER transition_links_no_delete');
      raw.prepare('DELETE FROM transition_links WHERE transition_id = 3').run();
      raw.prepare('DELETE FROM transitions WHERE id = 3').run();
    });
    expect(checkLedgerChain(db, ledgerIdOf(db), 0, 3).problems).toContainEqual({ seq: 3, kind: 'diverged', zNumber: 1 });
  });

  it('the newest rows deleted, their links left behind: found as missing, and no new history is linked over the gap', () => {
    paidOrder('P1', 3000);
    paidOrder('P2', 1250);
    tamper((raw) => raw.exec('PRAGMA foreign_keys = OFF; DROP TRIGGER transitions_no_delete; DELETE FROM transitions WHERE id IN (5, 6)'));
    // As doctor, the X report and shipping ask: up to the newest row there is.
    expect(checkLedgerChain(db, ledgerIdOf(db), 0, store.lastTransitionId()).problems).toEqual([{ seq: 5, kind: 'missing' }]);
    expect(xReport(store, { tillId: 't1', now: clock, isMine: () => true }).books?.problems).toEqual([{ seq: 5, kind: 'missing' }]);
    // Row 5's number would come round again: refused in words, nothing written.
    expect(() => paidOrder('P3', 700)).toThrow(/^the books do not verify \(this history row number was used before \(the rows after it were deleted\)\), so nothing new is written/);
    expect(store.orderByNumber('P3')).toBeUndefined();
  });

  it('a row slipped in by another program: refused for want of the link function; with the triggers dropped, found unlinked', () => {
    const order = paidOrder('P1', 3000);
    const sneak = (raw: Database.Database) => raw.prepare("INSERT INTO transitions (order_id, from_state, to_state, cause, at) VALUES (?, 'paid', 'paid_late', 'x', 1)").run(order.id);
    db.close();
    const raw = new Database(path);
    expect(() => sneak(raw)).toThrow(/no such function: qfpos_chain_link/);
    raw.close();
    db = openLedgerDatabase(path);
    store = createLedgerStore(db);
    tamper((other) => {
      other.exec('DROP TRIGGER transitions_linked');
      sneak(other);
    });
    expect(everything().problems).toEqual([{ seq: 4, kind: 'unlinked' }]);
  });

  it('links rewritten to match an edit: the chain verifies inside, but not against the chain head on the Z report', () => {
    paidOrder('P1', 3000);
    paidOrder('P2', 1250);
    const z = closePeriod(store, { tillId: 't1', now: (clock += 1000), isMine: () => true });
    expect(z.chainHead).toBe(chainHeadAt(db, ledgerIdOf(db), 6));
    expect(z.books).toEqual({ checked: 6, problems: [] });
    const ledgerId = ledgerIdOf(db);
    tamper((raw) => {
      raw.prepare("UPDATE orders SET amount = 99999 WHERE out_trade_no = 'P2'").run();
      raw.exec('DROP TRIGGER transition_links_no_update');
      // Recompute every link from the edited facts, as someone who read this code would.
      let previous = genesisLink(ledgerId);
      const rows = raw.prepare("SELECT t.id, t.from_state, t.to_state, t.cause, t.detail, t.at, o.out_trade_no, o.amount FROM transitions t JOIN orders o ON o.id = t.order_id ORDER BY t.id").all() as { id: number; from_state: string | null; to_state: string; cause: string; detail: string | null; at: number; out_trade_no: string; amount: number }[];
      for (const row of rows) {
        previous = nextLink(previous, { seq: row.id, entity: 'payment', outTradeNo: row.out_trade_no, fromState: row.from_state, toState: row.to_state, cause: row.cause, detail: row.detail, at: row.at, facts: paymentFacts('production', 'fps', row.amount, 'HKD') });
        raw.prepare('UPDATE transition_links SET hash = ? WHERE transition_id = ?').run(previous, row.id);
      }
    });
    expect(everything().problems).toEqual([{ seq: 6, kind: 'diverged', zNumber: 1 }]);
  });

  it('the X report carries the open period’s check and head; the Z stores its head, which the next period starts from', () => {
    paidOrder('P1', 3000);
    const z = closePeriod(store, { tillId: 't1', now: (clock += 1000), isMine: () => true });
    const stored = db.prepare('SELECT chain_head FROM z_periods WHERE number = 1').get() as { chain_head: string };
    expect(stored.chain_head).toBe(z.chainHead);
    paidOrder('P2', 1250);
    const x = xReport(store, { tillId: 't1', now: (clock += 1000), isMine: () => true });
    expect(x.books).toEqual({ checked: 3, problems: [] });
    expect(x.chainHead).toBe(chainHeadAt(db, ledgerIdOf(db), 6));
  });
});

describe('the X report’s check', () => {
  it('hashes only the history since the last honest check; what changed behind it is found at the close and by doctor’s full check', () => {
    paidOrder('P1', 3000);
    paidOrder('P2', 1250);
    const first = xReport(store, { tillId: 't1', now: (clock += 1000), isMine: () => true });
    expect(first.books).toEqual({ checked: 6, problems: [] });
    paidOrder('P3', 700);
    const second = xReport(store, { tillId: 't1', now: (clock += 1000), isMine: () => true });
    expect(second.books).toEqual({ checked: 3, problems: [], verifiedBefore: 6 });
    tamper((raw) => raw.prepare("UPDATE orders SET amount = 99999 WHERE out_trade_no = 'P1'").run());
    // Behind the mark, and the mark's own link unchanged: the X report does not hash it again.
    expect(xReport(store, { tillId: 't1', now: (clock += 1000), isMine: () => true }).books?.problems).toEqual([]);
    expect(everything().problems).toContainEqual({ seq: 1, kind: 'edited' });
    expect(closePeriod(store, { tillId: 't1', now: (clock += 1000), isMine: () => true }).books?.problems).toContainEqual({ seq: 1, kind: 'edited' });
  });
});

describe('a ledger from before the chain', () => {
  it('is linked once when opened, its history in order, and its closed periods get their heads', () => {
    db.close();
    const old = join(folder.path, 'old.sqlite');
    const raw = new Database(old);
    for (const migration of MIGRATIONS.slice(0, 3)) raw.exec(migration as string);
    raw.pragma('user_version = 3');
    raw.exec("INSERT INTO legal_transitions VALUES ('payment', 'created', 'waiting'), ('payment', 'waiting', 'paid')");
    raw.exec("INSERT INTO trade_numbers VALUES ('OLD1', 'payment')");
    raw.exec(`INSERT INTO orders (out_trade_no, till_id, environment, wallet, pay_type, amount, currency, request_fields, state, created_at, updated_at, qr_deadline, gateway_deadline)
      VALUES ('OLD1', 't1', 'production', 'alipay', '800101', 880, 'HKD', '{}', 'created', 1000, 1000, 2000, 3000)`);
    raw.exec("INSERT INTO transitions (order_id, from_state, to_state, cause, at) VALUES (1, NULL, 'created', 'charge_requested', 1000), (1, 'created', 'waiting', 'qr_issued', 1100)");
    raw.exec(`INSERT INTO z_periods (number, till_id, opened_at, closed_at, after_transition, last_transition, report) VALUES (1, 't1', 1000, 1200, 0, 2, '{}')`);
    raw.close();

    db = openLedgerDatabase(old);
    store = createLedgerStore(db);
    const ledgerId = ledgerIdOf(db);
    expect(everything()).toEqual({ checked: 2, problems: [] });
    const first = nextLink(genesisLink(ledgerId), { seq: 1, entity: 'payment', outTradeNo: 'OLD1', fromState: null, toState: 'created', cause: 'charge_requested', detail: null, at: 1000, facts: paymentFacts('production', 'alipay', 880, 'HKD') });
    expect(chainHeadAt(db, ledgerId, 1)).toBe(first);
    expect((db.prepare('SELECT chain_head FROM z_periods WHERE number = 1').get() as { chain_head: string }).chain_head).toBe(chainHeadAt(db, ledgerId, 2));
    // New rows continue the chain from the migrated history.
    store.transitionOrder(1, 'paid', 'query_paid', 1300);
    expect(everything()).toEqual({ checked: 3, problems: [] });
  });
});

describe('npm run cli -- doctor', () => {
  it('checks the whole chain: honest books verify; an amount edited in the file is named, exit 7', async () => {
    db.close();
    const simulator = await startTestSimulator();
    try {
      const env = tillEnvironment(simulator, folder.path, { QFPOS_DB: join(folder.path, 'cli.sqlite') });
      const charged = await runCli(['charge', '--amount', '88.00', '--wallet', 'alipay', '--json'], env);
      expect(charged.exitCode).toBe(EXIT.ok);
      const honest = await runCli(['doctor'], env);
      expect(honest.exitCode).toBe(EXIT.ok);
      expect(honest.lines).toContainEqual(expect.stringMatching(/^books: all 2 history rows verified against the chain \(head [0-9a-f]{16}\)$/));

      const raw = new Database(env.QFPOS_DB as string);
      raw.prepare('UPDATE orders SET amount = 8').run();
      raw.close();
      const doctor = await runCli(['doctor'], env);
      expect(doctor.exitCode).toBe(EXIT.booksBroken);
      expect(doctor.lines).toContain('books: DO NOT VERIFY: transition 1 was changed after it was written (it no longer matches its link); transition 2 was changed after it was written (it no longer matches its link)');
    } finally {
      await simulator.stop();
    }
  });
});
