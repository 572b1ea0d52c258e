import { randomInt } from 'node:crypto';
import { toSVG as barcodeToSvg } from 'bwip-js/node';
import { toString as qrToString } from 'qrcode';
import { walletFromAuthCode } from '../../shared/qfpay/authCode';
import type { WalletId } from '../../shared/wallets';
import { codeLifetimeMs, type SimContext } from './openApi';

/**
 * The training wallet's own payment codes (CPM): what a customer's wallet app shows at the
 * counter, for the cashier to scan. Each is fresh, kept (as a hash) with the moment it was shown,
 * and spent only when a payment charges it (openApi.ts): shown is not used.
 */

/** The wallets whose codes the training wallet can show: those with a CPM pay type at QFPay. */
export type CodeWallet = 'alipay' | 'wechat' | 'payme' | 'unionpay';
export const CODE_WALLETS: readonly CodeWallet[] = ['alipay', 'wechat', 'payme', 'unionpay'];

const digits = (count: number) => Array.from({ length: count }, () => String(randomInt(10))).join('');

/**
 * A code of the wallet's shape. Alipay and WeChat Pay follow their documented prefixes
 * (shared/qfpay/authCode.ts walletFromAuthCode), so the till names the wallet from the scan;
 * UnionPay's "19 digits from 62" is an integrators' rule and PayMe publishes none (our `88…`
 * is made up): the till cannot tell those from the code, and the cashier picks the wallet.
 */
function drawCode(wallet: CodeWallet): string {
  switch (wallet) {
    case 'alipay':
      return `28${digits(16)}`;
    case 'wechat':
      return `13${digits(16)}`;
    case 'unionpay':
      return `62${digits(17)}`;
    case 'payme':
      return `88${digits(16)}`;
  }
}

/** Whether the till will know the wallet from this code alone (Alipay, WeChat Pay). */
export const tillNamesWallet = (wallet: CodeWallet, code: string) => walletFromAuthCode(code) === (wallet as WalletId);

export interface ShownCode {
  readonly wallet: CodeWallet;
  readonly code: string;
  /** Until when (the simulator's clock) the gateway will charge it. */
  readonly validUntilMs: number;
  readonly lifetimeMs: number;
}

/** A fresh code for the wallet, never shown nor spent before, kept as shown now. */
export function showNewCode(context: Pick<SimContext, 'store' | 'now' | 'cpm' | 'timeScale'>, wallet: CodeWallet): ShownCode {
  const now = context.now();
  for (;;) {
    const code = drawCode(wallet);
    if (context.store.issueCode(code, now)) {
      const lifetimeMs = codeLifetimeMs(context);
      return { wallet, code, validUntilMs: now + lifetimeMs, lifetimeMs };
    }
  }
}

/**
 * The code as a Code 128 barcode (what a counter's USB scanner reads) and as a QR code (what a
 * phone's camera or a 2-D scanner reads), each as SVG markup to put in the page: inline SVG loads
 * nothing, so the page keeps its `default-src 'none'`. The digits are written by the page, as
 * text, not drawn into the barcode.
 */
export async function codePictures(code: string): Promise<{ barcodeSvg: string; qrSvg: string }> {
  // Code 128 picks its set C for digits: two to a symbol, so an 18-digit code stays short.
  const barcodeSvg = barcodeToSvg({ bcid: 'code128', text: code, scale: 3, height: 18, includetext: false, paddingwidth: 10, paddingheight: 4, backgroundcolor: 'ffffff' });
  const qrSvg = await qrToString(code, { type: 'svg', errorCorrectionLevel: 'M', margin: 4, color: { dark: '#000000', light: '#ffffff' } });
  return { barcodeSvg, qrSvg };
}
