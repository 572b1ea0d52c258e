import { beforeEach } from 'vitest';

/**
 * The pieces the set-up helpers (tillsOnSimulator, appOnSimulator, browserOnSimulator) are made
 * of: a stand-in for what a block's beforeAll starts, and the closing of what its tests opened.
 */

/**
 * A stand-in for a value that a block's beforeAll makes: it can be destructured at the top of a
 * file and closed over by the file's own helpers, and each use goes to the value of the moment
 * (`current()`), with its methods bound to it. Used before the value is there, it says so.
 */
export function lateBound<T extends object>(name: string, current: () => T | undefined): T {
  const value = (): T => {
    const now = current();
    if (now === undefined) throw new Error(`${name}: used before its beforeAll ran`);
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
 * What a block's tests open, closed for them: what a test (or a beforeEach) opens, once that test
 * is done (`afterTest`, from the helper's afterEach); what the block's set-up (a beforeAll) opens,
 * once the block is (`afterBlock`, from its afterAll). Last opened, first closed; every close runs
 * even when one before it fails, and the first failure is thrown after them.
 */
export function closedAfterUse() {
  let inTest = false;
  const ofTest: Close[] = [];
  const ofBlock: Close[] = [];
  beforeEach(() => {
    inTest = true;
  });
  return {
    /** Closes `close`'s thing after the test that opened it, or after the block when its set-up did. */
    add(close: Close): void {
      (inTest ? ofTest : ofBlock).push(close);
    },
    async afterTest(): Promise<void> {
      inTest = false;
      await closeAll(ofTest);
    },
    afterBlock: () => closeAll(ofBlock),
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
