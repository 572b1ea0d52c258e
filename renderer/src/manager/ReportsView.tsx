import { useCallback, useEffect, useEffectEvent, useRef, useState, type Ref } from 'react';
import { flushSync } from 'react-dom';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { hongKongDay } from '../../../shared/hkTime';
import type { DayView as Day, Language, PosApi } from '../../../shared/ipc/contract';
import { formatHKD } from '../../../shared/money';
import { environmentName, sentenceGap } from '../../../shared/i18n/bookWords';
import { BooksCheckPanel } from './BooksCheckPanel';
import { ClosePeriodPanel, type CloseOutcome } from './ClosePeriod';
import { DayPicker } from './DayPicker';
import { HeadOfficeLine } from './HeadOfficeLine';
import { ClosedPeriods, NotesList, OpenPeriodPanel, PrintHeader } from './PeriodReports';
import { ReconciliationPanel } from './ReconciliationPanel';
import { EnvironmentTable } from './TotalsTable';

/**
 * The books, on a tab of their own: the day's money, the books' check, the day compared with
 * QFPay, the open period (the X report), its close (Z) apart from it, and the closed periods that
 * touch the day. What the Print button (or Ctrl+P) prints: the day's report, headed by the shop.
 */
export function ReportsView({ api, language, day: placeDay, onDay }: { api: PosApi<'cashier'>; language: Language; day?: string; onDay?: (day: string) => void }) {
  const { t } = useTranslation();
  const [date, setDate] = useState(() => placeDay ?? hongKongDay(Date.now()));
  const [day, setDay] = useState<Day | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [closed, setClosed] = useState<CloseOutcome | null>(null);
  const banner = useRef<HTMLDivElement>(null);

  const load = useCallback(async () => {
    const result = await api.commands.managerDay({ day: date });
    if (result.ok) setDay(result.value);
    else setMessage(result.error.message[language]);
  }, [api, date, language]);
  useEffect(() => {
    void load();
  }, [load]);
  const dayChanged = useEffectEvent((next: string) => onDay?.(next));
  useEffect(() => dayChanged(date), [date]);

  // The printed report names the shop, and the moment it was printed: Ctrl+P prints too, so the
  // time is taken just before any print, and drawn before the page is laid out for paper.
  const [shopName, setShopName] = useState<string | null>(null);
  const [printedAt, setPrintedAt] = useState(() => Date.now());
  useEffect(() => {
    void api.commands.readSettings({}).then((result) => result.ok && setShopName(result.value.settings.shopName));
    const beforePrint = () => flushSync(() => setPrintedAt(Date.now()));
    window.addEventListener('beforeprint', beforePrint);
    return () => window.removeEventListener('beforeprint', beforePrint);
  }, [api]);

  // A close's result at the top of the page, where the eye is: brought into view and focused (announced).
  useEffect(() => {
    if (!closed) return;
    // The page's top (the tabs, the day, then the result) into view: the result is its first words.
    window.scrollTo?.(0, 0);
    if ((banner.current?.getBoundingClientRect().bottom ?? 0) > window.innerHeight) banner.current?.scrollIntoView?.({ block: 'nearest' });
    banner.current?.focus({ preventScroll: true });
  }, [closed]);

  return (
    <div className="reports-view">
      <div className="toolbar">
        <DayPicker day={date} language={language} onDay={setDate} />
        <button type="button" onClick={() => window.print()}>
          {t('manager.print')}
        </button>
      </div>
      <p className="notice" role="status">
        {message}
      </p>
      {closed && <CloseBanner ref={banner} outcome={closed} language={language} onHide={() => setClosed(null)} />}
      {day && (
        <>
          {/* Printed, the page starts with whose report it is; the books' check follows it. */}
          <PrintHeader day={day} shopName={shopName} printedAt={printedAt} />
          <BooksCheckPanel checks={[day.books]} language={language} scope="till" />
          <div className="books">
            {/* On paper only: on screen the Day tab's glance has the day's money, and the X report below has the period's. */}
            <section className="day-money on-paper" aria-labelledby="day-money-heading" data-testid="day-money">
              <h2 id="day-money-heading">{t('books.dayMoney', { day: day.day })}</h2>
              <p className="hint">{t('books.dayMoneyHint')}</p>
              {day.totals.length === 0 ? (
                <p>{t('books.noMoney')}</p>
              ) : (
                <div className="money-tables">
                  {day.totals.map((totals) => (
                    <EnvironmentTable key={totals.environment} totals={totals} language={language} />
                  ))}
                </div>
              )}
            </section>
            <HeadOfficeLine status={day.headOffice} confirmations={day.confirmations} />
            <ReconciliationPanel key={day.day} api={api} language={language} day={day.day} latest={day.reconciliation} onChecked={() => void load()} />
            <OpenPeriodPanel api={api} language={language} report={day.openPeriod} />
            <ClosePeriodPanel
              api={api}
              language={language}
              report={day.openPeriod}
              onChanged={() => void load()}
              onClosed={(outcome) => {
                setClosed(outcome);
                void load();
              }}
            />
            <ClosedPeriods day={day.day} reports={day.closedPeriods} language={language} api={api} />
          </div>
        </>
      )}
    </div>
  );
}

