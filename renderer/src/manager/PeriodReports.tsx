import { Fragment, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DayView, Language, PosApi } from '../../../shared/ipc/contract';
import { byDayEntries, TRAINING_ENVIRONMENTS, type EnvironmentTotals, type PeriodReport, type ReconciliationNote, type Unresolved } from '../../../shared/ledger/reportTypes';
import { formatHKD } from '../../../shared/money';
import { environmentName, hkMinute, noteWords } from '../../../shared/i18n/bookWords';
import { EnvironmentTable, TotalsTable, TrainingBadge } from './TotalsTable';

/** What is still open, item by item; other gateways' items only when there are some. */
export function UnresolvedList({ unresolved }: { unresolved: Unresolved }) {
  const { t } = useTranslation();
  const rows = (['orders', 'latePayments', 'refunds', 'beforeManager', 'otherGateway'] as const).filter((name) => name !== 'otherGateway' || unresolved.otherGateway > 0);
  return (
    <ul className="counts">
      {rows.map((name) => (
        <li key={name} className={unresolved[name] > 0 ? 'count-open' : undefined} data-count={name}>
          {t(`books.unresolved.${name}`, { count: unresolved[name] })}
        </li>
      ))}
    </ul>
  );
}

export function NotesList({ notes, language }: { notes: readonly ReconciliationNote[]; language: Language }) {
  const { t } = useTranslation();
  if (notes.length === 0) return null;
  return (
    <ul className="notes">
      {notes.map((note) => (
        <li key={`${note.day}-${note.environment}`} className={note.agrees ? 'note-agrees' : 'note-other'}>
          {noteWords(t, note, language)}
        </li>
      ))}
    </ul>
  );
}

/** The period's net day by day, when it spans more than one (an X report's earlier days as one). */
function ByDayLine({ totals, language }: { totals: EnvironmentTotals; language: Language }) {
  const { t } = useTranslation();
  const entries = byDayEntries(totals);
  if (entries.length < 2) return null;
  const words = entries.map((entry) => (entry.before ? t('books.daysBefore', { day: entry.day, net: formatHKD(entry.net, language) }) : `${entry.day} ${formatHKD(entry.net, language)}`));
  // Each entry kept on one line: a narrow screen broke dates at their hyphens ("2026-" / "12-05").
  return (
    <p className="by-day">
      {t('books.byDay', { days: '' })}
      {words.map((word, index) => (
        <Fragment key={word}>
          {index > 0 && ' · '}
          <span className="by-day-entry">{word}</span>
        </Fragment>
      ))}
    </p>
  );
}

/**
 * The open period as an X report: looking at it or printing it closes nothing. Its close is a
 * box of its own (ClosePeriodPanel), apart from the X report's Print button.
 */
export function OpenPeriodPanel(props: { api: PosApi<'cashier'>; language: Language; report: PeriodReport }) {
  const { t } = useTranslation();
  const { report, language } = props;
  return (
    <section className="period open-period" aria-labelledby="open-period-heading" data-testid="open-period">
      <h2 id="open-period-heading">{t('books.openPeriod', { number: report.number })}</h2>
      <p className="hint">{t('books.openSince', { time: hkMinute(report.openedAt) })}</p>
      {report.environments.length === 0 ? (
        <p>{t('books.nothingInPeriod')}</p>
      ) : (
        <div className="money-tables">
          {report.environments.map((totals) => (
            <div key={totals.environment}>
              <EnvironmentTable totals={totals} language={language} testId="period-money" />
              <ByDayLine totals={totals} language={language} />
            </div>
          ))}
        </div>
      )}
      <p>{t('books.notPaid', { count: report.notPaid })}</p>
      <h3>{t('books.stillOpen')}</h3>
      <UnresolvedList unresolved={report.unresolved} />
      <div className="no-print close-actions">
        {/* Keyed by the period: "sent to the printer" belongs to the X report it printed, not the next period's. */}
        <PrintReportButton key={props.report.number} api={props.api} language={props.language} report="X" />
      </div>
    </section>
  );
}

