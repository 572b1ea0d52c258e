import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { TRAINING_ENVIRONMENTS } from '../../../shared/ledger/reportTypes';
import type { TillConfig } from '../config/config';
import type { GatewayClient } from '../gateway/client';
import { checkConnection, CONNECTION_WORDS } from '../gateway/connectionCheck';
import { hasIdentity, ledgerIdOf, openLedgerDatabase, peekLedger } from '../ledger/database';
import { holdsOrders, holdsRealMoney, realMoneyMerchants } from '../ledger/queries/ownership';
import { ledgerManagerPin } from '../ledger/ledgerPin';
import { PIN_ENTRY_PATTERN } from '../../../shared/settings/managerPinRules';
import { pinMatches, type PinHash } from '../settings/managerPin';
import { adoptLedgerSettings, resetSettings } from '../settings/settingsService';

/**
 * A till proves which books it keeps: its settings name the ledger's identity (made once, inside
 * the ledger). A ledger that holds orders is used only where the settings name it, whatever the
 * configuration's source: QFPOS_* variables configure the gateway, they do not vouch for a file.
 * Otherwise a copied folder with another till's ledger dropped in (and settings.json deleted, or
 * replaced by a bare training one) would take real money into another till's books.
 *
 * A settings file naming another ledger is refused when the ledger opens (database.ts, 'replaced').
 * A new or empty ledger is this till's own: the first start names it.
 */
export interface IdentityWitness {
  /** The ledger the settings name; undefined when they name none (or there is no settings file). */
  ledgerId(): string | undefined;
  /** The manager PIN's hash (salted): the same hash in the ledger proves the two belong together. */
  pinHash(): PinHash | undefined;
  existed(): boolean;
  readonly path: string;
}

/** What a till must know of a ledger file before it may use it, read once without changing it. */
interface LedgerOnDisk {
  /** Undefined for a ledger from before identities (schema 1). */
  readonly id: string | undefined;
  readonly hasOrders: boolean;
  readonly realMoney: boolean;
  readonly pin: PinHash | undefined;
}

/** The ledger at dbPath; undefined if there is none, or it cannot be read (refused when it opens, in its own words). */
function readLedgerOnDisk(dbPath: string): LedgerOnDisk | undefined {
  if (!existsSync(dbPath)) return undefined;
  return peekLedger(dbPath, (db) => {
    const identified = hasIdentity(db);
    return {
      id: identified ? ledgerIdOf(db) : undefined,
      hasOrders: holdsOrders(db),
      realMoney: holdsRealMoney(db),
      pin: identified ? ledgerManagerPin(db) : undefined,
    };
  });
}

export function ledgerIdentityRefusal(settings: IdentityWitness, dbPath: string, configuredEnvironment: string | undefined): string | undefined {
  if (settings.ledgerId() !== undefined) return undefined;
  const ledger = readLedgerOnDisk(dbPath);
  if (!ledger?.hasOrders) return undefined;
  const realConfiguration = configuredEnvironment !== undefined && !TRAINING_ENVIRONMENTS.includes(configuredEnvironment);
  if (!ledger.realMoney && !realConfiguration) return undefined;
  // Settings from before the ledger was first named (settings.json.bak, restored) still hold the
  // PIN set while this ledger was in use: its salted hash, copied into the ledger, is the proof.
  if (samePinHash(settings.pinHash(), ledger.pin)) return undefined;
  const why = settings.existed() ? `${settings.path} does not name it` : `${settings.path} is missing`;
  return (
    `${dbPath} is ${ledger.id ? `ledger ${ledger.id.slice(0, 8)}` : 'a ledger from an older version'} and holds ${ledger.realMoney ? 'real-money orders' : 'orders'}, but ${why}, so this till will not use it: it may be another till's books. ` +
    'Restore the settings with `npm run cli -- settings restore` (from settings.json.bak), or adopt this ledger: `npm run cli -- settings adopt` (with its manager PIN, or `--with-key` with its merchant\'s QFPay key).'
  );
}

const samePinHash = (a: PinHash | undefined, b: PinHash | undefined): boolean => a !== undefined && b !== undefined && a.salt === b.salt && a.hash === b.hash;

/** Why a ledger could not be bound to this till's settings, in words with the way forward. */
export class AdoptionRefused extends Error {
  constructor(
    readonly reason: 'no_ledger' | 'no_pin_recorded' | 'pin_wrong' | 'pin_needed' | 'key_needed' | 'merchant_unknown' | 'other_merchant' | 'key_not_proved',
    message: string,
  ) {
    super(message);
    this.name = 'AdoptionRefused';
  }
}

type LedgerForAdoption = LedgerOnDisk & { readonly id: string };

const noLedger = (dbPath: string) => new AdoptionRefused('no_ledger', `there is no ledger at ${dbPath} that this version can read: restore one first (\`npm run cli -- restore BACKUP_FILE\`)`);

function readForAdoption(dbPath: string): LedgerForAdoption {
  const ledger = readLedgerOnDisk(dbPath);
  if (ledger?.id === undefined) throw noLedger(dbPath);
  return ledger as LedgerForAdoption;
}

