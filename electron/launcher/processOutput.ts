/**
 * The one line worth showing from a failed command's output: the network error or HTTP status
 * that explains it when there is one (installers print pages of stack), else how it ended.
 */
const CAUSE = /(fetch failed|ENOTFOUND[^\n]*|ECONNREFUSED[^\n]*|ETIMEDOUT|EAI_AGAIN[^\n]*|getaddrinfo[^\n]*|\b\d{3} [A-Z][^\n]*)/;

export function oneLineReason(output: string, error: Error | undefined, status: number | null): string {
  // node-gyp words a failed header download without the underlying error.
  if (/related to network connectivity/.test(output)) return "Electron's headers could not be downloaded (no network)";
  const found = CAUSE.exec(output)?.[1];
  if (found) return found.trim();
  if (error) return (error as NodeJS.ErrnoException).code === 'ETIMEDOUT' ? 'it took too long' : error.message.split('\n')[0] ?? error.message;
  const lastLine = output.trim().split('\n').pop()?.trim();
  return lastLine ? `exit code ${status}: ${lastLine.slice(0, 200)}` : `exit code ${status}`;
}
