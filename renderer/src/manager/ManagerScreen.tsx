import { useCallback, useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { CommandName, CommandResult, Language, PosApi } from '../../../shared/ipc/contract';
import { DayView, type DayPlace } from './DayView';
import { ReportsView } from './ReportsView';
import { PinGate } from './PinGate';
import { waitWords } from './waitWords';
import { SettingsForm } from './SettingsForm';
import { StoreView } from './StoreView';

type Tab = 'day' | 'reports' | 'store' | 'settings';

/**
 * Where the manager is (the tab, the day, the order open), kept in this tab's sessionStorage while
 * the manager's screen is open, and dropped on "Back to the till".
 *
 * Issue 24: a manager lost their place without a word, about a minute after a refund. Nothing in
 * the app reloads the page; what ends a screen's manager access on its own is (a) the page loaded
 * again (a reload from the browser or the View menu, or a tablet's browser that froze the page
 * when its screen slept and reloaded it on waking: a reload is a new page, which the till treats
 * as another screen, electron/web/screenStreams.ts), (b) in web mode, the page's event stream
 * silent for 30 s (the same sleeping screen: the till takes the page as gone and ends its access),
 * and (c) ten minutes without a manager command. Each of these used to look the same: after a
 * reload the page opened on the till (TillApp always started there), with nothing said; after
 * (b) or (c) the PIN came back only when the next command failed, and the order open was gone.
 * Now the page comes back to the manager's screen after a reload, a minute before the idle lock a
 * warning counts down with "Stay unlocked", and whichever lock it was, the PIN gate says why and
 * the PIN brings the manager back to the same tab, day and order.
 */
export const MANAGER_PLACE_KEY = 'qfpos-manager-place';
interface Place {
  readonly tab: Tab;
  readonly day?: DayPlace;
  /** The day the Reports tab shows. */
  readonly reportsDay?: string;
}
export function savedManagerPlace(): Place | null {
  try {
    const raw = sessionStorage.getItem(MANAGER_PLACE_KEY);
    return raw ? (JSON.parse(raw) as Place) : null;
  } catch {
    return null;
  }
}
function keepPlace(place: Place | null): void {
  try {
    if (place) sessionStorage.setItem(MANAGER_PLACE_KEY, JSON.stringify(place));
    else sessionStorage.removeItem(MANAGER_PLACE_KEY);
  } catch {
    // No storage (a private window that refuses it): the place is not kept across a reload.
  }
}

/** Why the PIN is asked again while the manager's screen was open. */
type LockReason = 'idle' | 'away' | 'reload';

/** How long before the idle lock the warning shows, and how often the screen asks the till. */
export const IDLE_WARNING_MS = 60_000;
const GATE_POLL_MS = 5_000;

/** The manager's screen inside the cashier window: behind the PIN, locked again on leaving. */
export function ManagerScreen({
  api,
  language,
  environment,
  headOffice,
  scanCaught = false,
  onScanSeen,
  onClose,
  reopened = false,
}: {
  api: PosApi<'cashier'>;
  language: Language;
  environment: string;
  headOffice: boolean;
  /** A customer's code was scanned while this screen was open, and caught (cashier/useScanGuard.ts). */
  scanCaught?: boolean;
  onScanSeen?: () => void;
  onClose: () => void;
  /** The page was loaded again while the manager's screen was open: it comes back here, locked, and says why. */
  reopened?: boolean;
}) {
  const { t } = useTranslation();
  // The store view comes with a head office: without one, a till knows only its own books.
  const TABS: readonly Tab[] = headOffice ? ['day', 'reports', 'store', 'settings'] : ['day', 'reports', 'settings'];
  const saved = useRef(reopened ? savedManagerPlace() : null);
  const [unlocked, setUnlocked] = useState(false);
  const [lockReason, setLockReason] = useState<LockReason | null>(reopened ? 'reload' : null);
  const [tab, setTab] = useState<Tab>(saved.current?.tab && TABS.includes(saved.current.tab) ? saved.current.tab : 'day');
  const [dayPlace, setDayPlace] = useState<DayPlace | undefined>(saved.current?.day);
  const [reportsDay, setReportsDay] = useState<string | undefined>(saved.current?.reportsDay);
  useEffect(() => keepPlace({ tab, ...(dayPlace ? { day: dayPlace } : {}), ...(reportsDay ? { reportsDay } : {}) }), [tab, dayPlace, reportsDay]);

  // This screen's access as the till last said it: time left, and when (this page's clock) it said so.
  const [access, setAccess] = useState<{ leftMs: number; idleLimitMs: number; at: number } | null>(null);
  const accessRef = useRef(access);
  useEffect(() => {
    accessRef.current = access;
  }, [access]);
  const locked = useCallback((reason?: LockReason) => {
    // Locked by the idle minutes if the till's last word was that they were nearly up; else the
    // screen lost touch with the till (slept, network) or the till restarted.
    const last = accessRef.current;
    const idle = last !== null && last.leftMs - (Date.now() - last.at) <= GATE_POLL_MS + 2_000;
    setUnlocked(false);
    setAccess(null);
    setLockReason(reason ?? (idle ? 'idle' : 'away'));
  }, []);
  // The till may end this screen's access on its own: the first answer that says so brings the
  // PIN back, in words, instead of empty pages that look like lost sales.
  const watched = useMemo(() => lockWatchedApi(api, () => locked()), [api, locked]);

  // While unlocked, the till is asked (without renewing the access) how long is left: often, and
  // at once when the screen is shown again (woken, or the tab brought back).
  const askGate = useCallback(
    async (stay = false) => {
      const gate = await api.commands.managerGate(stay ? { stay } : {});
      if (!gate.ok) return;
      if (gate.value.unlockedForMs <= 0) return locked();
      setAccess({ leftMs: gate.value.unlockedForMs, idleLimitMs: gate.value.idleLimitMs, at: Date.now() });
    },
    [api, locked],
  );
  useEffect(() => {
    if (!unlocked) return undefined;
    void askGate();
    const poll = setInterval(() => void askGate(), GATE_POLL_MS);
    const onShown = () => {
      if (document.visibilityState === 'visible') void askGate();
    };
    document.addEventListener('visibilitychange', onShown);
    return () => {
      clearInterval(poll);
      document.removeEventListener('visibilitychange', onShown);
    };
  }, [unlocked, askGate]);
  const tabButtons = useRef<Partial<Record<Tab, HTMLButtonElement | null>>>({});
  // The PIN taken, its field is gone: the focus goes to the tab shown, not to the page's body
  // (an order reopened after a reload takes it on from there).
  const justUnlocked = useRef(false);
  useEffect(() => {
    if (!unlocked || !justUnlocked.current) return;
    justUnlocked.current = false;
    tabButtons.current[tab]?.focus();
  }, [unlocked, tab]);
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
    keepPlace(null);
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
              <button
                type="button"
                onClick={() =>
                  guarded(
                    () =>
                      void api.commands.managerLock({}).then(() => {
                        setUnlocked(false);
                        setLockReason(null);
                      }),
                  )
                }
              >
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
        {unlocked && <IdleWarning access={access} onStay={() => void askGate(true)} />}
        {!unlocked ? (
          <>
            {lockReason && (
              <p className="notice warning" role="alert" data-testid="locked-by-till" data-reason={lockReason}>
                {lockReason === 'idle' ? t('manager.lockedIdle', { minutes: Math.round((access?.idleLimitMs ?? 600_000) / 60_000) }) : lockReason === 'reload' ? t('manager.lockedReload') : t('manager.lockedAway')}
              </p>
            )}
            <PinGate
              api={api}
              language={language}
              onUnlocked={() => {
                setLockReason(null);
                justUnlocked.current = true;
                setUnlocked(true);
              }}
            />
          </>
        ) : (
          <div role="tabpanel" id={`manager-panel-${tab}`} aria-labelledby={`manager-tab-${tab}`}>
            {tab === 'day' ? (
              <DayView api={watched} language={language} place={dayPlace} onPlace={setDayPlace} />
            ) : tab === 'reports' ? (
              <ReportsView api={watched} language={language} day={reportsDay} onDay={setReportsDay} />
            ) : tab === 'store' ? (
              <StoreView api={watched} language={language} />
            ) : (
              <SettingsForm api={watched} language={language} onDirty={setSettingsDirty} />
            )}
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

/**
 * A minute before the idle lock, its countdown and "Stay unlocked". The one-second clock is this
 * warning's own: held by the manager's screen, it drew the whole day view again every second.
 */
function IdleWarning({ access, onStay }: { access: { readonly leftMs: number; readonly at: number } | null; onStay: () => void }) {
  const { t } = useTranslation();
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const tick = setInterval(() => setNow(Date.now()), 1_000);
    return () => clearInterval(tick);
  }, []);
  if (!access) return null;
  const left = Math.max(0, access.leftMs - (now - access.at));
  if (left > IDLE_WARNING_MS) return null;
  return (
    <div className="notice warning idle-warning" role="alert" data-testid="idle-warning">
      <p aria-live="off">{t('manager.idleWarning', { wait: waitWords(t, left) })}</p>
      <button type="button" className="primary" onClick={onStay}>
        {t('manager.stayUnlocked')}
      </button>
    </div>
  );
}
