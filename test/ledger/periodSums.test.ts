import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openLedgerDatabase, type LedgerDatabase } from '../../electron/services/ledger/database';
import { MIGRATIONS } from '../../electron/services/ledger/migrations';
import { createLedgerStore, type LedgerStore } from '../../electron/services/ledger/ledgerStore';
import { closePeriod, openPeriod, xReport } from '../../electron/services/reports/periods';
import { openPeriodSums, openPeriodTotals, sumsBetweenIds, type KindSum, type MoneySum } from '../../electron/services/ledger/queries/periodSums';
import { X_REPORT_DAYS } from '../../electron/services/reports/periodSums';
import type { PaymentState } from '../../shared/ledger/lifecycle';
import { WALLET_IDS } from '../../shared/wallets';
import { closeTestLedger, openTestLedger, orderFields, paidOrder, type TestFolder } from '../support/ledger';

/**
 * The open period's sums, kept by ledger migration 5's triggers as history is written, against the
 * rule they follow (the query over the period's history rows, which Z reports are made from):
 * through a long random run of the ledger store's own writes on a real SQLite file, in two
 * environments, across Hong Kong midnights, with refunds, late payments, unpaid ends and closes.
 */

let folder: TestFolder;
let db: LedgerDatabase;
let store: LedgerStore;

beforeEach(() => {
  ({ folder, db, store } = openTestLedger('qfpos-sums-'));
});
afterEach(() => closeTestLedger(db, folder));

/** Migration 6's totals as they must be: the per-day sums added up over their days. */
function totalsOfDays(sums: readonly MoneySum[]): KindSum[] {
  const totals = new Map<string, KindSum>();
  for (const { day: _day, ...sum } of sums) {
    const key = `${sum.environment}|${sum.wallet}|${sum.kind}`;
    const before = totals.get(key);
    totals.set(key, before ? { ...before, count: before.count + sum.count, amount: before.amount + sum.amount } : sum);
  }
  return [...totals.values()];
}

const sorted = <T,>(sums: readonly T[]) => [...sums].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));

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
      expect(sorted(openPeriodTotals(db))).toEqual(sorted(totalsOfDays(openPeriodSums(db))));
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

describe('an X report over a long open period', () => {
  /** A paid order of `amount` on each of `days` Hong Kong days from 2026-09-01, and a refund on the last. */
  function payDaily(days: number, amount: (index: number) => number): void {
    for (let index = 0; index < days; index += 1) {
      const at = Date.UTC(2026, 8, 1, 4) + index * 86_400_000; // noon in Hong Kong
      const order = paidOrder(store, orderFields({ outTradeNo: `D${index}`, amount: amount(index), createdAt: at }), { shownAt: at + 1_000, paidAt: at + 2_000 });
      if (index === days - 1) {
        const refund = store.insertRefund({ orderId: order.id, outTradeNo: `R${index}`, tillId: 't1', amount: 5, requestFields: {}, createdAt: at + 3_000 });
        store.transitionRefund(refund.id, 'succeeded', 'refund_succeeded', at + 4_000);
      }
    }
  }
  const options = { tillId: 't1', now: Date.UTC(2026, 11, 1), isMine: () => true };
  const dayOf = (index: number) => new Date(Date.UTC(2026, 8, 1 + index)).toISOString().slice(0, 10);

  it(`lists its latest ${X_REPORT_DAYS} days and sums the ones before in one line; the Z lists every day, with the same totals`, () => {
    payDaily(40, (index) => 100 + index);
    const x = xReport(store, options);
    const [demo] = x.environments;
    const firstListed = 40 - X_REPORT_DAYS;
    expect(demo?.days).toHaveLength(X_REPORT_DAYS);
    expect(demo?.days[0]).toEqual({ day: dayOf(firstListed), net: 100 + firstListed });
    expect(demo?.days.at(-1)).toEqual({ day: '2026-10-10', net: 139 - 5 });
    // The days before: 100 + 101 + ... for each day not listed.
    expect(demo?.earlierDays).toEqual({ before: dayOf(firstListed), net: 100 * firstListed + (firstListed * (firstListed - 1)) / 2 });
    expect(demo?.totals).toEqual({ payments: { count: 40, amount: 4780 }, refunds: { count: 1, amount: 5 }, net: 4775 });
    expect((demo?.earlierDays?.net ?? 0) + (demo?.days ?? []).reduce((sum, day) => sum + day.net, 0)).toBe(demo?.totals.net);

    const z = closePeriod(store, options);
    const [closed] = z.environments;
    expect(closed?.days).toHaveLength(40);
    expect(closed?.earlierDays).toBeUndefined();
    expect(closed?.totals).toEqual(demo?.totals);
    expect(closed?.wallets).toEqual(demo?.wallets);
    expect(openPeriodTotals(db)).toEqual([]);
  });

  it('lists the day a screen asks about wherever it falls, and leaves it out of the days before', () => {
    payDaily(40, () => 100);
    const [demo] = xReport(store, { ...options, alsoDays: ['2026-09-03', '2027-01-01'] }).environments;
    expect(demo?.days).toHaveLength(X_REPORT_DAYS + 1);
    expect(demo?.days[0]).toEqual({ day: '2026-09-03', net: 100 });
    expect(demo?.earlierDays).toEqual({ before: dayOf(40 - X_REPORT_DAYS), net: 100 * (40 - X_REPORT_DAYS - 1) });
  });

  it('has no line for days before when the period is short', () => {
    payDaily(3, () => 100);
    const [demo] = xReport(store, options).environments;
    expect(demo?.days.map((day) => day.day)).toEqual(['2026-09-01', '2026-09-02', '2026-09-03']);
    expect(demo?.earlierDays).toBeUndefined();
  });
});

