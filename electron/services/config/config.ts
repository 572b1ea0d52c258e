import { homedir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { parseGatewayUrl, QFPAY_HOSTS, type GatewayEnvironment } from '../../../shared/qfpay/environments';
import { TILL_ID_PATTERN } from '../../../shared/qfpay/fields';
import type { SignType } from '../../../shared/qfpay/signing';
import { err, ok, type Result } from '../../../shared/result';
import { DEFAULT_TILL_SETTINGS, POLL_INTERVAL_MAX_MS, POLL_INTERVAL_MIN_MS } from './tillSettings';

/**
 * The till's configuration from the environment (the CLI; the app's settings screen writes the
 * same values). With nothing set it runs in demo mode on the embedded simulator. Credentials
 * without a gateway are refused rather than guessed: sending real keys to the wrong place, or
 * training orders to production, are both worse than an error.
 */

export interface TillConfig {
  readonly environment: GatewayEnvironment;
  /** Absent in demo mode: the embedded simulator picks its own port. */
  readonly baseUrl?: string;
  readonly credentials?: { readonly appCode: string; readonly clientKey: string; readonly mchid?: string; readonly signType: SignType };
  readonly tillId: string;
  readonly dbPath: string;
  readonly pollIntervalMs: number;
  readonly callBudgetPerMinute: number;
}

export interface ConfigError {
  /** The variable or argument at fault, named in the message. */
  readonly variable: string;
  readonly message: string;
}

/** Where Electron keeps this app's data (`app.getPath('userData')`), so the CLI and the app share one ledger. */
export function userDataDir(platform: NodeJS.Platform = process.platform, env: NodeJS.ProcessEnv = process.env): string {
  const name = 'qfpay-counter-pos';
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), name);
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', name);
  return join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), name);
}

const credential = (variable: string) =>
  z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9_-]{1,64}$/, `${variable} must be 1-64 letters, digits, _ or -`);

export function resolveConfig(env: NodeJS.ProcessEnv, overrides: { db?: string } = {}): Result<TillConfig, ConfigError> {
  const value = (name: string) => {
    const text = env[name]?.trim();
    return text === '' ? undefined : text;
  };
  const gateway = value('QFPOS_GATEWAY') ?? 'demo';
  const tillId = value('QFPOS_TILL') ?? 'till-1';
  if (!TILL_ID_PATTERN.test(tillId)) return err({ variable: 'QFPOS_TILL', message: 'QFPOS_TILL must be 1-40 letters, digits, _ or -' });
  const dbPath = overrides.db ?? value('QFPOS_DB') ?? join(userDataDir(), 'till.sqlite');

  const pollText = value('QFPOS_POLL_INTERVAL_MS');
  const pollIntervalMs = pollText === undefined ? DEFAULT_TILL_SETTINGS.pollIntervalMs : Number(pollText);
  if (!Number.isInteger(pollIntervalMs) || pollIntervalMs < POLL_INTERVAL_MIN_MS || pollIntervalMs > POLL_INTERVAL_MAX_MS) {
    return err({ variable: 'QFPOS_POLL_INTERVAL_MS', message: `QFPOS_POLL_INTERVAL_MS must be ${POLL_INTERVAL_MIN_MS}-${POLL_INTERVAL_MAX_MS} (milliseconds)` });
  }

  // It once set how long an empty answer was doubted; an empty answer now never ends an order.
  if (value('QFPOS_NOT_FOUND_GRACE_MS') !== undefined) {
    return err({ variable: 'QFPOS_NOT_FOUND_GRACE_MS', message: 'QFPOS_NOT_FOUND_GRACE_MS is no longer used (an empty answer from QFPay never ends an order): remove it' });
  }

  // The merchant's 400 calls a minute are shared by all its tills: each keeps to its own share.
  const budgetText = value('QFPOS_CALL_BUDGET');
  const callBudgetPerMinute = budgetText === undefined ? DEFAULT_TILL_SETTINGS.callBudgetPerMinute : Number(budgetText);
  if (!Number.isInteger(callBudgetPerMinute) || callBudgetPerMinute < 6 || callBudgetPerMinute > 400) {
    return err({ variable: 'QFPOS_CALL_BUDGET', message: 'QFPOS_CALL_BUDGET must be 6-400 (gateway calls a minute for this till)' });
  }

  const appCode = value('QFPOS_APP_CODE');
  const clientKey = value('QFPOS_CLIENT_KEY');
  if (gateway === 'demo') {
    if (appCode || clientKey) {
      return err({ variable: 'QFPOS_GATEWAY', message: 'QFPOS_APP_CODE/QFPOS_CLIENT_KEY are set but QFPOS_GATEWAY is not: set it to sandbox, test, production or an HTTPS URL' });
    }
    return ok({ environment: 'demo', tillId, dbPath, pollIntervalMs, callBudgetPerMinute });
  }

  let environment: GatewayEnvironment;
  let baseUrl: string;
  if (gateway === 'sandbox' || gateway === 'test' || gateway === 'production') {
    environment = gateway;
    baseUrl = QFPAY_HOSTS[gateway];
  } else {
    const parsed = parseGatewayUrl(gateway);
    if (!parsed.ok) {
      const why = parsed.error === 'gateway_url_insecure' ? 'must use HTTPS (plain HTTP only on this machine)' : 'is not demo, sandbox, test, production or a URL';
      return err({ variable: 'QFPOS_GATEWAY', message: `QFPOS_GATEWAY ${why}` });
    }
    environment = 'custom';
    baseUrl = parsed.value;
  }
  if (!appCode) return err({ variable: 'QFPOS_APP_CODE', message: `QFPOS_APP_CODE is required for the ${environment} gateway` });
  if (!clientKey) return err({ variable: 'QFPOS_CLIENT_KEY', message: `QFPOS_CLIENT_KEY is required for the ${environment} gateway` });
  for (const [variable, text] of [['QFPOS_APP_CODE', appCode], ['QFPOS_CLIENT_KEY', clientKey], ['QFPOS_MCHID', value('QFPOS_MCHID')]] as const) {
    // Never echo the value: it may be the key.
    if (text !== undefined && !credential(variable).safeParse(text).success) return err({ variable, message: `${variable} must be 1-64 letters, digits, _ or -` });
  }
  const signType = (value('QFPOS_SIGN_TYPE') ?? 'SHA256').toUpperCase();
  if (signType !== 'SHA256' && signType !== 'MD5') return err({ variable: 'QFPOS_SIGN_TYPE', message: 'QFPOS_SIGN_TYPE must be SHA256 or MD5' });
  return ok({
    environment,
    baseUrl,
    credentials: { appCode, clientKey, mchid: value('QFPOS_MCHID'), signType },
    tillId,
    dbPath,
    pollIntervalMs,
    callBudgetPerMinute,
  });
}
