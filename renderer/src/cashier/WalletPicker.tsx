import { useTranslation } from 'react-i18next';
import type { Language } from '../../../shared/ipc/contract';
import type { AlipayRegion, WalletId } from '../../../shared/wallets';
import { WALLETS } from '../../../shared/wallets';

/** Six wallet buttons, F1 to F6; Alipay also asks which Alipay, since Hong Kong shops serve both. */
export function WalletPicker(props: {
  language: Language;
  selected: WalletId | null;
  onSelect: (wallet: WalletId) => void;
  alipayRegion: AlipayRegion;
  onAlipayRegion: (region: AlipayRegion) => void;
  disabled?: boolean;
}) {
  const { t } = useTranslation();
  return (
    <div className="wallets">
      <div className="wallet-grid" role="radiogroup" aria-label={t('chooseWallet')}>
        {WALLETS.map((wallet, index) => (
          <button
            key={wallet.id}
            type="button"
            role="radio"
            aria-checked={props.selected === wallet.id}
            className={`wallet wallet-${wallet.id}${props.selected === wallet.id ? ' selected' : ''}`}
            disabled={props.disabled}
            onMouseDown={(event) => event.preventDefault()}
            onClick={() => props.onSelect(wallet.id)}
          >
            <span className="fkey">F{index + 1}</span>
            {wallet.names[props.language]}
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
