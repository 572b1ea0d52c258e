import { formatHKD } from '../../shared/money';
import { walletById, walletByPayType } from '../../shared/wallets';
import { formatHongKongTimestamp } from '../../shared/hkTime';
import { transactionStatus } from './openApi';
import { CODE_WALLETS, tillNamesWallet, type ShownCode } from './paymentCodes';
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
  return page('Training wallet', `${body}${CODE_PAGE_LINK}`);
}

/** From any training wallet page: the customer may instead show their own code, for the till to scan. */
const CODE_PAGE_LINK = '<p class="other"><a href="/__sim__/code">Show a payment code instead (for the till to scan)</a></p>';

/** Where the training wallet's codes are: one path, for the wallet page, web mode's start-up lines and the docs. */
export const CODE_PAGE_PATH = '/__sim__/code';

/** The wallets to choose from, the chosen one marked. */
function walletChoice(chosen?: string): string {
  const items = CODE_WALLETS.map((id) => {
    const name = escapeHtml(walletById(id).names.en);
    return id === chosen ? `<li><span class="chosen" aria-current="page">${name}</span></li>` : `<li><a href="${CODE_PAGE_PATH}/${id}">${name}</a></li>`;
  });
  return `<nav aria-label="Wallet"><ul class="wallets">${items.join('')}</ul></nav>`;
}

/** `/__sim__/code`: pick the wallet whose code to show. */
export function codeChoicePage(): string {
  return page("Customer's payment code", `<p class="status">Pick the wallet. Its payment code is shown for the till's scanner, as a customer's phone would show it.</p>${walletChoice()}`);
}

/**
 * `/__sim__/code/{wallet}`: a fresh single-use code as a Code 128 barcode and a QR code, with the
 * digits under them. The code is a bearer credential at a real wallet; here it is training money,
 * but the page is still not cached, and the code is never logged.
 */
export function codePage(shown: ShownCode, pictures: { barcodeSvg: string; qrSvg: string }): string {
  const name = walletById(shown.wallet).names.en;
  const seconds = Math.round(shown.lifetimeMs / 1000);
  const until = formatHongKongTimestamp(shown.validUntilMs).slice(11, 19);
  const picture = (svg: string, label: string, kind: string) =>
    `<figure class="${kind}" role="img" aria-label="${escapeHtml(label)}">${svg}</figure>`;
  const pick = tillNamesWallet(shown.wallet, shown.code) ? '' : `<p class="note">The till cannot tell ${escapeHtml(name)} from the code: pick ${escapeHtml(name)} at the till before scanning.</p>`;
  const body = `${walletChoice(shown.wallet)}
    <p class="wallet">${escapeHtml(name)} · pay at the counter</p>
    ${picture(pictures.barcodeSvg, `Barcode (Code 128) of the ${name} payment code`, 'barcode')}
    ${picture(pictures.qrSvg, `QR code of the ${name} payment code`, 'qr')}
    <p class="digits" data-testid="code-digits">${escapeHtml(shown.code)}</p>
    <p class="status">Valid once, for ${seconds} s (until ${until} Hong Kong time); once the till charges it, it is spent.</p>
    ${pick}
    <form method="get" action="${CODE_PAGE_PATH}/${shown.wallet}"><button class="pay">New code</button></form>`;
  return page(`${name} payment code`, body);
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
  .wallets { list-style: none; padding: 0; display: flex; flex-wrap: wrap; justify-content: center; gap: .4rem; }
  .wallets a, .wallets .chosen { display: inline-block; padding: .5rem 1rem; border-radius: .5rem; border: 2px solid #1d1d1b; color: #1d1d1b; text-decoration: none; font-size: 1.05rem; }
  .wallets .chosen { background: #1d1d1b; color: #fff; font-weight: 600; }
  figure { margin: 1rem auto; background: #fff; padding: .5rem; }
  figure svg { display: block; width: 100%; height: auto; }
  .barcode { max-width: 26rem; }
  .qr { max-width: 14rem; }
  .digits { font-family: ui-monospace, monospace; font-size: 1.6rem; letter-spacing: .12em; font-weight: 700; margin: .5rem 0; word-break: break-all; }
  .note { color: #7a4b00; }
  .other { margin-top: 2rem; }
</style></head>
<body><header class="banner">Training: no real money</header><main><h1>${escapeHtml(title)}</h1>${body}</main></body></html>`;
}
