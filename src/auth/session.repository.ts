import { Inject, Injectable, Logger } from '@nestjs/common';
import { validateSync } from 'class-validator';
import type { Redis } from 'ioredis';
import { DomainError } from '../common/domain.error.js';
import { EnvDto } from '../config/env.dto.js';
import type { ActiveSession } from '../contract/log-entry.dto.js';
import { REDIS_CLIENT } from '../redis/redis.constants.js';
import { keyId } from './key-digest.util.js';
import { SessionDto } from './session.dto.js';

/**
 * Reads sessions that the auth backend keeps at `${SESSION_KEY_PREFIX}${key}`. Only the three
 * contract fields are kept, in contract order, so a session is stamped onto entries as SPEC §1 says.
 */
@Injectable()
export class SessionRepository {
  private readonly logger = new Logger(SessionRepository.name);
  private readonly prefix: string;

  constructor(
    @Inject(REDIS_CLIENT) private readonly redis: Redis | null,
    env: EnvDto,
  ) {
    this.prefix = env.SESSION_KEY_PREFIX;
  }

  /** Whether session keys exist at all (REDIS_URL set). */
  get enabled(): boolean {
    return this.redis !== null;
  }

  /**
   * @returns the session, or null for a key with no (or an unusable) session.
   * @throws DomainError 503 when Redis cannot answer: the key may well be fine.
   */
  async find(key: string): Promise<ActiveSession | null> {
    const [session] = await this.findMany([key]);
    return session;
  }

  /** One round trip for many keys (revalidation): many sockets on one key cost one lookup. */
  async findMany(keys: readonly string[]): Promise<(ActiveSession | null)[]> {
    if (!this.redis) return keys.map(() => null);
    if (keys.length === 0) return [];
    let values: (string | null)[];
    try {
      values = await this.redis.mget(keys.map((key) => this.prefix + key));
    } catch (error) {
      throw new DomainError(503, `session store unavailable: ${(error as Error).message}`);
    }
    return values.map((value, i) => (value === null ? null : this.parse(value, keys[i])));
  }

  private parse(value: string, key: string): ActiveSession | null {
    let plain: unknown;
    try {
      plain = JSON.parse(value);
    } catch {
      this.logger.warn(`session of key ${keyId(key)} is not JSON: treated as an invalid key`);
      return null;
    }
    // Only the three fields are read: the rest of the value, however large or deep, is ignored.
    const { user, timestamp, ipaddress } = (plain ?? {}) as Record<string, unknown>;
    const session = Object.assign(new SessionDto(), { user, timestamp, ipaddress });
    if (typeof plain !== 'object' || Array.isArray(plain) || validateSync(session).length > 0) {
      this.logger.warn(
        `session of key ${keyId(key)} lacks user/timestamp/ipaddress: treated as an invalid key`,
      );
      return null;
    }
    return { user: session.user, timestamp: session.timestamp, ipaddress: session.ipaddress };
  }
}
