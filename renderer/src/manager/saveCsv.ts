import type { FileSaved, PosApi, Role } from '../../../shared/ipc/contract';

/**
 * Hands an exported CSV to whoever saves files for this window, and says where it went, so the
 * manager's message can name it (issue 24). In a browser (web mode) the download lands in the
 * browser's downloads folder, and nothing more is known. In the desktop app the same link opens
 * Electron's save dialog; the shell then tells this window (the fileSaved event, by the file's
 * name) the path the manager chose, or that they cancelled, or that it could not be written. The
 * path is the manager's own choice, theirs to see; the till's own folders (its ledger, backups,
 * the temporary file the export was written through) are never named.
 */
export type SaveOutcome = { readonly outcome: 'downloads' } | Omit<Extract<FileSaved, { outcome: 'saved' }>, 'fileName'> | { readonly outcome: 'cancelled' | 'failed' } | { readonly outcome: 'unknown' };

/**
 * How long the desktop app waits for word of a save before it says it has none: the save dialog
 * may stay open while the manager looks for a folder, but not for ever.
 */
export const SAVE_WORD_MS = 10 * 60_000;

export function saveCsv(fileName: string, csv: string): Promise<SaveOutcome> {
  const link = document.createElement('a');
  link.href = URL.createObjectURL(new Blob([csv], { type: 'text/csv;charset=utf-8' }));
  link.download = fileName;
  // The desktop app's preload sets window.pos; web mode has none.
  const desktop = (window as { pos?: PosApi<Role> }).pos;
  if (!desktop) {
    link.click();
    URL.revokeObjectURL(link.href);
    return Promise.resolve({ outcome: 'downloads' });
  }
  // Listening before the click: the answer is the next fileSaved for this file's name.
  const outcome = new Promise<SaveOutcome>((resolve) => {
    const done = (answer: SaveOutcome) => {
      clearTimeout(timer);
      stop();
      // The file is written (or will not be): its data may go.
      URL.revokeObjectURL(link.href);
      resolve(answer);
    };
    const stop = desktop.on('fileSaved', (saved) => {
      if (saved.fileName !== fileName) return;
      done(saved.outcome === 'saved' ? { outcome: 'saved', path: saved.path } : { outcome: saved.outcome });
    });
    const timer = setTimeout(() => done({ outcome: 'unknown' }), SAVE_WORD_MS);
  });
  link.click();
  return outcome;
}


type SavedKey = 'manager.exportedToDownloads' | 'manager.exportedToPath' | 'manager.exportCancelled' | 'manager.exportFailed' | 'manager.exportNoWord';

/** The catalogue key of the sentence that says where the file went, and its data: `t(...savedToKey(saved, fileName))`. */
export function savedToKey(saved: SaveOutcome, fileName: string): readonly [SavedKey, { readonly path?: string; readonly file?: string }] {
  switch (saved.outcome) {
    case 'downloads':
      return ['manager.exportedToDownloads', {}];
    case 'saved':
      return ['manager.exportedToPath', { path: saved.path }];
    case 'cancelled':
      return ['manager.exportCancelled', {}];
    case 'failed':
      return ['manager.exportFailed', { file: fileName }];
    case 'unknown':
      return ['manager.exportNoWord', { file: fileName }];
  }
}
