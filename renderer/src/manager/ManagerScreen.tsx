import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Language, PosApi } from '../../../shared/ipc/contract';
import { DayView } from './DayView';
import { PinGate } from './PinGate';
import { SettingsForm } from './SettingsForm';

/** The manager's screen inside the cashier window: behind the PIN, locked again on leaving. */
export function ManagerScreen({ api, language, environment, onClose }: { api: PosApi<'cashier'>; language: Language; environment: string; onClose: () => void }) {
  const { t } = useTranslation();
  const [unlocked, setUnlocked] = useState(false);
  const [tab, setTab] = useState<'day' | 'settings'>('day');

  const leave = async () => {
    await api.commands.managerLock({});
    onClose();
  };

  return (
    <div className="manager">
      {environment === 'demo' && <div className="banner demo">{t('demoBanner')}</div>}
      {environment === 'production' && <div className="banner production">{t('productionBadge')}</div>}
      <header className="topbar">
        <h1>{t('manager.open')}</h1>
        <div className="tabs" role="tablist">
          {unlocked &&
            (['day', 'settings'] as const).map((name) => (
              <button key={name} type="button" role="tab" aria-selected={tab === name} onClick={() => setTab(name)}>
                {t(`manager.${name}`)}
              </button>
            ))}
          {unlocked && (
            <button type="button" onClick={() => void api.commands.managerLock({}).then(() => setUnlocked(false))}>
              {t('manager.lock')}
            </button>
          )}
          <button type="button" onClick={() => void leave()}>
            {t('manager.backToTill')}
          </button>
        </div>
      </header>
      {!unlocked ? (
        <PinGate api={api} language={language} onUnlocked={() => setUnlocked(true)} />
      ) : tab === 'day' ? (
        <DayView api={api} language={language} />
      ) : (
        <SettingsForm api={api} language={language} />
      )}
    </div>
  );
}
