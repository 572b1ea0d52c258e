// @vitest-environment jsdom
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { DisplayState } from '../../shared/ipc/contract';
import { DisplayView } from '../../renderer/src/display/DisplayApp';

/**
 * The customer display's words for a payment with the customer's own code (CPM), state by state,
 * including the ones too brief to catch in a browser (the code being sent) or that need a wallet
 * without a reversal (withdrawn at the till, not yet at QFPay).
 */
afterEach(cleanup);

const base = { shopName: 'Tea House', demo: false, serverNow: 1_000_000, amount: 88_000, wallet: 'payme' } as const;

describe('DisplayView for a customer’s own code', () => {
  it('while the code is being charged: “processing”, no QR, no countdown', () => {
    render(<DisplayView state={{ mode: 'payment', ...base, paymentMode: 'cpm', qrcode: null, confirming: false, deadline: 1_060_000 }} />);
    expect(screen.getByTestId('charging-code').textContent).toBe('Processing your payment code… · 正在處理你的付款碼…');
    expect(screen.queryByTestId('qr')).toBeNull();
    expect(screen.queryByTestId('countdown')).toBeNull();
    expect(screen.queryByText(/QR|二維碼/)).toBeNull();
  });

  it('while the customer confirms: the step in both languages, the Chinese marked as such, and the calm countdown', () => {
    render(<DisplayView state={{ mode: 'payment', ...base, paymentMode: 'cpm', qrcode: null, confirming: true, deadline: 1_020_000 }} />);
    const confirm = screen.getByTestId('confirm-in-wallet');
    expect(confirm.textContent).toBe('Please confirm the payment in your wallet app請在電子錢包應用程式內確認付款');
    expect(confirm.querySelector('[lang="zh-HK"]')?.textContent).toBe('請在電子錢包應用程式內確認付款');
    // 20 s left: a QR's countdown would be urgent red by now; the customer's code's stays calm.
    expect(screen.getByTestId('countdown').className).toBe('countdown');
  });

  it('expired and withdrawn at the till only: “not confirmed in time”, and not to confirm it in the wallet', () => {
    const state: DisplayState = { mode: 'result', ...base, paymentMode: 'cpm', result: 'expired', doNotPay: true, outTradeNo: 'T1-P261123101500-ABCDEFGH' };
    render(<DisplayView state={state} />);
    expect(screen.getByTestId('result').textContent).toBe('The payment was not confirmed in time.付款未有及時確認。');
    expect(screen.getByTestId('do-not-pay').textContent).toBe('If your wallet still asks you to confirm, please do not confirm it.如電子錢包仍要求確認，請勿確認。');
  });

  it('a QR payment keeps its own words', () => {
    render(<DisplayView state={{ mode: 'result', ...base, paymentMode: 'mpm', result: 'expired', doNotPay: true, outTradeNo: 'T1' }} />);
    expect(screen.getByTestId('result').textContent).toBe('This QR code has expired.二維碼已過期。');
    expect(screen.getByTestId('do-not-pay').textContent).toContain('please do not pay it');
  });
});
