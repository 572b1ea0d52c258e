import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openLedgerDatabase, type LedgerDatabase } from '../../electron/services/ledger/database';
import { createLedgerStore, LedgerRefusal, type LedgerStore } from '../../electron/services/ledger/ledgerStore';
import { MIGRATIONS } from '../../electron/services/ledger/migrations';
import { PAYMENT_STATES, PAYMENT_TRANSITIONS, REFUND_STATES, REFUND_TRANSITIONS, type PaymentState, type RefundState } from '../../shared/ledger/lifecycle';
import { closeTestLedger, openTestLedger, type TestFolder } from '../support/ledger';

let folder: TestFolder;
let db: LedgerDatabase;
let store: LedgerStore;
let sequence = 0;

beforeEach(() => {
  ({ folder, db, store } = openTestLedger('qfpos-ledger-'));
});
afterEach(() => closeTestLedger(db, folder));

function newOrder(amount = 1000) {
  sequence += 1;
  return store.insertOrder({
    outTradeNo: `T-P${sequence}`,
    tillId: 't1',
    environment: 'demo',
    gatewayUrl: 'demo',
    appCode: 'APP',
    mchid: '',
    wallet: 'wechat',
    payType: '800201',
    amount,
    currency: 'HKD',
    goodsName: null,
    requestFields: { txamt: String(amount) },
    createdAt: 1,
    qrDeadline: 2,
    gatewayDeadline: 3,
  });
}

/** The shortest legal path from `created` to each state, found from the table itself. */
function pathsFrom<S extends string>(start: S, table: Readonly<Record<S, readonly S[]>>): Map<S, S[]> {
  const paths = new Map<S, S[]>([[start, []]]);
  const queue = [start];
  while (queue.length > 0) {
    const state = queue.shift() as S;
    for (const next of table[state]) {
      if (!paths.has(next)) {
        paths.set(next, [...(paths.get(state) as S[]), next]);
        queue.push(next);
      }
    }
  }
  return paths;
}

describe('payment transitions', () => {
  const paths = pathsFrom<PaymentState>('created', PAYMENT_TRANSITIONS);

  it('reach every state by a legal path', () => {
    expect([...paths.keys()].sort()).toEqual([...PAYMENT_STATES].sort());
  });

  it.each(PAYMENT_STATES.flatMap((from) => PAYMENT_STATES.filter((to) => to !== from).map((to) => [from, to] as const)))(
    '%s -> %s is allowed only if the table says so, by the store and by the database',
    (from, to) => {
      const order = newOrder();
      for (const step of paths.get(from) as PaymentState[]) store.transitionOrder(order.id, step, 'query_paid', 10);
      const legal = PAYMENT_TRANSITIONS[from].includes(to);
      if (legal) {
        expect(store.transitionOrder(order.id, to, 'query_paid', 11).state).toBe(to);
      } else {
        expect(() => store.transitionOrder(order.id, to, 'query_paid', 11)).toThrow(LedgerRefusal);
        // Even raw SQL cannot do it.
        expect(() => db.prepare('UPDATE orders SET state = ? WHERE id = ?').run(to, order.id)).toThrow(/illegal payment transition/);
        expect(store.order(order.id).state).toBe(from);
      }
    },
  );
});

describe('refund transitions', () => {
  const paths = pathsFrom<RefundState>('created', REFUND_TRANSITIONS);

  it.each(REFUND_STATES.flatMap((from) => REFUND_STATES.filter((to) => to !== from).map((to) => [from, to] as const)))('%s -> %s', (from, to) => {
    const order = newOrder();
    store.transitionOrder(order.id, 'paid', 'query_paid', 10);
    sequence += 1;
    const refund = store.insertRefund({ orderId: order.id, outTradeNo: `T-R${sequence}`, tillId: 't1', amount: 100, requestFields: {}, createdAt: 1 });
    for (const step of paths.get(from) as RefundState[]) store.transitionRefund(refund.id, step, 'refund_pending', 10);
    if (REFUND_TRANSITIONS[from].includes(to)) expect(store.transitionRefund(refund.id, to, 'refund_succeeded', 11).state).toBe(to);
    else expect(() => db.prepare('UPDATE refunds SET state = ? WHERE id = ?').run(to, refund.id)).toThrow(/illegal refund transition/);
  });
});

describe('the ledger', () => {
  it('starts every order and refund as created', () => {
    expect(() =>
      db.prepare(`INSERT INTO orders (out_trade_no, till_id, environment, wallet, pay_type, amount, currency, request_fields, state, created_at, updated_at, qr_deadline, gateway_deadline)
        VALUES ('X', 't', 'demo', 'fps', '802001', 1, 'HKD', '{}', 'paid', 1, 1, 1, 1)`).run(),
    ).toThrow(/starts as created/);
  });

  it('keeps history append-only', () => {
    const order = newOrder();
    store.transitionOrder(order.id, 'waiting', 'qr_issued', 5);
    expect(() => db.prepare('UPDATE transitions SET cause = ? WHERE order_id = ?').run('x', order.id)).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM transitions WHERE order_id = ?').run(order.id)).toThrow(/append-only/);
    expect(store.history(order.id).map((step) => [step.fromState, step.toState])).toEqual([
      [null, 'created'],
      ['created', 'waiting'],
    ]);
  });

  it('never reuses an out_trade_no, across payments and refunds', () => {
    const order = newOrder();
    store.transitionOrder(order.id, 'paid', 'query_paid', 10);
    expect(() => store.insertRefund({ orderId: order.id, outTradeNo: order.outTradeNo, tillId: 't1', amount: 1, requestFields: {}, createdAt: 1 })).toThrow(LedgerRefusal);
    expect(() => db.prepare("INSERT INTO trade_numbers (out_trade_no, kind) VALUES (?, 'refund')").run(order.outTradeNo)).toThrow(/UNIQUE|PRIMARY/);
  });

  it('keeps money as whole cents', () => {
    expect(() => newOrder(12.5)).toThrow(/CHECK/);
    expect(() => newOrder(0)).toThrow(/CHECK/);
  });

  it('counts refunds still in flight against the refundable amount', () => {
    const order = newOrder(1000);
    store.transitionOrder(order.id, 'paid', 'query_paid', 10);
    store.insertRefund({ orderId: order.id, outTradeNo: 'R-inflight', tillId: 't1', amount: 700, requestFields: {}, createdAt: 1 });
    expect(() => store.insertRefund({ orderId: order.id, outTradeNo: 'R-second', tillId: 't1', amount: 301, requestFields: {}, createdAt: 1 })).toThrow(
      expect.objectContaining({ code: 'refund_exceeds_refundable', details: { refundable: 300 } }),
    );
  });

  it('is durable: WAL, synchronous FULL, foreign keys, migrated to the latest schema once', () => {
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    const path = db.name;
    newOrder();
    db.close();
    db = openLedgerDatabase(path);
    store = createLedgerStore(db);
    expect(store.activeOrders()).toHaveLength(1);
  });

  it('refuses a ledger written by a newer app', () => {
    const path = db.name;
    db.pragma(`user_version = ${MIGRATIONS.length + 1}`);
    db.close();
    expect(() => openLedgerDatabase(path)).toThrow(/newer version/);
    db = openLedgerDatabase(join(folder.path, 'other.sqlite'));
  });
});
