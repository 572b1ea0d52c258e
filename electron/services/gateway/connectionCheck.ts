import { catalogues, wordsFor } from '../../../shared/i18n/words';
import { queryFields } from '../../../shared/qfpay/requests';
import { describeRespcd } from '../../../shared/qfpay/respcd';
import type { GatewayClient } from './client';

/**
 * "Test connection": one signed query for an order that cannot exist, and what the answer says
 * about the setup, in words. Used by the CLI's doctor and the settings screen.
 */
export type ConnectionVerdict = 'ok' | 'signature_rejected' | 'app_code_unknown' | 'gateway_refused' | 'unreachable';

/** Each verdict in words, in both languages: the catalogues' connectionCheck. */
const VERDICT_WORDS = { en: wordsFor<ConnectionVerdict>()(catalogues.en.connectionCheck), 'zh-HK': wordsFor<ConnectionVerdict>()(catalogues['zh-HK'].connectionCheck) };
export const CONNECTION_WORDS: Readonly<Record<ConnectionVerdict, { en: string; 'zh-HK': string }>> = Object.fromEntries(
  (Object.keys(VERDICT_WORDS.en) as ConnectionVerdict[]).map((verdict) => [verdict, { en: VERDICT_WORDS.en[verdict], 'zh-HK': VERDICT_WORDS['zh-HK'][verdict] }]),
) as Record<ConnectionVerdict, { en: string; 'zh-HK': string }>;

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