/**
 * Why a backup failed, in words without a path (the path stays in the till's log and the CLI):
 * the two causes a shop can act on named, other reasons kept when they carry no path.
 */
export function backupReason(t: TFunction, error: string | undefined): string | null {
  if (!error) return null;
  if (/ENOSPC/.test(error)) return t('books.zclose.backupNoSpace');
  if (/EACCES|EPERM|EROFS/.test(error)) return t('books.zclose.backupNoPermission');
  const pathless = error
    .replace(/^E[A-Z]+:\s*/, '')
    .split(/,\s*\w+\s+'/)[0]
    ?.split(/\s/)
    .filter((word) => !/[/\\]/.test(word))
    .join(' ')
    .trim();
  return pathless && !/[/\\]/.test(pathless) ? pathless.replace(/[.:,]+$/, '') : null;
}

/** "Z 3 closed: 12 payments, 1 refund, HK$1,234.00 net. QFPay agrees. Backup kept." */
export function CloseBanner({ outcome, language, onHide, ref }: { outcome: CloseOutcome; language: Language; onHide: () => void; ref: Ref<HTMLDivElement> }) {
  const { t } = useTranslation();
  const { report, backup } = outcome;
  const named = report.environments.length > 1 || report.environments.some((totals) => totals.training);
  const money =
    report.environments.length === 0
      ? t('books.zclose.closedNoMoney')
      : report.environments
          .map((totals) => {
            const counts = { payments: totals.totals.payments.count, refunds: totals.totals.refunds.count, net: formatHKD(totals.totals.net, language) };
            const name = environmentName(t, totals.environment);
            // Training money always says so; an environment is named when there are several.
            return named ? t('books.zclose.closedEnvNamed', { ...counts, environment: totals.training ? t('books.zclose.trainingNamed', { environment: name }) : name }) : t('books.zclose.closedEnv', counts);
          })
          .join(language === 'zh-HK' ? '；' : '; ');
  const notes = report.reconciliation;
  const agrees = notes.length > 0 && notes.every((note) => note.agrees);
  const reason = backup.ok ? null : backupReason(t, backup.error);
  return (
    <div ref={ref} className={`close-banner no-print${backup.ok ? '' : ' close-banner-problem'}`} role="status" tabIndex={-1} data-testid="close-result">
      <p className="close-banner-words">
        {[t('books.zclose.closed', { number: report.number, money }), agrees ? t('books.zclose.qfpayAgrees') : '', backup.ok ? t('books.zclose.backupKept') : ''].filter(Boolean).join(sentenceGap(language))}
      </p>
      {!agrees && notes.length > 0 && (
        <>
          <p>{t('books.zclose.qfpayNotAll')}</p>
          <NotesList notes={notes} language={language} />
        </>
      )}
      {!backup.ok && <p className="problem">{reason ? t('books.zclose.backupFailed', { reason }) : t('books.zclose.backupFailedNoReason')}</p>}
      <button type="button" onClick={onHide}>
        {t('books.zclose.dismiss')}
      </button>
    </div>
  );
}
