import { commandError } from '../../../shared/i18n/commandErrors';
import { COMMANDS, needsManager, type CommandName, type CommandResult, type Role } from '../../../shared/ipc/contract';
import { COMMAND_SCHEMAS } from '../../../shared/ipc/schemas';
import type { CommandHandlers } from './commandHandlers';
import { LedgerUnusable } from '../ledger/database';
import { LedgerRefusal } from '../ledger/ledgerStore';
import { TillError } from '../../../shared/errors';
import type { Caller, ManagerAccess } from './caller';

/**
 * The boundary every command crosses, from Electron IPC or the web bridge: the command must exist,
 * the caller's role must be allowed it, the manager's commands need the caller's own screen
 * unlocked, and the payload must pass its schema, before any handler runs. Failures come back as
 * a code with words in both languages, never as a thrown stack.
 */
export function createDispatcher(
  handlers: CommandHandlers,
  options: { managerAccess: (session: string) => ManagerAccess; log?: (message: string) => void },
) {
  const log = options.log ?? ((message: string) => console.error(message));
  return async function dispatch(caller: Caller, name: string, payload: unknown): Promise<CommandResult<CommandName>> {
    const { role } = caller;
    if (!Object.hasOwn(COMMANDS, name)) return { ok: false, error: commandError('unknown_command') };
    const command = COMMANDS[name as CommandName];
    if (!(command.roles as readonly Role[]).includes(role)) return { ok: false, error: commandError('forbidden') };
    // The manager's commands need the PIN first, typed on this screen (and a PIN of today's length);
    // checked before the payload, so nothing leaks.
    if (needsManager(name as CommandName)) {
      const access = options.managerAccess(caller.session);
      // With (empty) details, as every refusal of the till's rules is answered.
      if (access !== 'open') return { ok: false, error: commandError(access, {}) };
    }
    const parsed = COMMAND_SCHEMAS[name as CommandName].safeParse(payload ?? {});
    if (!parsed.success) {
      // Paths only: a payload's values are not echoed back.
      return { ok: false, error: commandError('invalid_request', { fields: parsed.error.issues.map((issue) => issue.path.join('.') || '(root)') }) };
    }
    try {
      const handler = handlers[name as CommandName] as (request: unknown, caller: Caller) => Promise<unknown>;
      return { ok: true, value: (await handler(parsed.data, caller)) as never };
    } catch (error) {
      if (error instanceof TillError) return { ok: false, error: commandError(error.code, error.details) };
      if (error instanceof LedgerRefusal && error.code === 'books_broken') return { ok: false, error: commandError('books_broken') };
      if (error instanceof LedgerUnusable) return { ok: false, error: commandError('ledger_damaged') };
      log(`command ${name} failed: ${error instanceof Error ? error.message : String(error)}`);
      return { ok: false, error: commandError('internal') };
    }
  };
}

export type Dispatch = ReturnType<typeof createDispatcher>;
