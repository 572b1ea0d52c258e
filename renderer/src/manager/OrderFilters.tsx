import { useTranslation } from 'react-i18next';
import type { Language } from '../../../shared/ipc/contract';
import { PAYMENT_STATES } from '../../../shared/ledger/lifecycle';
import { WALLETS } from '../../../shared/wallets';

/** The wallet and state filters of an order list ('' is all), for the till's day and the store's. */
export function WalletAndStateFilters(props: { language: Language; wallet: string; state: string; onWallet: (wallet: string) => void; onState: (state: string) => void }) {
  const { t } = useTranslation();
  return (
    <>
      <select aria-label={t('wallet')} value={props.wallet} onChange={(event) => props.onWallet(event.target.value)}>
        <option value="">{t('manager.allWallets')}</option>
        {WALLETS.map((item) => (
          <option key={item.id} value={item.id}>
            {item.names[props.language]}
          </option>
        ))}
      </select>
      <select aria-label={t('state')} value={props.state} onChange={(event) => props.onState(event.target.value)}>
        <option value="">{t('manager.allStates')}</option>
        {PAYMENT_STATES.map((item) => (
          <option key={item} value={item}>
            {t(`states.${item}`)}
          </option>
        ))}
      </select>
    </>
  );
}
