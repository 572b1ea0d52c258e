import { walletById, type WalletId } from '../../../shared/wallets';

/** A wallet's mark: its brand colour with a letter or character drawn for this project (no logo files). */
export function WalletMark({ wallet, size = 28 }: { wallet: WalletId; size?: number }) {
  const { mark } = walletById(wallet);
  return (
    <svg className="wallet-mark" width={size} height={size} viewBox="0 0 32 32" aria-hidden="true" focusable="false">
      <rect width="32" height="32" rx="8" fill={mark.colour} />
      <text x="16" y="22.5" textAnchor="middle" fontSize={mark.glyph.length > 1 ? 13 : 18} fontWeight="700" fill="#fff">
        {mark.glyph}
      </text>
    </svg>
  );
}
