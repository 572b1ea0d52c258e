import { readFileSync, statSync, writeFileSync, chmodSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { userOnlyFileSecretStore } from '../../electron/services/settings/secretStore';
import { openSettingsService, SettingsUnreadable } from '../../electron/services/settings/settingsService';
import { QFPAY_HOSTS } from '../../shared/qfpay/environments';
import { tempFolder } from '../support/simulator';

const KEY = 'SECRET-KEY-0123456789ABCDEF';
let folder: ReturnType<typeof tempFolder>;
const open = () => openSettingsService(folder.path, userOnlyFileSecretStore(join(folder.path, 'client-key')));

beforeEach(() => {
  folder = tempFolder('qfpos-settings-');
});
afterEach(() => folder.remove());

describe('settings', () => {
  it('start in demo mode with no key and no PIN', () => {
    const settings = open();
    expect(settings.view()).toMatchObject({ environment: 'demo', clientKeySet: false, pinSet: false, pollIntervalMs: 3000, qrLifetimeMinutes: 5, keyProtection: 'user-only-file' });
    expect(settings.tillConfig(join(folder.path, 'till.sqlite'))).toMatchObject({ ok: true, value: { environment: 'demo' } });
  });

  it('take a real account only with consent, keep the key apart and readable only by the user', () => {
    const settings = open();
    const production = { environment: 'production', appCode: 'APPCODE123', clientKey: KEY, signType: 'SHA256' } as const;
    expect(settings.update(production)).toEqual({ ok: false, error: [{ field: 'confirmLeaveDemo', error: 'confirm_leave_demo' }] });
    const saved = settings.update({ ...production, confirmLeaveDemo: true });
    expect(saved).toMatchObject({ ok: true, value: { environment: 'production', clientKeySet: true } });
    expect(JSON.stringify(saved)).not.toContain(KEY);
    expect(readFileSync(join(folder.path, 'settings.json'), 'utf8')).not.toContain(KEY);
    expect(statSync(join(folder.path, 'client-key')).mode & 0o777).toBe(0o600);
    expect(statSync(join(folder.path, 'settings.json')).mode & 0o077).toBe(0);
    // Reopened, the till is configured for QFPay's production host with that key.
    expect(open().tillConfig('/tmp/till.sqlite')).toEqual({
      ok: true,
      value: expect.objectContaining({ environment: 'production', baseUrl: QFPAY_HOSTS.production, credentials: { appCode: 'APPCODE123', clientKey: KEY, mchid: undefined, signType: 'SHA256' } }),
    });
  });

  it('refuse bad values, naming every field, and save nothing', () => {
    const settings = open();
    const before = settings.view();
    const result = settings.update({
      environment: 'custom',
      customUrl: 'http://gateway.example.com',
      appCode: 'has space',
      mchid: 'x y',
      tillId: 'till one',
      shopName: '   ',
      qrLifetimeMinutes: 3,
      pollIntervalMs: 500,
      confirmLeaveDemo: true,
    });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error).toEqual([
      { field: 'customUrl', error: 'custom_url_insecure' },
      { field: 'appCode', error: 'app_code_invalid' },
      { field: 'clientKey', error: 'client_key_required' },
      { field: 'mchid', error: 'mchid_invalid' },
      { field: 'tillId', error: 'till_id_invalid' },
      { field: 'shopName', error: 'shop_name_invalid' },
      { field: 'qrLifetimeMinutes', error: 'qr_lifetime_out_of_range' },
      { field: 'pollIntervalMs', error: 'poll_interval_out_of_range' },
    ]);
    expect(open().view()).toEqual(before);
    expect(settings.update({ pollIntervalMs: '3000' })).toEqual({ ok: false, error: 'invalid_request' });
    expect(settings.update({ clientKey: KEY, somethingElse: 1 })).toEqual({ ok: false, error: 'invalid_request' });
  });

  it('keep the head office password apart and write-only, and refuse one written into the address', () => {
    const settings = open();
    const password = 'office-pa55:word/with@signs';
    expect(settings.update({ headOfficeUrl: 'postgres://till:inline@office.example:5432/store' })).toEqual({ ok: false, error: [{ field: 'headOfficeUrl', error: 'head_office_password_in_url' }] });
    expect(settings.update({ headOfficeUrl: 'http://office.example/store' })).toEqual({ ok: false, error: [{ field: 'headOfficeUrl', error: 'head_office_url_invalid' }] });
    expect(settings.update({ headOfficeUrl: 'postgres://office.example:5432/store' })).toEqual({ ok: false, error: [{ field: 'headOfficeUrl', error: 'head_office_url_invalid' }] });
    expect(settings.update({ merchantTills: 0 })).toEqual({ ok: false, error: [{ field: 'merchantTills', error: 'merchant_tills_out_of_range' }] });
    expect(settings.headOffice()).toBeUndefined();

    const saved = settings.update({ headOfficeUrl: 'postgres://till@office.example:5432/store', headOfficePassword: password, merchantTills: 8 });
    expect(saved).toMatchObject({ ok: true, value: { headOfficeUrl: 'postgres://till@office.example:5432/store', headOfficePasswordSet: true, merchantTills: 8 } });
    expect(JSON.stringify(saved)).not.toContain(password);
    expect(readFileSync(join(folder.path, 'settings.json'), 'utf8')).not.toContain('pa55');
    expect(statSync(join(folder.path, 'head-office-password')).mode & 0o777).toBe(0o600);
    // The connection URL carries it (encoded), for the main process only.
    const url = open().headOffice() as URL;
    expect(decodeURIComponent(url.password)).toBe(password);
    expect(url.hostname).toBe('office.example');
    // Eight tills: this one keeps to 50 calls a minute when it cannot share through the head office.
    expect(open().tillConfig('/tmp/till.sqlite')).toMatchObject({ ok: true, value: { callBudgetPerMinute: 50 } });
    // Another form save without a password keeps it; '' removes it.
    expect(open().update({ shopName: 'Shop' })).toMatchObject({ ok: true, value: { headOfficePasswordSet: true } });
    expect(open().changedFields({ headOfficePassword: password })).toEqual([]);
    expect(open().update({ headOfficePassword: '' })).toMatchObject({ ok: true, value: { headOfficePasswordSet: false } });
  });

  it('take a network printer or one of the computer\'s by name, and refuse anything else', () => {
    const settings = open();
    expect(settings.update({ printer: 'tcp://192.168.1.50:9100', paperWidth: 58, autoPrint: false })).toMatchObject({ ok: true, value: { printer: 'tcp://192.168.1.50:9100', paperWidth: 58, autoPrint: false } });
    expect(settings.update({ printer: 'system:EPSON TM-T82 Receipt' })).toMatchObject({ ok: true });
    for (const printer of ['http://192.168.1.50', '192.168.1.50:9100', 'system:', 'tcp://printer:70000']) {
      expect(settings.update({ printer })).toEqual({ ok: false, error: [{ field: 'printer', error: 'printer_invalid' }] });
    }
    expect(settings.update({ paperWidth: 72 })).toEqual({ ok: false, error: 'invalid_request' });
    expect(open().view()).toMatchObject({ printer: 'system:EPSON TM-T82 Receipt', paperWidth: 58 });
  });

  it('change only the fields an update names', () => {
    const settings = open();
    settings.update({ shopName: '茶餐廳', pollIntervalMs: 5000 });
    expect(settings.update({ language: 'zh-HK' })).toMatchObject({ ok: true, value: { shopName: '茶餐廳', pollIntervalMs: 5000, language: 'zh-HK' } });
  });

  it('never fall back to demo when a real environment has lost its key', () => {
    const settings = open();
    expect(settings.update({ environment: 'test', appCode: 'APP', clientKey: KEY, confirmLeaveDemo: true }).ok).toBe(true);
    expect(settings.update({ clientKey: '' })).toEqual({ ok: false, error: [{ field: 'clientKey', error: 'client_key_required' }] });
    writeFileSync(join(folder.path, 'client-key'), '');
    expect(open().tillConfig('/tmp/till.sqlite')).toEqual({ ok: false, error: 'client_key_missing' });
  });

  it('tighten a key file someone made readable to others', () => {
    const store = userOnlyFileSecretStore(join(folder.path, 'client-key'));
    store.write(KEY);
    chmodSync(join(folder.path, 'client-key'), 0o644);
    expect(store.read()).toBe(KEY);
    expect(statSync(join(folder.path, 'client-key')).mode & 0o777).toBe(0o600);
  });

  it('refuse a settings file it cannot read, in words with the way back, and never start from defaults', () => {
    for (const [text, why] of [
      ['{ not json', 'it is not complete JSON'],
      ['', 'it is empty'],
      ['{"environment":"production","appCode":"APP"', 'it is not complete JSON'],
      ['{"environment":"moon"}', 'it does not hold valid settings (environment)'],
    ] as const) {
      writeFileSync(join(folder.path, 'settings.json'), text);
      expect(open).toThrow(SettingsUnreadable);
      expect(open).toThrow(why);
      expect(open).toThrow('npm run cli -- settings restore');
      // The damaged file is left as it was, for the way back to work on.
      expect(readFileSync(join(folder.path, 'settings.json'), 'utf8')).toBe(text);
    }
    expect(readdirSync(folder.path)).toEqual(['settings.json']);
  });
});

