import i18next, { type TFunction } from 'i18next';
import type { DisplayLocale } from '../money';
import { en, type Catalogue } from './catalogue/en';
import { zhHK } from './catalogue/zh-HK';

/** The one catalogue of each language: the renderer's react-i18next loads these, everything else reads them through words(). */
export const catalogues: Readonly<Record<DisplayLocale, Catalogue>> = { en, 'zh-HK': zhHK };

/** i18next's resources for the catalogues: one namespace, `translation`. */
export const resources = { en: { translation: en }, 'zh-HK': { translation: zhHK } } as const;

const instances = new Map<DisplayLocale, TFunction>();

/**
 * The words of one language for code outside React (the main process, the CLI, slips, shared/):
 * i18next's own t(), so {{placeholders}}, plural forms and $t() nesting work as on the screens.
 * One small instance per language, made on first use; nothing is escaped (the words are not HTML).
 */
export function words(language: DisplayLocale): TFunction {
  const known = instances.get(language);
  if (known) return known;
  const instance = i18next.createInstance();
  // With its resources given and initAsync off, init() is done when it returns.
  void instance.init({ resources, lng: language, fallbackLng: false, initAsync: false, interpolation: { escapeValue: false }, showSupportNotice: false });
  const t = instance.t.bind(instance) as TFunction;
  instances.set(language, t);
  return t;
}

/**
 * A catalogue section checked against a union declared where importing the catalogue's types
 * would close an import cycle: every member must have words, and the section no other key.
 * `wordsFor<SettingsFieldError>()(catalogues.en.settingsErrors)` does not compile otherwise.
 */
export const wordsFor =
  <Key extends string>() =>
  <Section extends Record<Key, string>>(section: Section & Record<Exclude<keyof Section, Key>, never>): Readonly<Record<Key, string>> =>
    section;
