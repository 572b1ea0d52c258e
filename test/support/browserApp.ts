import type { BrowserContextOptions, Page } from 'playwright-core';
import type { Role } from '../../shared/ipc/contract';
import { appOnSimulator, type AppOptionsOf, type TestApp } from './app';
import { launchChromium } from './browser';
import { sharedByBlock } from './scope';

/** A page of its own (a context of its own, see launchChromium), as the browser tests open them. */
export interface PageOptions extends BrowserContextOptions {
  /** How long the page's waits and clicks wait (Playwright's default is 30 s). */
  readonly timeout?: number;
  /** Collects the page's uncaught errors, for a test to expect none. */
  readonly errors?: string[];
}

/**
 * Web mode in a browser, for the file or describe block this is called in: a simulator, the app on
 * it (appOnSimulator, with its poller on unless `app` says otherwise, and `restartApp` to restart
 * it) and a browser, started before its tests and stopped after them. `app: false` starts no app
 * of the block's: the tests start their own with `startApp`. Pages a test opens (`newPage`, `screen`) are closed after it, and the
 * apps it started stopped after them; those the block's set-up opens, after the block.
 * `simulator`, `app` and `browser` may be destructured at the top of the block (see lateBound).
 *
 *   const { simulator, app, screen } = browserOnSimulator({ app: { poll: false } });
 *   beforeAll(async () => {
 *     cashier = await screen('cashier', { viewport: { width: 1366, height: 768 } });
 *   });
 */
export function browserOnSimulator(options: { readonly env?: NodeJS.ProcessEnv; readonly app?: AppOptionsOf | false } = {}) {
  const { app: appOptions = {} } = options;
  const running = appOnSimulator(options.env, appOptions === false ? false : async () => ({ poll: true, ...(typeof appOptions === 'function' ? await appOptions() : appOptions) }));
  // Started after appOnSimulator's simulator and app, and closed before them: the pages before their app.
  const { service: browser, closeAfterUse } = sharedByBlock('browserOnSimulator', launchChromium, (started) => started.close(), { timeout: 30_000 });

  async function newPage(pageOptions: PageOptions = {}): Promise<Page> {
    const { timeout, errors, ...contextOptions } = pageOptions;
    const page = await browser.newPage(contextOptions);
    closeAfterUse(() => page.close());
    if (timeout !== undefined) page.setDefaultTimeout(timeout);
    if (errors) page.on('pageerror', (error) => errors.push(error.message));
    return page;
  }

  /** A page opened as `role`'s screen from a new one-time link of `app` (the block's, unless given). */
  async function screen(role: Role, pageOptions: PageOptions & { readonly app?: TestApp } = {}): Promise<Page> {
    const { app = running.app, ...rest } = pageOptions;
    const page = await newPage(rest);
    await page.goto(app.bridge.pairingLink(role));
    return page;
  }

  return { ...running, browser, newPage, screen };
}
