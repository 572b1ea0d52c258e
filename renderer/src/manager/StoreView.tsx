import type { TFunction } from 'i18next';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { hongKongDay } from '../../../shared/hkTime';
import type { Language, PosApi, StoreDayView, StoreViewFilters } from '../../../shared/ipc/contract';
import { formatHKD } from '../../../shared/money';
import { WALLETS } from '../../../shared/wallets';
import { environmentName, hkMinute, hkTime, sentenceGap } from '../../../shared/i18n/bookWords';
import { EnvironmentTable, TotalsTable, type TotalsRow } from './TotalsTable';
import { HeadOfficeLine } from './HeadOfficeLine';
import { WalletAndStateFilters } from './OrderFilters';
import { BooksCheckPanel } from './BooksCheckPanel';
import { ReconciliationPanel } from './ReconciliationPanel';
import { DayPicker } from './DayPicker';
import { saveCsv, savedToKey } from './saveCsv';

/**
 * A row per till and environment it took money in, its name and last shipment on its first row;
 * a till with no money that day has one row saying so.
 */
function byTillRows(store: StoreDayView, t: TFunction): TotalsRow[] {
  return store.tills.flatMap(({ tillId, lastShipped }): TotalsRow[] => {
    const shares = store.byTill.find((entry) => entry.tillId === tillId)?.totals ?? [];
    if (shares.length === 0) return [{ key: tillId, className: 'zero', head: tillId, money: { none: t('store.noMoney') }, after: [hkMinute(lastShipped)] }];
    return shares.map((share, index) => ({
      key: `${tillId}-${share.environment}`,
      till: tillId,
      head: index === 0 ? tillId : '',
      before: [environmentName(t, share.environment)],
      money: share.totals,
      after: [index === 0 ? hkMinute(lastShipped) : ''],
    }));
  });
}

/**
 * The store's business day across every till, from the head office: its totals by wallet and by
 * till, the day's orders (filtered by till, wallet and state), every till's Z reports that touch
 * the day, the day compared with QFPay across the tills, and the store's CSV.
 */
