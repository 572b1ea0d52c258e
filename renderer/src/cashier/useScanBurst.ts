import { useCallback, useEffect, useRef } from 'react';
import { ENTER_WITHIN_MS, feedKey, settle, type ScanState, type ScanStep } from './scanBurst';

/**
 * scanBurst.ts with its memory and its timer: feed it each key (not a held key's repeats) with
 * event.timeStamp; `onHalfRead` hears of a scan that stopped without its Enter, with the amount
 * to put back.
 */
export function useScanBurst(onHalfRead: (amount: string) => void): (key: string, at: number, amountText: string) => ScanStep {
  const state = useRef<ScanState>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const halfRead = useRef(onHalfRead);
  useEffect(() => {
    halfRead.current = onHalfRead;
  });
  useEffect(() => () => clearTimeout(timer.current), []);
  return useCallback((key, at, amountText) => {
    const step = feedKey(state.current, key, at, amountText);
    state.current = step.state;
    clearTimeout(timer.current);
    if (step.kind === 'scanning') {
      // event.timeStamp and performance.now() share one clock (the page's time origin).
      timer.current = setTimeout(() => {
        const settled = settle(state.current, performance.now());
        if (!settled) return;
        state.current = null;
        halfRead.current(settled.amount);
      }, ENTER_WITHIN_MS + 20);
    }
    return step;
  }, []);
}
