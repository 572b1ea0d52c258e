import { join } from 'node:path';
import { checkLedgerBetween, checkLedgerChain } from '../electron/services/ledger/chain';
import { ledgerIdOf, openLedgerDatabase } from '../electron/services/ledger/database';

/**
 * 9. The books' hash chain: a ledger of `transitions` history rows (a third of them orders made,
 * shown and paid), seeded through the real schema and its trigger, which links each row as it is
 * written. Then the whole chain verified (what `doctor` does), side by side with a bare read of
 * the same rows and columns without hashing, and a day's stretch at the end of that ledger (what
 * the manager's day view does), which must not grow with the history.
 */
export function chainBench(folder: string, transitions: number): void {
  const path = join(folder, 'chain-till.sqlite');
  const db = openLedgerDatabase(path);
  const orders = Math.floor(transitions / 3);
  const insertNumber = db.prepare("INSERT INTO trade_numbers (out_trade_no, kind) VALUES (?, 'payment')");
  const insertOrder = db.prepare(`INSERT INTO orders (out_trade_no, till_id, environment, wallet, pay_type, amount, currency, request_fields, state, created_at, updated_at, qr_deadline, gateway_deadline)
    VALUES (?, 'bench', 'production', 'fps', '802001', ?, 'HKD', '{}', 'created', ?, ?, ?, ?)`);
  const setState = db.prepare('UPDATE orders SET state = ? WHERE id = ?');
  const history = db.prepare('INSERT INTO transitions (order_id, from_state, to_state, cause, at) VALUES (?, ?, ?, ?, ?)');
  // One order every 29 s: about 3,000 orders (8,900 rows) a day, a ledger of some four months per million rows.
  const start = Date.UTC(2025, 0, 1);
  const seeding = performance.now();
  const batch = db.transaction((from: number, to: number) => {
    for (let index = from; index < to; index += 1) {
      const at = start + index * 29_000;
      const number = `CHAIN-${String(index).padStart(9, '0')}`;
      insertNumber.run(number);
      const id = Number(insertOrder.run(number, 100 + (index % 50_000), at, at, at + 300_000, at + 1_920_000).lastInsertRowid);
      history.run(id, null, 'created', 'charge_requested', at);
      setState.run('waiting', id);
      history.run(id, 'created', 'waiting', 'qr_issued', at + 1_000);
      setState.run('paid', id);
      history.run(id, 'waiting', 'paid', 'query_paid', at + 20_000);
    }
  });
  for (let from = 0; from < orders; from += 10_000) batch(from, Math.min(orders, from + 10_000));
  const seeded = (performance.now() - seeding) / 1000;
  const ledgerId = ledgerIdOf(db);
  const newest = orders * 3;

  const bare = () => {
    const started = performance.now();
    let count = 0;
    const rows = db.prepare(`SELECT t.id, t.order_id, COALESCE(o.out_trade_no, r.out_trade_no), t.from_state, t.to_state, t.cause, t.detail, t.at,
        o.environment, o.wallet, o.amount, o.currency, ro.out_trade_no, r.amount, l.hash
      FROM transitions t LEFT JOIN orders o ON o.id = t.order_id LEFT JOIN refunds r ON r.id = t.refund_id LEFT JOIN orders ro ON ro.id = r.order_id
      LEFT JOIN transition_links l ON l.transition_id = t.id WHERE t.id > 0 AND t.id <= ? ORDER BY t.id`);
    for (const _row of rows.iterate(newest)) count += 1;
    return { ms: performance.now() - started, count };
  };
  const verify = () => {
    const started = performance.now();
    const check = checkLedgerChain(db, ledgerId, 0, newest);
    if (check.problems.length > 0 || check.checked !== newest) throw new Error(`the seeded chain did not verify: ${JSON.stringify(check)}`);
    return performance.now() - started;
  };
  // Interleaved, best of three each: the machine is shared.
  const bareTimes: number[] = [];
  const verifyTimes: number[] = [];
  for (let round = 0; round < 3; round += 1) {
    bareTimes.push(bare().ms);
    verifyTimes.push(verify());
  }
  const best = (list: number[]) => Math.min(...list);
  const lastDayStart = start + (orders - 2_979) * 29_000;
  const dayTimes: number[] = [];
  let dayRows = 0;
  for (let round = 0; round < 5; round += 1) {
    const started = performance.now();
    dayRows = checkLedgerBetween(db, ledgerId, lastDayStart, lastDayStart + 86_400_000).checked;
    dayTimes.push(performance.now() - started);
  }
  db.close();

  console.log(`\n9. The books' hash chain: a ledger of ${newest.toLocaleString('en')} history rows (seeded through the trigger in ${seeded.toFixed(1)} s)`);
  console.log(`chain verify ${newest.toLocaleString('en')} transitions: ${(best(verifyTimes) / 1000).toFixed(2)} s (${(best(verifyTimes) / best(bareTimes)).toFixed(2)}x a bare read of the same rows, ${(best(bareTimes) / 1000).toFixed(2)} s)`);
  console.log(`a day's books at the end of that ledger (${dayRows.toLocaleString('en')} rows): ${best(dayTimes).toFixed(1)} ms (${((best(dayTimes) / best(verifyTimes)) * 100).toFixed(2)}% of the whole chain's time)`);
}
