import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { z } from 'zod';
import type { Language } from '../../../shared/ipc/contract';

/**
 * The app's own preferences (shop name, language), in a small JSON file beside the ledger.
 * Credentials are not kept here. A file that does not parse is set aside, not trusted.
 */
const settingsSchema = z.object({
  shopName: z.string().trim().min(1).max(60).default('QFPay Counter'),
  language: z.enum(['en', 'zh-HK']).default('en'),
});
export type AppSettings = z.output<typeof settingsSchema>;

export function openAppSettings(path: string, defaults: Partial<AppSettings> = {}) {
  let current: AppSettings = settingsSchema.parse(defaults);
  if (existsSync(path)) {
    const parsed = settingsSchema.safeParse(safeJson(readFileSync(path, 'utf8')));
    if (parsed.success) current = parsed.data;
    else renameSync(path, `${path}.unreadable-${Date.now()}`);
  }
  return {
    get: (): AppSettings => current,
    update(change: Partial<AppSettings>): AppSettings {
      current = settingsSchema.parse({ ...current, ...change });
      writeFileSync(`${path}.tmp`, JSON.stringify(current, null, 2));
      renameSync(`${path}.tmp`, path);
      return current;
    },
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export type AppSettingsStore = ReturnType<typeof openAppSettings>;
export type { Language };
