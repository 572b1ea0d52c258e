import { useCallback, useEffect, useRef } from 'react';
import { ENTER_WITHIN_MS, SCAN_QUIET_MS, feedKey, settle, type ScanState, type ScanStep } from './scanBurst';

/**
 * scanBurst.ts with its memory and its timer: feed it each key (not a held key's repeats) with
 * event.timeStamp; `onHalfRead` hears of a scan that stopped without its Enter, with the amount
 * to show.
 */
export function useScanBurst(onHalfRead: (amount: string) => void): (key: string, at: number, amountText: string) => ScanStep {
  const state = useRef<ScanState>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const halfRead = useRef(onHalfRead);
  useEffect(() => {
    halfRead.current = onHalfRead;
  });
  useEffect(() => () => clearTimeout(timer.current), []);

  // event.timeStamp and performance.now() share one clock (the page's time origin).
  const check = useCallback(() => {
    const settled = settle(state.current, performance.now());
    state.current = settled.state;
    if (settled.said) halfRead.current(settled.said.amount);
    if (settled.state?.scan) timer.current = setTimeout(check, SCAN_QUIET_MS + 20 - (performance.now() - settled.state.lastAt));
  }, []);

  return useCallback(
    (key, at, amountText) => {
      const step = feedKey(state.current, key, at, amountText);
      state.current = step.state;
      clearTimeout(timer.current);
      if (step.state?.scan) timer.current = setTimeout(check, ENTER_WITHIN_MS + 20);
      return step;
    },
    [check],
  );
}
