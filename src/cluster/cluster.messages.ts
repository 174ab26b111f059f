import type { StreamState } from '../producer/producer-state.store.js';

/**
 * The IPC messages between the primary and its workers (node:cluster, JSON serialization). Every
 * one carries `ls: 1` so that other users of the channel (prom-client's AggregatorRegistry, Node's
 * own cluster messages) are told apart.
 */

/** Requests a worker makes to the primary; `PrimaryAnswers[op]` is the answer's value. */
export interface PrimaryRequests {
  /** The instance's stats: the primary asks every worker for its minute buckets and sums them. */
  stats: { from: number; to: number };
  /** Every worker's registry, summed by prom-client's AggregatorRegistry: the text exposition. */
  metrics: Record<string, never>;
  'producer.open': { stream: string };
  'producer.record': { stream: string; seq: number };
  /**
   * This worker has tail subscribers (or none now). Answered once every serving worker knows, so
   * that every group stored from then on reaches this one.
   */
  'tail.interest': { on: boolean };
}

export interface PrimaryAnswers {
  /** [minute, tally key, count], every worker's, as StatsStore.read visits them. */
  stats: [number, string, number][];
  metrics: string;
  'producer.open': StreamState;
  'producer.record': null;
  'tail.interest': null;
}

export type RequestOp = keyof PrimaryRequests;

/** [name, tokens, at ms] of the instance's bucket of one rate-limited name. */
export type BucketBalance = [string, number, number];

export type WorkerMessage =
  | { ls: 1; t: 'req'; id: number; op: RequestOp; args: PrimaryRequests[RequestOp] }
  /** Stored lines for the instance's tail subscribers (sent only while some worker has any). */
  | { ls: 1; t: 'tail'; lines: string[] }
  /** This worker's open WebSocket connections (for WS_MAX_CONNECTIONS across workers). */
  | { ls: 1; t: 'conns'; n: number }
  /** Entries taken per name since the last debit message, numbered for the balances below. */
  | { ls: 1; t: 'debit'; seq: number; debits: [string, number][] }
  | { ls: 1; t: 'stats.answer'; id: number; counts: [number, string, number][] }
  /** The `interest` sent before this `interest.sync` was handled. */
  | { ls: 1; t: 'interest.synced'; id: number }
  /** This worker's `registry.getMetricsAsJSON()`. */
  | { ls: 1; t: 'metrics.answer'; id: number; metrics: unknown[] };

export type PrimaryMessage =
  | { ls: 1; t: 'res'; id: number; ok: true; value: unknown }
  | { ls: 1; t: 'res'; id: number; ok: false; error: string }
  | { ls: 1; t: 'tail'; lines: string[] }
  /** Whether any worker has tail subscribers: workers publish only while one has. */
  | { ls: 1; t: 'interest'; any: boolean }
  /** Connections open on the other workers. */
  | { ls: 1; t: 'conns'; others: number }
  /** Instance balances; `seen` is the last debit seq of this worker already subtracted. */
  | { ls: 1; t: 'balance'; seen: number; balances: BucketBalance[] }
  | { ls: 1; t: 'stats.ask'; id: number; from: number; to: number }
  | { ls: 1; t: 'metrics.ask'; id: number }
  | { ls: 1; t: 'interest.sync'; id: number };

/** Whether an IPC message is one of ours. */
export function isOurs<T>(message: unknown): message is T {
  return typeof message === 'object' && message !== null && (message as { ls?: unknown }).ls === 1;
}
