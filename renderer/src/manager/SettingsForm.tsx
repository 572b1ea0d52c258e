import { cloneElement, isValidElement, useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { commandError } from '../../../shared/i18n/commandErrors';
import { localCallShare } from '../../../shared/qfpay/callLimit';
import type { Language, ManagerSettingsView, PosApi } from '../../../shared/ipc/contract';
import { ENVIRONMENTS, SETTINGS_MESSAGES, type SettingsProblem, type SettingsUpdate } from '../../../shared/settings/tillSettings';
import { DemoPrinter } from './DemoPrinter';
import { NEW_PIN_PATTERN } from '../../../shared/settings/managerPinRules';

type Draft = Omit<ManagerSettingsView, 'clientKeySet' | 'pinSet' | 'keyProtection' | 'activeEnvironment' | 'headOfficePasswordSet'>;

/**
 * The till's settings. The client key is write-only: the form only learns whether one is set.
 * `onDirty` hears whether the form holds edits Save has not stored (the manager's screen asks
 * before dropping them); the window asks too, before the page is closed or reloaded.
 */
export function SettingsForm({ api, language, onDirty }: { api: PosApi<'cashier'>; language: Language; onDirty?: (dirty: boolean) => void }) {
  const { t } = useTranslation();
  const [saved, setSaved] = useState<ManagerSettingsView | null>(null);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [clientKey, setClientKey] = useState('');
  const [officePassword, setOfficePassword] = useState('');
  const [consent, setConsent] = useState(false);
  const [problems, setProblems] = useState<readonly SettingsProblem[]>([]);
  const [message, setMessage] = useState<{ text: string; good: boolean } | null>(null);
  const [newPin, setNewPin] = useState('');
  const [testing, setTesting] = useState(false);

  useEffect(() => {
    void api.commands.managerReadSettings({}).then((result) => {
      if (!result.ok) return;
      const { clientKeySet: _set, pinSet: _pin, keyProtection: _protection, activeEnvironment: _active, headOfficePasswordSet: _office, ...values } = result.value.settings;
      setSaved(result.value.settings);
      setDraft(values);
    });
  }, [api]);

  const formRef = useRef<HTMLFormElement>(null);
  // A refused save names the field where it is, far from Save: the first refused field is brought into view and focused.
  useEffect(() => {
    if (problems.length === 0) return;
    const first = formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]');
    first?.scrollIntoView?.({ block: 'center' });
    first?.focus();
  }, [problems]);

  // Edits Save has not stored: a field changed from what was read, or a key, password or PIN typed.
  const dirty = !!draft && !!saved && ((Object.keys(draft) as (keyof Draft)[]).some((key) => draft[key] !== saved[key]) || clientKey !== '' || officePassword !== '' || newPin !== '');
  const onDirtyRef = useRef(onDirty);
  onDirtyRef.current = onDirty;
  useEffect(() => {
    onDirtyRef.current?.(dirty);
  }, [dirty]);
  // Gone from the screen (the tab changed, the till locked it): nothing of it is left to lose.
  useEffect(
    () => () => {
      onDirtyRef.current?.(false);
    },
    [],
  );
  // Closing or reloading the page with edits is refused here. A browser then asks its own
  // question; in the desktop app Electron asks nobody, so the main process does, in the till's
  // language (electron/main/shell.ts, `will-prevent-unload`), and lets the page go on Discard.
  useEffect(() => {
    if (!dirty) return;
    const ask = (event: BeforeUnloadEvent) => {
      event.preventDefault();
      event.returnValue = '';
    };
    window.addEventListener('beforeunload', ask);
    return () => window.removeEventListener('beforeunload', ask);
  }, [dirty]);

  if (!draft || !saved) return null;
  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => setDraft({ ...draft, [key]: value });
  const problemFor = (field: keyof SettingsUpdate) => problems.filter((problem) => problem.field === field).map((problem) => SETTINGS_MESSAGES[problem.error][language]);
  const leavingDemo = saved.environment === 'demo' && draft.environment !== 'demo';

  // An emptied number field shows empty, not 0 (typing after a 0 gave "030"); 0 is never valid in these.
  const shown = (value: number) => (value === 0 || Number.isNaN(value) ? '' : value);

  /** The form as it stands, with a typed client key if any: what Save stores and what Test connection tries. */
  const formValues = (): SettingsUpdate => ({
    ...draft,
    ...(clientKey !== '' ? { clientKey } : {}),
    ...(officePassword !== '' ? { headOfficePassword: officePassword } : {}),
    ...(leavingDemo ? { confirmLeaveDemo: consent } : {}),
  });

  const refused = (error: { message: { en: string; 'zh-HK': string }; details?: Readonly<Record<string, unknown>> }) => {
    const found = (error.details?.problems as SettingsProblem[] | undefined) ?? [];
    setProblems(found);
    // Near Save, where the manager pressed it: how many fields to fix (each says why beside it).
    const fields = [...new Set(found.map((problem) => problem.field))];
    const names = fields.map((name) => (name === 'confirmLeaveDemo' ? t('settings.confirmLeaveDemo') : t(`settings.${name}`))).join(language === 'en' ? '; ' : '；');
    setMessage({ text: fields.length > 0 ? t('settings.fieldsToFix', { count: fields.length, fields: names }) : error.message[language], good: false });
  };

  async function save(event: FormEvent) {
    event.preventDefault();
    if (!draft) return;
    const result = await api.commands.managerSaveSettings(formValues());
    if (result.ok) {
      setSaved(result.value.settings);
      setClientKey('');
      setOfficePassword('');
      setProblems([]);
      // The main process knows whether a field the running gateway uses really changed.
      setMessage({ text: result.value.restartNeeded ? t('settings.restartNeeded') : t('settings.saved'), good: true });
    } else {
      refused(result.error);
    }
  }

  async function changePin() {
    if (!NEW_PIN_PATTERN.test(newPin)) return setMessage({ text: commandError('pin_invalid').message[language], good: false });
    const result = await api.commands.managerSetPin({ pin: newPin });
    setNewPin('');
    setMessage(result.ok ? { text: t('settings.pinChanged'), good: true } : { text: result.error.message[language], good: false });
  }

  /** Tries the form's values, unsaved: a manager can check new credentials before the till depends on them. */
  async function testConnection() {
    setTesting(true);
    setMessage({ text: t('settings.testing'), good: true });
    // The consent guards a save; a test saves nothing and moves no money, so it is not asked for here.
    // Testing keys saves nothing and takes no money: the main process does not ask for the consent here.
    const result = await api.commands.managerTestConnection({ settings: formValues() });
    setTesting(false);
    if (!result.ok) return refused(result.error);
    setProblems([]);
    setMessage({ text: result.value.message[language], good: result.value.verdict === 'ok' });
  }

  /** A field with its refusal right under its input, tied to it (aria-invalid, aria-describedby) so a screen reader says why. */
  const field = (name: keyof SettingsUpdate, input: ReactNode, hint?: ReactNode) => {
    const words = problemFor(name);
    const problemId = `settings-${name}-problem`;
    const hintId = `settings-${name}-hint`;
    const describedBy = [words.length > 0 ? problemId : '', hint ? hintId : ''].filter(Boolean).join(' ') || undefined;
    const tied = isValidElement<Record<string, unknown>>(input) ? cloneElement(input, { 'aria-invalid': words.length > 0 || undefined, 'aria-describedby': describedBy }) : input;
    return (
      <div className={words.length > 0 ? 'field invalid' : 'field'}>
        <label>
          {t(`settings.${name}`)}
          {tied}
        </label>
        {words.length > 0 && (
          <p id={problemId} className="problem field-problem" data-field={name}>
            {words.join(' ')}
          </p>
        )}
        {hint && <small id={hintId}>{hint}</small>}
      </div>
    );
  };

  return (
    <div className="settings">
      <form ref={formRef} className="settings-form" onSubmit={(event) => void save(event)} aria-label={t('manager.settings')}>
        <p className={`running env-${saved.activeEnvironment}`}>{t('settings.running', { environment: t(`settings.env_${saved.activeEnvironment}`) })}</p>
        {field(
          'environment',
          <select value={draft.environment} onChange={(event) => set('environment', event.target.value as Draft['environment'])}>
            {ENVIRONMENTS.map((environment) => (
              <option key={environment} value={environment}>
                {t(`settings.env_${environment}`)}
              </option>
            ))}
          </select>,
        )}
        {draft.environment === 'custom' && field('customUrl', <input value={draft.customUrl} onChange={(event) => set('customUrl', event.target.value)} />)}
        {field('appCode', <input value={draft.appCode} autoComplete="off" onChange={(event) => set('appCode', event.target.value)} />)}
        {field(
          'clientKey',
          <input type="password" autoComplete="new-password" value={clientKey} placeholder={saved.clientKeySet ? t('settings.clientKeySet') : t('settings.clientKeyUnset')} onChange={(event) => setClientKey(event.target.value)} />,
          saved.keyProtection === 'os-encrypted' ? t('settings.keyProtection_os') : t('settings.keyProtection_file'),
        )}
        {field('mchid', <input value={draft.mchid} autoComplete="off" onChange={(event) => set('mchid', event.target.value)} />)}
        {field(
          'signType',
          <select value={draft.signType} onChange={(event) => set('signType', event.target.value as Draft['signType'])}>
            <option value="SHA256">SHA256</option>
            <option value="MD5">MD5</option>
          </select>,
        )}
        {field('tillId', <input value={draft.tillId} onChange={(event) => set('tillId', event.target.value)} />)}
        {field('shopName', <input value={draft.shopName} onChange={(event) => set('shopName', event.target.value)} />)}
        {field('qrLifetimeMinutes', <input type="number" value={shown(draft.qrLifetimeMinutes)} onChange={(event) => set('qrLifetimeMinutes', Number(event.target.value))} />)}
        {field('pollIntervalMs', <input type="number" step="1" value={shown(draft.pollIntervalMs / 1000)} onChange={(event) => set('pollIntervalMs', Math.round(Number(event.target.value) * 1000))} />)}
        <div className="field checkbox-field">
          <label>
            <input type="checkbox" checked={draft.paidChime} onChange={(event) => set('paidChime', event.target.checked)} /> {t('settings.paidChime')}
          </label>
          <small>{t('settings.paidChimeHint')}</small>
        </div>
        <fieldset className="printer-settings">
          <legend>{t('settings.printing')}</legend>
          {field('printer', <input value={draft.printer} autoComplete="off" spellCheck={false} placeholder="tcp://192.168.1.50:9100" onChange={(event) => set('printer', event.target.value.trim())} />, t('settings.printerHint'))}
          {field(
            'paperWidth',
            <select value={draft.paperWidth} onChange={(event) => set('paperWidth', Number(event.target.value) === 58 ? 58 : 80)}>
              <option value={80}>80 mm</option>
              <option value={58}>58 mm</option>
            </select>,
          )}
          <div className="field checkbox-field">
            <label>
              <input type="checkbox" checked={draft.autoPrint} onChange={(event) => set('autoPrint', event.target.checked)} /> {t('settings.autoPrint')}
            </label>
          </div>
        </fieldset>
        <fieldset className="head-office-settings">
          <legend>{t('settings.headOffice')}</legend>
          {field('headOfficeUrl', <input value={draft.headOfficeUrl} autoComplete="off" spellCheck={false} placeholder="postgres://till@office.example:5432/store" onChange={(event) => set('headOfficeUrl', event.target.value.trim())} />, t('settings.headOfficeUrlHint'))}
          {field(
            'headOfficePassword',
            <input type="password" autoComplete="new-password" value={officePassword} placeholder={saved.headOfficePasswordSet ? t('settings.clientKeySet') : t('settings.clientKeyUnset')} onChange={(event) => setOfficePassword(event.target.value)} />,
          )}
          {field('merchantTills', <input type="number" min={1} max={60} step={1} value={shown(draft.merchantTills)} onChange={(event) => set('merchantTills', Number(event.target.value))} />, t('settings.merchantTillsHint', { share: localCallShare(draft.merchantTills || 1) }))}
        </fieldset>
        {leavingDemo && (
          <div className="field consent">
            <label>
              <input
                type="checkbox"
                checked={consent}
                aria-invalid={problemFor('confirmLeaveDemo').length > 0 || undefined}
                aria-describedby={problemFor('confirmLeaveDemo').length > 0 ? 'settings-confirmLeaveDemo-problem' : undefined}
                onChange={(event) => setConsent(event.target.checked)}
              />{' '}
              {t('settings.confirmLeaveDemo')}
            </label>
            {problemFor('confirmLeaveDemo').length > 0 && (
              <p id="settings-confirmLeaveDemo-problem" className="problem field-problem" data-field="confirmLeaveDemo">
                {problemFor('confirmLeaveDemo').join(' ')}
              </p>
            )}
          </div>
        )}
        <div className="actions">
          <button type="submit" className="primary">
            {t('settings.save')}
          </button>
          <button type="button" disabled={testing} onClick={() => void testConnection()}>
            {t('settings.testConnection')}
          </button>
        </div>
        <p className={message && !message.good ? 'problem' : 'notice'} role="status" data-testid="settings-said">
          {message?.text}
        </p>
      </form>
      {saved.activeEnvironment === 'demo' && <DemoPrinter api={api} />}
      {/* A form of its own: Enter in the new PIN changes the PIN, never saves the settings above. */}
      <form
        className="pin-change"
        aria-label={t('settings.changePin')}
        onSubmit={(event) => {
          event.preventDefault();
          void changePin();
        }}
      >
        <label className="field">
          {t('settings.newPin')}
          <input type="password" inputMode="numeric" autoComplete="new-password" maxLength={8} value={newPin} onChange={(event) => setNewPin(event.target.value)} />
        </label>
        <button type="submit">{t('settings.changePin')}</button>
      </form>
    </div>
  );
}
