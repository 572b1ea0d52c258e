import { parseArgs } from 'node:util';
import { hongKongDay, isValidDay } from '../../shared/hkTime';
import { amountMessage } from '../../shared/i18n/amountMessages';
import { parseAmount } from '../../shared/money';
import type { TillConfig } from '../services/config/config';
import { createLedgerStore, type OrderRecord } from '../services/ledger/ledgerStore';
import { openTillLedger, openTillRuntime, type TillRuntime } from '../services/runtime/runtime';
import type { SettingsService } from '../services/settings/settingsService';
import type { TillError } from '../../shared/errors';
import { EXIT } from './exitCodes';
import { catalogues, words } from '../../shared/i18n/words';

/** What every CLI command is made of: its parsing, its outcome and exit code, and the till it opens. */

/** The CLI's sentences, in English: the catalogue's cli section (shared/i18n/catalogue/). */
export const say = words('en');
export const { usage, says } = catalogues.en.cli;

export class UsageError extends Error {
  constructor(
    readonly argument: string,
    message: string,
  ) {
    super(message);
  }
}

export interface Outcome {
  readonly exitCode: number;
  readonly lines: readonly string[];
  readonly json: Readonly<Record<string, unknown>>;
}

export const done = (exitCode: number, lines: string[], json: Record<string, unknown>): Outcome => ({ exitCode, lines, json: { ok: exitCode === EXIT.ok, ...json } });

export type Options = Record<string, string | boolean | undefined>;

export function parse(args: string[], options: Record<string, { type: 'string' | 'boolean' }>, positionals: number): { values: Options; positionals: string[] } {
  try {
    const parsed = parseArgs({ args, options: { ...options, json: { type: 'boolean' }, db: { type: 'string' } }, allowPositionals: true, strict: true });
    if (parsed.positionals.length !== positionals) {
      throw new UsageError(positionals === 1 ? 'OUT_TRADE_NO' : parsed.positionals[0] ?? '', positionals === 1 ? usage.oneNumber : say('cli.usage.unexpectedArgument', { argument: parsed.positionals[0] }));
    }
    return parsed as { values: Options; positionals: string[] };
  } catch (error) {
    if (error instanceof UsageError) throw error;
    const message = error instanceof Error ? error.message.split('\n')[0] ?? '' : String(error);
    throw new UsageError(/'(--?[\w-]+)'/.exec(message)?.[1] ?? 'arguments', message);
  }
}

export function amountOption(text: string | boolean | undefined, argument: string): number | undefined {
  if (text === undefined) return undefined;
  const parsed = parseAmount(String(text));
  if (!parsed.ok) throw new UsageError(argument, amountMessage(parsed.error, 'en'));
  return parsed.value;
}

export function dayOption(text: string | boolean | undefined, required: boolean): string {
  if (text === undefined) {
    if (required) throw new UsageError('--date', usage.dayNeeded);
    return hongKongDay(Date.now());
  }
  if (!isValidDay(String(text))) throw new UsageError('--date', say('cli.usage.notADay', { text: String(text) }));
  return String(text);
}

/** Till errors to exit codes, naming the argument where the cashier can fix it. */
export function tillFailure(error: TillError): Outcome {
  const argument: Partial<Record<TillError['code'], string>> = {
    amount_invalid: '--amount',
    refund_amount_invalid: '--amount',
    refund_exceeds_refundable: '--amount',
    qr_lifetime_out_of_range: '--expires',
    option_not_supported: '--alipay-region',
    wallet_unknown: '--wallet',
    auth_code_invalid: '--auth-code',
    auth_code_wallet_unknown: '--wallet',
    auth_code_wallet_mismatch: '--wallet',
    customer_code_not_supported: '--wallet',
  };
  const exitCode = error.code === 'order_not_found' ? EXIT.notFound : argument[error.code] && error.code !== 'refund_exceeds_refundable' ? EXIT.usage : EXIT.refused;
  const named = argument[error.code];
  return done(exitCode, [`error: ${named ? `${named}: ` : ''}${error.message}`], { error: { code: error.code, argument: named, message: error.message, details: error.details } });
}

export function stateExit(order: OrderRecord): number {
  if (order.state === 'paid' || order.state === 'waiting') return EXIT.ok;
  if (order.state === 'unknown' || order.state === 'created') return EXIT.unknown;
  return EXIT.refused;
}

/** What every command gets: the till's configuration and its settings (which remember its ledger). */
/** What a command may ask of the person at the terminal: a secret, never echoed (a PIN, a customer's code). */
export interface CliIo {
  readSecret(prompt: string): Promise<string | undefined>;
}

export interface CliContext {
  readonly config: TillConfig;
  readonly settings: SettingsService;
  readonly env: NodeJS.ProcessEnv;
  readonly io: CliIo;
}

export async function withRuntime({ config, settings }: Pick<CliContext, 'config' | 'settings'>, work: (runtime: TillRuntime) => Promise<Outcome>): Promise<Outcome> {
  const runtime = await openTillRuntime(config, { settings });
  try {
    return await work(runtime);
  } finally {
    await runtime.close();
  }
}

export function withLedger<T>({ config, settings }: Pick<CliContext, 'config' | 'settings'>, work: (store: ReturnType<typeof createLedgerStore>) => T): T {
  const db = openTillLedger(config.dbPath, settings);
  try {
    return work(createLedgerStore(db));
  } finally {
    db.close();
  }
}

/** As withLedger, for work that waits (a printer): the ledger stays open until it is done. */
export async function withLedgerWhile<T>({ config, settings }: Pick<CliContext, 'config' | 'settings'>, work: (store: ReturnType<typeof createLedgerStore>) => Promise<T>): Promise<T> {
  const db = openTillLedger(config.dbPath, settings);
  try {
    return await work(createLedgerStore(db));
  } finally {
    db.close();
  }
}

/** Progress while a command waits; JSON output stays one document at the end. */
export function print(line: string, json: boolean) {
  if (!json) console.log(line);
}
