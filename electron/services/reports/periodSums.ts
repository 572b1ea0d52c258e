import { TRAINING_ENVIRONMENTS, type EnvironmentTotals, type WalletTotals } from '../../../shared/ledger/reportTypes';
import { WALLETS } from '../../../shared/wallets';
import type { KindSum, MoneySum } from '../ledger/queries/periodSums';

/**
 * A report's money from the sums the ledger makes (ledger/queries/periodSums.ts): totals per
 * environment and wallet, and each day's net.
 */

/**
 * How many of its latest days an X report lists one by one; the days before are one sum. A week:
 * an X is a glance at the open period (a line of a month's days read as noise on the screen and
 * the slip), and its cost stays the same whether the last close was a day or years ago.
 */
export const X_REPORT_DAYS = 7;

/** Orders that ended unpaid (failed, expired, cancelled) among the sums. */
export const notPaidOf = (sums: readonly KindSum[]): number => sums.reduce((total, sum) => total + (sum.kind === 'not_paid' ? sum.count : 0), 0);

/** Totals per environment and wallet, with each day's net; environments are never summed together. */
export const totalsOfSums = (sums: readonly MoneySum[]): EnvironmentTotals[] => environmentTotals(sums, sums, null);

/**
 * Totals per environment and wallet from `totals` (sums of any grain), with the net of each day
 * in `days`; when `listedFrom` is given the days are only some of the period's, and what the
 * others add up to (before that day, but for any listed earlier) is given as one sum.
 */
export function environmentTotals(totals: readonly KindSum[], days: readonly MoneySum[], listedFrom: string | null): EnvironmentTotals[] {
  const money = totals.filter((sum) => sum.kind !== 'not_paid');
  const environments = [...new Set(money.map((sum) => sum.environment))].sort((a, b) => Number(TRAINING_ENVIRONMENTS.includes(a)) - Number(TRAINING_ENVIRONMENTS.includes(b)) || a.localeCompare(b));
  return environments.map((environment) => {
    const own = money.filter((sum) => sum.environment === environment);
    const wallets = WALLETS.map((wallet): WalletTotals => {
      const add = (kind: MoneySum['kind']) =>
        own.filter((sum) => sum.wallet === wallet.id && sum.kind === kind).reduce((total, sum) => ({ count: total.count + sum.count, amount: total.amount + sum.amount }), { count: 0, amount: 0 });
      const payments = add('payment');
      const refunds = add('refund');
      return { wallet: wallet.id, payments, refunds, net: payments.amount - refunds.amount };
    });
    const total = (pick: (totals: WalletTotals) => number) => wallets.reduce((sum, wallet) => sum + pick(wallet), 0);
    const nets = new Map<string, number>();
    let events = 0;
    for (const sum of days) {
      if (sum.environment !== environment || sum.kind === 'not_paid') continue;
      nets.set(sum.day, (nets.get(sum.day) ?? 0) + (sum.kind === 'payment' ? sum.amount : -sum.amount));
      events += sum.count;
    }
    const net = total((w) => w.net);
    const listedNet = [...nets.values()].reduce((sum, value) => sum + value, 0);
    const unlisted = total((w) => w.payments.count + w.refunds.count) - events;
    return {
      environment,
      training: TRAINING_ENVIRONMENTS.includes(environment),
      wallets,
      totals: {
        payments: { count: total((w) => w.payments.count), amount: total((w) => w.payments.amount) },
        refunds: { count: total((w) => w.refunds.count), amount: total((w) => w.refunds.amount) },
        net,
      },
      days: [...nets].sort(([a], [b]) => a.localeCompare(b)).map(([day, dayNet]) => ({ day, net: dayNet })),
      ...(listedFrom !== null && unlisted > 0 ? { earlierDays: { before: listedFrom, net: net - listedNet } } : {}),
    };
  });
}
