import type { CommandErrorCode } from '../errors';
import { formatHongKongTimestamp } from '../hkTime';
import type { CommandError } from '../ipc/contract';

/**
 * Words for every error a command can return, so each screen can say what happened in its
 * language. Typed against the codes (shared/errors.ts): a code without words does not compile.
 */
const MESSAGES: Readonly<Record<CommandErrorCode, CommandError['message']>> = {
  unknown_command: { en: 'The app does not know that command.', 'zh-HK': '程式不支援此指令。' },
  forbidden: { en: 'This screen may not do that.', 'zh-HK': '此畫面無權執行此操作。' },
  invalid_request: { en: 'The request was not valid: nothing was changed.', 'zh-HK': '請求無效：沒有作出任何更改。' },
  amount_invalid: { en: 'The amount is not valid.', 'zh-HK': '金額無效。' },
  wallet_unknown: { en: 'Choose one of the six wallets.', 'zh-HK': '請選擇六種錢包之一。' },
  qr_lifetime_out_of_range: { en: 'The QR lifetime setting is out of range.', 'zh-HK': '二維碼有效時間設定超出範圍。' },
  option_not_supported: { en: 'That option is not available for this wallet.', 'zh-HK': '此錢包不支援該選項。' },
  order_not_found: { en: 'No such order at this till.', 'zh-HK': '此收銀機沒有該訂單。' },
  not_cancellable: { en: 'This order is already final and cannot be cancelled.', 'zh-HK': '此訂單已完成，無法取消。' },
  till_busy: { en: 'Too many requests to QFPay this minute: try again shortly.', 'zh-HK': '本分鐘向 QFPay 發出的請求過多，請稍後再試。' },
  payment_in_progress: { en: 'Finish or cancel the current payment first.', 'zh-HK': '請先完成或取消目前的付款。' },
  manager_locked: { en: 'Enter the manager PIN first.', 'zh-HK': '請先輸入經理密碼。' },
  pin_wrong: { en: 'That PIN is not right.', 'zh-HK': '密碼不正確。' },
  pin_invalid: { en: 'A new manager PIN is 6 to 8 digits, numbers only.', 'zh-HK': '新的經理密碼須為 6 至 8 位數字，只可使用數字。' },
  // Without a time (never sent so by the till; kept for a caller that strips details).
  pin_locked: { en: 'Too many wrong PINs: the PIN cannot be tried for now. Until then even the right PIN is refused.', 'zh-HK': '密碼錯誤次數過多，暫時不可再試。在此之前，即使輸入正確密碼亦會被拒絕。' },
  pin_change_required: {
    en: 'This PIN is from before PINs had 6 to 8 digits: set a new PIN before anything else.',
    'zh-HK': '此密碼是在規定 6 至 8 位數字之前設定的：請先設定新密碼，才可進行其他操作。',
  },
  pin_not_set: { en: 'No manager PIN is set yet: set one first.', 'zh-HK': '尚未設定經理密碼，請先設定。' },
  pin_already_set: { en: 'A PIN is set: unlock with it before changing it.', 'zh-HK': '已設定密碼：請先解鎖再更改。' },
  refund_order_not_paid: { en: 'Only a paid order can be refunded.', 'zh-HK': '只可退款已付款的訂單。' },
  refund_exceeds_refundable: { en: 'That is more than can still be refunded.', 'zh-HK': '金額超過可退款金額。' },
  order_fully_refunded: { en: 'This order is already refunded in full: nothing is left to refund.', 'zh-HK': '此訂單已全數退款：沒有可退款的餘額。' },
  refund_amount_invalid: { en: 'The refund amount is not valid.', 'zh-HK': '退款金額無效。' },
  refund_without_syssn: { en: 'QFPay has not numbered this payment yet: resolve it first.', 'zh-HK': 'QFPay 尚未為此付款編號，請先確認狀態。' },
  not_paid_late: { en: 'This order is not a late payment.', 'zh-HK': '此訂單並非逾時付款。' },
  period_not_closable: {
    en: 'Open orders, late payments, open refunds or items before a manager must be resolved before the close.',
    'zh-HK': '仍有未完成的訂單、逾時付款、退款或待經理處理的項目，請先處理再結算。',
  },
  order_other_gateway: {
    en: 'This order was made through another gateway (another environment or app code): it is shown, but can only be acted on there.',
    'zh-HK': '此訂單經另一個閘道（另一個環境或 app code）建立：只可查看，須在該閘道處理。',
  },
  not_before_manager: { en: 'QFPay may still answer about this item: ask again first.', 'zh-HK': 'QFPay 仍可能就此項目回覆：請先再次查詢。' },
  decision_not_allowed: { en: 'A paid order stays paid in the books: refund it if the money must go back.', 'zh-HK': '已付款訂單在賬目上維持已付款：如需退回款項，請辦理退款。' },
  decision_reason_invalid: { en: 'Give the reason for the decision (3 to 200 characters).', 'zh-HK': '請輸入決定的原因（3 至 200 個字元）。' },
  refund_not_found: { en: 'No such refund at this till.', 'zh-HK': '此收銀機沒有該退款。' },
  day_in_future: { en: 'That day has not happened yet in Hong Kong.', 'zh-HK': '香港時間尚未到該日。' },
  qfpay_unreachable: { en: 'QFPay could not be asked just now: try again shortly.', 'zh-HK': '暫時無法向 QFPay 查詢，請稍後再試。' },
  settings_invalid: { en: 'Some settings are not valid: nothing was saved.', 'zh-HK': '部分設定無效：沒有儲存任何更改。' },
  head_office_not_configured: { en: 'No head office is set up for this till: add one in Settings.', 'zh-HK': '此收銀機未設定總部：請在設定中加入。' },
  head_office_unreachable: { en: 'The head office cannot be reached just now. Sales go on; try again shortly.', 'zh-HK': '暫時無法連接總部。收銀不受影響，請稍後再試。' },
  store_export_refused: {
    en: 'The head office holds no rows of that environment for the day, or holds several: choose one.',
    'zh-HK': '總部沒有該環境當日的記錄，或有多個環境的記錄：請選擇一個。',
  },
  books_broken: {
    en: 'The books do not verify: a history row was deleted or changed outside the app, so nothing new can be recorded, and nothing was charged. Tell the owner.',
    'zh-HK': '賬目核對不符：有歷史記錄在程式以外被刪除或更改，因此無法記錄新項目，亦沒有收款。請通知東主。',
  },
  ledger_damaged: {
    en: 'The ledger file is damaged, so nothing was charged or refunded. Restore the latest backup (npm run cli -- restore) and tell the owner.',
    'zh-HK': '賬目檔案已損壞，因此沒有收款或退款。請還原最新的備份（npm run cli -- restore）並通知東主。',
  },
  books_tampered: {
    en: "Nothing was exported: the books behind the day do not verify against their chain (a till's record was changed at the head office). Tell the owner.",
    'zh-HK': '沒有匯出：當日賬目與其鏈結不符（有收銀機的記錄在總部被更改）。請通知東主。',
  },
  // Web mode's screens: pairing a tab with the till, and the limits of its server.
  screen_not_paired: {
    en: 'This screen is not paired with the till. Open the link the till printed for this screen (each link works once).',
    'zh-HK': '此畫面尚未與收銀機配對。請開啟收銀機為此畫面列出的連結（每條連結只可使用一次）。',
  },
  pairing_link_invalid: {
    en: 'This link no longer works: it was used already, has expired, or was replaced by newer links. At the till, press Enter in the web mode window for new links, or restart it.',
    'zh-HK': '此連結已失效：已被使用、已過期或已被新連結取代。請在收銀機的網頁模式視窗按 Enter 取得新連結，或重新啟動收銀程式。',
  },
  too_many_screens: { en: 'Too many screens are connected to the till: close one and try again.', 'zh-HK': '連接收銀機的畫面過多：請關閉其中一個再試。' },
  https_only: {
    en: "On the shop's network the till's screens open over HTTPS only: open the https:// link the till printed.",
    'zh-HK': '在店舖網絡上，收銀機的畫面只可經 HTTPS 開啟：請開啟收銀機列出的 https:// 連結。',
  },
  internal: { en: 'Something went wrong in the app. The order log is safe; try again.', 'zh-HK': '程式出現問題。訂單記錄安全，請再試一次。' },
};

