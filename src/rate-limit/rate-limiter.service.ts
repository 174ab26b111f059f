import { Injectable } from '@nestjs/common';
import { EnvDto, rateLimitBurst } from '../config/env.dto.js';
import { TokenBuckets } from './token-buckets.js';

/** Told of every take, to keep the buckets in step with other workers' (cluster-rate-limit.sync.ts). */
export interface TakeListener {
  taken(name: string, n: number): void;
}

/**
 * SPEC §3 fairness: a token bucket per key name (or session user) on this instance, filled at
 * RATE_LIMIT_ENTRIES_PER_S up to RATE_LIMIT_BURST, shared by all that name's connections and
 * transports. A take of n entries either gets all n or none. A take larger than the burst is let
 * through once the bucket is full and leaves it in debt, so a big batch is slow, never impossible.
 */
@Injectable()
export class RateLimiter {
  readonly enabled: boolean;
  private readonly buckets: TokenBuckets;
  private refused = 0;
  private listener: TakeListener | undefined;

  constructor(env: EnvDto) {
    this.enabled = env.RATE_LIMIT_ENTRIES_PER_S > 0;
    this.buckets = new TokenBuckets(env.RATE_LIMIT_ENTRIES_PER_S, rateLimitBurst(env));
  }

  /** Entries refused so far (`logger_rate_limited_total`). */
  get limited(): number {
    return this.refused;
  }

  /** Under WORKERS > 1: reports every take, so that the primary can keep the instance's bucket. */
  onTake(listener: TakeListener): void {
    this.listener = listener;
  }

  /** Sets `name`'s bucket to `tokens` as of `at` (ms): the instance's balance less local takes. */
  adopt(name: string, tokens: number, at: number): void {
    const bucket = this.buckets.of(name, at);
    bucket.tokens = Math.min(this.buckets.burst, tokens);
    bucket.at = at;
  }

  /** Takes `n` tokens of `name`: 0 when taken, else the ms until they could be. */
  take(name: string, n: number, now = Date.now()): number {
    if (!this.enabled || n === 0) return 0;
    const bucket = this.buckets.of(name, now);
    const needed = Math.min(n, this.buckets.burst);
    if (bucket.tokens >= needed) {
      bucket.tokens -= n;
      this.listener?.taken(name, n);
      return 0;
    }
    this.refused += n;
    return Math.ceil((needed - bucket.tokens) / this.buckets.perMs);
  }

  /** Takes as many of `n` single-entry tokens as there are: how many were taken. */
  takeUpTo(name: string, n: number, now = Date.now()): number {
    if (!this.enabled || n === 0) return n;
    const bucket = this.buckets.of(name, now);
    const taken = Math.max(0, Math.min(n, Math.floor(bucket.tokens)));
    bucket.tokens -= taken;
    if (taken > 0) this.listener?.taken(name, taken);
    this.refused += n - taken;
    return taken;
  }

  /** The ms until one more entry of `name` could be taken. */
  retryAfter(name: string, now = Date.now()): number {
    const bucket = this.buckets.of(name, now);
    return bucket.tokens >= 1 ? 0 : Math.ceil((1 - bucket.tokens) / this.buckets.perMs);
  }
}
