import type { IncomingMessage } from 'node:http';

export const PRODUCER_ID_HEADER = 'x-producer-id';
/** SPEC §8: 1..64 of `A-Za-z0-9_.-`. */
const PRODUCER_ID = /^[A-Za-z0-9_.-]{1,64}$/;

/** What the handshake says about a producer stream: none, one, or a refusal (400). */
export type ProducerIdResult =
  { kind: 'none' } | { kind: 'stream'; producerId: string } | { kind: 'invalid'; reason: string };

/**
 * Reads `x-producer-id` or `?producerId=` (SPEC §8). Given twice, or header and query differing,
 * or not matching the SPEC's alphabet and length: invalid, answered 400 before any upgrade.
 */
export function extractProducerId(req: IncomingMessage): ProducerIdResult {
  const header = req.headers[PRODUCER_ID_HEADER];
  if (Array.isArray(header)) return invalid('x-producer-id given more than once');
  const q = (req.url ?? '').indexOf('?');
  const query = q === -1 ? [] : new URLSearchParams(req.url!.slice(q + 1)).getAll('producerId');
  if (query.length > 1) return invalid('producerId given more than once');
  if (header !== undefined && query[0] !== undefined && header !== query[0]) {
    return invalid('x-producer-id and producerId differ');
  }
  const id = header ?? query[0];
  if (id === undefined) return { kind: 'none' };
  if (!PRODUCER_ID.test(id)) return invalid('a producer id is 1..64 of A-Za-z0-9_.-');
  return { kind: 'stream', producerId: id };
}

function invalid(reason: string): ProducerIdResult {
  return { kind: 'invalid', reason };
}
