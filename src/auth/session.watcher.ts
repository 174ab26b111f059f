import {
  Inject,
  Injectable,
  Logger,
  type OnModuleDestroy,
  type OnModuleInit,
} from '@nestjs/common';
import type { Redis } from 'ioredis';
import { DomainError } from '../common/domain.error.js';
import { EnvDto } from '../config/env.dto.js';
import type { ActiveSession } from '../contract/log-entry.dto.js';
import { REDIS_CLIENT, REDIS_CONNECTOR, type RedisConnector } from '../redis/redis.constants.js';
import { createPrincipal } from './principal.js';
import type { Revocable } from './revocable.js';
import { SessionRepository } from './session.repository.js';

/** Keys per MGET of a recheck: bounds one command's size whatever the number of sessions. */
const RECHECK_CHUNK = 500;

/**
 * Ends connections whose session is deleted or expires in Redis (SPEC §2), within
 * SESSION_CACHE_MS: at once through keyspace notifications where the server has them enabled,
 * and in any case by a recheck of every watched key every SESSION_CACHE_MS / 2, one MGET per
 * 500 distinct keys however many sockets share a key. While Redis is down nothing is revoked:
 * open connections keep ingesting with the session they have.
 */
@Injectable()
export class SessionWatcher implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(SessionWatcher.name);
  private readonly watched = new Map<string, Set<Revocable>>();
  private timer?: NodeJS.Timeout;
  private subscriber?: Redis;
  private rechecking = false;

  constructor(
    @Inject(REDIS_CLIENT) private readonly redis: Redis | null,
    private readonly sessions: SessionRepository,
    private readonly env: EnvDto,
    @Inject(REDIS_CONNECTOR) private readonly connect: RedisConnector | null,
  ) {}

  onModuleInit(): void {
    if (!this.redis || !this.connect) return;
    this.timer = setInterval(() => void this.recheck(), this.env.SESSION_CACHE_MS / 2).unref();
    this.listen(this.connect, this.redis.options.db ?? 0);
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
    this.subscriber?.disconnect();
  }

  /** Watches a connection until `unwatch`; connections of static keys are ignored. */
  watch(connection: Revocable): void {
    const key = connection.principal.sessionKey;
    if (key === undefined) return;
    let set = this.watched.get(key);
    if (!set) this.watched.set(key, (set = new Set()));
    set.add(connection);
  }

  unwatch(connection: Revocable): void {
    const key = connection.principal.sessionKey;
    const set = key === undefined ? undefined : this.watched.get(key);
    if (!set) return;
    set.delete(connection);
    if (set.size === 0) this.watched.delete(key!);
  }

  /** Rechecks every watched key; exposed for tests and for a notification burst. */
  async recheck(): Promise<void> {
    if (this.rechecking || this.watched.size === 0) return;
    this.rechecking = true;
    try {
      const keys = [...this.watched.keys()];
      for (let i = 0; i < keys.length; i += RECHECK_CHUNK) {
        const chunk = keys.slice(i, i + RECHECK_CHUNK);
        const found = await this.sessions.findMany(chunk);
        chunk.forEach((key, j) => this.apply(key, found[j]));
      }
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      this.logger.debug(`session recheck skipped: ${error.message}`);
    } finally {
      this.rechecking = false;
    }
  }

  private apply(key: string, session: ActiveSession | null): void {
    const set = this.watched.get(key);
    if (!set) return;
    if (session === null) {
      this.watched.delete(key);
      for (const connection of set) connection.revoke();
      return;
    }
    for (const connection of set) {
      const p = connection.principal;
      if (!sameSession(p.session, session)) {
        connection.renew(createPrincipal(session.user, p.scopes, session, p.keyId, key));
      }
    }
  }

  /** Keyspace notifications, where the server emits them: `del` and `expired` key events. */
  private listen(connect: RedisConnector, db: number): void {
    const subscriber = (this.subscriber = connect('session-events'));
    const prefix = this.env.SESSION_KEY_PREFIX;
    subscriber.on('message', (_channel: string, redisKey: string) => {
      if (!redisKey.startsWith(prefix)) return;
      const set = this.watched.get(redisKey.slice(prefix.length));
      if (set) void this.recheck();
    });
    subscriber.once('ready', () => void this.subscribe(subscriber, db));
    subscriber.connect().catch((error: Error) => {
      this.logger.debug(`session events not connected yet (${error.message}); ioredis retries`);
    });
  }

  private async subscribe(subscriber: Redis, db: number): Promise<void> {
    try {
      const [, flags = ''] = (await subscriber.config('GET', 'notify-keyspace-events')) as string[];
      const on =
        flags.includes('E') &&
        (flags.includes('A') || (flags.includes('g') && flags.includes('x')));
      if (!on) {
        this.logger.log(
          `keyspace notifications are off: sessions rechecked every ${this.env.SESSION_CACHE_MS / 2} ms`,
        );
        return;
      }
      await subscriber.subscribe(`__keyevent@${db}__:del`, `__keyevent@${db}__:expired`);
    } catch (error) {
      this.logger.log(
        `no keyspace notifications (${(error as Error).message}): sessions rechecked every ${this.env.SESSION_CACHE_MS / 2} ms`,
      );
    }
  }
}

function sameSession(a: ActiveSession, b: ActiveSession): boolean {
  return a.user === b.user && a.timestamp === b.timestamp && a.ipaddress === b.ipaddress;
}
