import { useRef, type CSSProperties, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Language } from '../../../shared/ipc/contract';
import type { AlipayRegion, WalletId } from '../../../shared/wallets';
import { WALLETS } from '../../../shared/wallets';
import { WalletMark } from '../common/WalletMark';

/** Arrow keys step through the wallets in reading order, wrapping round; Home and End jump to the ends. */
export const WALLET_STEPS: Readonly<Record<string, number>> = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1 };

/**
 * Six wallet buttons, F1 to F6; Alipay also asks which Alipay, since Hong Kong shops serve both.
 * The wallets are one radio group with a roving tab stop: Tab reaches the chosen wallet (or the
 * first), arrows move between them and choose as they go, as the ARIA radio group pattern says.
 */
export function WalletPicker(props: {
  language: Language;
  selected: WalletId | null;
  onSelect: (wallet: WalletId) => void;
  alipayRegion: AlipayRegion;
  onAlipayRegion: (region: AlipayRegion) => void;
  disabled?: boolean;
}) {
  const { t } = useTranslation();
  const buttons = useRef<(HTMLButtonElement | null)[]>([]);
  const tabStop = props.selected ?? WALLETS[0]?.id;

  function onKeyDown(event: KeyboardEvent<HTMLButtonElement>, index: number) {
    const step = WALLET_STEPS[event.key];
    let next: number | undefined;
    if (step !== undefined) next = (index + step + WALLETS.length) % WALLETS.length;
    else if (event.key === 'Home') next = 0;
    else if (event.key === 'End') next = WALLETS.length - 1;
    if (next === undefined) return;
    event.preventDefault();
    const wallet = WALLETS[next];
    if (!wallet) return;
    props.onSelect(wallet.id);
    buttons.current[next]?.focus();
  }

  return (
    <div className="wallets">
      <div className="wallet-grid" role="radiogroup" aria-label={t('chooseWallet')}>
        {WALLETS.map((wallet, index) => (
          <button
            key={wallet.id}
            ref={(element) => {
              buttons.current[index] = element;
            }}
            type="button"
            role="radio"
            aria-checked={props.selected === wallet.id}
            tabIndex={wallet.id === tabStop ? 0 : -1}
            aria-keyshortcuts={`F${index + 1}`}
            className={`wallet wallet-${wallet.id}${props.selected === wallet.id ? ' selected' : ''}`}
            style={{ '--wallet-colour': wallet.mark.colour } as CSSProperties}
            disabled={props.disabled}
            onMouseDown={(event) => event.preventDefault()}
            onClick={() => props.onSelect(wallet.id)}
            onKeyDown={(event) => onKeyDown(event, index)}
          >
            <span className="fkey" aria-hidden="true">
              F{index + 1}
            </span>
            <WalletMark wallet={wallet.id} />
            <span className="wallet-names">
              <span className="wallet-name">{wallet.names[props.language]}</span>
              {wallet.names.en !== wallet.names['zh-HK'] && (
                <span className="wallet-other-name" aria-hidden="true" lang={props.language === 'en' ? 'zh-HK' : 'en'}>
                  {wallet.names[props.language === 'en' ? 'zh-HK' : 'en']}
                </span>
              )}
            </span>
          </button>
        ))}
      </div>
      {props.selected === 'alipay' && (
        <fieldset className="alipay-region">
          <legend>{t('alipayRegion')}</legend>
          {(['ALIPAYHK', 'ALIPAYCN'] as const).map((region) => (
            <label key={region}>
              <input type="radio" name="alipay-region" checked={props.alipayRegion === region} onChange={() => props.onAlipayRegion(region)} disabled={props.disabled} />
              {region === 'ALIPAYHK' ? t('alipayHK') : t('alipayCN')}
            </label>
          ))}
        </fieldset>
      )}
    </div>
  );
}
