import { useEffect, useMemo, useState } from 'react';

/**
 * Time left to a deadline held by the main process. The screen's own clock is used only to
 * measure time since the state arrived, so every screen and every reload agrees with the till.
 */
export function useTimeLeft(deadline: number | undefined, serverNow: number | undefined): number | undefined {
  // When this state arrived here; a new state (new serverNow) starts a new measurement.
  // eslint-disable-next-line react-hooks/exhaustive-deps -- serverNow is the trigger, not an input
  const receivedAt = useMemo(() => Date.now(), [serverNow]);
  const [, tick] = useState(0);
  useEffect(() => {
    if (deadline === undefined) return undefined;
    const timer = setInterval(() => tick((count) => count + 1), 250);
    return () => clearInterval(timer);
  }, [deadline]);
  if (deadline === undefined || serverNow === undefined) return undefined;
  return Math.max(0, deadline - (serverNow + (Date.now() - receivedAt)));
}

/** Minutes first, seconds only near the end: a calm countdown. */
export function splitTimeLeft(ms: number): { minutes: number; seconds: number; urgent: boolean } {
  const total = Math.ceil(ms / 1000);
  return { minutes: Math.floor(total / 60), seconds: total % 60, urgent: total <= 30 };
}
