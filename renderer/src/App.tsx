import { WALLETS } from '../../shared/wallets';

/** Until the cashier screen lands, the window says what the build contains. */
export function App() {
  return (
    <main style={{ fontFamily: 'system-ui, sans-serif', padding: '2rem' }}>
      <h1>QFPay counter</h1>
      <p>The cashier screen is not built yet. Wallets this till will offer:</p>
      <ul>
        {WALLETS.map((wallet) => (
          <li key={wallet.id}>
            {wallet.names.en} · {wallet.names['zh-HK']}
          </li>
        ))}
      </ul>
    </main>
  );
}
