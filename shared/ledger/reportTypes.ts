import type { WalletId } from '../wallets';

/** The end-of-day (Z) report as data, shared by the report builder, the CLI and the manager's screen. */
export interface WalletTotals {
  readonly wallet: WalletId;
  readonly payments: { readonly count: number; readonly amount: number };
  readonly refunds: { readonly count: number; readonly amount: number };
  readonly net: number;
}

export interface ZReport {
  /** Null for a preview; the till's running number once the day is closed. */
  readonly number: number | null;
  readonly day: string;
  readonly tillId: string;
  readonly currency: 'HKD';
  readonly generatedAt: number;
  readonly closedAt: number | null;
  readonly wallets: readonly WalletTotals[];
  readonly totals: Omit<WalletTotals, 'wallet'>;
  readonly unresolved: { readonly orders: number; readonly latePayments: number; readonly refunds: number };
  /** Orders that failed, expired or were cancelled: no money, counted for the record. */
  readonly notPaid: number;
}
