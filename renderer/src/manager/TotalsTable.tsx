import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { EnvironmentTotals, WalletTotals } from '../../../shared/ledger/reportTypes';
import { formatHKD, type DisplayLocale } from '../../../shared/money';
import { walletById } from '../../../shared/wallets';
import { environmentName } from '../../../shared/i18n/bookWords';

type Money = Omit<WalletTotals, 'wallet'>;

/** A column beside the money; a `number` one is right-aligned, as the money is. */
export type TotalsColumn = { header: string; number?: boolean };

export type TotalsRow = {
  key: string;
  /** The heading cell: a wallet, an environment, a till. */
  head: ReactNode;
  /** The money, or words in its place that span the `before` columns too. */
  money: Money | { none: ReactNode };
  before?: readonly ReactNode[];
  after?: readonly ReactNode[];
  className?: string;
  /** The till a store's row is about (data-till). */
  till?: string;
};

const TOTAL_TEST_IDS = ['total-payments', 'total-refunds', 'total-net'];

/**
 * Payments, refunds and net row by row, with the columns a screen adds before and after them:
 * one environment by wallet, a Z report by environment, the store by till. Only `total` adds rows
 * up, so a caller never hands it rows of different environments.
 */
export function TotalsTable(props: {
  language: DisplayLocale;
  className: string;
  testId?: string;
  environment?: string;
  caption?: ReactNode;
  /** The heading of the rows' heading cells. */
  head: string;
  before?: readonly TotalsColumn[];
  netHeader?: string;
  after?: readonly TotalsColumn[];
  rows: readonly TotalsRow[];
  /** The footer's total, for a table with no `before` or `after` columns. */
  total?: Money;
}) {
  const { t } = useTranslation();
  const { before = [], after = [] } = props;
  const money = (cents: number) => formatHKD(cents, props.language);
  const moneyWords = (row: Money) => [`${row.payments.count} · ${money(row.payments.amount)}`, `${row.refunds.count} · ${money(row.refunds.amount)}`, money(row.net)];
  const moneyColumns = [t('manager.payments'), t('manager.refunds'), props.netHeader ?? t('manager.net')].map((header) => ({ header, number: true }));
  const columns = [...before, ...moneyColumns, ...after];
  const align = (column: TotalsColumn) => (column.number ? 'number' : undefined);
  const cells = (shown: readonly TotalsColumn[], values: readonly ReactNode[] = []) =>
    shown.map((column, index) => (
      <td key={index} className={align(column)}>
        {values[index]}
      </td>
    ));
  return (
    <table className={props.className} data-testid={props.testId} data-environment={props.environment}>
      {props.caption && <caption>{props.caption}</caption>}
      <thead>
        <tr>
          {[{ header: props.head }, ...columns].map((column, index) => (
            <th key={index} scope="col" className={align(column)}>
              {column.header}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {props.rows.map((row) => (
          <tr key={row.key} className={row.className} data-till={row.till}>
            <th scope="row">{row.head}</th>
            {'none' in row.money ? (
              <>
                <td colSpan={before.length + moneyColumns.length}>{row.money.none}</td>
                {cells(after, row.after)}
              </>
            ) : (
              cells(columns, [...before.map((_, index) => row.before?.[index]), ...moneyWords(row.money), ...(row.after ?? [])])
            )}
          </tr>
        ))}
      </tbody>
      {props.total && (
        <tfoot>
          <tr>
            <th scope="row">{t('manager.total')}</th>
            {moneyWords(props.total).map((words, index) => (
              <td key={index} className="number" data-testid={TOTAL_TEST_IDS[index]}>
                {words}
              </td>
            ))}
          </tr>
        </tfoot>
      )}
    </table>
  );
}

/**
 * Beside an environment's name. The space before it is in the text: without it the name and the
 * badge read (and copy, and are spoken) as one word, "Demotraining: not real money".
 */
export function TrainingBadge({ training }: { training: boolean }) {
  const { t } = useTranslation();
  return training ? (
    <>
      {' '}
      <span className="badge badge-training">{t('books.training')}</span>
    </>
  ) : null;
}

/**
 * One environment's money, per wallet and in total. Each environment gets its own table and its
 * own total: training money and real money are never added together.
 */
export function EnvironmentTable({ totals, language, testId }: { totals: EnvironmentTotals; language: DisplayLocale; testId?: string }) {
  const { t } = useTranslation();
  return (
    <TotalsTable
      language={language}
      className={`money-table${totals.training ? ' training' : ''}`}
      testId={testId}
      environment={totals.environment}
      caption={
        <>
          <span className="env-name">{environmentName(t, totals.environment)}</span>
          <TrainingBadge training={totals.training} />
        </>
      }
      head={t('wallet')}
      rows={totals.wallets.map((row) => ({
        key: row.wallet,
        head: walletById(row.wallet).names[language],
        money: row,
        className: row.payments.count + row.refunds.count === 0 ? 'zero' : undefined,
      }))}
      total={totals.totals}
    />
  );
}
