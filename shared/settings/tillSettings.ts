import { z } from 'zod';
import { catalogues, wordsFor } from '../i18n/words';
import { parseGatewayUrl, type GatewayEnvironment } from '../qfpay/environments';
import { TILL_ID_PATTERN } from '../qfpay/fields';
import { isLoopback } from '../loopback';
import { parsePrinterTarget } from '../receipts/printerAddress';

/**
 * The till's settings as the manager edits them, and the rules they must meet. The client key is
 * write-only: it is accepted in an update and stored apart (encrypted, or in a file only the user
 * can read), and the screens only ever learn whether one is set.
 */

export const ENVIRONMENTS: readonly GatewayEnvironment[] = ['demo', 'sandbox', 'test', 'production', 'custom'];
const CREDENTIAL = /^[A-Za-z0-9_-]{1,64}$/;

/** The fields and their types, without defaults: an update names only what it changes. */
const settingsFields = {
  environment: z.enum(['demo', 'sandbox', 'test', 'production', 'custom']),
  customUrl: z.string(),
  appCode: z.string(),
  mchid: z.string(),
  signType: z.enum(['SHA256', 'MD5']),
  tillId: z.string(),
  shopName: z.string(),
  /** The default QR lifetime; Alipay and WeChat Pay receive it as expired_time (5-120). */
  qrLifetimeMinutes: z.number(),
  pollIntervalMs: z.number(),
  language: z.enum(['en', 'zh-HK']),
  /** A short chime on the cashier's screen when a payment is confirmed. */
  paidChime: z.boolean(),
  /** The head office's PostgreSQL, without its password (kept apart, write-only); '' for none. */
  headOfficeUrl: z.string(),
  /** How many tills share the merchant's 400 calls a minute: each keeps to its share without a head office. */
  merchantTills: z.number(),
  /** The receipt printer: '' for none (demo mode then prints to its virtual printer), or tcp://HOST:9100. */
  printer: z.string(),
  paperWidth: z.union([z.literal(58), z.literal(80)]),
  /** Print the customer's slip as soon as a payment is confirmed. */
  autoPrint: z.boolean(),
};

export const tillSettingsSchema = z.object({
  environment: settingsFields.environment.default('demo'),
  customUrl: settingsFields.customUrl.default(''),
  appCode: settingsFields.appCode.default(''),
  mchid: settingsFields.mchid.default(''),
  signType: settingsFields.signType.default('SHA256'),
  tillId: settingsFields.tillId.default('till-1'),
  shopName: settingsFields.shopName.default('QFPay Counter'),
  qrLifetimeMinutes: settingsFields.qrLifetimeMinutes.default(5),
  pollIntervalMs: settingsFields.pollIntervalMs.default(3000),
  language: settingsFields.language.default('en'),
  paidChime: settingsFields.paidChime.default(true),
  headOfficeUrl: settingsFields.headOfficeUrl.default(''),
  merchantTills: settingsFields.merchantTills.default(5),
  printer: settingsFields.printer.default(''),
  paperWidth: settingsFields.paperWidth.default(80),
  autoPrint: settingsFields.autoPrint.default(true),
});
export type TillSettingsValues = z.output<typeof tillSettingsSchema>;

/**
 * What a manager may send: any field, the client key (write-only), and consent to leave demo mode.
 * Built from the bare fields: a `.partial()` of the schema above would fill absent fields with
 * their defaults and silently undo the manager's other settings.
 */
export const settingsUpdateSchema = z
  .object(settingsFields)
  .partial()
  .extend({
    clientKey: z.string().optional(),
    /** Write-only like the client key: '' removes it. */
    headOfficePassword: z.string().optional(),
    confirmLeaveDemo: z.boolean().optional(),
  })
  .strict();
export type SettingsUpdate = z.input<typeof settingsUpdateSchema>;

export type SettingsFieldError =
  | 'custom_url_invalid'
  | 'custom_url_insecure'
  | 'app_code_invalid'
  | 'client_key_invalid'
  | 'client_key_required'
  | 'mchid_invalid'
  | 'till_id_invalid'
  | 'shop_name_invalid'
  | 'qr_lifetime_out_of_range'
  | 'poll_interval_out_of_range'
  | 'head_office_url_invalid'
  | 'head_office_password_in_url'
  | 'head_office_password_invalid'
  | 'head_office_tls_required'
  | 'merchant_tills_out_of_range'
  | 'printer_invalid'
  | 'confirm_leave_demo';

export interface SettingsProblem {
  readonly field: keyof SettingsUpdate;
  readonly error: SettingsFieldError;
}

/**
 * Checks the settings that would result from an update; returns every problem, each naming its
 * field, so the screen can mark them all at once. Nothing is saved unless this returns none.
 */
