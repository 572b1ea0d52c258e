import { copyFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { parseGatewayUrl, QFPAY_HOSTS } from '../../../shared/qfpay/environments';
import { err, ok, type Result } from '../../../shared/result';
import { headOfficeUrlProblem, settingsProblems, settingsUpdateSchema, tillSettingsSchema, type SettingsProblem, type SettingsUpdate, type TillSettingsValues } from '../../../shared/settings/tillSettings';
import type { TillConfig } from '../config/config';
import { localCallShare } from '../../../shared/qfpay/callLimit';
import { writeFileAtomic } from '../files/atomicFile';
import { NEW_PIN_MIN_DIGITS, NEW_PIN_PATTERN } from '../../../shared/settings/managerPinRules';
import { hashAnyPin, hashPin, needsRehash, PIN_COST, pinHashSchema, type PinCost, type PinHash } from './managerPin';
import { NO_STREAK, pinGuardSchema, type PinGuardState } from './pinGuard';
import { userOnlyFileSecretStore, type SecretStore } from './secretStore';

/**
 * The app's settings, kept in `settings.json` beside the ledger (no secrets in it), with the
 * client key in its own store and the manager PIN as a hash. It turns them into the till's
 * configuration; a change is validated as a whole and saved atomically (fsync'd, folder too),
 * or not at all. The version before each save is kept as `settings.json.bak`.
 *
 * A settings file that is there but cannot be read is refused, never replaced by defaults:
 * defaults mean training mode and no manager PIN, which on a real till is the worst guess.
 */

const fileSchema = tillSettingsSchema.extend({
  /**
   * `mustChange`: this PIN unlocked with fewer digits than a new PIN needs (set before the rule
   * was six digits); the manager must set a new one before anything else. It goes with the hash,
   * so setting a new PIN clears it.
   */
  managerPin: pinHashSchema.extend({ mustChange: z.literal(true).optional() }).optional(),
  /** The ledger this till keeps: an empty or replaced ledger where this one is expected is refused. */
  ledgerId: z.string().regex(/^[0-9a-f]{32}$/).optional(),
  /** Wrong PIN tries and locks survive a restart, or restarting would reset the lockout (./pinGuard.ts). */
  pinGuard: pinGuardSchema.default(NO_STREAK),
});
type SettingsFile = z.output<typeof fileSchema>;

export class SettingsUnreadable extends Error {
  constructor(
    readonly path: string,
    why: string,
  ) {
    super(
      `${path} is damaged (${why}), so the till will not start on guessed settings. Restore the previous version with \`npm run cli -- settings restore\` (from settings.json.bak), or set the till up again with \`npm run cli -- settings reset --confirm\`.`,
    );
    this.name = 'SettingsUnreadable';
  }
}

export const SETTINGS_FILE = 'settings.json';

/** Reads a settings file, or says in a few words why it cannot be used. */
function readSettingsFile(path: string): { ok: true; value: SettingsFile } | { ok: false; why: string } {
  const text = readFileSync(path, 'utf8');
  if (text.trim() === '') return { ok: false, why: 'it is empty' };
  const json = safeJson(text);
  if (json === undefined) return { ok: false, why: 'it is not complete JSON' };
  const parsed = fileSchema.safeParse(json);
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, why: `it does not hold valid settings (${parsed.error.issues[0]?.path.join('.') || 'root'})` };
}

/** What the manager's screen may see: everything but the key, and whether a key and a PIN are set. */
export type SettingsView = TillSettingsValues & { clientKeySet: boolean; pinSet: boolean; keyProtection: SecretStore['protection']; headOfficePasswordSet: boolean };

/** The secrets a till keeps apart from its settings, each in its own file (encrypted in the desktop app). */
export type SecretName = 'client-key' | 'head-office-password';

export interface SettingsOptions {
  /** The scrypt cost of new PIN hashes. Only tests pass a cheaper one; the app never sets it. */
  readonly pinCost?: PinCost;
}

