import type { CommandError } from '../ipc/contract';

/** Words for every error a command can return, so each screen can say what happened in its language. */
const MESSAGES: Readonly<Record<string, CommandError['message']>> = {
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
  internal: { en: 'Something went wrong in the app. The order log is safe; try again.', 'zh-HK': '程式出現問題。訂單記錄安全，請再試一次。' },
};

export function commandError(code: string, details?: Readonly<Record<string, unknown>>): CommandError {
  return { code, message: MESSAGES[code] ?? (MESSAGES.internal as CommandError['message']), ...(details ? { details } : {}) };
}
