import {
  circuitBreaker,
  CircuitState,
  ConsecutiveBreaker,
  handleAll,
  timeout,
  TimeoutStrategy,
  wrap,
  type CircuitBreakerPolicy,
  type IPolicy,
} from 'cockatiel';
import { CircuitStateValue } from '../storage-metrics.js';

export interface SinkPolicyOptions {
  /** A write slower than this fails (STORAGE_WRITE_TIMEOUT_MS). */
  timeoutMs: number;
  /** Consecutive failures that open the circuit (BREAKER_FAILURES). */
  failures: number;
  /** Open → half-open after this long (BREAKER_HALF_OPEN_MS). */
  halfOpenMs: number;
}

/** Replays may take this many times the write timeout: nobody waits for their acks. */
export const REPLAY_TIMEOUT_FACTOR = 5;

/**
 * A sink's breaker with the timeout inside it, as one policy per use; `breaker` for its state.
 * Both policies share the breaker, so a replay's outcome opens or closes it like a write's.
 */
export interface SinkPolicy {
  readonly breaker: CircuitBreakerPolicy;
  /** For the writes an ack waits for: STORAGE_WRITE_TIMEOUT_MS. */
  readonly policy: IPolicy;
  /**
   * For replays: REPLAY_TIMEOUT_FACTOR times longer, so that a backend that is merely slow (a
   * replay batch is larger than most groups) still makes progress, while a hung one is caught.
   */
  readonly replayPolicy: IPolicy;
}

/**
 * cockatiel rather than opossum: it is TypeScript, its breaker guards any call we hand it rather
 * than one fixed function, and its half-open probe is simply the next execute() — the oldest
 * spooled group, so a probe that succeeds is already the first step of an in-order replay. The
 * timeout is Aggressive: the caller stops waiting at once (the abandoned write may still land,
 * which the sinks' idempotent ids absorb), and a timeout counts as a failure of the breaker.
 */
export function createSinkPolicy(options: SinkPolicyOptions): SinkPolicy {
  const breaker = circuitBreaker(handleAll, {
    halfOpenAfter: options.halfOpenMs,
    breaker: new ConsecutiveBreaker(options.failures),
  });
  const policy = wrap(breaker, timeout(options.timeoutMs, TimeoutStrategy.Aggressive));
  const replayMs = options.timeoutMs * REPLAY_TIMEOUT_FACTOR;
  const replayPolicy = wrap(breaker, timeout(replayMs, TimeoutStrategy.Aggressive));
  return { breaker, policy, replayPolicy };
}

/** cockatiel's state as `logger_circuit_state` (an isolated breaker counts as open). */
export function circuitValue(state: CircuitState): CircuitStateValue {
  switch (state) {
    case CircuitState.Closed:
      return CircuitStateValue.closed;
    case CircuitState.HalfOpen:
      return CircuitStateValue.halfOpen;
    default:
      return CircuitStateValue.open;
  }
}
