import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { daysBetween, hongKongDay } from '../../../shared/hkTime';
import type { CommandResponse, Language, PosApi } from '../../../shared/ipc/contract';
import type { ReconciliationResult } from '../../../shared/ledger/reconcileDay';
import { blockingCount, type PeriodReport, type Unresolved } from '../../../shared/ledger/reportTypes';
import { formatHKD } from '../../../shared/money';
import { environmentName, hkMinute, hkTime, sentenceGap } from '../../../shared/i18n/bookWords';
import { TrainingBadge } from './TotalsTable';
import { UnresolvedList } from './PeriodReports';

/** How many of the period's latest days the dialog reads the last comparison of; earlier ones are counted. */
const DAYS_SHOWN = 7;

export type CloseOutcome = CommandResponse<'managerClosePeriod'>;

/** What was typed, without the "Z" a manager may put before the number. */
const bareNumber = (typed: string) => typed.trim().replace(/^z\s*/i, '');
/** The typed confirmation: the Z number, alone or as "Z 3". */
function confirms(typed: string, number: number): boolean {
  return bareNumber(typed) === String(number);
}
/** Still on the way to the number ("1" of 12, "Z"): not yet a wrong entry. */
function onTheWay(typed: string, number: number): boolean {
  const bare = bareNumber(typed);
  return bare === '' || String(number).startsWith(bare);
}

/**
 * The close, as a deliberate act: what it will close (the period, its money per environment, how
 * its days compared with QFPay when last checked, what is still open), confirmed by typing the Z
 * number. A modal dialog: the page behind is inert, Escape cancels, and the focus goes back to the
 * button that opened it (the caller's `onCancel`). The main process still has the last word: a
 * refusal (something opened since the report was read) is said here, with what is open.
 */
