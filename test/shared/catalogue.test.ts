import { describe, expect, it } from 'vitest';
import { catalogues, words } from '../../shared/i18n/words';

/**
 * The one catalogue per language (shared/i18n/catalogue/): the compiler already refuses a key
 * missing from zh-HK or one it has extra (Catalogue); this checks what types cannot see.
 */

/** Every leaf of a catalogue as "path.to.key" -> its words. */
function leaves(tree: object, prefix = ''): Map<string, string> {
  const found = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    if (typeof value === 'object' && value !== null) for (const [path, words] of leaves(value as object, `${prefix}${key}.`)) found.set(path, words);
    else found.set(`${prefix}${key}`, value as string);
  }
  return found;
}

/** English and Chinese use only these plural forms (CLDR); a key like amount_zero is not one. */
const PLURAL = /_(one|other)$/;
/** A plural form's key without its suffix; a key that is not one, as it is. */
const base = (key: string) => key.replace(PLURAL, '');
/**
 * The data a text's {{placeholders}} take, sorted. {{count}} is left out (a plural's _one may say
 * "1"), and so is English's $t() nesting of a plural: Chinese says the same count without it.
 */
const slots = (text: string) => [...new Set([...text.matchAll(/\{\{\s*([^},\s]+)[^}]*\}\}/g)].map((match) => match[1] as string))].filter((slot) => slot !== 'count').sort();

/**
 * Words deliberately the same in both languages: names, codes and field names QFPay and the shops
 * use as they are, and text that is only placeholders. Anything else in zh-HK that equals its English is untranslated.
 */
const SAME_IN_BOTH = new Set([
  'books.reconcile.qfpay', // QFPay
]);

/** A slip prints each label in English then Chinese, and a number once, in the English half of the line. */
const NUMBER_IN_ENGLISH_HALF = new Set(['receipt.zReport', 'receipt.xReport']);

const en = leaves(catalogues.en);
const zh = leaves(catalogues['zh-HK']);

describe('the catalogues', () => {
  it('have the same keys in English and Chinese, Chinese with only the other plural form', () => {
    const enKeys = new Set([...en.keys()].map(base));
    const zhKeys = new Set([...zh.keys()].map(base));
    expect([...enKeys].filter((key) => !zhKeys.has(key))).toEqual([]);
    expect([...zhKeys].filter((key) => !enKeys.has(key))).toEqual([]);
    // CLDR: English has one and other; Chinese only other.
    expect([...zh.keys()].filter((key) => key.endsWith('_one'))).toEqual([]);
    const enPlurals = [...en.keys()].filter((key) => PLURAL.test(key)).map(base);
    for (const key of enPlurals) {
      expect(en.has(`${key}_one`) && en.has(`${key}_other`), `${key} in English`).toBe(true);
      expect(zh.has(`${key}_other`), `${key}_other in Chinese`).toBe(true);
    }
    expect([...zh.keys()].filter((key) => !PLURAL.test(key) && enPlurals.includes(key))).toEqual([]);
  });

  it('need the same placeholders in both languages', () => {
    const differ: string[] = [];
    for (const [key, chinese] of zh) {
      if (NUMBER_IN_ENGLISH_HALF.has(key)) continue;
      const english = key.endsWith('_other') ? [en.get(key.replace(/_other$/, '_one')), en.get(key)] : [en.get(key)];
      for (const text of english) if (text !== undefined && slots(text).join() !== slots(chinese).join()) differ.push(`${key}: ${slots(text)} / ${slots(chinese)}`);
    }
    expect(differ).toEqual([]);
    expect([...NUMBER_IN_ENGLISH_HALF].map((key) => [slots(en.get(key) ?? ''), slots(zh.get(key) ?? '')])).toEqual([...NUMBER_IN_ENGLISH_HALF].map(() => [['number'], []]));
    // {{count}} itself: every Chinese plural says its count, as the English _other does.
    expect([...zh].filter(([key, text]) => key.endsWith('_other') && en.get(key)?.includes('{{count}}') && !text.includes('{{count}}')).map(([key]) => key)).toEqual([]);
  });

  it('have no empty words', () => {
    expect([...en, ...zh].filter(([, text]) => text.trim() === '').map(([key]) => key)).toEqual([]);
  });

  it('leave no English untranslated in Chinese, but for the listed names and codes', () => {
    // A text that is only placeholders and signs ("Z {{number}}") says nothing to translate.
    const same = [...zh].filter(([key, text]) => en.get(key) === text && /[A-Za-z]{2}/.test(text.replace(/\{\{[^}]*\}\}/g, '')));
    expect(same.map(([key]) => key).filter((key) => !SAME_IN_BOTH.has(key))).toEqual([]);
    // The list names only keys that exist and are the same.
    expect([...SAME_IN_BOTH].filter((key) => zh.get(key) === undefined || zh.get(key) !== en.get(key))).toEqual([]);
  });

  it('are read outside React through words(), with plural forms and nesting', () => {
    expect(words('en')('manager.triesLeft', { count: 1 })).toBe('1 try left.');
    expect(words('en')('manager.exported', { file: 'day.csv', payments: 1, refunds: 2 })).toBe('day.csv: 1 payment, 2 refunds.');
    expect(words('zh-HK')('manager.triesLeft', { count: 1 })).toBe('尚餘 1 次機會。');
    expect(words('zh-HK')('manager.triesLeft', { count: 5 })).toBe('尚餘 5 次機會。');
  });
});