// The manager PIN (hash, lockout, the six-digit rule): test/settings/managerPin.test.ts.

describe('a till whose key went missing', () => {
  it('refuses to start for real money, and can be mended from training mode', async () => {
    const { appConfiguration } = await import('../../electron/services/composition/appConfiguration');
    const dbPath = join(folder.path, 'till.sqlite');
    const first = appConfiguration({ QFPOS_DB: dbPath });
    expect(first.settings?.update({ environment: 'production', appCode: 'APP', clientKey: KEY, confirmLeaveDemo: true }).ok).toBe(true);
    expect(appConfiguration({ QFPOS_DB: dbPath }).config).toMatchObject({ ok: true, value: { environment: 'production' } });

    writeFileSync(join(folder.path, 'client-key'), '');
    const broken = appConfiguration({ QFPOS_DB: dbPath });
    expect(broken.config).toMatchObject({ ok: false, error: { message: expect.stringContaining('QFPOS_GATEWAY=demo') } });

    // Started in training mode, the manager's settings are the same ones: the key is saved again.
    const training = appConfiguration({ QFPOS_DB: dbPath, QFPOS_GATEWAY: 'demo' });
    expect(training.config).toMatchObject({ ok: true, value: { environment: 'demo' } });
    expect(training.settings?.update({ clientKey: KEY }).ok).toBe(true);
    expect(appConfiguration({ QFPOS_DB: dbPath }).config).toMatchObject({ ok: true, value: { environment: 'production', credentials: { clientKey: KEY } } });
  });
});
