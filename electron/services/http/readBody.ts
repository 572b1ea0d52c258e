import type { IncomingMessage } from 'node:http';

/** A request body's bytes, or undefined once it grows past `limit` bytes (the caller answers 413). */
export async function readBodyBytes(request: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > limit) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** A request body as text, or undefined once it grows past `limit` bytes (the caller answers 413). */
export async function readBody(request: IncomingMessage, limit: number): Promise<string | undefined> {
  return (await readBodyBytes(request, limit))?.toString('utf8');
}
