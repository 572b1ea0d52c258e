import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openLedgerDatabase, type LedgerDatabase } from '../../electron/services/ledger/database';
import { createLedgerStore, type LedgerStore } from '../../electron/services/ledger/ledgerStore';
import { closePeriod, openPeriod, xReport } from '../../electron/services/reports/periods';
import { openPeriodSums, sumsBetweenIds, type MoneySum } from '../../electron/services/reports/periodSums';
import type { PaymentState } from '../../shared/ledger/lifecycle';
import { WALLET_IDS } from '../../shared/wallets';
import { tempFolder } from '../support/simulator';

/**
 * The open period's sums, kept by ledger migration 5's triggers as history is written, against the
 * rule they follow (the query over the period's history rows, which Z reports are made from):
 * through a long random run of the ledger store's own writes on a real SQLite file, in two
 * environments, across Hong Kong midnights, with refunds, late payments, unpaid ends and closes.
 */

let folder: ReturnType<typeof tempFolder>;
let db: LedgerDatabase;
let store: LedgerStore;

beforeEach(() => {
  folder = tempFolder('qfpos-sums-');
  db = openLedgerDatabase(join(folder.path, 'till.sqlite'));
  store = createLedgerStore(db);
});
afterEach(() => {
  db.close();
  folder.remove();
});

const sorted = (sums: readonly MoneySum[]) => [...sums].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));

/** A small fixed-seed generator: the run is the same each time, and a failure can be replayed. */
function random(seed: number) {
  let state = seed;
  return (below: number) => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state % below;
  };
}

describe('the open period’s sums', () => {
  it('equal the sums of its history rows after every write, and each Z is what the X said just before it', () => {
    const next = random(19);
    let clock = Date.UTC(2026, 10, 20, 12); // 20:00 in Hong Kong: the run crosses midnights
    const ids: { id: number; state: PaymentState }[] = [];
    const now = () => (clock += 7 * 60_000 + next(60_000));
    // Open orders of "another gateway" do not block a close, so the run can close whenever it likes.
    const options = () => ({ tillId: 't1', now: clock, isMine: () => false });
    let closes = 0;
    for (let step = 0; step < 400; step += 1) {
      const choice = next(10);
      if (choice < 4 || ids.length === 0) {
        const order = store.insertOrder({
          outTradeNo: `S${step}`, tillId: 't1', environment: next(4) === 0 ? 'production' : 'demo', gatewayUrl: null, appCode: null, mchid: null,
          wallet: WALLET_IDS[next(WALLET_IDS.length)] as (typeof WALLET_IDS)[number], payType: '802001', amount: 100 + next(10_000), currency: 'HKD', goodsName: null,
          requestFields: {}, createdAt: now(), qrDeadline: clock + 300_000, gatewayDeadline: clock + 600_000,
        });
        store.transitionOrder(order.id, 'waiting', 'qr_issued', now());
        ids.push({ id: order.id, state: 'waiting' });
      } else {
        const entry = ids[next(ids.length)] as { id: number; state: PaymentState };
        const order = store.order(entry.id);
        if (order.state === 'waiting') {
          const to = (['paid', 'paid', 'failed', 'expired', 'cancelled'] as const)[next(5)] as PaymentState;
          entry.state = store.transitionOrder(order.id, to, 'query_paid', now()).state;
        } else if (['failed', 'expired', 'cancelled'].includes(order.state)) {
          entry.state = store.transitionOrder(order.id, 'paid_late', 'query_paid', now()).state;
        } else if (order.state === 'paid_late') {
          // A manager keeps it: a decision, not money coming in again.
          entry.state = store.transitionOrder(order.id, 'paid', 'manager_decided', now()).state;
        } else if (order.state === 'paid' && order.amount - order.refunded > 1) {
          const refund = store.insertRefund({ orderId: order.id, outTradeNo: `R${step}`, tillId: 't1', amount: 1 + next(order.amount - order.refunded - 1), requestFields: {}, createdAt: now() });
          store.transitionRefund(refund.id, next(3) === 0 ? 'failed' : 'succeeded', 'refund_succeeded', now());
        }
      }
      const period = openPeriod(store, clock);
      expect(sorted(openPeriodSums(db))).toEqual(sorted(sumsBetweenIds(db, period.afterTransition, store.lastTransitionId())));
      if (step % 97 === 96) {
        const x = xReport(store, options());
        const z = closePeriod(store, options());
        closes += 1;
        expect(z.environments).toEqual(x.environments);
        expect(z.notPaid).toBe(x.notPaid);
        expect(openPeriodSums(db)).toEqual([]);
      }
    }
    expect(closes).toBe(4);
    expect(xReport(store, options()).environments.length).toBeGreaterThan(0);
  });
});
