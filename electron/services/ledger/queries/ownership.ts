import { TRAINING_ENVIRONMENTS } from '../../../../shared/ledger/reportTypes';
import type { LedgerDatabase } from '../database';

/** What a ledger says about whose books it is: whether it holds orders, of real money, made by which merchant. */

/** The SQL condition on `orders` for real money (not demo, sandbox or test). */
const REAL_MONEY_ORDER = `environment NOT IN (${TRAINING_ENVIRONMENTS.map((name) => `'${name}'`).join(', ')})`;

/** Whether a ledger holds any order of a real-money environment. */
export const holdsRealMoney = (db: LedgerDatabase): boolean => db.prepare(`SELECT 1 FROM orders WHERE ${REAL_MONEY_ORDER} LIMIT 1`).get() !== undefined;

/** Whether a ledger holds any order at all. */
export const holdsOrders = (db: LedgerDatabase): boolean => db.prepare('SELECT 1 FROM orders LIMIT 1').get() !== undefined;

/** The merchants (app code and gateway) the ledger's real-money orders name; null where an older version did not record them. */
export const realMoneyMerchants = (db: LedgerDatabase): { app_code: string | null; gateway_url: string | null }[] =>
  db.prepare<[], { app_code: string | null; gateway_url: string | null }>(`SELECT DISTINCT app_code, gateway_url FROM orders WHERE ${REAL_MONEY_ORDER}`).all();
