import type { Rectangle, ShellDisplay } from './electronApis';

/**
 * Where the customer display goes: full screen on a display other than the cashier's (the
 * primary). With several, it stays on the one it is on while that one exists, so adding a third
 * screen does not move it away from the customer; otherwise the first other display.
 */
export type DisplayPlacement = { readonly fullScreenOn: Rectangle; readonly displayId: number } | { readonly windowed: true };

export function placeCustomerDisplay(displays: readonly ShellDisplay[], primaryId: number, currentId: number | undefined): DisplayPlacement {
  const others = displays.filter((display) => display.id !== primaryId);
  const chosen = others.find((display) => display.id === currentId) ?? others[0];
  return chosen ? { fullScreenOn: chosen.bounds, displayId: chosen.id } : { windowed: true };
}