export function openSettingsService(
  folder: string,
  secrets: SecretStore,
  officePassword: SecretStore = userOnlyFileSecretStore(join(folder, 'head-office-password')),
  options: SettingsOptions = {},
) {
  const pinCost = options.pinCost ?? PIN_COST;
  const path = join(folder, SETTINGS_FILE);
  const existed = existsSync(path);
  let current: SettingsFile = fileSchema.parse({});
  if (existed) {
    const read = readSettingsFile(path);
    if (!read.ok) throw new SettingsUnreadable(path, read.why);
    current = read.value;
  }

  const pinListeners = new Set<(hash: PinHash) => void>();
  const announcePin = (hash: PinHash) => pinListeners.forEach((listener) => listener(hash));

  function persist(next: SettingsFile): void {
    if (existsSync(path)) copyFileSync(path, `${path}.bak`);
    writeFileAtomic(path, JSON.stringify(next, null, 2));
    current = next;
  }

  const view = (): SettingsView => {
    const { managerPin, ledgerId: _ledger, pinGuard: _guard, ...values } = current;
    return { ...values, clientKeySet: secrets.read() !== undefined, pinSet: managerPin !== undefined, keyProtection: secrets.protection, headOfficePasswordSet: officePassword.read() !== undefined };
  };

  return {
    path,
    /** Whether settings.json was there when the till started (a missing one is not the same as defaults). */
    existed: () => existed,
    view,
    ledgerId: (): string | undefined => current.ledgerId,
    /**
     * Remembers the ledger this till keeps, the first time it opens one. A settings file that was
     * missing beside a ledger of real money is not made up from defaults here: that would turn a
     * refusal ("settings missing") into a till that starts in training mode without its PIN.
     */
    rememberLedger(id: string, ledgerHoldsRealMoney: boolean, ledgerPin?: PinHash): void {
      if (current.ledgerId === id) return;
      // A ledger that keeps a PIN brings it: settings made again beside it never drop its manager's PIN.
      const next = { ...current, ledgerId: id, ...(ledgerPin && !current.managerPin ? { managerPin: ledgerPin } : {}) };
      if (!existed && !existsSync(path) && ledgerHoldsRealMoney) {
        current = next;
        return;
      }
      persist(next);
    },
    pinGuardState: (): PinGuardState => current.pinGuard,
    savePinGuardState(state: PinGuardState): void {
      persist({ ...current, pinGuard: state });
    },
    /** The settings alone, without asking the secret stores (a file read or an OS decryption each): for hot paths. */
    values: (): TillSettingsValues => {
      const { managerPin: _pin, ledgerId: _ledger, pinGuard: _guard, ...values } = current;
      return values;
    },
    pinHash: (): PinHash | undefined => current.managerPin,
    /** Whether the PIN must be changed before any other manager command. */
    pinChangeRequired: (): boolean => current.managerPin?.mustChange === true,
    /**
     * After a right PIN: an older hash is made again with the till's cost, and a PIN shorter than
     * a new one may be is marked to be changed. Says whether it must be changed.
     */
    async pinUnlocked(pin: string): Promise<boolean> {
      const stored = current.managerPin;
      if (!stored) return false;
      const mustChange = pin.length < NEW_PIN_MIN_DIGITS;
      const rehash = needsRehash(stored, pinCost);
      if (!rehash && (stored.mustChange === true) === mustChange) return mustChange;
      const hash = rehash ? await hashAnyPin(pin, pinCost) : stored;
      // Not if the PIN was changed while this one was being hashed.
      if (current.managerPin?.hash !== stored.hash) return false;
      const { mustChange: _was, ...kept } = hash as typeof stored;
      persist({ ...current, managerPin: mustChange ? { ...kept, mustChange: true } : kept });
      // A new hash of the same PIN: the ledger's copy follows, or it would no longer vouch for these settings.
      if (rehash) announcePin(kept);
      return mustChange;
    },

    /** Validates and saves a change; the key is written only after everything else passed. */
    update(input: unknown): Result<SettingsView, SettingsProblem[] | 'invalid_request'> {
      const change = candidate(input);
      if (!change.ok) return change;
      const { next, clientKey, headOfficePassword } = change.value;
      persist(next);
      if (clientKey === '') secrets.clear();
      else if (clientKey !== undefined) secrets.write(clientKey);
      if (headOfficePassword === '') officePassword.clear();
      else if (headOfficePassword !== undefined) officePassword.write(headOfficePassword);
      return ok(view());
    },

    /** Which of these fields would change what is saved (a form sends every field, changed or not). */
    changedFields(input: unknown): string[] {
      const parsed = settingsUpdateSchema.safeParse(input);
      if (!parsed.success) return [];
      return Object.entries(parsed.data).filter(([name, value]) => {
        if (name === 'confirmLeaveDemo') return false;
        if (name === 'clientKey') return value !== undefined && value !== '' ? value !== secrets.read() : value === '';
        if (name === 'headOfficePassword') return value !== undefined && value !== '' ? value !== officePassword.read() : value === '' && officePassword.read() !== undefined;
        return value !== undefined && value !== current[name as keyof SettingsFile];
      }).map(([name]) => name);
    },

    /**
     * The till's configuration as these unsaved form values would make it, for "Test connection":
     * the form is tested, not the saved settings, and nothing is saved.
     */
    configFor(input: unknown, dbPath: string): Result<TillConfig, SettingsProblem[] | 'invalid_request' | 'client_key_missing' | 'custom_url_invalid'> {
      // Trying keys takes no money: the consent to leave training is asked when they are saved.
      const change = candidate(input, { testOnly: true });
      if (!change.ok) return change;
      const key = change.value.clientKey === undefined ? secrets.read() : change.value.clientKey || undefined;
      return configOf(change.value.next, key, dbPath);
    },

    /**
     * A new PIN, 6 to 8 digits. `first`: only if no PIN is set yet, checked again after hashing,
     * so that two first PINs sent together cannot replace one another.
     */
    async setPin(pin: string, options: { first?: boolean } = {}): Promise<'set' | 'invalid' | 'already_set'> {
      if (!NEW_PIN_PATTERN.test(pin)) return 'invalid';
      const hash = await hashPin(pin, pinCost);
      if (options.first && current.managerPin) return 'already_set';
      persist({ ...current, managerPin: hash, pinGuard: { ...NO_STREAK, lastSeen: current.pinGuard.lastSeen } });
      announcePin(hash);
      return 'set';
    },

    /**
     * The owner's way back from a forgotten PIN or a lock (`npm run cli -- pin reset --confirm`,
     * on the till's computer with its own account, which reaches this file anyway): no PIN, and no
     * wrong tries or lock, so the next person to open Manager sets a new PIN. The ledger keeps the
     * hash it recorded of the old one (the proof for adopting it) until a new one is set.
     */
    resetPin(): { hadPin: boolean; wasLocked: boolean } {
      const { managerPin, ...rest } = current;
      const now = Date.now();
      const wasLocked = current.pinGuard.lockedUntil > now;
      persist({ ...rest, pinGuard: { ...NO_STREAK, lastSeen: Math.max(current.pinGuard.lastSeen, now) } });
      return { hadPin: managerPin !== undefined, wasLocked };
    },
    /** Hears of each new PIN (the open ledger keeps a copy of its hash). */
    onPinSet(listener: (hash: PinHash) => void): () => void {
      pinListeners.add(listener);
      return () => pinListeners.delete(listener);
    },

    /**
     * The till's configuration from these settings; the ledger path is the app's. A real
     * environment whose key has gone missing is an error, never a quiet fall back to demo mode:
     * the cashier must not believe they took real money when they did not, or the reverse.
     */
    tillConfig: (dbPath: string): Result<TillConfig, 'client_key_missing' | 'custom_url_invalid'> => configOf(current, secrets.read(), dbPath),

    /** The head office to ship to and share calls through, with its password; none when not set. */
    headOffice(): URL | undefined {
      // An address saved before TLS was required is kept: the head office line then says why nothing ships.
      const problem = headOfficeUrlProblem(current.headOfficeUrl);
      if (current.headOfficeUrl === '' || (problem && problem !== 'head_office_tls_required')) return undefined;
      const url = new URL(current.headOfficeUrl);
      const password = officePassword.read();
      if (password) url.password = encodeURIComponent(password);
      return url;
    },
  };

  /** A change as it would be saved, checked as a whole; nothing is written here. */
  function candidate(
    input: unknown,
    options: { testOnly?: boolean } = {},
  ): Result<{ next: SettingsFile; clientKey: string | undefined; headOfficePassword: string | undefined }, SettingsProblem[] | 'invalid_request'> {
    const parsed = settingsUpdateSchema.safeParse(input);
    if (!parsed.success) return err('invalid_request');
    const { clientKey, headOfficePassword, confirmLeaveDemo: _consent, ...fields } = parsed.data as SettingsUpdate;
    const next: SettingsFile = { ...current, ...fields, shopName: (fields.shopName ?? current.shopName).trim() };
    const keyWillBeSet = clientKey !== undefined && clientKey !== '' ? true : clientKey === '' ? false : secrets.read() !== undefined;
    const problems = settingsProblems(next, parsed.data, keyWillBeSet, current).filter((problem) => !(options.testOnly && problem.error === 'confirm_leave_demo'));
    return problems.length > 0 ? err(problems) : ok({ next, clientKey, headOfficePassword });
  }
}

