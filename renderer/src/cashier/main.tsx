import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { posApi } from '../common/bridge';
import { setUpI18n } from '../common/i18n';
import '../common/styles.css';
import { TillApp } from './TillApp';

const api = posApi('cashier');
const root = createRoot(document.getElementById('root') as HTMLElement);
const settings = await api.commands.readSettings({});
if (!settings.ok) {
  root.render(<p className="fatal">{settings.error.message.en} · {settings.error.message['zh-HK']}</p>);
} else {
  setUpI18n(settings.value.settings.language);
  root.render(
    <StrictMode>
      <TillApp api={api} initialSettings={settings.value.settings} />
    </StrictMode>,
  );
}
