import { randomUUID } from 'node:crypto';
import { jest } from '@jest/globals';
import { Test, type TestingModule } from '@nestjs/testing';
import type { Redis } from 'ioredis';
import { SessionRepository } from '../../src/auth/session.repository.js';
import { DomainError } from '../../src/common/domain.error.js';
import { validateEnv } from '../../src/config/app.config.js';
import { EnvDto } from '../../src/config/env.dto.js';
import { createRedisClient } from '../../src/redis/create-redis-client.js';
import { REDIS_CLIENT } from '../../src/redis/redis.constants.js';
import { startRedis, stopAllRedis, type RedisServer } from '../support/redis-server.js';

/** SessionRepository against a real, throwaway redis-server (SPEC §2 session keys). */

jest.setTimeout(30_000);

const ALICE = { user: 'alice', timestamp: '2026-01-21T10:30:00Z', ipaddress: '10.1.2.3' };
const BOB = { user: 'bob', timestamp: '2026-01-22T08:00:00+01:00', ipaddress: '::1' };

/** A key no other test shares, so tests never see each other's sessions. */
const newKey = () => `key-${randomUUID()}`;

/** The real providers, wired as the app wires them, minus AppConfigModule and RedisModule. */
async function buildRepository(
  url: string,
  env: Record<string, string> = {},
): Promise<{ moduleRef: TestingModule; repository: SessionRepository; client: Redis }> {
  const client = createRedisClient(url, 'test');
  await client.connect();
  const moduleRef = await Test.createTestingModule({
    providers: [
      { provide: EnvDto, useValue: validateEnv({ REDIS_URL: url, ...env }) },
      { provide: REDIS_CLIENT, useValue: client },
      SessionRepository,
    ],
  }).compile();
  return { moduleRef, repository: moduleRef.get(SessionRepository), client };
}

/** A throwaway Redis and the repository on it for the enclosing describe, stopped after it. */
function useRepository(env: Record<string, string> = {}) {
  const ctx = {} as { redis: RedisServer; admin: Redis; repository: SessionRepository };
  let built: Awaited<ReturnType<typeof buildRepository>> | undefined;
  beforeAll(async () => {
    ctx.redis = await startRedis();
    ctx.admin = await ctx.redis.client();
    built = await buildRepository(ctx.redis.url, env);
    ctx.repository = built.repository;
  });
  afterAll(async () => {
    await built?.moduleRef.close();
    built?.client.disconnect();
    await ctx.redis?.stop();
  });
  return ctx;
}

/** Settles with what `promise` settled with, or rejects once `ms` passed without an answer. */
function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