function configOf(values: TillSettingsValues, clientKey: string | undefined, dbPath: string): Result<TillConfig, 'client_key_missing' | 'custom_url_invalid'> {
  const base = { tillId: values.tillId, dbPath, pollIntervalMs: values.pollIntervalMs, callBudgetPerMinute: localCallShare(values.merchantTills) };
  if (values.environment === 'demo') return ok({ environment: 'demo', ...base });
  if (!clientKey) return err('client_key_missing');
  let baseUrl: string;
  if (values.environment === 'custom') {
    const custom = parseGatewayUrl(values.customUrl);
    if (!custom.ok) return err('custom_url_invalid');
    baseUrl = custom.value;
  } else {
    baseUrl = QFPAY_HOSTS[values.environment];
  }
  return ok({
    environment: values.environment,
    baseUrl,
    credentials: { appCode: values.appCode, clientKey, mchid: values.mchid || undefined, signType: values.signType },
    ...base,
  });
}

/** `settings restore` found nothing to restore from: the way forward is another command, said here. */
export class NoSettingsBackup extends Error {
  constructor(backup: string) {
    super(
      `there is no previous version to restore (${backup} is missing). Adopt the ledger with its manager PIN: \`npm run cli -- settings adopt\`, or set the till up again: \`npm run cli -- settings reset --confirm\`.`,
    );
    this.name = 'NoSettingsBackup';
  }
}

