import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../electron/cli/main';
import { cliOnSimulator } from '../support/cli';
import { leaveOpenSale } from '../support/openSale';

/**
 * A real till's ledger opened under another configuration, as a shop would do it: the till took
 * payments through its gateway, then was started once in demo mode on the same ledger. The demo
 * gateway has never heard of those orders; its "no such order" must not write them off, and
 * training money must never be added to real money.
 */

const { simulator: gateway, folder, env: real } = cliOnSimulator({ prefix: 'qfpos-pinning-' });
let demo: NodeJS.ProcessEnv;
beforeEach(() => {
  // No gateway variables: the app's own settings, which are training mode by default.
  demo = { QFPOS_DB: join(folder.path, 'till.sqlite') };
});

const cli = async (env: NodeJS.ProcessEnv, ...argv: string[]) => {
  const outcome = await runCli([...argv, '--json'], env);
  return { ...outcome, body: outcome.json as Record<string, any> };
};

describe('a ledger opened under another configuration', () => {
  it('shows the other gateway’s orders read-only, never asks the wrong gateway about them, and never writes them off', async () => {
    const waiting = (await cli(real, 'charge', '--amount', '12.00', '--wallet', 'fps')).body.order;
    await gateway.control('PUT', 'faults/payment', { kind: 'http_500', afterProcessing: true, times: 1 });
    // The CLI takes one customer at a time: the other open orders are left by processes that lost their gateway.
    const unknown = await leaveOpenSale(real, { amount: 1300, wallet: 'payme' });
    const paid = await leaveOpenSale(real, { amount: 1400, wallet: 'alipay' });
    await gateway.control('POST', `orders/${paid.outTradeNo}/pay`);
    await cli(real, 'reconcile');
    expect(unknown.state).toBe('unknown');

    // Started in demo mode on the same ledger, with a training sale of its own.
    await gateway.control('DELETE', 'requests');
    const training = (await cli(demo, 'charge', '--amount', '5.00', '--wallet', 'wechat')).body.order;
    expect(training.environment).toBe('demo');
    const checked = await cli(demo, 'reconcile');
    expect(checked.exitCode).toBe(0);
    // Only the demo order was asked about (at the embedded demo gateway); the real gateway heard nothing.
    expect(checked.body.check.queriedNumbers).toBe(1);
    expect(gateway.requests()).toHaveLength(0);
    const listed = (await cli(demo, 'orders')).body.orders as { outTradeNo: string; state: string; attention: string | null }[];
    const state = (number: string) => listed.find((order) => order.outTradeNo === number);
    expect(state(waiting.outTradeNo)).toMatchObject({ state: 'waiting', attention: null });
    expect(state(unknown.outTradeNo)).toMatchObject({ state: 'unknown', attention: null });

    // Read-only: no refund, cancel or decision through the wrong gateway.
    for (const argv of [
      ['refund', paid.outTradeNo],
      ['cancel', waiting.outTradeNo],
      ['decide', unknown.outTradeNo, '--as', 'not_paid', '--reason', 'tidying up'],
    ]) {
      const refused = await cli(demo, ...argv);
      expect(refused.exitCode).toBe(3);
      expect(refused.body.error).toMatchObject({ code: 'order_other_gateway', details: { madeOn: 'custom', runningOn: 'demo' } });
    }

    // The X report keeps training and real money apart, and says what it cannot close from here.
    await cli(demo, 'cancel', training.outTradeNo);
    const report = (await cli(demo, 'report')).body.report;
    expect(report.environments.map((environment: { environment: string; training: boolean }) => [environment.environment, environment.training])).toEqual([['custom', false]]);
    expect(report.unresolved).toMatchObject({ otherGateway: 2, orders: 0 });

    // Back on its own gateway, the till resolves them as usual.
    await gateway.control('POST', `orders/${unknown.outTradeNo}/pay`);
    await cli(real, 'reconcile');
    expect((await cli(real, 'status', unknown.outTradeNo)).body.order.state).toBe('paid');
    expect(gateway.requests().filter((entry) => entry.endpoint === 'payment')).toHaveLength(0);
  });

  it('keeps training and real money in separate totals and separate export files', async () => {
    const realSale = (await cli(real, 'charge', '--amount', '20.00', '--wallet', 'alipay')).body.order;
    await gateway.control('POST', `orders/${realSale.outTradeNo}/pay`);
    await cli(real, 'reconcile');
    const demoSale = (await cli(demo, 'charge', '--amount', '7.00', '--wallet', 'fps')).body.order;
    expect(demoSale.environment).toBe('demo');
    const day = (await cli(demo, 'report', '--date', demoSale.createdAtHk.slice(0, 10))).body;
    expect(day.totals.map((environment: { environment: string }) => environment.environment)).toEqual(['custom']);

    const out = join(folder.path, 'real.csv');
    const exported = await cli(real, 'export', '--date', realSale.createdAtHk.slice(0, 10), '--out', out);
    expect(exported.body).toMatchObject({ environment: 'custom', payments: 1, net: 2_000, otherEnvironments: ['demo'] });
    expect(exported.lines.join('\n')).toContain('--environment demo');
    const training = await cli(real, 'export', '--date', realSale.createdAtHk.slice(0, 10), '--out', join(folder.path, 'demo.csv'), '--environment', 'demo');
    expect(training.body).toMatchObject({ environment: 'demo', payments: 1, net: 0, otherEnvironments: ['custom'] });
  });
});
