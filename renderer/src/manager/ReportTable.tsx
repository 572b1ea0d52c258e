import { useTranslation } from 'react-i18next';
import type { ZReport } from '../../../shared/ledger/reportTypes';
import { formatHKD, type DisplayLocale } from '../../../shared/money';
import { walletById } from '../../../shared/wallets';

/** The Z report: per wallet and in total; also what is printed. */
export function ReportTable({ report, language }: { report: ZReport; language: DisplayLocale }) {
  const { t } = useTranslation();
  const money = (cents: number) => formatHKD(cents, language);
  return (
    <section className="report" data-testid="report">
      <h3>
        {report.day} · {report.number === null ? t('manager.preview') : t('manager.closed', { number: report.number })}
      </h3>
      <table>
        <thead>
          <tr>
            <th scope="col">{t('wallet')}</th>
            <th scope="col" className="number">{t('manager.payments')}</th>
            <th scope="col" className="number">{t('manager.refunds')}</th>
            <th scope="col" className="number">{t('manager.net')}</th>
          </tr>
        </thead>
        <tbody>
          {report.wallets.map((row) => (
            <tr key={row.wallet}>
              <td>{walletById(row.wallet).names[language]}</td>
              <td className="number">
                {row.payments.count} · {money(row.payments.amount)}
              </td>
              <td className="number">
                {row.refunds.count} · {money(row.refunds.amount)}
              </td>
              <td className="number">{money(row.net)}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row">{t('manager.total')}</th>
            <td className="number" data-testid="total-payments">
              {report.totals.payments.count} · {money(report.totals.payments.amount)}
            </td>
            <td className="number" data-testid="total-refunds">
              {report.totals.refunds.count} · {money(report.totals.refunds.amount)}
            </td>
            <td className="number" data-testid="total-net">
              {money(report.totals.net)}
            </td>
          </tr>
        </tfoot>
      </table>
      <p>{t('manager.unresolved', { orders: report.unresolved.orders, late: report.unresolved.latePayments, refunds: report.unresolved.refunds })}</p>
    </section>
  );
}
