/**
 * The app's errors: every code a command can answer with, and the error the services throw. The
 * words for each code, in both languages, are in the catalogues (shared/i18n/catalogue/, section commandErrors, read by shared/i18n/commandErrors.ts), typed against
 * CommandErrorCode: a code without words does not compile.
 */

/** What the till's services refuse with (TillError). */
export type TillErrorCode =
  | 'amount_invalid'
  | 'wallet_unknown'
  // A payment with the customer's own code (CPM): never with the code in the words.
  | 'auth_code_invalid'
  | 'auth_code_wallet_unknown'
  | 'auth_code_wallet_mismatch'
  | 'customer_code_not_supported'
  | 'qr_lifetime_out_of_range'
  | 'option_not_supported'
  | 'order_not_found'
  | 'not_cancellable'
  | 'not_paid_late'
  | 'refund_order_not_paid'
  | 'refund_amount_invalid'
  | 'refund_exceeds_refundable'
  | 'order_fully_refunded'
  | 'refund_without_syssn'
  | 'till_busy'
  | 'payment_in_progress'
  | 'pin_not_set'
  | 'pin_wrong'
  | 'pin_invalid'
  | 'pin_locked'
  | 'pin_already_set'
  | 'pin_change_required'
  | 'period_not_closable'
  | 'order_other_gateway'
  | 'not_before_manager'
  | 'decision_not_allowed'
  | 'decision_reason_invalid'
  | 'refund_not_found'
  | 'day_in_future'
  // A range of business days (the manager's list, totals and export): its last day before its first, or longer than MAX_RANGE_DAYS.
  | 'range_reversed'
  | 'range_too_long'
  | 'qfpay_unreachable'
  | 'settings_invalid'
  | 'head_office_not_configured'
  | 'head_office_unreachable'
  | 'store_export_refused'
  | 'books_tampered';

/** Every code a command's answer may carry: the services' and the boundary's own. */
export type CommandErrorCode =
  | TillErrorCode
  // The command boundary (shared/ipc, electron/services/ipc/dispatch.ts).
  | 'unknown_command'
  | 'forbidden'
  | 'invalid_request'
  | 'manager_locked'
  | 'internal'
  // The ledger refusing to write (electron/services/ledger).
  | 'books_broken'
  | 'ledger_damaged'
  // Web mode's screens: pairing a tab with the till, and the limits of its server.
  | 'screen_not_paired'
  | 'pairing_link_invalid'
  | 'too_many_screens'
  | 'https_only';

export class TillError extends Error {
  constructor(
    readonly code: TillErrorCode,
    message: string,
    readonly details: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
    this.name = 'TillError';
  }
}
