import type { IncomingMessage } from 'node:http';
import { isUtf8 } from 'node:buffer';
import { DomainError } from '../common/domain.error.js';
import { BodyCollector, withoutBom, type BodyItems } from './body-items.js';
import type { BodyFormat } from './body-format.util.js';
import { LineSplitter } from './line-splitter.js';

export interface BodyLimits {
  /** HTTP_MAX_BODY: bytes of the body as sent, counted while it is read. */
  maxBytes: number;
  /** Non-blank lines or array elements. */
  maxItems: number;
}

/**
 * Reads a POST /logs body off the request stream, counting bytes as they arrive: NDJSON is split
 * and parsed line by line meanwhile; `json` is kept (at most maxBytes) and parsed at the end.
 * Past a limit it stops at once and rejects with 413; the rest of the body is not kept (the
 * stream goes on flowing into nothing until the answer has left and the socket closes).
 * @throws DomainError 413 over a limit, 400 when the client aborts the body.
 */
export function readRequestBody(
  req: IncomingMessage,
  format: BodyFormat,
  limits: BodyLimits,
): Promise<BodyItems> {
  const declared = Number(req.headers['content-length']);
  if (declared > limits.maxBytes) return Promise.reject(tooLarge(limits.maxBytes));
  return new Promise<BodyItems>((resolve, reject) => {
    const collector = new BodyCollector(limits.maxItems);
    const splitter = format === 'ndjson' ? new LineSplitter(collector.line) : null;
    const chunks: Buffer[] = [];
    let bytes = 0;
    const done = (error: unknown, items?: BodyItems) => {
      req.off('data', onData).off('end', onEnd).off('error', done).off('close', onClose);
      if (error === undefined) resolve(items!);
      else reject(error);
    };
    const onData = (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes > limits.maxBytes) return done(tooLarge(limits.maxBytes));
      try {
        if (splitter) splitter.push(chunk);
        else chunks.push(chunk);
      } catch (error) {
        done(error);
      }
    };
    const onEnd = () => {
      try {
        if (splitter) splitter.end();
        else readWhole(Buffer.concat(chunks, bytes), collector);
        done(undefined, collector.items);
      } catch (error) {
        done(error);
      }
    };
    const onClose = () => done(new DomainError(400, 'request body aborted'));
    req.on('data', onData).on('end', onEnd).on('error', done).on('close', onClose);
  });
}

/** One JSON value (an entry or an array), else the same bytes as NDJSON (SPEC §4). */
function readWhole(body: Buffer, collector: BodyCollector): void {
  const bytes = withoutBom(body);
  if (isUtf8(bytes)) {
    let value: unknown;
    let parsed = true;
    try {
      value = JSON.parse(bytes.toString('utf8'));
    } catch {
      parsed = false;
    }
    if (parsed) return collector.whole(value);
  }
  const splitter = new LineSplitter(collector.line);
  splitter.push(bytes);
  splitter.end();
}

function tooLarge(max: number): DomainError {
  return new DomainError(413, `body larger than HTTP_MAX_BODY (${max} bytes): nothing stored`);
}
