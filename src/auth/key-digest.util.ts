import { createHash, timingSafeEqual } from 'node:crypto';

export function sha256(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

/** The loggable identity of a key: never the key, only a short prefix of its hash (SPEC §2). */
export function keyId(key: string): string {
  return sha256(key).toString('hex').slice(0, 8);
}

/** Equal-length digests compared without an early exit, so timing tells nothing about the key. */
export function digestsEqual(a: Buffer, b: Buffer): boolean {
  return timingSafeEqual(a, b);
}
