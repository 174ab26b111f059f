import { randomBytes } from 'node:crypto';

/**
 * A new writer id (see EntryGroup): 48 random bits in base64url, 8 characters. Two instances
 * writing one stream or table collide with a chance of about n²/2⁴⁹, nil for any real fleet.
 */
export function newWriterId(): string {
  return randomBytes(6).toString('base64url');
}
