import { createInterface } from 'node:readline';
import type { CliIo } from './main';

/**
 * Reads one line from standard input as a secret: on a terminal the prompt is shown and what is
 * typed is not echoed; from a pipe (scripts, tests) the first line is taken as it is.
 */
export const stdinSecret: CliIo = {
  readSecret(prompt: string): Promise<string | undefined> {
    return new Promise((resolve) => {
      const terminal = process.stdin.isTTY === true;
      const lines = createInterface({ input: process.stdin, output: terminal ? process.stderr : undefined, terminal });
      if (terminal) {
        process.stderr.write(prompt);
        // Keep the typed digits off the screen: readline writes through _writeToOutput.
        (lines as unknown as { _writeToOutput: (text: string) => void })._writeToOutput = () => undefined;
      }
      let answered = false;
      lines.once('line', (line) => {
        answered = true;
        if (terminal) process.stderr.write('\n');
        lines.close();
        resolve(line.trim());
      });
      lines.once('close', () => {
        if (!answered) resolve(undefined);
      });
    });
  },
};
