import type { IncomingMessage } from 'node:http';

/**
 * Reads and drops what is left of a request body, so that a client still writing it can read
 * the answer instead of meeting a reset connection. Bounded: resolves `true` once the body has
 * ended, `false` after `maxBytes` more bytes or `maxMs`, whichever comes first (the caller then
 * closes the connection).
 */
export function discardBody(
  req: IncomingMessage,
  maxBytes: number,
  maxMs: number,
): Promise<boolean> {
  if (req.complete || req.destroyed) return Promise.resolve(req.complete);
  return new Promise((resolve) => {
    let bytes = 0;
    const timer = setTimeout(() => done(false), maxMs);
    const done = (ended: boolean) => {
      clearTimeout(timer);
      req.off('data', onData).off('end', onEnd).off('close', onClose).off('error', onClose);
      resolve(ended);
    };
    const onData = (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes > maxBytes) done(false);
    };
    const onEnd = () => done(true);
    const onClose = () => done(req.complete);
    req.on('data', onData).on('end', onEnd).on('close', onClose).on('error', onClose);
    req.resume();
  });
}
