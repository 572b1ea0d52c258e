import { COMMAND_NAMES, needsManager } from '../../../shared/ipc/contract';
import { TillError } from '../till/till';
import type { CommandHandlers } from './posService';

/**
 * A PIN from before the six-digit rule still unlocks, but then only setting a new PIN is allowed:
 * every command behind the manager PIN is refused with `pin_change_required` until it is changed.
 * Derived from the contract's `manager` flag, so a manager command added later is covered too.
 */
export function refuseManagerWorkUntilPinChanged(handlers: CommandHandlers, pinChangeRequired: () => boolean): CommandHandlers {
  const guarded: Record<string, (request: never, caller: never) => Promise<unknown>> = { ...handlers };
  for (const name of COMMAND_NAMES) {
    if (!needsManager(name)) continue;
    const handler = handlers[name] as (request: never, caller: never) => Promise<unknown>;
    guarded[name] = async (request, caller) => {
      if (pinChangeRequired()) throw new TillError('pin_change_required', 'set a new PIN of 6 to 8 digits first');
      return handler(request, caller);
    };
  }
  return guarded as CommandHandlers;
}
