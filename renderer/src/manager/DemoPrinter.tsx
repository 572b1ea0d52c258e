import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CommandResponse, PosApi } from '../../../shared/ipc/contract';
import { hkTime } from '../../../shared/i18n/bookWords';

/** Demo mode's virtual printer: what it received, read back from the bytes a real printer would get. */
export function DemoPrinter({ api }: { api: PosApi<'cashier'> }) {
  const { t } = useTranslation();
  const [slips, setSlips] = useState<CommandResponse<'managerDemoPrinter'>['slips']>([]);
  const load = useCallback(async () => {
    const result = await api.commands.managerDemoPrinter({});
    if (result.ok) setSlips(result.value.slips);
  }, [api]);
  useEffect(() => {
    void load();
  }, [load]);
  return (
    <section className="demo-printer" aria-labelledby="demo-printer-heading" data-testid="demo-printer">
      <div className="section-head">
        <h2 id="demo-printer-heading">{t('settings.demoPrinter')}</h2>
        <button type="button" onClick={() => void load()}>
          {t('store.refresh')}
        </button>
      </div>
      <p className="hint">{t('settings.demoPrinterHint')}</p>
      {slips.length === 0 ? (
        <p>{t('settings.demoPrinterEmpty')}</p>
      ) : (
        slips.map((slip) => (
          <figure key={`${slip.at}-${slip.bytes}`} className="demo-slip">
            <figcaption>{t('settings.demoPrinterSlip', { time: hkTime(slip.at), bytes: slip.bytes })}</figcaption>
            <pre>{slip.text}</pre>
          </figure>
        ))
      )}
    </section>
  );
}
