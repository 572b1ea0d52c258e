import type { Role } from '../../../shared/ipc/contract';

/**
 * Who sends a command: the screen's role (what it may ask), and the screen itself, so that what
 * one screen unlocked (the manager's access) stays with that screen. Electron names a screen by its
 * window and page (`window:<webContents id>:<page>`); web mode by the paired tab and its page
 * (`web:<pairing>:<page>`). The name is the main process's own: never shown, never logged.
 */
export interface Caller {
  readonly role: Role;
  readonly session: string;
}

/**
 * Whether a screen may run the manager's commands: open, locked (no PIN typed here, or it went
 * idle), or unlocked by a PIN from before the six-digit rule, which must be changed first.
 */
export type ManagerAccess = 'open' | 'manager_locked' | 'pin_change_required';