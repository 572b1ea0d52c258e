import { useTranslation } from 'react-i18next';
import type { ConfirmationStatus, HeadOfficeStatus } from '../../../shared/ipc/contract';
import { hkTime } from '../../../shared/i18n/bookWords';

/**
 * The manager's head-office lines: whether the head office has this till's books, and how the
 * till learns of payments (QFPay's pushes through its relay, or checking QFPay itself). Nothing
 * when none is configured.
 */
export function HeadOfficeLine({ status, confirmations }: { status: HeadOfficeStatus; confirmations: ConfirmationStatus | null }) {
  const { t } = useTranslation();
  if (status.state === 'off') return null;
  const words =
    status.state === 'starting'
      ? t('headOffice.starting')
      : status.state === 'in_sync'
        ? t('headOffice.inSync', { time: hkTime(status.at) })
        : status.state === 'behind'
          ? t('headOffice.behind', { count: status.records })
          : status.state === 'unreachable'
            ? t('headOffice.unreachable', { time: hkTime(status.since) })
            : t(`headOffice.refused.${status.code}`);
  const trouble = status.state === 'unreachable' || status.state === 'refused';
  const seconds = confirmations ? String(confirmations.checkEveryMs / 1000) : '';
  // A section of the day like the others (the books' panels style `.books > section`).
  return (
    <section className="head-office" aria-label={t('headOffice.title')}>
      <p className={trouble ? 'notice warning' : 'hint'} data-testid="head-office" role={trouble ? 'alert' : undefined}>
        {words}
      </p>
      {confirmations && (
        <p className="hint" data-testid="confirmations" data-mode={confirmations.mode}>
          {confirmations.mode === 'pushed' ? t('headOffice.pushed', { seconds }) : t(`headOffice.polling.${confirmations.reason}`, { seconds })}
        </p>
      )}
    </section>
  );
}
