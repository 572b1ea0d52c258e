import { commandsFor, eventPayloadValid, eventsFor, type CommandName, type CommandResult, type Connection, type EventName, type EventPayloads, type PosApi, type Role } from './contract';

/**
 * Builds a window's API from the contract over any transport: Electron's ipcRenderer in the
 * preload, HTTP in web mode. Only the commands and events of the window's role exist on it.
 */
export interface PosTransport {
  invoke(name: CommandName, request: unknown): Promise<CommandResult<CommandName>>;
  subscribe(event: EventName, listener: (payload: unknown) => void): () => void;
  /** A transport that can lose the main process says so; without it, the window is always connected. */
  connection?(listener: (connection: Connection) => void): () => void;
}

export function buildPosApi<R extends Role>(role: R, transport: PosTransport): PosApi<R> {
  const commands = Object.fromEntries(commandsFor(role).map((name) => [name, (request: unknown) => transport.invoke(name, request)]));
  const allowed = new Set<EventName>(eventsFor(role));
  return {
    role,
    commands: Object.freeze(commands) as PosApi<R>['commands'],
    on(event: EventName, listener: (payload: EventPayloads[EventName]) => void) {
      if (!allowed.has(event)) throw new Error(`${role} cannot listen to ${event}`);
      // A payload that is not what the contract says is dropped here, before the page hears it.
      return transport.subscribe(event, (payload) => {
        if (eventPayloadValid(event, payload)) (listener as (payload: unknown) => void)(payload);
      });
    },
    onConnection(listener: (connection: Connection) => void) {
      if (transport.connection) return transport.connection(listener);
      listener('connected');
      return () => undefined;
    },
  } as PosApi<R>;
}
