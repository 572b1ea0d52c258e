import { useTranslation } from 'react-i18next';
import type { EnvironmentTotals, WalletTotals } from '../../../shared/ledger/reportTypes';
import { formatHKD, type DisplayLocale } from '../../../shared/money';
import { walletById } from '../../../shared/wallets';
import { environmentName } from '../common/bookWords';

/**
 * One environment's money, per wallet and in total. Each environment gets its own table and its
 * own total: training money and real money are never added together.
 */
export function EnvironmentTable({ totals, language, testId }: { totals: EnvironmentTotals; language: DisplayLocale; testId?: string }) {
  const { t } = useTranslation();
  const money = (cents: number) => formatHKD(cents, language);
  const cells = (row: Omit<WalletTotals, 'wallet'>, ids = false) => (
    <>
      <td className="number" data-testid={ids ? 'total-payments' : undefined}>
        {row.payments.count} · {money(row.payments.amount)}
      </td>
      <td className="number" data-testid={ids ? 'total-refunds' : undefined}>
        {row.refunds.count} · {money(row.refunds.amount)}
      </td>
      <td className="number" data-testid={ids ? 'total-net' : undefined}>
        {money(row.net)}
      </td>
    </>
  );
  return (
    <table className={`money-table${totals.training ? ' training' : ''}`} data-testid={testId} data-environment={totals.environment}>
      <caption>
        <span className="env-name">{environmentName(t, totals.environment)}</span>
        {totals.training && <span className="badge badge-training">{t('books.training')}</span>}
      </caption>
      <thead>
        <tr>
          <th scope="col">{t('wallet')}</th>
          <th scope="col" className="number">
            {t('manager.payments')}
          </th>
          <th scope="col" className="number">
            {t('manager.refunds')}
          </th>
          <th scope="col" className="number">
            {t('manager.net')}
          </th>
        </tr>
      </thead>
      <tbody>
        {totals.wallets.map((row) => (
          <tr key={row.wallet} className={row.payments.count + row.refunds.count === 0 ? 'zero' : undefined}>
            <th scope="row">{walletById(row.wallet).names[language]}</th>
            {cells(row)}
          </tr>
        ))}
      </tbody>
      <tfoot>
        <tr>
          <th scope="row">{t('manager.total')}</th>
          {cells(totals.totals, true)}
        </tr>
      </tfoot>
    </table>
  );
}
