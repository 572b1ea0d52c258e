import { formatHKD } from '../../shared/money';
import { walletByPayType } from '../../shared/wallets';
import { transactionStatus } from './openApi';
import type { SimOrder } from './store';

/**
 * The "customer wallet" a demo QR points to: the amount and a Pay button, so a second browser tab
 * or a phone on the shop's network can pay a training order. Plain HTML and a form, no script.
 */

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char] ?? char);

export const WALLET_PAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'";

/** `tillDeadline`: when the till withdraws this QR, if the page knows (the demo mode's own gateway). */
export function walletPage(order: SimOrder | undefined, nowMs: number, tillDeadline?: number): string {
  if (!order || order.orderType !== 'payment') return page('Unknown order', '<p class="status">This QR code is not a payment the simulator knows.</p>');

  const wallet = walletByPayType(order.payType);
  const status = transactionStatus(order, nowMs);
  const amount = `<p class="amount">${escapeHtml(formatHKD(order.txamt, 'en'))}</p>`;
  const about = `<p class="wallet">${escapeHtml(wallet?.names.en ?? order.payType)} · ${escapeHtml(order.goodsName ?? order.outTradeNo)}</p>`;
  const action = (path: string, label: string, style: string) =>
    `<form method="post" action="/__sim__/wallet/${encodeURIComponent(order.syssn)}/${path}"><button class="${style}">${label}</button></form>`;

  let body: string;
  if (status.respcd === '1143') {
    const gatewayEnd = order.expiresMs ?? Number.POSITIVE_INFINITY;
    const end = Math.min(gatewayEnd, tillDeadline ?? gatewayEnd);
    const secondsLeft = Number.isFinite(end) ? Math.max(0, Math.ceil((end - nowMs) / 1000)) : undefined;
    const left = secondsLeft === undefined ? '' : secondsLeft >= 60 ? `${Math.floor(secondsLeft / 60)} min ${secondsLeft % 60} s` : `${secondsLeft} s`;
    // Past the till's own deadline QFPay may still take it: paying now is the late payment a shop must handle.
    const status = tillDeadline !== undefined && nowMs >= tillDeadline ? 'The till has withdrawn this QR: paying it now is a late payment' : `Waiting for payment${left ? ` · QR valid for ${left}` : ''}`;
    body = `${amount}${about}<p class="status">${status}</p>
      ${action('pay', 'Pay', 'pay')}${action('decline', 'Decline (insufficient balance)', 'decline')}`;
  } else if (status.respcd === '0000') {
    body = `${amount}${about}<p class="status paid">Paid</p>`;
  } else {
    body = `${amount}${about}<p class="status">Not payable: ${escapeHtml(status.respcd === '1181' ? 'expired' : order.state)}</p>`;
  }
  return page('Training wallet', body);
}

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · QFPay simulator</title>
<style>
  body { font-family: system-ui, sans-serif; margin: 0; padding: 2rem 1rem; background: #f4f1ea; color: #1d1d1b; text-align: center; }
  .banner { background: #b3261e; color: #fff; padding: .4rem; font-weight: 600; margin: -2rem -1rem 2rem; }
  .amount { font-size: 2.6rem; font-weight: 700; margin: .5rem 0; }
  .status { font-size: 1.1rem; }
  .paid { color: #1b6e3a; font-weight: 700; font-size: 1.6rem; }
  button { font-size: 1.2rem; padding: .8rem 2.4rem; margin: .4rem; border-radius: .5rem; border: 0; cursor: pointer; }
  .pay { background: #1b6e3a; color: #fff; }
  .decline { background: #ddd; }
</style></head>
<body><header class="banner">Training: no real money</header><main><h1>${escapeHtml(title)}</h1>${body}</main></body></html>`;
}
