import http from 'node:http';
import https from 'node:https';
import { NOTIFICATION_ACCEPTED, NOTIFICATION_SIGN_HEADER } from '../../shared/qfpay/notifications';

/** One attempt to hand a notification over, as QFPay makes it, and what came of it. */

export interface AttemptOutcome {
  /** Absent when no answer came (refused, reset, timed out, cancelled). */
  readonly httpStatus?: number;
  /** Only HTTP 200 with the body `SUCCESS`, exactly, stops QFPay's retries. */
  readonly accepted: boolean;
  /** The start of the receiver's answer, so a refusal in words can be read in the log. */
  readonly answer?: string;
  readonly problem?: string;
}

/** Enough of an answer to tell `SUCCESS` from a refusal in words; the rest is not kept. */
const ANSWER_KEPT_BYTES = 512;

export function postNotification(url: string, body: Uint8Array, signature: string, timeoutMs: number, closing: AbortSignal): Promise<AttemptOutcome> {
  return new Promise((resolve) => {
    const attempt = new AbortController();
    const stop = () => attempt.abort();
    closing.addEventListener('abort', stop, { once: true });
    const timer = setTimeout(() => attempt.abort(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    let settled = false;
    const settle = (outcome: AttemptOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      closing.removeEventListener('abort', stop);
      resolve(outcome);
    };

    const target = new URL(url);
    // No shared agent: a kept-alive socket to the receiver would outlive the simulator's close().
    const request = (target.protocol === 'https:' ? https : http).request(
      target,
      {
        method: 'POST',
        agent: false,
        signal: attempt.signal,
        headers: { 'Content-Type': 'application/json', 'Content-Length': body.byteLength, [NOTIFICATION_SIGN_HEADER]: signature },
      },
      (response) => {
        const chunks: Buffer[] = [];
        let kept = 0;
        response.on('data', (chunk: Buffer) => {
          if (kept < ANSWER_KEPT_BYTES) chunks.push(chunk);
          kept += chunk.length;
        });
        response.on('end', () => {
          const answer = Buffer.concat(chunks).toString('utf8');
          const httpStatus = response.statusCode ?? 0;
          settle({ httpStatus, accepted: httpStatus === 200 && answer === NOTIFICATION_ACCEPTED, answer: answer.slice(0, ANSWER_KEPT_BYTES) });
        });
        response.on('error', (error) => settle({ httpStatus: response.statusCode, accepted: false, problem: describe(error) }));
      },
    );
    request.on('error', (error) => settle({ accepted: false, problem: describe(error) }));
    request.end(body);
  });
}

function describe(error: Error): string {
  // An abort carries our reason (the timeout's words) as its cause.
  if (error.cause instanceof Error) return error.cause.message;
  const code = (error as NodeJS.ErrnoException).code;
  return code ? `${code}: ${error.message}` : error.message;
}
