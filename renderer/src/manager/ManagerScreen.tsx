import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { CommandName, CommandResult, Language, PosApi } from '../../../shared/ipc/contract';
import { DayView } from './DayView';
import { PinGate } from './PinGate';
import { SettingsForm } from './SettingsForm';
import { StoreView } from './StoreView';

type Tab = 'day' | 'store' | 'settings';

/** The manager's screen inside the cashier window: behind the PIN, locked again on leaving. */
export function ManagerScreen({
  api,
  language,
  environment,
  headOffice,
  scanCaught = false,
  onScanSeen,
  onClose,
}: {
  api: PosApi<'cashier'>;
  language: Language;
  environment: string;
  headOffice: boolean;
  /** A customer's code was scanned while this screen was open, and caught (cashier/useScanGuard.ts). */
  scanCaught?: boolean;
  onScanSeen?: () => void;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  // The store view comes with a head office: without one, a till knows only its own books.
  const TABS: readonly Tab[] = headOffice ? ['day', 'store', 'settings'] : ['day', 'settings'];
  const [unlocked, setUnlocked] = useState(false);
  const [lockedByTill, setLockedByTill] = useState(false);
  const [tab, setTab] = useState<Tab>('day');
  // The till may end this screen's access on its own (it restarted; ten idle minutes): the first
  // answer that says so brings the PIN back, in words, instead of empty pages that look like lost sales.
  const watched = useMemo(
    () =>
      lockWatchedApi(api, () => {
        setUnlocked(false);
        setLockedByTill(true);
      }),
    [api],
  );
  const tabButtons = useRef<Partial<Record<Tab, HTMLButtonElement | null>>>({});
  // Settings edits not yet saved: leaving the tab, the manager's screen or the PIN drops them, so
  // those ask first (an in-app question, the same in the desktop app and in a browser).
  const [settingsDirty, setSettingsDirty] = useState(false);
  const [leaving, setLeaving] = useState<{ go: () => void } | null>(null);
  const keepEditing = useRef<HTMLButtonElement>(null);
  const discardButton = useRef<HTMLButtonElement>(null);
  const returnFocus = useRef<HTMLElement | null>(null);
  const guarded = (go: () => void) => {
    if (!(tab === 'settings' && settingsDirty)) return go();
    returnFocus.current = document.activeElement as HTMLElement | null;
    setLeaving({ go });
  };
  const stay = () => setLeaving(null);
  // Asked: on Keep editing. Answered: back where the manager was (once the screen is no longer inert).
  useEffect(() => {
    if (leaving) return keepEditing.current?.focus();
    returnFocus.current?.focus();
    returnFocus.current = null;
  }, [leaving]);

  const leave = async () => {
    await api.commands.managerLock({});
    onClose();
  };

  // The tab list holds only its tabs (Lock and Back sit beside it); arrows, Home and End move
  // between them and show each at once, as the ARIA tabs pattern says.
  function onTabKey(event: KeyboardEvent<HTMLButtonElement>) {
    const index = TABS.indexOf(tab);
    const next =
      event.key === 'ArrowRight' ? TABS[(index + 1) % TABS.length] : event.key === 'ArrowLeft' ? TABS[(index - 1 + TABS.length) % TABS.length] : event.key === 'Home' ? TABS[0] : event.key === 'End' ? TABS[TABS.length - 1] : undefined;
    if (!next) return;
    event.preventDefault();
    guarded(() => {
      setTab(next);
      tabButtons.current[next]?.focus();
    });
  }

  return (
    <div className="manager">
      {/* While the unsaved-edits question is open, only it can be reached: the screen behind is inert. */}
      <header inert={leaving !== null}>
        {environment === 'demo' && <div className="banner demo">{t('demoBanner')}</div>}
        {environment === 'production' && <div className="banner production">{t('productionBadge')}</div>}
        <div className="topbar">
          <h1>{t('manager.open')}</h1>
          <div className="tabs">
            {unlocked && (
              <div role="tablist" aria-label={t('manager.sections')} className="tab-list">
                {TABS.map((name) => (
                  <button
                    key={name}
                    ref={(element) => {
                      tabButtons.current[name] = element;
                    }}
                    type="button"
                    role="tab"
                    id={`manager-tab-${name}`}
                    aria-selected={tab === name}
                    aria-controls={`manager-panel-${name}`}
                    tabIndex={tab === name ? 0 : -1}
                    onClick={() => name !== tab && guarded(() => setTab(name))}
                    onKeyDown={onTabKey}
                  >
                    {t(`manager.${name}`)}
                  </button>
                ))}
              </div>
            )}
            {unlocked && (
              <button type="button" onClick={() => guarded(() => void api.commands.managerLock({}).then(() => setUnlocked(false)))}>
                {t('manager.lock')}
              </button>
            )}
            <button type="button" onClick={() => guarded(() => void leave())}>
              {t('manager.backToTill')}
            </button>
          </div>
        </div>
      </header>
      <main inert={leaving !== null}>
        {/* Above the PIN and every section: the scan may have been caught in any of them. */}
        {scanCaught && (
          <div className="scan-caught" role="alert" data-testid="scan-caught">
            <p>{t('manager.scanCaught')}</p>
            <button type="button" onClick={onScanSeen}>
              {t('manager.scanCaughtSeen')}
            </button>
          </div>
        )}
        {!unlocked ? (
          <>
            {lockedByTill && (
              <p className="notice warning" role="alert" data-testid="locked-by-till">
                {t('manager.lockedByTill')}
              </p>
            )}
            <PinGate
              api={api}
              language={language}
              onUnlocked={() => {
                setLockedByTill(false);
                setUnlocked(true);
              }}
            />
          </>
        ) : (
          <div role="tabpanel" id={`manager-panel-${tab}`} aria-labelledby={`manager-tab-${tab}`}>
            {tab === 'day' ? <DayView api={watched} language={language} /> : tab === 'store' ? <StoreView api={watched} language={language} /> : <SettingsForm api={watched} language={language} onDirty={setSettingsDirty} />}
          </div>
        )}
      </main>
      {leaving && (
        <div className="modal-backdrop">
          <div
            className="confirm unsaved-confirm"
            role="alertdialog"
            aria-modal="true"
            aria-labelledby="unsaved-words"
            data-testid="unsaved-confirm"
            onKeyDown={(event) => {
              if (event.key === 'Escape') stay();
              // Two buttons and nothing else to reach: Tab and Shift+Tab go from one to the other.
              if (event.key === 'Tab') {
                event.preventDefault();
                (event.target === keepEditing.current ? discardButton : keepEditing).current?.focus();
              }
            }}
          >
            <p id="unsaved-words">{t('settings.unsaved')}</p>
            <div className="confirm-buttons">
              <button
                type="button"
                ref={discardButton}
                className="primary danger"
                onClick={() => {
                  returnFocus.current = null;
                  setLeaving(null);
                  setSettingsDirty(false);
                  leaving.go();
                }}
              >
                {t('settings.discardEdits')}
              </button>
              <button type="button" ref={keepEditing} onClick={stay}>
                {t('settings.keepEditing')}
              </button>
            </div>
          </div>
        </div>
      )}
    </div>
  );
}

/** The same API, telling `onLocked` when an answer says the manager's access has ended. */
function lockWatchedApi(api: PosApi<'cashier'>, onLocked: () => void): PosApi<'cashier'> {
  const commands = Object.fromEntries(
    Object.entries(api.commands).map(([name, command]) => [
      name,
      async (request: unknown) => {
        const result = await (command as (request: unknown) => Promise<CommandResult<CommandName>>)(request);
        if (!result.ok && result.error.code === 'manager_locked') onLocked();
        return result;
      },
    ]),
  );
  return { ...api, commands: commands as PosApi<'cashier'>['commands'] };
}
