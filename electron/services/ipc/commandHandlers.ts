import type { CommandName, CommandRequest, CommandResponse } from '../../../shared/ipc/contract';
import type { Caller } from './caller';

/**
 * Every command's handler: the parsed request and who sent it (most need only the request). Its
 * own module, so that the handler files and the boundary name it without importing the service
 * that puts them together (posService.ts), which imports them.
 */
export type CommandHandlers = { [K in CommandName]: (request: CommandRequest<K>, caller: Caller) => Promise<CommandResponse<K>> };
