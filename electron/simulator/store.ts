import { createHash } from 'node:crypto';
import { closeSync, existsSync, openSync } from 'node:fs';
import { openSqlite } from '../services/sqlite/openSqlite';
import { formatHongKongTimestamp } from '../../shared/hkTime';

/**
 * The simulator's own orders, in its own SQLite file, so a demo order survives a restart of the
 * app or of the simulator as it would at a real gateway. Payments and refunds share one table
 * because QFPay's `out_trade_no` is unique across both.
 */

export type PaymentState = 'waiting' | 'paid' | 'failed' | 'closed' | 'reversed';

export interface SimOrder {
  readonly syssn: string;
  readonly outTradeNo: string;
  readonly orderType: 'payment' | 'refund';
  readonly payType: string;
  readonly txamt: number;
  readonly txcurrcd: string;
  readonly txdtm: string;
  readonly sysdtm: string;
  readonly createdMs: number;
  /** Payments: when the QR stops being payable (already divided by the time scale). */
  readonly expiresMs: number | null;
  readonly state: PaymentState | 'done';
  readonly failRespcd: string | null;
  readonly paydtm: string | null;
  readonly goodsName: string | null;
  readonly udid: string | null;
  readonly origSyssn: string | null;
  readonly refunded: number;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS sim_orders (
  syssn        TEXT PRIMARY KEY,
  out_trade_no TEXT NOT NULL UNIQUE,
  order_type   TEXT NOT NULL CHECK (order_type IN ('payment', 'refund')),
  pay_type     TEXT NOT NULL,
  txamt        INTEGER NOT NULL CHECK (txamt > 0),
  txcurrcd     TEXT NOT NULL,
  txdtm        TEXT NOT NULL,
  sysdtm       TEXT NOT NULL,
  created_ms   INTEGER NOT NULL,
  expires_ms   INTEGER,
  state        TEXT NOT NULL,
  fail_respcd  TEXT,
  paydtm       TEXT,
  goods_name   TEXT,
  udid         TEXT,
  orig_syssn   TEXT REFERENCES sim_orders(syssn),
  refunded     INTEGER NOT NULL DEFAULT 0 CHECK (refunded >= 0 AND refunded <= txamt)
);
CREATE INDEX IF NOT EXISTS sim_orders_orig ON sim_orders(orig_syssn);
CREATE INDEX IF NOT EXISTS sim_orders_sysdtm ON sim_orders(sysdtm);
CREATE TABLE IF NOT EXISTS sim_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
-- Customers' codes (CPM) already charged: single use, as at the wallets. Kept as hashes, as a
-- careful gateway would: a bearer credential has no business sitting in a file in clear.
CREATE TABLE IF NOT EXISTS sim_auth_codes (code_hash TEXT PRIMARY KEY, syssn TEXT NOT NULL REFERENCES sim_orders(syssn));
-- Codes the training wallet showed (its code page), with when: a code lives a minute or so from
-- then (CpmBehaviour.codeLifetimeSeconds). Shown is not spent: that is sim_auth_codes, at the charge.
CREATE TABLE IF NOT EXISTS sim_issued_codes (code_hash TEXT PRIMARY KEY, issued_ms INTEGER NOT NULL);
`;

interface OrderRow {
  syssn: string;
  out_trade_no: string;
  order_type: 'payment' | 'refund';
  pay_type: string;
  txamt: number;
  txcurrcd: string;
  txdtm: string;
  sysdtm: string;
  created_ms: number;
  expires_ms: number | null;
  state: PaymentState | 'done';
  fail_respcd: string | null;
  paydtm: string | null;
  goods_name: string | null;
  udid: string | null;
  orig_syssn: string | null;
  refunded: number;
}

const fromRow = (row: OrderRow): SimOrder => ({
  syssn: row.syssn,
  outTradeNo: row.out_trade_no,
  orderType: row.order_type,
  payType: row.pay_type,
  txamt: row.txamt,
  txcurrcd: row.txcurrcd,
  txdtm: row.txdtm,
  sysdtm: row.sysdtm,
  createdMs: row.created_ms,
  expiresMs: row.expires_ms,
  state: row.state,
  failRespcd: row.fail_respcd,
  paydtm: row.paydtm,
  goodsName: row.goods_name,
  udid: row.udid,
  origSyssn: row.orig_syssn,
  refunded: row.refunded,
});

export interface NewPayment {
  readonly outTradeNo: string;
  readonly payType: string;
  readonly txamt: number;
  readonly txcurrcd: string;
  readonly txdtm: string;
  readonly expiresMs: number;
  readonly goodsName?: string;
  readonly udid?: string;
  /** A customer's code (CPM): spent by this payment. */
  readonly authCode?: string;
}

export interface NewRefund {
  readonly outTradeNo: string;
  readonly original: SimOrder;
  readonly txamt: number;
  readonly txdtm: string;
  readonly udid?: string;
}

export type SimStore = ReturnType<typeof openSimStore>;

const codeHash = (code: string) => createHash('sha256').update(code, 'utf8').digest('hex');

export function openSimStore(path: string) {
  // Its file holds the demo gateway's credentials: readable by this user only, like the ledger.
  if (path !== ':memory:' && !existsSync(path)) closeSync(openSync(path, 'wx', 0o600));
  const db = openSqlite(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.exec(SCHEMA);

  const statements = {
    bySyssn: db.prepare<[string], OrderRow>('SELECT * FROM sim_orders WHERE syssn = ?'),
    byOutTradeNo: db.prepare<[string], OrderRow>('SELECT * FROM sim_orders WHERE out_trade_no = ?'),
    refundsOf: db.prepare<[string], OrderRow>('SELECT * FROM sim_orders WHERE orig_syssn = ? ORDER BY created_ms, syssn'),
    all: db.prepare<[], OrderRow>('SELECT * FROM sim_orders ORDER BY created_ms, syssn'),
    inWindow: db.prepare<[string, string], OrderRow>(
      'SELECT * FROM sim_orders WHERE sysdtm >= ? AND sysdtm <= ? ORDER BY created_ms, syssn',
    ),
    insert: db.prepare(`INSERT INTO sim_orders
      (syssn, out_trade_no, order_type, pay_type, txamt, txcurrcd, txdtm, sysdtm, created_ms, expires_ms, state,
       goods_name, udid, orig_syssn)
      VALUES (@syssn, @out_trade_no, @order_type, @pay_type, @txamt, @txcurrcd, @txdtm, @sysdtm, @created_ms,
       @expires_ms, @state, @goods_name, @udid, @orig_syssn)`),
    setState: db.prepare<[PaymentState, string | null, string | null, string]>(
      'UPDATE sim_orders SET state = ?, fail_respcd = ?, paydtm = ? WHERE syssn = ?',
    ),
    addRefunded: db.prepare<[number, string]>('UPDATE sim_orders SET refunded = refunded + ? WHERE syssn = ?'),
    codeUsed: db.prepare<[string], { syssn: string }>('SELECT syssn FROM sim_auth_codes WHERE code_hash = ?'),
    useCode: db.prepare<[string, string]>('INSERT INTO sim_auth_codes (code_hash, syssn) VALUES (?, ?)'),
    issuedAt: db.prepare<[string], { issued_ms: number }>('SELECT issued_ms FROM sim_issued_codes WHERE code_hash = ?'),
    issue: db.prepare<[string, number]>('INSERT INTO sim_issued_codes (code_hash, issued_ms) VALUES (?, ?)'),
    getMeta: db.prepare<[string], { value: string }>('SELECT value FROM sim_meta WHERE key = ?'),
    setMeta: db.prepare<[string, string]>('INSERT OR REPLACE INTO sim_meta (key, value) VALUES (?, ?)'),
  };

  /** 26 digits like QFPay's: the Hong Kong date, then a sequence that never repeats in this file. */
  const nextSyssn = (nowMs: number): string => {
    const sequence = Number(statements.getMeta.get('syssn_sequence')?.value ?? '0') + 1;
    statements.setMeta.run('syssn_sequence', String(sequence));
    return formatHongKongTimestamp(nowMs).slice(0, 10).replaceAll('-', '') + String(sequence).padStart(18, '0');
  };

  const read = (row: OrderRow | undefined) => (row ? fromRow(row) : undefined);

  return {
    path,
    bySyssn: (syssn: string) => read(statements.bySyssn.get(syssn)),
    byOutTradeNo: (outTradeNo: string) => read(statements.byOutTradeNo.get(outTradeNo)),
    refundsOf: (syssn: string) => statements.refundsOf.all(syssn).map(fromRow),
    all: () => statements.all.all().map(fromRow),
    inWindow: (from: string, to: string) => statements.inWindow.all(from, to).map(fromRow),

    /** Whether a customer's code was charged before (by any order). */
    authCodeUsed: (code: string) => statements.codeUsed.get(codeHash(code)) !== undefined,

    /** When the training wallet showed this code; undefined for a code it never showed (a test's, one typed at the CLI). */
    codeIssuedAt: (code: string) => statements.issuedAt.get(codeHash(code))?.issued_ms,

    /**
     * Keeps a code the training wallet is about to show, unless it was ever shown or spent before
     * (then false: draw another). Only its hash is kept, as for the spent ones.
     */
    issueCode: db.transaction((code: string, nowMs: number): boolean => {
      const hash = codeHash(code);
      if (statements.codeUsed.get(hash) || statements.issuedAt.get(hash)) return false;
      statements.issue.run(hash, nowMs);
      return true;
    }),

    createPayment: db.transaction((payment: NewPayment, nowMs: number): SimOrder => {
      const syssn = nextSyssn(nowMs);
      statements.insert.run({
        syssn,
        out_trade_no: payment.outTradeNo,
        order_type: 'payment',
        pay_type: payment.payType,
        txamt: payment.txamt,
        txcurrcd: payment.txcurrcd,
        txdtm: payment.txdtm,
        sysdtm: formatHongKongTimestamp(nowMs),
        created_ms: nowMs,
        expires_ms: payment.expiresMs,
        state: 'waiting',
        goods_name: payment.goodsName ?? null,
        udid: payment.udid ?? null,
        orig_syssn: null,
      });
      // The code is spent with the order that took it, in the same transaction.
      if (payment.authCode !== undefined) statements.useCode.run(codeHash(payment.authCode), syssn);
      return fromRow(statements.bySyssn.get(syssn) as OrderRow);
    }),

    /** Records a refund and raises the payment's refunded total in one transaction. */
    createRefund: db.transaction((refund: NewRefund, nowMs: number): SimOrder => {
      const syssn = nextSyssn(nowMs);
      statements.insert.run({
        syssn,
        out_trade_no: refund.outTradeNo,
        order_type: 'refund',
        pay_type: refund.original.payType,
        txamt: refund.txamt,
        txcurrcd: refund.original.txcurrcd,
        txdtm: refund.txdtm,
        sysdtm: formatHongKongTimestamp(nowMs),
        created_ms: nowMs,
        expires_ms: null,
        state: 'done',
        goods_name: null,
        udid: refund.udid ?? null,
        orig_syssn: refund.original.syssn,
      });
      statements.addRefunded.run(refund.txamt, refund.original.syssn);
      return fromRow(statements.bySyssn.get(syssn) as OrderRow);
    }),

    setPaymentState(syssn: string, state: PaymentState, details: { failRespcd?: string; paydtm?: string } = {}) {
      statements.setState.run(state, details.failRespcd ?? null, details.paydtm ?? null, syssn);
    },

    getMeta: (key: string) => statements.getMeta.get(key)?.value,
    setMeta: (key: string, value: string) => void statements.setMeta.run(key, value),

    close: () => db.close(),
  };
}
