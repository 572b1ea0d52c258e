/** QFPay allows one merchant 400 calls a minute, across all its tills. */
export const MERCHANT_CALLS_PER_MINUTE = 400;

/**
 * A till's conservative share of the merchant's limit when it cannot share it through the head
 * office: an equal part for each of the tills its settings name (never under 6, or a till could
 * not even charge and check).
 */
export function localCallShare(merchantTills: number): number {
  return Math.max(6, Math.floor(MERCHANT_CALLS_PER_MINUTE / Math.max(1, merchantTills)));
}
