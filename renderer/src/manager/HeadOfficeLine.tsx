import { useTranslation } from 'react-i18next';
import type { HeadOfficeStatus } from '../../../shared/ipc/contract';
import { hkTime } from '../common/bookWords';

/** One line on the manager's screen: whether the head office has this till's books. Nothing when none is configured. */
export function HeadOfficeLine({ status }: { status: HeadOfficeStatus }) {
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
  // A section of the day like the others (the books' panels style `.books > section`).
  return (
    <section className="head-office" aria-label={t('headOffice.title')}>
      <p className={trouble ? 'notice warning' : 'hint'} data-testid="head-office" role={trouble ? 'alert' : undefined}>
        {words}
      </p>
    </section>
  );
}
