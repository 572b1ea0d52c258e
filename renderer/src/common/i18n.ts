import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import type { Language } from '../../../shared/ipc/contract';
import { resources } from '../../../shared/i18n/words';

/**
 * The screens' react-i18next, on the app's one catalogue per language (shared/i18n/catalogue/):
 * the same words the main process, the CLI and the slips read. Wallet names come from shared/wallets.
 */
export { resources };

export function setUpI18n(language: Language) {
  void i18next.use(initReactI18next).init({ resources, lng: language, fallbackLng: 'en', interpolation: { escapeValue: false }, showSupportNotice: false });
  return i18next;
}