export function settingsProblems(next: TillSettingsValues, update: SettingsUpdate, clientKeyWillBeSet: boolean, current: TillSettingsValues): SettingsProblem[] {
  const problems: SettingsProblem[] = [];
  if (next.environment === 'custom') {
    const parsed = parseGatewayUrl(next.customUrl);
    if (!parsed.ok) problems.push({ field: 'customUrl', error: parsed.error === 'gateway_url_insecure' ? 'custom_url_insecure' : 'custom_url_invalid' });
  }
  if (next.environment !== 'demo') {
    if (!CREDENTIAL.test(next.appCode)) problems.push({ field: 'appCode', error: 'app_code_invalid' });
    if (!clientKeyWillBeSet) problems.push({ field: 'clientKey', error: 'client_key_required' });
    if (next.mchid !== '' && !CREDENTIAL.test(next.mchid)) problems.push({ field: 'mchid', error: 'mchid_invalid' });
  }
  if (update.clientKey !== undefined && update.clientKey !== '' && !CREDENTIAL.test(update.clientKey)) problems.push({ field: 'clientKey', error: 'client_key_invalid' });
  if (!TILL_ID_PATTERN.test(next.tillId)) problems.push({ field: 'tillId', error: 'till_id_invalid' });
  if (next.shopName.trim().length < 1 || next.shopName.length > 60) problems.push({ field: 'shopName', error: 'shop_name_invalid' });
  if (!Number.isInteger(next.qrLifetimeMinutes) || next.qrLifetimeMinutes < 5 || next.qrLifetimeMinutes > 120) {
    problems.push({ field: 'qrLifetimeMinutes', error: 'qr_lifetime_out_of_range' });
  }
  if (!Number.isInteger(next.pollIntervalMs) || next.pollIntervalMs < 2000 || next.pollIntervalMs > 10000) {
    problems.push({ field: 'pollIntervalMs', error: 'poll_interval_out_of_range' });
  }
  const office = headOfficeUrlProblem(next.headOfficeUrl);
  if (office) problems.push({ field: 'headOfficeUrl', error: office });
  if (update.headOfficePassword !== undefined && (update.headOfficePassword.length > 200 || [...update.headOfficePassword].some((character) => character.charCodeAt(0) < 32))) {
    problems.push({ field: 'headOfficePassword', error: 'head_office_password_invalid' });
  }
  if (!Number.isInteger(next.merchantTills) || next.merchantTills < 1 || next.merchantTills > 60) {
    problems.push({ field: 'merchantTills', error: 'merchant_tills_out_of_range' });
  }
  if (next.printer !== '' && !parsePrinterTarget(next.printer)) problems.push({ field: 'printer', error: 'printer_invalid' });
  // Leaving training for real money is a deliberate act.
  if (current.environment === 'demo' && next.environment !== 'demo' && update.confirmLeaveDemo !== true) {
    problems.push({ field: 'confirmLeaveDemo', error: 'confirm_leave_demo' });
  }
  return problems;
}

/** A refused field in words, in both languages: the catalogues' settingsErrors. */
const SETTINGS_WORDS = { en: wordsFor<SettingsFieldError>()(catalogues.en.settingsErrors), 'zh-HK': wordsFor<SettingsFieldError>()(catalogues['zh-HK'].settingsErrors) };
export const SETTINGS_MESSAGES: Readonly<Record<SettingsFieldError, { en: string; 'zh-HK': string }>> = Object.fromEntries(
  (Object.keys(SETTINGS_WORDS.en) as SettingsFieldError[]).map((error) => [error, { en: SETTINGS_WORDS.en[error], 'zh-HK': SETTINGS_WORDS['zh-HK'][error] }]),
) as Record<SettingsFieldError, { en: string; 'zh-HK': string }>;

/**
 * Whether a head office address can be used: '' (none), or postgres://user@host[:port]/database.
 * The password is refused here, so that it is never saved in the settings file in plain text.
 */
export function headOfficeUrlProblem(value: string): 'head_office_url_invalid' | 'head_office_password_in_url' | 'head_office_tls_required' | undefined {
  if (value === '') return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'head_office_url_invalid';
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') return 'head_office_url_invalid';
  if (!url.hostname || url.pathname.length < 2 || !url.username) return 'head_office_url_invalid';
  if (url.password) return 'head_office_password_in_url';
  return headOfficeTlsProblem(url);
}

/** libpq's sslmode values this app accepts; `require` is verified as `verify-full`, as node-postgres does. */
const SSL_MODES: readonly string[] = ['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full'];
/** The modes that may send the books, and the password, in clear: only over this computer's loopback. */
const CLEAR_MODES: readonly string[] = ['disable', 'allow', 'prefer'];

/**
 * The query parameters a head office address may carry: its TLS settings, nothing else. pg reads
 * others its own way (`host=` would replace the host that was checked for loopback, `password=`
 * would keep a password in the settings file), so they are refused rather than passed on.
 */
export const HEAD_OFFICE_PARAMETERS: readonly string[] = ['sslmode', 'sslrootcert', 'sslcert', 'sslkey'];

/** The first query parameter of an address that is not one of HEAD_OFFICE_PARAMETERS (or is given twice). */
export function unexpectedHeadOfficeParameter(url: URL): string | undefined {
  const seen = new Set<string>();
  for (const name of url.searchParams.keys()) {
    if (!HEAD_OFFICE_PARAMETERS.includes(name) || seen.has(name)) return name;
    seen.add(name);
  }
  return undefined;
}

/**
 * The link's encryption as the URL asks for it: off on loopback unless asked, verify-full over the
 * network unless asked for verify-ca. Clear text over the network is refused, whatever is asked.
 */
export function headOfficeSslMode(url: URL): { mode: 'off' | 'verify-full' | 'verify-ca' } | { problem: 'head_office_tls_required' | 'head_office_url_invalid' } {
  if (unexpectedHeadOfficeParameter(url) !== undefined) return { problem: 'head_office_url_invalid' };
  const asked = url.searchParams.get('sslmode');
  if (asked !== null && !SSL_MODES.includes(asked)) return { problem: 'head_office_url_invalid' };
  const local = isLoopback(url.hostname);
  if (asked !== null && CLEAR_MODES.includes(asked)) return local ? { mode: 'off' } : { problem: 'head_office_tls_required' };
  if (asked === 'verify-ca') return { mode: 'verify-ca' };
  if (asked === null && local) return { mode: 'off' };
  return { mode: 'verify-full' };
}

function headOfficeTlsProblem(url: URL): 'head_office_tls_required' | 'head_office_url_invalid' | undefined {
  const ssl = headOfficeSslMode(url);
  return 'problem' in ssl ? ssl.problem : undefined;
}
