import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';

/**
 * What the set-up helpers (tillsOnSimulator, appOnSimulator, browserOnSimulator) are made of: a
 * service started for a block's tests, the closing of what they open on it, and a stand-in for it
 * that a file can hold before it is started.
 */

/**
 * A stand-in for a value that a block's beforeAll makes: it can be destructured at the top of a
 * file and closed over by the file's own helpers, and each use goes to the value of the moment
 * (`current()`), with its methods bound to it. Used while there is none, it says so (`missing`).
 */
export function lateBound<T extends object>(name: string, current: () => T | undefined, missing = 'used before its beforeAll ran'): T {
  const value = (): T => {
    const now = current();
    if (now === undefined) throw new Error(`${name}: ${missing}`);
    return now;
  };
  return new Proxy({} as T, {
    get(_, key) {
      const target = value();
      const member = Reflect.get(target, key, target) as unknown;
      return typeof member === 'function' ? (member as (...args: unknown[]) => unknown).bind(target) : member;
    },
    set: (_, key, member) => Reflect.set(value(), key, member),
    has: (_, key) => Reflect.has(value(), key),
    ownKeys: () => Reflect.ownKeys(value()),
    getOwnPropertyDescriptor: (_, key) => {
      const descriptor = Reflect.getOwnPropertyDescriptor(value(), key);
      // The stand-in's own target is empty: a property may only be reported as one it can change.
      return descriptor && { ...descriptor, configurable: true };
    },
  });
}

type Close = () => unknown;

/**
 * A service a block's tests share (a simulator, a browser), started before them (`start`, in a
 * beforeAll) and stopped after them, and the closing of what is opened on it: what a test (or a
 * beforeEach) opens, after that test; what the block's set-up (a beforeAll) opens, after the
 * block, before the service is stopped. Last opened, first closed; every close runs even when one
 * before it fails, and the first failure is thrown after them. `afterEachTest` runs after a
 * test's closes (a simulator's faults cleared, say). `service` may be destructured at the top of
 * a file (see lateBound).
 */
export function sharedByBlock<T extends object>(name: string, start: () => Promise<T>, stop: (service: T) => unknown, options: { timeout?: number; afterEachTest?: (service: T) => unknown } = {}) {
  let service: T | undefined;
  let inTest = false;
  const ofTest: Close[] = [];
  const ofBlock: Close[] = [];
  beforeAll(async () => {
    service = await start();
  }, options.timeout);
  beforeEach(() => {
    inTest = true;
  });
  afterEach(async () => {
    inTest = false;
    try {
      await closeAll(ofTest);
    } finally {
      if (service && options.afterEachTest) await options.afterEachTest(service);
    }
  });
  afterAll(async () => {
    try {
      await closeAll(ofBlock);
    } finally {
      if (service) await stop(service);
    }
  });
  return {
    service: lateBound(name, () => service),
    /** The service itself, once started. */
    started: (): T | undefined => service,
    /** Closes what `close` closes after the test that opened it, or after the block when its set-up did. */
    closeAfterUse(close: Close): void {
      (inTest ? ofTest : ofBlock).push(close);
    },
  };
}

async function closeAll(closes: Close[]): Promise<void> {
  const failures: unknown[] = [];
  for (let close = closes.pop(); close; close = closes.pop()) {
    try {
      await close();
    } catch (error) {
      failures.push(error);
    }
  }
  if (failures.length > 0) throw failures[0];
}