describe('ledger migration 6', () => {
  it('totals the open period of a schema-5 ledger from its day sums, and keeps them from then on', () => {
    const at = Date.UTC(2026, 8, 1, 4);
    for (const [index, wallet] of (['fps', 'fps', 'alipay'] as const).entries()) {
      const order = store.insertOrder({
        outTradeNo: `M${index}`, tillId: 't1', environment: 'demo', gatewayUrl: null, appCode: null, mchid: null, wallet, payType: '802001',
        amount: 1_000 + index, currency: 'HKD', goodsName: null, requestFields: {}, createdAt: at + index * 86_400_000, qrDeadline: at + 300_000, gatewayDeadline: at + 600_000,
      });
      store.transitionOrder(order.id, 'waiting', 'qr_issued', at + index * 86_400_000 + 1);
      store.transitionOrder(order.id, 'paid', 'query_paid', at + index * 86_400_000 + 2);
    }
    // The ledger as schema 5 left it: day sums, no totals.
    db.exec(`DROP TRIGGER open_period_sums_added; DROP TRIGGER open_period_sums_changed; DROP TRIGGER open_period_sums_removed;
      DROP INDEX open_period_sums_day; DROP TABLE open_period_totals;
      DROP INDEX transitions_at; CREATE INDEX transitions_at ON transitions(at);
      ALTER TABLE orders DROP COLUMN auth_code_masked; ALTER TABLE orders DROP COLUMN mode;`);
    db.pragma('user_version = 5');
    db.close();
    db = openLedgerDatabase(join(folder.path, 'till.sqlite'));
    store = createLedgerStore(db);
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    expect(sorted(openPeriodTotals(db))).toEqual(
      sorted([
        { environment: 'demo', wallet: 'fps', kind: 'payment', count: 2, amount: 2_001 },
        { environment: 'demo', wallet: 'alipay', kind: 'payment', count: 1, amount: 1_002 },
      ]),
    );
    const refund = store.insertRefund({ orderId: 1, outTradeNo: 'MR', tillId: 't1', amount: 300, requestFields: {}, createdAt: at + 5 * 86_400_000 });
    store.transitionRefund(refund.id, 'succeeded', 'refund_succeeded', at + 5 * 86_400_000);
    expect(openPeriodTotals(db)).toContainEqual({ environment: 'demo', wallet: 'fps', kind: 'refund', count: 1, amount: 300 });
  });
});
