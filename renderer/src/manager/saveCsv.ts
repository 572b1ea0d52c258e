/**
 * Hands an exported CSV to whoever saves files for this window, and says where it goes, so the
 * manager's message can name it (issue 24): in a browser (web mode) the download lands in the
 * browser's downloads folder; in the desktop app the same link opens Electron's save dialog, and
 * the file goes where the manager picks. Nothing else is named: the till's own folders (its
 * ledger, backups, the temporary file the export was written through) are never shown.
 */
export type SavedTo = 'downloads' | 'chosen';

export function saveCsv(fileName: string, csv: string): SavedTo {
  const link = document.createElement('a');
  link.href = URL.createObjectURL(new Blob([csv], { type: 'text/csv;charset=utf-8' }));
  link.download = fileName;
  link.click();
  URL.revokeObjectURL(link.href);
  // The desktop app's preload sets window.pos; web mode has none.
  return (window as { pos?: unknown }).pos ? 'chosen' : 'downloads';
}

/** Between two sentences: a space in English, none after a Chinese full stop. */
export const sentenceGap = (language: 'en' | 'zh-HK'): string => (language === 'zh-HK' ? '' : ' ');

/** The catalogue key of the sentence that says where the file went. */
export const savedToKey = (to: SavedTo): 'manager.exportedToChosen' | 'manager.exportedToDownloads' => (to === 'chosen' ? 'manager.exportedToChosen' : 'manager.exportedToDownloads');
