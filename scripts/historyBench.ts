import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../electron/cli/main';
import { createPosService } from '../electron/services/app/posService';
import { createDispatcher } from '../electron/services/ipc/dispatch';
import { markVerified } from '../electron/services/ledger/booksVerified';
import { checkLedgerChain } from '../electron/services/ledger/chain';
import { ledgerIdOf, openLedgerDatabase } from '../electron/services/ledger/database';
import { createLedgerStore } from '../electron/services/ledger/ledgerStore';
import { refundedColumn } from '../electron/services/ledger/queries/refunded';
import { exportDay } from '../electron/services/reports/dayExport';
import { xReport } from '../electron/services/reports/periods';
import { openTillRuntime } from '../electron/services/runtime/runtime';
import { openSettingsService } from '../electron/services/settings/settingsService';
import { userOnlyFileSecretStore } from '../electron/services/settings/secretStore';
import { hongKongDayRange } from '../shared/hkTime';

/**
 * 10. History: a till that has run for years is as fast as on day one. Two ledgers hold the same
 * 1,000-order day, the last one, with no Z closed in either (the open period is the whole history,
 * the worst case); one has 10,000 orders in all, the other 1,000,000 (about 580 MB, 2.7 years of
 * 1,000 orders a day). Each is seeded once through the real schema and its triggers (the chain's
 * links, the open period's sums), checked once as doctor does, and kept under the system's temp
 * folder, so later runs reuse it; a ledger seeded under an older schema is migrated on its first
 * open, as a till's is. The same work is timed on both,
 * interleaved, best of seven: the manager's day view (the command, and the first page of rows the
 * table draws), `report --date`, the X report, opening the ledger, and the day's export beside
 * `sqlite3 -csv` of the same rows. The last line gives each as the large ledger's time over the
 * small one's (the export: over sqlite3's), which the issue asks to keep under 1.5 (2 for the export).
 */

const DAY = '2026-11-20';
const DAY_ORDERS = 1_000;
const ROUNDS = 7;
/** Bumped when the seeding changes, so a ledger seeded the old way is not reused. */
const SEEDING = 2;

const WALLETS = [['alipay', '800101'], ['wechat', '800201'], ['payme', '805801'], ['unionpay', '800701'], ['fps', '802001'], ['octopus', '803701']] as const;

/** The ledger for `orders` orders, seeded now or reused from an earlier run. */
function ledgerOf(orders: number): string {
  const folder = join(tmpdir(), `qfpos-history-bench-seeding${SEEDING}`, String(orders));
  const path = join(folder, 'till.sqlite');
  if (existsSync(join(folder, 'seeded'))) return path;
  rmSync(folder, { recursive: true, force: true });
  mkdirSync(folder, { recursive: true });
  const started = performance.now();
  seed(join(folder, 'seeding.sqlite'), orders);
  renameSync(join(folder, 'seeding.sqlite'), path);
  writeFileSync(join(folder, 'seeded'), new Date().toISOString());
  console.log(`seeded ${orders.toLocaleString('en')} orders in ${((performance.now() - started) / 1000).toFixed(1)} s (${(statSync(path).size / 1e6).toFixed(0)} MB): ${path}`);
  return path;
}

/**
 * Orders at 1,000 a day up to the end of DAY, each made, shown and paid (the till's three history
 * rows), one in twenty refunded in part the same minute: straight SQL in one transaction through
 * the schema's triggers, which link every row into the chain and sum the open period.
 */
