import { useTranslation } from 'react-i18next';
import type { DaySpan } from '../../../shared/daySpan';
import type { SalesView } from '../../../shared/ipc/contract';
import { environmentName } from '../../../shared/i18n/bookWords';
import { averagePayment, formatHKD, type DisplayLocale } from '../../../shared/money';
import { SalesChart } from './SalesChart';
import { EnvironmentTable } from './TotalsTable';

/** What waits for a manager, counted: items QFPay gave no final answer about, late payments, and books that do not verify. */
export interface NeedsManager {
  readonly items: number;
  readonly booksProblem: boolean;
}

/**
 * The range's sales at a glance, first on the manager's day: net, count, average and refunds of
 * this till's money, one table by wallet, a chart by hour (a day) or by day (a week, a month),
 * and what waits for a manager. The figures are this till's environment's; another environment's
 * money (training beside real) has a table of its own, never added in.
 */
export function DayGlance(props: { sales: SalesView; span: DaySpan; language: DisplayLocale; needs: NeedsManager; onShowNeeds: () => void }) {
  const { t } = useTranslation();
  const { sales, language, needs } = props;
  const money = (minor: number) => formatHKD(minor, language);
  const mine = sales.totals.find((totals) => totals.environment === sales.environment);
  const others = sales.totals.filter((totals) => totals.environment !== sales.environment);
  const payments = mine?.totals.payments ?? { count: 0, amount: 0 };
  const refunds = mine?.totals.refunds ?? { count: 0, amount: 0 };
  const average = averagePayment(payments.amount, payments.count);
  const needsAny = needs.items > 0 || needs.booksProblem;
  return (
    <section className="glance" aria-labelledby="glance-heading" data-testid="day-money">
      <h2 id="glance-heading">{t(`sales.heading.${props.span}`, { from: sales.from, to: sales.to })}</h2>
      <div className="glance-grid">
        <dl className="figures">
          <div className="figure figure-net">
            {/* With several environments' money in the range, the figures say whose they are. */}
            <dt>{others.length > 0 ? t('sales.netOf', { environment: environmentName(t, sales.environment) }) : t('sales.net')}</dt>
            <dd data-testid="glance-net">{money(mine?.totals.net ?? 0)}</dd>
          </div>
          <div className="figure">
            <dt>{t('sales.payments')}</dt>
            <dd data-testid="glance-count">{payments.count}</dd>
          </div>
          <div className="figure">
            <dt>{t('sales.average')}</dt>
            <dd data-testid="glance-average">{average === null ? '–' : money(average)}</dd>
          </div>
          <div className="figure">
            <dt>{t('sales.refunds')}</dt>
            <dd data-testid="glance-refunds">{t('sales.countAmount', { number: refunds.count, amount: money(refunds.amount) })}</dd>
          </div>
          <div className={`figure figure-needs${needsAny ? ' needs-some' : ''}`} data-testid="glance-needs">
            <dt>{t('sales.needs')}</dt>
            <dd>
              {needsAny ? (
                <>
                  {needs.items > 0 && <span>{t('sales.needsItems', { count: needs.items })} </span>}
                  <button type="button" onClick={props.onShowNeeds}>
                    {t('sales.needsShow')}
                  </button>
                  {needs.booksProblem && <span className="problem books-problem">{t('sales.booksProblem')}</span>}
                </>
              ) : (
                t('sales.needsNone')
              )}
            </dd>
          </div>
        </dl>
        <div className="glance-wallets">
          {/* This till's money first; another environment's (a gateway changed during the range) in its own table, never added in. */}
          {mine ? <EnvironmentTable totals={mine} language={language} testId="glance-wallets" /> : <p className="hint">{t('sales.noSales')}</p>}
          {others.map((totals) => (
            <EnvironmentTable key={totals.environment} totals={totals} language={language} />
          ))}
        </div>
        <SalesChart buckets={sales.buckets} language={language} />
      </div>
    </section>
  );
}