/** The X (open period) or a Z report on the counter's receipt printer; it waits there if the printer is off. */
export function PrintReportButton({ api, language, report }: { api: PosApi<'cashier'>; language: Language; report: 'X' | number }) {
  const { t } = useTranslation();
  const [said, setSaid] = useState<string | null>(null);
  async function print() {
    const result = await api.commands.managerPrintReport({ report });
    setSaid(result.ok ? t('books.reportSentToPrinter') : result.error.message[language]);
  }
  return (
    <span className="print-report no-print">
      <button type="button" onClick={() => void print()}>
        {report === 'X' ? t('books.printX') : t('books.printZ', { number: report })}
      </button>
      <span role="status">{said}</span>
    </span>
  );
}

/** The Z reports whose period touches the day: their money per environment, and this day's share of it. */
export function ClosedPeriods({ day, reports, language, api }: { day: string; reports: readonly PeriodReport[]; language: Language; api?: PosApi<'cashier'> }) {
  const { t } = useTranslation();
  return (
    <section className="period closed-periods" aria-labelledby="closed-periods-heading" data-testid="closed-periods">
      <h2 id="closed-periods-heading">{t('books.closedPeriods', { day })}</h2>
      {reports.length === 0 && <p>{t('books.noClosedPeriods')}</p>}
      {reports.map((report) => (
        <article key={report.number} className="z-report" data-z={report.number} aria-labelledby={`z-${report.number}`}>
          <h3 id={`z-${report.number}`}>
            {t('books.zTitle', { number: report.number })} <span className="z-times">{t('books.zTimes', { opened: hkMinute(report.openedAt), closed: report.closedAt === null ? '' : hkMinute(report.closedAt) })}</span>
          </h3>
          {api && <PrintReportButton api={api} language={language} report={report.number} />}
          {report.environments.length === 0 ? (
            <p>{t('books.nothingInPeriod')}</p>
          ) : (
            <TotalsTable
              language={language}
              className="z-table"
              head={t('books.environment')}
              netHeader={t('books.periodNet')}
              after={[{ header: t('books.dayShare', { day }), number: true }]}
              rows={report.environments.map((totals) => ({
                key: totals.environment,
                head: (
                  <>
                    {environmentName(t, totals.environment)}
                    <TrainingBadge training={totals.training} />
                  </>
                ),
                money: totals.totals,
                after: [formatHKD(totals.days.find((entry) => entry.day === day)?.net ?? 0, language)],
              }))}
            />
          )}
          <NotesList notes={report.reconciliation} language={language} />
        </article>
      ))}
    </section>
  );
}

/**
 * The head of the printed report (hidden on screen): the shop, the till, the periods on the page,
 * when it was printed (Hong Kong time), and a training mark when this till's money is not real.
 */
export function PrintHeader({ day, shopName, printedAt }: { day: DayView; shopName: string | null; printedAt: number }) {
  const { t } = useTranslation();
  const training = TRAINING_ENVIRONMENTS.includes(day.environment);
  const closed = day.closedPeriods.map((report) => report.number);
  return (
    <header className="print-only print-header" data-testid="print-header">
      <h1>{t('books.printTitle', { shop: shopName ?? '', day: day.day })}</h1>
      {training && (
        <p className="print-training" data-testid="print-training">
          {t('books.printTraining', { environment: environmentName(t, day.environment) })}
        </p>
      )}
      <p>
        {t('books.printTill', { till: day.openPeriod.tillId })} · {t('books.printOpenPeriod', { number: day.openPeriod.number })}
        {closed.length > 0 && ` · ${t('books.printClosedPeriods', { count: closed.length, list: closed.map((number) => `Z ${number}`).join(', ') })}`}
      </p>
      <p>
        {t('books.printedAt', { time: hkMinute(printedAt) })} · {t('books.printAsOf', { time: hkMinute(day.openPeriod.generatedAt) })} · {t('books.amountsInHKD')}
      </p>
    </header>
  );
}
