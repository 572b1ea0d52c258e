import { useState } from 'react';
import type { PosApi, SettingsView } from '../../../shared/ipc/contract';
import { ManagerScreen, savedManagerPlace } from '../manager/ManagerScreen';
import { CashierApp } from './CashierApp';
import { useScanGuard } from './useScanGuard';

/**
 * The cashier window: the till, or the manager's screen over it. The till stays mounted (a payment
 * in progress keeps its state) but stops listening to the keyboard while the manager works. A
 * customer's code scanned meanwhile is caught before it reaches the manager's fields, and the
 * manager's screen says where to take the payment (useScanGuard).
 */
export function TillApp({ api, initialSettings }: { api: PosApi<'cashier'>; initialSettings: SettingsView }) {
  // A page loaded again while the manager's screen was open comes back to it (locked, saying why),
  // not to the till as if nothing had been open (issue 24; see ManagerScreen's MANAGER_PLACE_KEY).
  const [reopened, setReopened] = useState(() => savedManagerPlace() !== null);
  const [managing, setManaging] = useState(reopened);
  const [language, setLanguage] = useState(initialSettings.language);
  const [scanCaught, setScanCaught] = useState(false);
  useScanGuard(managing, () => setScanCaught(true));
  return (
    <>
      <div hidden={managing}>
        <CashierApp api={api} initialSettings={initialSettings} active={!managing} onOpenManager={() => setManaging(true)} onLanguage={setLanguage} />
      </div>
      {managing && (
        <ManagerScreen
          api={api}
          language={language}
          environment={initialSettings.environment}
          headOffice={initialSettings.headOffice}
          reopened={reopened}
          scanCaught={scanCaught}
          onScanSeen={() => setScanCaught(false)}
          onClose={() => {
            setScanCaught(false);
            setReopened(false);
            setManaging(false);
          }}
        />
      )}
    </>
  );
}
