// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { buildPosApi } from '../../shared/ipc/api';
import type { EventName, PosApi } from '../../shared/ipc/contract';
import { setUpI18n } from '../../renderer/src/common/i18n';
import { DayView } from '../../renderer/src/manager/DayView';
import { saveCsv, SAVE_WORD_MS } from '../../renderer/src/manager/saveCsv';
import { startTestApp, subscribeToServices, type TestApp } from '../support/app';
import { startTestSimulator, type TestSimulator } from '../support/simulator';

/**
 * The manager's CSV export in the desktop window (window.pos set, as the preload sets it): the
 * message waits for the shell's word on the file (fileSaved, by its name) and says where it went,
 * that the save was cancelled, or that it failed. The commands run against the real services; the
 * shell's word is sent by the test, as the shell sends it once Electron's save dialog is done.
 */

const i18n = setUpI18n('en');
const PIN = '482193';

let simulator: TestSimulator;
let app: TestApp;
/** The shell's side of the window: fileSaved as the preload hands it on, anything else from the services. */
const shellListeners = new Set<(payload: unknown) => void>();
let api: PosApi<'cashier'>;
/** The downloads the page started: the link's address and file name. */
let clicked: { href: string; download: string }[] = [];

beforeAll(async () => {
  simulator = await startTestSimulator();
  app = await startTestApp(simulator);
  const services = subscribeToServices(app);
  api = buildPosApi('cashier', {
    invoke: (name, request) => app.dispatch('cashier', name, request),
    subscribe(event: EventName, listener) {
      if (event !== 'fileSaved') return services(event, listener);
      shellListeners.add(listener);
      return () => shellListeners.delete(listener);
    },
  });
  expect(await api.commands.managerSetPin({ pin: PIN })).toMatchObject({ ok: true });
  expect(await api.commands.managerUnlock({ pin: PIN })).toMatchObject({ ok: true });
});
afterAll(async () => {
  await app.stop();
  await simulator.stop();
});

beforeEach(() => {
  clicked = [];
  (window as { pos?: unknown }).pos = api;
  // jsdom has no blob: URLs and no downloads: the link's click is where the shell's part begins.
  URL.createObjectURL = vi.fn(() => 'blob:app://pos/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0');
  URL.revokeObjectURL = vi.fn();
  vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
    clicked.push({ href: this.href, download: this.download });
  });
});
afterEach(async () => {
  cleanup();
  vi.restoreAllMocks();
  vi.useRealTimers();
  delete (window as { pos?: unknown }).pos;
  shellListeners.clear();
  await i18n.changeLanguage('en');
});

const tell = (payload: unknown) => act(() => shellListeners.forEach((listener) => listener(payload)));

async function exportDay(): Promise<string> {
  render(<DayView api={api} language="en" />);
  fireEvent.click(await screen.findByRole('button', { name: 'Export CSV' }));
  await waitFor(() => expect(clicked).toHaveLength(1));
  const [download] = clicked;
  expect(download?.href).toBe('blob:app://pos/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0');
  return download?.download ?? '';
}

const notice = () => screen.getAllByRole('status').find((element) => element.classList.contains('notice'))?.textContent ?? '';

describe("the day's export in the desktop window", () => {
  it('names the path the manager chose, once the shell says the file was saved there', async () => {
    const file = await exportDay();
    expect(file).toMatch(/\.csv$/);
    // Nothing is said of where it went before the shell's word on this file: not another file's, not a payload that is not one.
    await tell({ fileName: 'another.csv', outcome: 'saved', path: '/home/manager/another.csv' });
    await tell({ fileName: file, outcome: 'saved' });
    await tell({ fileName: file, outcome: 'moved', path: '/tmp/x.csv' });
    expect(notice()).toBe('');
    await tell({ fileName: file, outcome: 'saved', path: 'C:\\Users\\manager\\Documents\\Exports\\day.csv' });
    await waitFor(() => expect(notice()).toBe(`${file}: 0 payments, 0 refunds. Saved to C:\\Users\\manager\\Documents\\Exports\\day.csv.`));
    expect(notice()).not.toContain('another');
    // The file's data is let go once the file is written.
    expect(URL.revokeObjectURL).toHaveBeenCalledWith('blob:app://pos/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0');
    expect(shellListeners.size).toBe(0);
  });

  it('says the file was not saved when the manager cancels the save dialog', async () => {
    const file = await exportDay();
    await tell({ fileName: file, outcome: 'cancelled' });
    await waitFor(() => expect(notice()).toBe(`${file}: 0 payments, 0 refunds. Not saved: the save was cancelled.`));
    expect(notice()).not.toContain('Saved to');
  });

  it('says the file could not be saved, naming it', async () => {
    const file = await exportDay();
    await tell({ fileName: file, outcome: 'failed' });
    await waitFor(() => expect(notice()).toBe(`${file}: 0 payments, 0 refunds. The file could not be saved: ${file}.`));
  });

  it('in Chinese: names the path', async () => {
    await i18n.changeLanguage('zh-HK');
    render(<DayView api={api} language="zh-HK" />);
    fireEvent.click(await screen.findByRole('button', { name: '匯出 CSV' }));
    await waitFor(() => expect(clicked).toHaveLength(1));
    const file = clicked[0]?.download ?? '';
    await tell({ fileName: file, outcome: 'saved', path: '/home/manager/報表/day.csv' });
    await waitFor(() => expect(notice()).toBe(`${file}：0 筆收款，0 筆退款。已儲存到 /home/manager/報表/day.csv。`));
  });
});

describe('saveCsv', () => {
  it('in a browser (no window.pos) says at once: the downloads folder', async () => {
    delete (window as { pos?: unknown }).pos;
    await expect(saveCsv('day.csv', 'a,b\n')).resolves.toEqual({ outcome: 'downloads' });
    expect(clicked).toEqual([{ href: 'blob:app://pos/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0', download: 'day.csv' }]);
  });

  it('in the desktop window, with no word from the shell for ten minutes, says it does not know', async () => {
    vi.useFakeTimers();
    const outcome = saveCsv('day.csv', 'a,b\n');
    vi.advanceTimersByTime(SAVE_WORD_MS - 1);
    let settled = false;
    void outcome.then(() => (settled = true));
    await Promise.resolve();
    expect(settled).toBe(false);
    vi.advanceTimersByTime(1);
    await expect(outcome).resolves.toEqual({ outcome: 'unknown' });
    expect(shellListeners.size).toBe(0);
  });
});