describe(SessionRepository.name, () => {
  afterAll(() => stopAllRedis());

  describe('with the default prefix', () => {
    const ctx = useRepository();

    it('is enabled when a Redis client is provided', () => {
      expect(ctx.repository.enabled).toBe(true);
    });

    it('returns a found session as exactly user, timestamp, ipaddress, in that order', async () => {
      // Arrange: other field order, an extra field, as an auth backend may well write it
      const key = newKey();
      const stored = {
        ipaddress: '10.1.2.3',
        role: 'admin',
        timestamp: ALICE.timestamp,
        user: 'alice',
      };
      await ctx.admin.set(`session:${key}`, JSON.stringify(stored));

      // Act
      const session = await ctx.repository.find(key);

      // Assert
      expect(session).toEqual(ALICE);
      expect(JSON.stringify(session)).toBe(JSON.stringify(ALICE));
    });

    it('returns null for a key with no session', async () => {
      await expect(ctx.repository.find(newKey())).resolves.toBeNull();
    });

    it('returns null for a session that is not JSON', async () => {
      const key = newKey();
      await ctx.admin.set(`session:${key}`, '{"user":"alice", oops');

      await expect(ctx.repository.find(key)).resolves.toBeNull();
    });

    it.each([
      ['user missing', { timestamp: ALICE.timestamp, ipaddress: ALICE.ipaddress }],
      ['timestamp missing', { user: 'alice', ipaddress: ALICE.ipaddress }],
      ['ipaddress missing', { user: 'alice', timestamp: ALICE.timestamp }],
      ['user not a string', { ...ALICE, user: 42 }],
      ['user empty', { ...ALICE, user: '' }],
      ['JSON null', null],
      ['a JSON string', 'alice'],
      ['a JSON number', 42],
      ['a JSON array holding a session', [ALICE]],
      ['user over 128 characters', { ...ALICE, user: 'u'.repeat(129) }],
      ['ipaddress over 64 characters', { ...ALICE, ipaddress: '1'.repeat(65) }],
    ])('returns null for a session with %s', async (_case, value) => {
      const key = newKey();
      await ctx.admin.set(`session:${key}`, JSON.stringify(value));

      await expect(ctx.repository.find(key)).resolves.toBeNull();
    });

    it('returns null for a session whose user is nested 10,000 deep, without recursing into it', async () => {
      const key = newKey();
      const deep = '['.repeat(10_000) + ']'.repeat(10_000);
      await ctx.admin.set(`session:${key}`, `{"user":${deep},"timestamp":"t","ipaddress":"ip"}`);

      await expect(ctx.repository.find(key)).resolves.toBeNull();
    });

    it('looks up many keys with one MGET and answers in key order', async () => {
      // Arrange
      const [alice, missing, bob, broken] = [newKey(), newKey(), newKey(), newKey()];
      await ctx.admin.set(`session:${alice}`, JSON.stringify(ALICE));
      await ctx.admin.set(`session:${bob}`, JSON.stringify(BOB));
      await ctx.admin.set(`session:${broken}`, 'not json');
      await ctx.admin.config('RESETSTAT');

      // Act
      const sessions = await ctx.repository.findMany([alice, missing, bob, broken]);

      // Assert
      expect(sessions).toEqual([ALICE, null, BOB, null]);
      const stats = await ctx.admin.info('commandstats');
      expect(stats).toMatch(/^cmdstat_mget:calls=1,/m);
      expect(stats).not.toMatch(/^cmdstat_get:/m);
    });
  });

  describe('with SESSION_KEY_PREFIX=custom:', () => {
    const ctx = useRepository({ SESSION_KEY_PREFIX: 'custom:' });

    it('reads ${prefix}${key} and ignores the default prefix', async () => {
      // Arrange
      const [custom, plain] = [newKey(), newKey()];
      await ctx.admin.set(`custom:${custom}`, JSON.stringify(ALICE));
      await ctx.admin.set(`session:${plain}`, JSON.stringify(BOB));

      // Act
      const found = await ctx.repository.findMany([custom, plain]);

      // Assert
      expect(found).toEqual([ALICE, null]);
    });
  });

  describe('when Redis is down', () => {
    const ctx = useRepository();

    it('fails fast with DomainError 503, never null (the key may be fine)', async () => {
      // Arrange
      const key = newKey();
      await ctx.admin.set(`session:${key}`, JSON.stringify(ALICE));
      await expect(ctx.repository.find(key)).resolves.toEqual(ALICE);

      // Act
      await ctx.redis.kill();
      const lookups: Promise<unknown>[] = [
        ctx.repository.find(key),
        ctx.repository.findMany([key, newKey()]),
      ];

      // Assert: a loose bound; ioredis' defaults would hold the lookup ~73 s
      for (const lookup of lookups) {
        const error = await within(lookup, 3000).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(DomainError);
        expect(error).toMatchObject({ status: 503 });
      }
    });

    it('answers again once Redis is back on the same port, without a new client', async () => {
      // Arrange
      await ctx.redis.kill();
      await ctx.redis.restart();
      const key = newKey();
      await ctx.admin.set(`session:${key}`, JSON.stringify(BOB));

      // Act: the client reconnects by itself (retry delay ≤ 1 s)
      let session: unknown;
      const deadline = Date.now() + 10_000;
      while (Date.now() < deadline) {
        session = await ctx.repository.find(key).catch((e: unknown) => e);
        if (!(session instanceof DomainError)) break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }

      // Assert
      expect(session).toEqual(BOB);
    });
  });
});