export function CloseDialog(props: { api: PosApi<'cashier'>; language: Language; report: PeriodReport; onCancel: () => void; onClosed: (outcome: CloseOutcome) => void; onRefused: () => void }) {
  const { t } = useTranslation();
  const { report, language, api } = props;
  const dialog = useRef<HTMLDialogElement>(null);
  const field = useRef<HTMLInputElement>(null);
  const [typed, setTyped] = useState('');
  const [tried, setTried] = useState(false);
  const [closing, setClosing] = useState(false);
  const [refusal, setRefusal] = useState<{ words: string; unresolved?: Unresolved } | null>(null);
  const ids = useId();

  // The days the period touches, and their last comparison with QFPay (the latest few; the close asks about all).
  const days = daysBetween(hongKongDay(report.openedAt), hongKongDay(report.generatedAt));
  const shown = days.slice(-DAYS_SHOWN);
  const [checks, setChecks] = useState<readonly { day: string; result: ReconciliationResult | null }[] | null>(null);
  useEffect(() => {
    let current = true;
    void Promise.all(shown.map(async (day) => ({ day, result: await api.commands.managerDay({ day }).then((answer) => (answer.ok ? answer.value.reconciliation : null)) }))).then((read) => {
      if (current) setChecks(read);
    });
    return () => {
      current = false;
    };
    // Read once, when the dialog opens.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  // A modal <dialog>: the browser makes the page behind it inert and keeps the focus inside.
  useEffect(() => {
    const element = dialog.current;
    if (!element) return undefined;
    if (typeof element.showModal === 'function' && !element.open) element.showModal();
    else element.setAttribute('open', '');
    field.current?.focus();
    return () => {
      if (element.open && typeof element.close === 'function') element.close();
    };
  }, []);

  const ready = confirms(typed, report.number);
  const wrong = typed.trim() !== '' && !ready && (tried || !onTheWay(typed, report.number));

  async function close() {
    if (!ready || closing) {
      setTried(true);
      return;
    }
    setClosing(true);
    setRefusal(null);
    const result = await api.commands.managerClosePeriod({});
    setClosing(false);
    if (result.ok) return props.onClosed(result.value);
    setRefusal({ words: result.error.message[language], unresolved: result.error.details?.unresolved as Unresolved | undefined });
    props.onRefused();
  }

  // Tab and Shift+Tab stay in the dialog (a browser without a modal <dialog> would let them out).
  function onKeyDown(event: KeyboardEvent<HTMLDialogElement>) {
    if (event.key !== 'Tab') return;
    const focusable = [...(dialog.current?.querySelectorAll<HTMLElement>('input, button:not([disabled])') ?? [])];
    const first = focusable[0];
    const last = focusable[focusable.length - 1];
    if (!first || !last) return;
    if (event.shiftKey && document.activeElement === first) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && document.activeElement === last) {
      event.preventDefault();
      first.focus();
    }
  }

  const blocking = blockingCount(report.unresolved) > 0;
  return (
    <dialog
      ref={dialog}
      className="close-dialog"
      aria-modal="true"
      aria-labelledby={`${ids}-title`}
      data-testid="close-dialog"
      onKeyDown={onKeyDown}
      // Escape: cancelled, unless the close is already under way.
      onCancel={(event) => {
        event.preventDefault();
        if (!closing) props.onCancel();
      }}
    >
      <h2 id={`${ids}-title`}>{t('books.zclose.dialogTitle', { number: report.number })}</h2>
      <p>{t('books.zclose.since', { time: hkMinute(report.openedAt), number: report.number })}</p>

      <h3>{t('books.zclose.money')}</h3>
      {report.environments.length === 0 ? (
        <p>{t('books.zclose.noMoney')}</p>
      ) : (
        <ul className="close-money" data-testid="close-money">
          {report.environments.map((totals) => (
            <li key={totals.environment} data-environment={totals.environment}>
              <strong className="env-name">{environmentName(t, totals.environment)}</strong>
              {language === 'zh-HK' ? '：' : ': '}
              <TrainingBadge training={totals.training} />
              {t('books.zclose.envLine', {
                payments: totals.totals.payments.count,
                paid: formatHKD(totals.totals.payments.amount, language),
                refunds: totals.totals.refunds.count,
                refunded: formatHKD(totals.totals.refunds.amount, language),
                net: formatHKD(totals.totals.net, language),
              })}
            </li>
          ))}
        </ul>
      )}

      <h3>{t('books.zclose.qfpay')}</h3>
      <ul className="close-qfpay" data-testid="close-qfpay">
        {checks === null ? (
          <li>{t('books.zclose.checking')}</li>
        ) : (
          checks.map(({ day, result }) => (
            <li key={day} className={result === null ? undefined : result.agrees ? 'note-agrees' : 'note-other'}>
              {result === null
                ? t('books.zclose.dayUnknown', { day })
                : result.agrees
                  ? t('books.zclose.dayAgrees', { day, time: hkTime(result.checkedAt), matched: result.counts.matched })
                  : t('books.zclose.dayDiffers', { day, time: hkTime(result.checkedAt), differs: result.counts.differs, atQfpayOnly: result.counts.atQfpayOnly, open: result.counts.open })}
            </li>
          ))
        )}
        {days.length > shown.length && <li>{t('books.zclose.earlierDays', { count: days.length - shown.length })}</li>}
      </ul>
      <p className="hint">{t('books.zclose.asksAgain')}</p>

      <h3>{t('books.stillOpen')}</h3>
      {blocking ? (
        <>
          <p className="problem">{t('books.zclose.blocked')}</p>
          <UnresolvedList unresolved={report.unresolved} />
        </>
      ) : (
        <p>{t('books.zclose.nothingOpen')}</p>
      )}

      <div role="alert" data-testid="close-refused-area">
        {refusal && (
          <div className="close-refused" data-testid="close-refused">
            <p className="problem">{`${t('books.zclose.refused', { number: report.number })}${sentenceGap(language)}${refusal.words}`}</p>
            {refusal.unresolved && <UnresolvedList unresolved={refusal.unresolved} />}
          </div>
        )}
      </div>

      <p className="hint">{t('books.zclose.final')}</p>
      <form
        className="close-confirm"
        onSubmit={(event) => {
          event.preventDefault();
          void close();
        }}
      >
        <label htmlFor={`${ids}-number`}>{t('books.zclose.typeToConfirm', { number: report.number })}</label>
        <input
          ref={field}
          id={`${ids}-number`}
          autoComplete="off"
          inputMode="numeric"
          value={typed}
          disabled={closing}
          aria-invalid={wrong}
          aria-describedby={`${ids}-wrong`}
          onChange={(event) => {
            setTyped(event.target.value);
            setTried(false);
          }}
          // Enter on a wrong number: said beside the field (the disabled button would ignore it).
          onKeyDown={(event) => {
            if (event.key === 'Enter' && !ready) {
              event.preventDefault();
              setTried(true);
            }
          }}
        />
        <p id={`${ids}-wrong`} className="problem" data-testid="close-wrong">
          {wrong ? t('books.zclose.wrongNumber', { number: report.number }) : ''}
        </p>
        <p role="status">{closing ? t('books.zclose.closing') : ''}</p>
        <div className="confirm-buttons">
          <button type="submit" className="primary danger" disabled={!ready || closing}>
            {t('books.zclose.confirm', { number: report.number })}
          </button>
          <button type="button" disabled={closing} onClick={props.onCancel}>
            {t('books.zclose.cancel')}
          </button>
        </div>
      </form>
    </dialog>
  );
}

/** Nothing became final since the last close, and nothing is open: a close would make an empty Z. */
export function nothingToClose(report: PeriodReport): boolean {
  return report.environments.length === 0 && blockingCount(report.unresolved) === 0;
}

/**
 * The close of the open period (Z n), in a box of its own: a button that opens the close's dialog
 * (what it closes, confirmed by typing the number), or, when nothing became final since the last
 * close, a line that says so instead. Not printed.
 */
export function ClosePeriodPanel(props: { api: PosApi<'cashier'>; language: Language; report: PeriodReport; onClosed: (outcome: CloseOutcome) => void; onChanged: () => void }) {
  const { t } = useTranslation();
  const { report } = props;
  const [open, setOpen] = useState(false);
  const opener = useRef<HTMLButtonElement>(null);
  const cancel = () => {
    setOpen(false);
    // Back to the button that opened it, once the dialog has gone.
    setTimeout(() => opener.current?.focus(), 0);
  };
  return (
    <section className="period close-period-box no-print" aria-labelledby="close-period-heading" data-testid="close-period">
      <h2 id="close-period-heading">{t('books.zclose.title', { number: report.number })}</h2>
      {nothingToClose(report) ? (
        <p data-testid="nothing-to-close">{report.number > 1 ? t('books.zclose.nothingSince', { previous: report.number - 1, time: hkMinute(report.openedAt) }) : t('books.zclose.nothingFirst')}</p>
      ) : (
        <>
          <p className="hint">{t('books.zclose.hint')}</p>
          <button ref={opener} type="button" className="close-period" onClick={() => setOpen(true)}>
            {t('books.zclose.open', { number: report.number })}
          </button>
        </>
      )}
      {open && (
        <CloseDialog
          api={props.api}
          language={props.language}
          report={report}
          onCancel={cancel}
          onRefused={props.onChanged}
          onClosed={(outcome) => {
            setOpen(false);
            props.onClosed(outcome);
          }}
        />
      )}
    </section>
  );
}
