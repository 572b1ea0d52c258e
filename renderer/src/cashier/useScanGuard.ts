import { useEffect, useRef } from 'react';
import { SCAN_QUIET_MS, feedKey, type ScanState } from './scanBurst';

/** A field a key may have typed into, and what it held just before that key. */
interface Typed {
  readonly field: HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement | null;
  readonly value: string;
  readonly start: number | null;
  readonly end: number | null;
}

/** A scan under way, not yet refused: its keys are caught already. */
const isLive = (state: ScanState) => state !== null && state.scan && !state.said;

/** How many of a person's last keys are remembered: more than a scan's keys before it is recognised. */
const REMEMBERED = 64;

function fieldOf(target: EventTarget | null): Typed['field'] {
  return target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement ? target : null;
}

function selection(field: Typed['field']): { start: number | null; end: number | null } {
  // Number, date and some other inputs have no text selection, and throw when asked for one.
  try {
    return field instanceof HTMLSelectElement || field === null ? { start: null, end: null } : { start: field.selectionStart, end: field.selectionEnd };
  } catch {
    return { start: null, end: null };
  }
}

/**
 * A field put back as it was before a key, as if a person had typed it so: through the element's
 * own value setter and an input (or change) event, so that React's onChange hears of it.
 */
function restore(before: Typed & { field: NonNullable<Typed['field']> }): void {
  const { field } = before;
  if (field.value === before.value) return;
  const prototype = field instanceof HTMLTextAreaElement ? HTMLTextAreaElement.prototype : field instanceof HTMLSelectElement ? HTMLSelectElement.prototype : HTMLInputElement.prototype;
  Object.getOwnPropertyDescriptor(prototype, 'value')?.set?.call(field, before.value);
  field.dispatchEvent(new Event(field instanceof HTMLSelectElement ? 'change' : 'input', { bubbles: true }));
  if (before.start !== null && before.end !== null && !(field instanceof HTMLSelectElement)) {
    try {
      field.setSelectionRange(before.start, before.end);
    } catch {
      // a field with no text selection
    }
  }
}

/**
 * While the manager's screen is over the till, the keyboard is the manager's, but the barcode
 * scanner is still on it: a customer's code scanned then would be typed into whatever has focus
 * (the refund amount, the PIN, a setting, a decision's reason), and its Enter would submit that
 * form. The customer's code is a one-time bearer credential and the manager's screen takes no
 * payments, so a scan there is caught, as the till's own detector (scanBurst.ts) tells it from a
 * person: from the key that makes it a scan to its Enter, no key reaches the page (nor an Enter
 * the scanner sends late, within the quiet spell after it), and the keys of it already typed (the detector knows a scan only at its fourth fast
 * key) are taken out of the fields they went into. `onCaught` is told once per scan, to say so.
 *
 * Listens on the window in the capture phase, so it sees each key before any field or handler.
 */
export function useScanGuard(enabled: boolean, onCaught: () => void): void {
  const caught = useRef(onCaught);
  useEffect(() => {
    caught.current = onCaught;
  });
  useEffect(() => {
    if (!enabled) return undefined;
    let state: ScanState = null;
    let typed: Typed[] = [];
    const onKey = (event: KeyboardEvent) => {
      // A held key's repeats, shortcuts and an input method's keys are a person's (the till's screen ignores them too).
      if (event.repeat || event.altKey || event.ctrlKey || event.metaKey || event.isComposing) return;
      const before = state;
      const step = feedKey(before, event.key, event.timeStamp, '');
      state = step.state;
      // A scanner that pauses before its Enter: that Enter, still within the quiet spell after the
      // scan, would submit the form the scan was caught in (the refund, the PIN).
      const lateEnter = event.key === 'Enter' && before !== null && before.scan && event.timeStamp - before.lastAt <= SCAN_QUIET_MS;
      if (step.kind === 'amount' && !lateEnter) {
        if (state === null) typed = [];
        else if (/^[0-9A-Za-z]$/.test(event.key)) {
          // The detector counts these keys; what each one typed over is kept, to take it out again.
          const field = fieldOf(event.target);
          typed = [...typed.slice(1 - REMEMBERED), { field, value: field?.value ?? '', ...selection(field) }];
        }
        return;
      }
      event.preventDefault();
      event.stopImmediatePropagation();
      if (isLive(before) || lateEnter) return;
      // The first key caught of this scan: its earlier keys (and a stuttering scanner's first keys,
      // just before them at its pace) went into the page as a person's. Each field they went into
      // is put back as it was before the first of them.
      const earlier = before === null || before.said ? 0 : before.digits.length + (before.lead?.fast ? before.lead.digits.length : 0);
      const firstInEach = new Map<NonNullable<Typed['field']>, Typed>();
      for (const key of earlier > 0 ? typed.slice(-earlier) : []) if (key.field && !firstInEach.has(key.field)) firstInEach.set(key.field, key);
      for (const [field, key] of firstInEach) restore({ ...key, field });
      typed = [];
      caught.current();
    };
    window.addEventListener('keydown', onKey, { capture: true });
    return () => window.removeEventListener('keydown', onKey, { capture: true });
  }, [enabled]);
}