export function StoreView({ api, language }: { api: PosApi<'cashier'>; language: Language }) {
  const { t } = useTranslation();
  const [date, setDate] = useState(() => hongKongDay(Date.now()));
  const [filters, setFilters] = useState<StoreViewFilters>({});
  const [store, setStore] = useState<StoreDayView | null>(null);
  /** What the last action said; a refusal (the head office unreachable, say) in the warning tone. */
  const [message, setMessage] = useState<{ text: string; warning: boolean } | null>(null);
  const [loading, setLoading] = useState(false);

  const load = useCallback(async () => {
    setLoading(true);
    const result = await api.commands.managerStoreDay({ day: date, ...filters });
    setLoading(false);
    if (result.ok) {
      setStore(result.value);
      setMessage(null);
    } else {
      setMessage({ text: result.error.message[language], warning: true });
    }
  }, [api, date, filters, language]);

  useEffect(() => {
    void load();
  }, [load]);

  const money = (cents: number) => formatHKD(cents, language);
  const filter = <K extends keyof StoreViewFilters>(key: K, value: string) => setFilters((current) => ({ ...current, [key]: value === '' ? undefined : value }));

  async function exportCsv(environment?: string) {
    const chosen = environment as Parameters<typeof api.commands.managerStoreExport>[0]['environment'];
    const result = await api.commands.managerStoreExport({ day: date, ...(chosen ? { environment: chosen } : {}) });
    if (!result.ok) {
      const environments = (result.error.details?.environments as string[] | undefined) ?? [];
      return setMessage({ text: `${result.error.message[language]}${environments.length > 0 ? ` (${environments.map((name) => environmentName(t, name)).join(', ')})` : ''}`, warning: true });
    }
    const { fileName, payments, refunds, tills } = result.value;
    const saved = await saveCsv(fileName, result.value.csv);
    setMessage({ text: `${t('store.exported', { file: fileName, payments, refunds, tills: tills.length })}${sentenceGap(language)}${t(...savedToKey(saved, fileName))}`, warning: saved.outcome === 'failed' });
  }

  const environments = store ? store.store.map((totals) => totals.environment) : [];

  return (
    <div className="store-view">
      <div className="toolbar">
        <DayPicker day={date} language={language} onDay={setDate} />
        <button type="button" onClick={() => void load()} disabled={loading}>
          {t('store.refresh')}
        </button>
        {environments.length > 1 ? (
          environments.map((environment) => (
            <button key={environment} type="button" onClick={() => void exportCsv(environment)}>
              {t('manager.exportOther', { environment: environmentName(t, environment) })}
            </button>
          ))
        ) : (
          <button type="button" onClick={() => void exportCsv()}>
            {t('store.exportCsv')}
          </button>
        )}
      </div>
      <p className={`notice${!loading && message?.warning ? ' warning' : ''}`} role="status" data-testid="store-said">
        {loading ? t('store.loading') : message?.text}
      </p>
      {store && (
        <div className="books">
          <BooksCheckPanel checks={store.books.map((till) => till.books)} language={language} scope="store" />
          <HeadOfficeLine status={store.headOffice} confirmations={store.confirmations} />
          <section aria-labelledby="store-money-heading" data-testid="store-money">
            <h2 id="store-money-heading">{t('store.money', { day: store.day, count: store.byTill.length })}</h2>
            {store.store.length === 0 ? (
              <p>{t('books.noMoney')}</p>
            ) : (
              <div className="money-tables">
                {store.store.map((totals) => (
                  <EnvironmentTable key={totals.environment} totals={totals} language={language} testId={`store-totals-${totals.environment}`} />
                ))}
              </div>
            )}
          </section>
          <section aria-labelledby="store-tills-heading">
            <h2 id="store-tills-heading">{t('store.byTill')}</h2>
            <TotalsTable
              language={language}
              className="money-table"
              testId="store-by-till"
              head={t('store.till')}
              before={[{ header: t('store.environment') }]}
              after={[{ header: t('store.lastShipped') }]}
              rows={byTillRows(store, t)}
            />
          </section>
          <ReconciliationPanel
            key={store.day}
            api={api}
            language={language}
            day={store.day}
            latest={null}
            title={t('store.reconcileTitle')}
            books="head office"
            check={() => api.commands.managerStoreReconcile({ day: store.day })}
            onChecked={() => undefined}
          />
          <section aria-labelledby="store-z-heading">
            <h2 id="store-z-heading">{t('store.zReports')}</h2>
            {store.zReports.length === 0 ? (
              <p className="hint">{t('store.noZ')}</p>
            ) : (
              <table className="money-table" data-testid="store-z-reports">
                <thead>
                  <tr>
                    <th scope="col">{t('store.till')}</th>
                    <th scope="col">Z</th>
                    <th scope="col">{t('store.covers')}</th>
                    <th scope="col" className="number">
                      {t('manager.net')}
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {store.zReports.map((report) => (
                    <tr key={`${report.tillId}-${report.number}`}>
                      <th scope="row">{report.tillId}</th>
                      <td>{report.number}</td>
                      <td>
                        {hkMinute(report.openedAt)} – {hkTime(report.closedAt)}
                      </td>
                      <td className="number">
                        {report.environments.length === 0 ? money(0) : report.environments.map((share) => `${environmentName(t, share.environment)} ${money(share.totals.net)}`).join(' · ')}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>
        </div>
      )}
      {store && (
        <section aria-labelledby="store-orders-heading">
          <div className="section-head">
            <h2 id="store-orders-heading">{t('store.orders', { count: store.matching })}</h2>
            <div className="filters">
              <select aria-label={t('store.till')} value={filters.tillId ?? ''} onChange={(event) => filter('tillId', event.target.value)}>
                <option value="">{t('store.allTills')}</option>
                {store.tills.map(({ tillId }) => (
                  <option key={tillId} value={tillId}>
                    {tillId}
                  </option>
                ))}
              </select>
              <WalletAndStateFilters language={language} wallet={filters.wallet ?? ''} state={filters.state ?? ''} onWallet={(value) => filter('wallet', value)} onState={(value) => filter('state', value)} />
            </div>
          </div>
          {store.matching > store.orders.length && <p className="hint">{t('store.firstRows', { shown: store.orders.length, count: store.matching })}</p>}
          <div className="table-scroll" tabIndex={0} role="region" aria-label={t('store.orders', { count: store.matching })}>
            <table className="orders-table" data-testid="store-orders">
              <thead>
                <tr>
                  <th scope="col">{t('store.till')}</th>
                  <th scope="col">{t('store.time')}</th>
                  <th scope="col">{t('wallet')}</th>
                  <th scope="col" className="number">
                    {t('store.amount')}
                  </th>
                  <th scope="col">{t('state')}</th>
                  <th scope="col" className="number">
                    {t('store.refunded')}
                  </th>
                  <th scope="col">{t('store.number')}</th>
                </tr>
              </thead>
              <tbody>
                {store.orders.map((order) => (
                  <tr key={`${order.tillId}-${order.outTradeNo}`} data-till={order.tillId}>
                    <td>{order.tillId}</td>
                    <td>{hkTime(order.createdAt)}</td>
                    <td>{WALLETS.find((item) => item.id === order.wallet)?.names[language] ?? order.wallet}</td>
                    <td className="number">{money(order.amount)}</td>
                    <td>{t(`states.${order.state}`)}</td>
                    <td className="number">{order.refunded > 0 ? money(order.refunded) : ''}</td>
                    <td className="mono">{order.outTradeNo}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      )}
    </div>
  );
}
