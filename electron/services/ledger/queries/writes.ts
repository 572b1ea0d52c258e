import type { Statement } from 'better-sqlite3';
import type { TransitionCause } from '../../../../shared/ledger/lifecycle';
import { keepableFields } from '../../../../shared/qfpay/authCode';
import type { LedgerDatabase } from '../database';
import type { GatewayCall, NewOrder, NewRefund } from '../records';

/**
 * The ledger's rows written: trade numbers, new orders and refunds, history rows, column updates
 * and the gateway's exchanges. Only ledgerStore.ts calls these, inside its transactions, after its
 * checks: nothing here checks a rule.
 */

export interface HistoryEntry {
  readonly orderId: number | null;
  readonly refundId: number | null;
  readonly fromState: string | null;
  readonly toState: string;
  readonly cause: TransitionCause;
  readonly detail: string | null;
  readonly at: number;
}

export function writeQueries(db: LedgerDatabase) {
  const statements = {
    insertTradeNumber: db.prepare<[string, string]>('INSERT INTO trade_numbers (out_trade_no, kind) VALUES (?, ?)'),
    tradeNumberExists: db.prepare<[string], { one: number }>('SELECT 1 AS one FROM trade_numbers WHERE out_trade_no = ?'),
    insertOrder: db.prepare(`INSERT INTO orders (out_trade_no, till_id, environment, gateway_url, app_code, mchid, wallet, pay_type, amount,
      currency, goods_name, request_fields, state, created_at, updated_at, qr_deadline, gateway_deadline, mode, auth_code_masked)
      VALUES (@outTradeNo, @tillId, @environment, @gatewayUrl, @appCode, @mchid, @wallet, @payType, @amount, @currency, @goodsName,
      @requestFields, 'created', @createdAt, @createdAt, @qrDeadline, @gatewayDeadline, @mode, @authCodeMasked)`),
    insertRefund: db.prepare(`INSERT INTO refunds (order_id, out_trade_no, till_id, amount, request_fields, state, created_at, updated_at)
      VALUES (@orderId, @outTradeNo, @tillId, @amount, @requestFields, 'created', @createdAt, @createdAt)`),
    insertTransition: db.prepare<[HistoryEntry]>(`INSERT INTO transitions (order_id, refund_id, from_state, to_state, cause, detail, at)
      VALUES (@orderId, @refundId, @fromState, @toState, @cause, @detail, @at)`),
    insertCall: db.prepare(`INSERT INTO gateway_calls (order_id, refund_id, endpoint, request_fields, result_kind, respcd, detail,
      http_status, started_at, finished_at) VALUES (@orderId, @refundId, @endpoint, @requestFields, @resultKind, @respcd, @detail,
      @httpStatus, @startedAt, @finishedAt)`),
  };
  const updateCache = new Map<string, Statement>();

  return {
    tradeNumberExists: (outTradeNo: string) => statements.tradeNumberExists.get(outTradeNo) !== undefined,
    insertTradeNumber: (outTradeNo: string, kind: 'payment' | 'refund') => void statements.insertTradeNumber.run(outTradeNo, kind),
    /** The new order's id. */
    insertOrder: (order: NewOrder): number =>
      Number(
        statements.insertOrder.run({
          ...order,
          // The customer's code is masked here too, whoever built the fields: the ledger never holds it (shared/qfpay/authCode.ts).
          requestFields: JSON.stringify(keepableFields(order.requestFields)),
          mode: order.mode ?? 'mpm',
          authCodeMasked: order.authCodeMasked ?? null,
        }).lastInsertRowid,
      ),
    /** The new refund's id. */
    insertRefund: (refund: NewRefund): number => Number(statements.insertRefund.run({ ...refund, requestFields: JSON.stringify(refund.requestFields) }).lastInsertRowid),
    insertTransition: (entry: HistoryEntry) => void statements.insertTransition.run(entry),
    /** Sets the given columns of one row; column names come only from the ledger's fixed maps, never from input. */
    update(table: 'orders' | 'refunds', id: number, columns: Record<string, unknown>): void {
      const names = Object.keys(columns).sort();
      if (names.length === 0) return;
      const key = `${table}:${names.join(',')}`;
      let statement = updateCache.get(key);
      if (!statement) {
        statement = db.prepare(`UPDATE ${table} SET ${names.map((name) => `${name} = @${name}`).join(', ')} WHERE id = @id`);
        updateCache.set(key, statement);
      }
      statement.run({ ...columns, id });
    },
    recordGatewayCall(call: GatewayCall): void {
      statements.insertCall.run({
        orderId: call.orderId ?? null,
        refundId: call.refundId ?? null,
        endpoint: call.endpoint,
        requestFields: JSON.stringify(keepableFields(call.requestFields)),
        resultKind: call.resultKind,
        respcd: call.respcd ?? null,
        detail: call.detail ?? null,
        httpStatus: call.httpStatus ?? null,
        startedAt: call.startedAt,
        finishedAt: call.finishedAt,
      });
    },
  };
}