/**
 * The way back from a damaged settings file: the version before the last save, if it is sound.
 * Written atomically over settings.json; the damaged file is kept beside it for inspection.
 */
export function restoreSettings(folder: string): { restoredFrom: string } {
  const path = join(folder, SETTINGS_FILE);
  const backup = `${path}.bak`;
  if (!existsSync(backup)) throw new NoSettingsBackup(backup);
  const read = readSettingsFile(backup);
  if (!read.ok) throw new SettingsUnreadable(backup, read.why);
  if (existsSync(path)) copyFileSync(path, `${path}.damaged-${Date.now()}`);
  writeFileAtomic(path, JSON.stringify(read.value, null, 2));
  return { restoredFrom: backup };
}

/**
 * Sets a till up again from scratch, remembering the ledger it keeps: training mode, no key, and
 * the ledger's own manager PIN when the caller proved it (a ledger of real money is never bound
 * without it). Only on a person's explicit request; the old file is kept beside it.
 */
export function resetSettings(folder: string, ledgerId: string | undefined, managerPin?: PinHash): void {
  const path = join(folder, SETTINGS_FILE);
  if (existsSync(path)) copyFileSync(path, `${path}.damaged-${Date.now()}`);
  writeFileAtomic(path, JSON.stringify(fileSchema.parse({ ledgerId, managerPin }), null, 2));
}

/**
 * Binds this till's settings to a ledger the caller has proved (its manager PIN, or its merchant's
 * QFPay key), keeping every other setting (a settings file that cannot be read is refused:
 * restore or reset it first). The ledger's PIN becomes the settings' PIN, so the manager who
 * adopted it unlocks with it; a ledger without one leaves the PIN to be set at the next unlock.
 */
export function adoptLedgerSettings(folder: string, ledgerId: string, managerPin: PinHash | undefined): { previousLedgerId: string | undefined } {
  const path = join(folder, SETTINGS_FILE);
  let current: SettingsFile = fileSchema.parse({});
  if (existsSync(path)) {
    const read = readSettingsFile(path);
    if (!read.ok) throw new SettingsUnreadable(path, read.why);
    current = read.value;
    copyFileSync(path, `${path}.bak`);
  }
  const { managerPin: _previous, ...kept } = current;
  writeFileAtomic(path, JSON.stringify({ ...kept, ledgerId, ...(managerPin ? { managerPin } : {}) }, null, 2));
  return { previousLedgerId: current.ledgerId };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export type SettingsService = ReturnType<typeof openSettingsService>;
