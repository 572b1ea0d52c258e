import { queryFields } from '../../../shared/qfpay/requests';
import { describeRespcd } from '../../../shared/qfpay/respcd';
import type { GatewayClient } from './client';

/**
 * "Test connection": one signed query for an order that cannot exist, and what the answer says
 * about the setup, in words. Used by the CLI's doctor and the settings screen.
 */
export type ConnectionVerdict = 'ok' | 'signature_rejected' | 'app_code_unknown' | 'gateway_refused' | 'unreachable';

export const CONNECTION_WORDS: Readonly<Record<ConnectionVerdict, { en: string; 'zh-HK': string }>> = {
  ok: { en: 'Reachable; the app code and signature were accepted.', 'zh-HK': '連線正常；app code 及簽名已獲接受。' },
  signature_rejected: { en: 'Reachable, but the signature was rejected: check the client key and signature type.', 'zh-HK': '可連線，但簽名被拒：請檢查密鑰及簽名類型。' },
  app_code_unknown: {
    en: 'Reachable, but the app code is not known here: check it, and that it belongs to this environment.',
    'zh-HK': '可連線，但此環境不認識該 app code：請檢查，並確認它屬於此環境。',
  },
  gateway_refused: { en: 'Reachable, but QFPay refused the test query.', 'zh-HK': '可連線，但 QFPay 拒絕了測試查詢。' },
  unreachable: { en: 'QFPay could not be reached from this till.', 'zh-HK': '此收銀機無法連線至 QFPay。' },
};

export async function checkConnection(gateway: GatewayClient, now: number): Promise<{ verdict: ConnectionVerdict; detail: string }> {
  const fields = queryFields({ outTradeNos: [`CHECK-${now}`] });
  if (!fields.ok) throw new Error(fields.error);
  const answer = await gateway.query(fields.value);
  if (answer.kind === 'success') return { verdict: 'ok', detail: '' };
  if (answer.kind === 'unknown') return { verdict: 'unreachable', detail: `${answer.reason}: ${answer.detail}` };
  if (answer.respcd === '1108') return { verdict: 'signature_rejected', detail: answer.respcd };
  if (answer.respcd === '1250') return { verdict: 'app_code_unknown', detail: answer.respcd };
  return { verdict: 'gateway_refused', detail: `${answer.respcd}: ${describeRespcd(answer.respcd, 'en')}` };
}
