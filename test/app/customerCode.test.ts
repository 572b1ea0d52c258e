import { describe, expect, it } from 'vitest';
import { customerCode } from '../support/customerCodes';
import { appOnSimulator } from '../support/app';

/**
 * `chargeCustomerCode` over the one contract (Electron IPC and the web bridge alike): a payment
 * with the customer's own code, validated at the boundary, with the code never in an answer.
 */
const running = appOnSimulator();
const dispatch = (name: string, payload: unknown) => running.app.dispatch('cashier', name, payload);
const outTradeNoOf = (result: unknown) => (result as { value: { order: { outTradeNo: string } } }).value.order.outTradeNo;

describe('chargeCustomerCode', () => {
  it('charges the code once: paid, with its mode and mask, and the counter is free for the next customer', async () => {
    const code = customerCode.alipay();
    const paid = await dispatch('chargeCustomerCode', { amount: 1230, authCode: code });
    expect(paid).toMatchObject({ ok: true, value: { order: { state: 'paid', mode: 'cpm', wallet: 'alipay', authCodeMasked: `28…${code.slice(-4)}`, amount: 1230 } } });
    expect(JSON.stringify(paid)).not.toContain(code);
    expect(await dispatch('newSale', {})).toMatchObject({ ok: true });

    // The same code again: QFPay's 1202, a failed order, the code never in the answer.
    const again = await dispatch('chargeCustomerCode', { amount: 1230, authCode: code, wallet: 'alipay' });
    expect(again).toMatchObject({ ok: true, value: { order: { state: 'failed', respcd: '1202', mode: 'cpm' } } });
    expect(JSON.stringify(again)).not.toContain(code);
    expect(running.simulator.requests().filter((entry) => entry.endpoint === 'payment' && entry.fields.out_trade_no === outTradeNoOf(paid))).toHaveLength(1);
    await dispatch('newSale', {});
  });

  it.each([
    [{ amount: 100 }, 'authCode'],
    [{ amount: 0, authCode: '283854702356157409' }, 'amount'],
    [{ amount: 100, authCode: '283854702356157409', wallet: 'bitcoin' }, 'wallet'],
    [{ amount: 100, authCode: '2'.repeat(257) }, 'authCode'],
    [{ amount: 100, authCode: '283854702356157409', alipayRegion: 'ALIPAYHK' }, '(root)'],
  ])('refuses a payload that fails its schema, naming the field, never its value: %j', async (payload, field) => {
    await running.simulator.control('DELETE', 'requests');
    const result = await dispatch('chargeCustomerCode', payload);
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
    if (!result.ok) expect(result.error.details?.fields).toContain(field);
    expect(JSON.stringify(result)).not.toContain('283854702356157409');
    expect(running.simulator.requests()).toHaveLength(0);
  });

  it.each([
    ['12ab&c=3xyz9', undefined, 'auth_code_invalid'],
    [customerCode.wechat(), 'alipay', 'auth_code_wallet_mismatch'],
    [customerCode.unnamed(), undefined, 'auth_code_wallet_unknown'],
    [customerCode.unnamed(), 'octopus', 'customer_code_not_supported'],
  ] as const)('refuses %s (%s) in words in both languages, before anything is sent', async (authCode, wallet, code) => {
    await running.simulator.control('DELETE', 'requests');
    const result = await dispatch('chargeCustomerCode', { amount: 100, authCode, ...(wallet ? { wallet } : {}) });
    expect(result).toMatchObject({ ok: false, error: { code } });
    if (!result.ok) {
      expect(result.error.message.en).toMatch(/code|wallet/);
      expect(result.error.message['zh-HK']).toMatch(/付款碼/);
    }
    expect(JSON.stringify(result)).not.toContain(authCode);
    expect(running.simulator.requests()).toHaveLength(0);
  });

  it('waits while the customer confirms, and holds the counter until then', async () => {
    const waiting = await dispatch('chargeCustomerCode', { amount: 80_000, authCode: customerCode.wechat() });
    expect(waiting).toMatchObject({ ok: true, value: { order: { state: 'waiting', mode: 'cpm', respcd: '1143' } } });
    expect(await dispatch('charge', { amount: 100, wallet: 'fps' })).toMatchObject({ ok: false, error: { code: 'payment_in_progress' } });
    const cancelled = await dispatch('cancel', { outTradeNo: outTradeNoOf(waiting) });
    expect(cancelled).toMatchObject({ ok: true, value: { order: { state: 'cancelled' } } });
    expect((await running.simulator.control('GET', `orders/${outTradeNoOf(waiting)}`)).json.state).toBe('reversed');
  });
});
