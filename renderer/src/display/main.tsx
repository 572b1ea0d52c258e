import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { posApi } from '../common/bridge';
import '../common/styles.css';
import { DisplayApp } from './DisplayApp';

createRoot(document.getElementById('root') as HTMLElement).render(
  <StrictMode>
    <DisplayApp api={posApi('display')} />
  </StrictMode>,
);