function seed(path: string, orders: number): void {
  const db = openLedgerDatabase(path);
  db.pragma('synchronous = OFF'); // seeding only: a crash here leaves no marker, and the file is made again
  const insertNumber = db.prepare('INSERT INTO trade_numbers (out_trade_no, kind) VALUES (?, ?)');
  const insertOrder = db.prepare(`INSERT INTO orders (out_trade_no, till_id, environment, wallet, pay_type, amount, currency, goods_name, request_fields, state, created_at, updated_at, qr_deadline, gateway_deadline)
    VALUES (?, 'bench', 'production', ?, ?, ?, 'HKD', ?, '{}', 'created', ?, ?, ?, ?)`);
  const setOrder = db.prepare("UPDATE orders SET state = ?, syssn = ?, paydtm = ?, respcd = '0000' WHERE id = ?");
  const insertRefund = db.prepare("INSERT INTO refunds (order_id, out_trade_no, till_id, amount, request_fields, state, created_at, updated_at) VALUES (?, ?, 'bench', ?, '{}', 'created', ?, ?)");
  const setRefund = db.prepare("UPDATE refunds SET state = 'succeeded', syssn = ?, respcd = '0000' WHERE id = ?");
  const history = db.prepare('INSERT INTO transitions (order_id, refund_id, from_state, to_state, cause, at) VALUES (?, ?, ?, ?, ?, ?)');
  const dayEnd = hongKongDayRange(DAY).end;
  const first = dayEnd - Math.ceil(orders / DAY_ORDERS) * 86_400_000;
  db.transaction(() => {
    for (let index = 0; index < orders; index += 1) {
      const dayIndex = Math.floor(index / DAY_ORDERS);
      const at = first + dayIndex * 86_400_000 + 3_600_000 + (index % DAY_ORDERS) * 60_000;
      const number = `HIST-P${String(index).padStart(8, '0')}`;
      const [wallet, payType] = WALLETS[index % WALLETS.length] as (typeof WALLETS)[number];
      insertNumber.run(number, 'payment');
      const id = Number(insertOrder.run(number, wallet, payType, 100 + (index % 50_000), index % 3 === 0 ? '凍檸茶' : 'Milk Tea', at, at, at + 300_000, at + 1_920_000).lastInsertRowid);
      const syssn = `2026${String(index).padStart(16, '0')}`;
      history.run(id, null, null, 'created', 'charge_requested', at);
      setOrder.run('waiting', syssn, null, id);
      history.run(id, null, 'created', 'waiting', 'qr_issued', at + 1_000);
      setOrder.run('paid', syssn, '2026-11-20 12:00:00', id);
      history.run(id, null, 'waiting', 'paid', 'query_paid', at + 20_000);
      if (index % 20 === 7) {
        const refundNumber = `HIST-R${String(index).padStart(8, '0')}`;
        insertNumber.run(refundNumber, 'refund');
        const refundId = Number(insertRefund.run(id, refundNumber, 50, at + 30_000, at + 30_000).lastInsertRowid);
        history.run(null, refundId, null, 'created', 'refund_requested', at + 30_000);
        setRefund.run(`R${syssn}`, refundId);
        history.run(null, refundId, 'created', 'succeeded', 'refund_succeeded', at + 31_000);
      }
    }
  })();
  // Checked once, as doctor does (and as a close would): the X report then hashes only what comes after.
  const ledgerId = ledgerIdOf(db);
  const newest = createLedgerStore(db).lastTransitionId();
  const books = checkLedgerChain(db, ledgerId, 0, newest);
  if (books.problems.length > 0) throw new Error(`the seeded chain does not verify: ${JSON.stringify(books.problems)}`);
  markVerified(db, ledgerId, newest, books);
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
}

interface Subject {
  readonly orders: number;
  readonly path: string;
  dayView(): Promise<number>;
  report(): Promise<number>;
  xReport(): number;
  open(): number;
  exportDay(): Promise<number>;
  sqliteCsv(): number;
  close(): Promise<void>;
}

const timed = async (work: () => unknown): Promise<number> => {
  const started = performance.now();
  await work();
  return performance.now() - started;
};

/** The day's rows as the export has them, by the sqlite3 tool: what the export is held against. */
const SQLITE_DAY = (start: number, end: number) => `SELECT 'payment', datetime(o.created_at / 1000, 'unixepoch', '+8 hours'), o.paydtm, o.till_id, o.environment, o.wallet, o.pay_type, o.out_trade_no, o.syssn, '',
    printf('%d.%02d', o.amount / 100, o.amount % 100), o.currency, o.state,
    ${refundedColumn('o')},
    o.amount, o.goods_name, o.respcd, o.message, datetime(m.at / 1000, 'unixepoch', '+8 hours'), m.id
    FROM orders o LEFT JOIN transitions m ON m.id = (SELECT MIN(t.id) FROM transitions t WHERE t.order_id = o.id AND t.to_state IN ('paid', 'paid_late'))
    WHERE o.created_at >= ${start} AND o.created_at < ${end} ORDER BY o.created_at, o.id;`;

