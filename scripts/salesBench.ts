import { join } from 'node:path';
import { spanAround } from '../shared/daySpan';
import { hongKongDayRange } from '../shared/hkTime';

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
const ms = (value: number) => `${value.toFixed(2)} ms`;

/**
 * 12. The manager's sales over a month: a ledger of `perDay` paid orders a day for the 31 days of
 * December 2026, seeded through the real schema and its triggers. The glance of the month
 * (managerSales: totals by wallet and the 31 days' slots) and a found order (a page of the month's
 * orders matching QFPay's last digits, and an amount), through the validated command boundary,
 * each beside a bare SQL sum of the same month's paid orders: what the range costs as the month fills.
 */
export async function salesBench(folder: string, perDay: number): Promise<void> {
  const { openTillRuntime } = await import('../electron/services/runtime/runtime');
  const { createPosService } = await import('../electron/services/app/posService');
  const { openSettingsService } = await import('../electron/services/settings/settingsService');
  const { userOnlyFileSecretStore } = await import('../electron/services/settings/secretStore');
  const { createDispatcher } = await import('../electron/services/ipc/dispatch');
  const home = join(folder, 'sales');
  const runtime = await openTillRuntime({ environment: 'demo', tillId: 'bench', dbPath: join(home, 'till.sqlite'), pollIntervalMs: 3000, callBudgetPerMinute: 30 });
  const { from, to } = spanAround('2026-12-15', 'month');
  const monthStart = hongKongDayRange(from).start;
  const monthEnd = hongKongDayRange(to).end;
  const db = runtime.store.db;
  const insertNumber = db.prepare("INSERT INTO trade_numbers (out_trade_no, kind) VALUES (?, 'payment')");
  const insertOrder = db.prepare(`INSERT INTO orders (out_trade_no, till_id, environment, wallet, pay_type, amount, currency, request_fields, state, created_at, updated_at, qr_deadline, gateway_deadline)
    VALUES (?, 'bench', 'demo', ?, ?, ?, 'HKD', '{}', 'created', ?, ?, ?, ?)`);
  const pay = db.prepare("UPDATE orders SET state = ?, syssn = ?, respcd = '0000' WHERE id = ?");
  const history = db.prepare('INSERT INTO transitions (order_id, from_state, to_state, cause, at) VALUES (?, ?, ?, ?, ?)');
  const wallets = [['alipay', '800101'], ['wechat', '800201'], ['payme', '805801'], ['unionpay', '800701'], ['fps', '802001'], ['octopus', '803701']] as const;
  const orders = perDay * 31;
  const seeding = performance.now();
  db.transaction(() => {
    for (let index = 0; index < orders; index += 1) {
      // Spread over shop hours, 08:00 to 22:00 each day.
      const day = Math.floor(index / perDay);
      const at = monthStart + day * 86_400_000 + 8 * 3_600_000 + Math.floor(((index % perDay) * 14 * 3_600_000) / perDay);
      const number = `SALES-P${String(index).padStart(8, '0')}`;
      const [wallet, payType] = wallets[index % wallets.length] as readonly [string, string];
      const syssn = `20261201${String(index).padStart(12, '0')}`;
      insertNumber.run(number);
      const id = Number(insertOrder.run(number, wallet, payType, 100 + (index % 50_000), at, at, at + 300_000, at + 1_920_000).lastInsertRowid);
      pay.run('waiting', syssn, id);
      pay.run('paid', syssn, id);
      history.run(id, null, 'created', 'charge_requested', at);
      history.run(id, 'created', 'waiting', 'qr_issued', at + 1_000);
      history.run(id, 'waiting', 'paid', 'query_paid', at + 30_000);
    }
  })();
  const seeded = (performance.now() - seeding) / 1000;
  const settings = openSettingsService(home, userOnlyFileSecretStore(join(home, 'client-key')));
  const pos = createPosService(runtime, settings);
  const dispatch = createDispatcher(pos.handlers, { managerAccess: () => 'open' });
  const screen = { role: 'cashier', session: 'bench' } as const;
  const bare = db.prepare("SELECT count(*) AS n, sum(amount) AS total FROM orders WHERE state = 'paid' AND created_at >= ? AND created_at < ?");
  const timings: Record<'glance' | 'glanceDay' | 'digits' | 'amount' | 'bare', number[]> = { glance: [], glanceDay: [], digits: [], amount: [], bare: [] };
  const time = async (into: number[], run: () => unknown) => {
    const started = performance.now();
    const result = await run();
    into.push(performance.now() - started);
    return result;
  };
  let found = 0;
  for (let round = 0; round < 7; round += 1) {
    // Interleaved, so a busy moment of the machine falls on every path alike.
    await time(timings.bare, () => bare.get(monthStart, monthEnd));
    await time(timings.glance, () => dispatch(screen, 'managerSales', { from, to }));
    await time(timings.glanceDay, () => dispatch(screen, 'managerSales', { from: '2026-12-15', to: '2026-12-15' }));
    const digits = (await time(timings.digits, () => dispatch(screen, 'managerDayOrders', { day: from, to, offset: 0, limit: 50, search: '12345' }))) as { ok: boolean; value?: { matching: number } };
    found = digits.value?.matching ?? -1;
    await time(timings.amount, () => dispatch(screen, 'managerDayOrders', { day: from, to, offset: 0, limit: 50, search: 'HK$1.23' }));
  }
  const base = median(timings.bare);
  console.log(`\n12. The manager's sales of a month: ${orders.toLocaleString('en')} paid orders over 31 days (seeded in ${seeded.toFixed(1)} s), median of 7, interleaved`);
  console.log('| step | median | ratio to the bare sum |');
  console.log('|---|---|---|');
  const line = (name: string, values: number[]) => console.log(`| ${name} | ${ms(median(values))} | ${(median(values) / base).toFixed(1)}x |`);
  line("managerSales, the month's glance (wallet totals, 31 day slots)", timings.glance);
  line("managerSales, one day's glance (24 hour slots)", timings.glanceDay);
  line(`managerDayOrders, the month searched by QFPay's last digits "12345" (${found} found, first page)`, timings.digits);
  line('managerDayOrders, the month searched by amount "HK$1.23" (first page)', timings.amount);
  line("bare SQL: count and sum of the month's paid orders", timings.bare);
  pos.close();
  await runtime.close();
}