/** Words that say something from the details: when a locked PIN may be tried again. */
const DETAILED: Readonly<Partial<Record<CommandErrorCode, (details: Readonly<Record<string, unknown>>) => CommandError['message'] | undefined>>> = {
  pin_locked: ({ retryAt, retryInMs }) => (typeof retryAt === 'number' && typeof retryInMs === 'number' ? pinLockedWords(retryAt, retryInMs) : undefined),
};

/** A code from elsewhere (an older till, a newer one) that has no words here is said as `internal`. */
const isKnown = (code: string): code is CommandErrorCode => Object.hasOwn(MESSAGES, code);

export function commandError(code: string, details?: Readonly<Record<string, unknown>>): CommandError {
  const known = isKnown(code) ? code : undefined;
  const message = (known && details && DETAILED[known]?.(details)) ?? (known ? MESSAGES[known] : MESSAGES.internal);
  return { code, message, ...(details ? { details } : {}) };
}

/**
 * The lock's end as a Hong Kong clock time (with its date when it is not today), and how long
 * that is from now in whole minutes, rounded up so that "1 min" is never said of a lock with 61 s.
 */
function pinLockedWords(retryAt: number, retryInMs: number): CommandError['message'] {
  const now = formatHongKongTimestamp(retryAt - retryInMs);
  const end = formatHongKongTimestamp(retryAt);
  const at = end.slice(0, 10) === now.slice(0, 10) ? end.slice(11, 16) : end.slice(0, 16);
  const minutes = Math.max(1, Math.ceil(retryInMs / 60_000));
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  const en = hours === 0 ? `${minutes} min` : rest === 0 ? `${hours} h` : `${hours} h ${rest} min`;
  const zh = hours === 0 ? `${minutes} 分鐘` : rest === 0 ? `${hours} 小時` : `${hours} 小時 ${rest} 分鐘`;
  return {
    en: `Too many wrong PINs: the PIN can be tried again at ${at} Hong Kong time (in ${en}). Until then even the right PIN is refused.`,
    'zh-HK': `密碼錯誤次數過多：須待香港時間 ${at}（${zh}後）才可再試。在此之前，即使輸入正確密碼亦會被拒絕。`,
  };
}