async function subject(orders: number, scratch: string): Promise<Subject> {
  const path = ledgerOf(orders);
  const { start, end } = hongKongDayRange(DAY);
  const env = { QFPOS_DB: path, QFPOS_GATEWAY: 'demo' };
  const screen = { role: 'cashier', session: 'bench' } as const;
  const folder = join(path, '..');
  // The settings beside the ledger remember it, as a till's do: the CLI then takes it as this till's.
  const settings = openSettingsService(folder, userOnlyFileSecretStore(join(folder, 'client-key')));
  if (!existsSync(settings.path) && !settings.update({ shopName: 'History bench' }).ok) throw new Error('the bench till’s settings could not be saved');
  const runtime = await openTillRuntime({ environment: 'demo', tillId: 'bench', dbPath: path, pollIntervalMs: 3000, callBudgetPerMinute: 30 }, { settings });
  const pos = createPosService(runtime, settings);
  const dispatch = createDispatcher(pos.handlers, { managerAccess: () => 'open' });
  const out = join(scratch, `export-${orders}.csv`);
  return {
    orders,
    path,
    dayView: () =>
      timed(async () => {
        // What the screen asks for on opening the day: the day, and the rows it draws.
        const [day, rows] = await Promise.all([dispatch(screen, 'managerDay', { day: DAY }), dispatch(screen, 'managerDayOrders', { day: DAY, offset: 0, limit: 50 }), dispatch(screen, 'managerDayRefunds', { day: DAY, offset: 0, limit: 200 })]);
        if (!day.ok || !rows.ok || (rows.value as { matching: number }).matching !== DAY_ORDERS) throw new Error(`the day view failed: ${JSON.stringify(day.ok ? rows : day).slice(0, 300)}`);
      }),
    report: () =>
      timed(async () => {
        const outcome = await runCli(['report', '--date', DAY, '--json'], env);
        if (outcome.exitCode !== 0) throw new Error(`report --date failed: ${outcome.lines.join(' ')}`);
      }),
    xReport: () => {
      const started = performance.now();
      const report = xReport(runtime.store, { tillId: 'bench', now: Date.now(), isMine: runtime.till.isMine });
      if (report.books?.problems.length) throw new Error('the X report found the books broken');
      return performance.now() - started;
    },
    open: () => {
      const started = performance.now();
      openLedgerDatabase(path).close();
      return performance.now() - started;
    },
    exportDay: () =>
      timed(async () => {
        const summary = await exportDay(path, DAY, out, { environment: 'production' });
        if (summary.payments !== DAY_ORDERS) throw new Error(`exported ${summary.payments} payments`);
      }),
    sqliteCsv: () => {
      const started = performance.now();
      execFileSync('sqlite3', ['-readonly', '-csv', '-header', path, `.output ${join(scratch, `sqlite3-${orders}.csv`)}`, SQLITE_DAY(start, end)], { stdio: ['ignore', 'ignore', 'inherit'] });
      return performance.now() - started;
    },
    async close() {
      pos.close();
      await runtime.close();
    },
  };
}

export async function historyBench(scratch: string): Promise<void> {
  console.log(`\n10. History: the same ${DAY_ORDERS.toLocaleString('en')}-order day in a 10,000-order and a 1,000,000-order ledger, no Z closed (best of ${ROUNDS}, interleaved)`);
  const small = await subject(10_000, scratch);
  const large = await subject(1_000_000, scratch);
  const works = ['dayView', 'report', 'xReport', 'open', 'exportDay', 'sqliteCsv'] as const;
  const best: Record<string, Record<(typeof works)[number], number>> = {};
  try {
    for (const which of [small, large]) best[which.orders] = Object.fromEntries(works.map((work) => [work, Infinity])) as Record<(typeof works)[number], number>;
    for (let round = 0; round < ROUNDS + 1; round += 1) {
      for (const which of round % 2 === 0 ? [small, large] : [large, small]) {
        for (const work of works) {
          const took = await which[work]();
          // The first round warms both (JIT, the page cache) and is not counted.
          if (round > 0) (best[which.orders] as Record<string, number>)[work] = Math.min((best[which.orders] as Record<string, number>)[work] as number, took);
        }
      }
    }
  } finally {
    await small.close();
    await large.close();
  }
  const of = (orders: number) => best[orders] as Record<(typeof works)[number], number>;
  console.log('| work | 10,000 orders | 1,000,000 orders | ratio |');
  console.log('|---|---|---|---|');
  for (const work of works) console.log(`| ${work} | ${of(10_000)[work].toFixed(2)} ms | ${of(1_000_000)[work].toFixed(2)} ms | ${(of(1_000_000)[work] / of(10_000)[work]).toFixed(2)} |`);
  const ratio = (work: (typeof works)[number]) => (of(1_000_000)[work] / of(10_000)[work]).toFixed(2);
  console.log(`history: dayview=${ratio('dayView')} report=${ratio('report')} xreport=${ratio('xReport')} open=${ratio('open')} export=${(of(1_000_000).exportDay / of(1_000_000).sqliteCsv).toFixed(2)}`);
}