async function provePin(ledger: LedgerForAdoption, pin: string | undefined): Promise<PinHash> {
  if (!ledger.pin) {
    throw new AdoptionRefused(
      'no_pin_recorded',
      `ledger ${ledger.id.slice(0, 8)} keeps no manager PIN (none was set while it was in use with this version), so it cannot be adopted with one. Adopt it with its merchant's QFPay key instead: set QFPOS_GATEWAY, QFPOS_APP_CODE and QFPOS_CLIENT_KEY and run \`npm run cli -- settings adopt --with-key\`, or restore this till's settings.json from a copy`,
    );
  }
  if (pin === undefined || pin === '') throw new AdoptionRefused('pin_needed', `give the manager PIN of ledger ${ledger.id.slice(0, 8)}${ledger.realMoney ? ', which holds real money' : ''} (typed at the prompt, never as an argument)`);
  // The same slow hash as an unlock; a copied file can be attacked offline anyway, so no lockout here.
  // A PIN from before the six-digit rule is still the ledger's PIN (4 to 8 digits).
  if (!PIN_ENTRY_PATTERN.test(pin) || !(await pinMatches(pin, ledger.pin))) throw new AdoptionRefused('pin_wrong', `that is not the manager PIN of ledger ${ledger.id.slice(0, 8)}: nothing was changed`);
  return ledger.pin;
}

/**
 * `settings adopt`: this till's settings name the ledger at dbPath from now on, proved by that
 * ledger's manager PIN (which becomes the settings' PIN). Every other setting is kept.
 */
export async function adoptLedger(dbPath: string, pin: string): Promise<{ ledgerId: string; previousLedgerId: string | undefined }> {
  const ledger = readForAdoption(dbPath);
  const hash = await provePin(ledger, pin);
  const { previousLedgerId } = adoptLedgerSettings(dirname(dbPath), ledger.id, hash);
  return { ledgerId: ledger.id, previousLedgerId };
}

/** Whether `settings reset` must ask for the ledger's manager PIN (the ledger holds real money). */
export const resetNeedsPin = (dbPath: string): boolean => readLedgerOnDisk(dbPath)?.realMoney ?? false;

/**
 * `settings reset --confirm`: training mode, no key; it keeps the ledger beside it. A ledger of
 * real money is kept only with its manager PIN: otherwise a reset would be a way round adoption.
 */
export async function resetTill(dbPath: string, pin: string | undefined): Promise<{ ledgerId: string | undefined; pinKept: boolean }> {
  if (!existsSync(dbPath)) {
    resetSettings(dirname(dbPath), undefined);
    return { ledgerId: undefined, pinKept: false };
  }
  const ledger = readForAdoption(dbPath);
  const hash = ledger.realMoney ? await provePin(ledger, pin) : undefined;
  resetSettings(dirname(dbPath), ledger.id, hash);
  return { ledgerId: ledger.id, pinKept: hash !== undefined };
}

/**
 * `settings adopt --with-key`: for a ledger that keeps no PIN (an older version's, or a till
 * configured only by QFPOS_* variables before), proof by the merchant's QFPay key instead. The
 * ledger's real-money orders must all name this app code and gateway, and QFPay must accept a
 * query signed with the key (and sign its answer with it). Whoever holds the merchant's key
 * already holds its money; the ledger's PIN, if any, comes with it, otherwise the manager sets one.
 */
export async function adoptLedgerWithKey(dbPath: string, config: TillConfig, gateway: GatewayClient | undefined, now: number): Promise<{ ledgerId: string; previousLedgerId: string | undefined; pinKept: boolean }> {
  if (!config.credentials || !config.baseUrl || !gateway) {
    throw new AdoptionRefused('key_needed', "give the merchant's QFPay key: set QFPOS_GATEWAY, QFPOS_APP_CODE and QFPOS_CLIENT_KEY for the merchant whose orders this ledger holds");
  }
  const merchants = existsSync(dbPath) ? peekLedger(dbPath, realMoneyMerchants) : undefined;
  if (!merchants) throw noLedger(dbPath);
  const named = merchants.filter((merchant) => merchant.app_code !== null);
  if (named.length === 0) {
    throw new AdoptionRefused('merchant_unknown', "this ledger's real-money orders do not say which merchant made them (written by an older version), so no key can prove it: restore this till's settings.json from a copy");
  }
  if (named.some((merchant) => merchant.app_code !== config.credentials?.appCode || (merchant.gateway_url !== null && merchant.gateway_url !== config.baseUrl))) {
    throw new AdoptionRefused('other_merchant', "this ledger's real-money orders were made by another app code or on another gateway than the one given: nothing was changed");
  }
  const checked = await checkConnection(gateway, now);
  if (checked.verdict !== 'ok') throw new AdoptionRefused('key_not_proved', `QFPay did not accept a query signed with the key given (${CONNECTION_WORDS[checked.verdict].en}): nothing was changed`);
  // Opened as this version opens it (an older ledger gets its identity now), and bound.
  const db = openLedgerDatabase(dbPath);
  let ledgerId: string;
  let pin: PinHash | undefined;
  try {
    ledgerId = ledgerIdOf(db);
    pin = ledgerManagerPin(db);
  } finally {
    db.close();
  }
  const { previousLedgerId } = adoptLedgerSettings(dirname(dbPath), ledgerId, pin);
  return { ledgerId, previousLedgerId, pinKept: pin !== undefined };
}
