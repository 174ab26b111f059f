import { randomUUID } from 'node:crypto';
import type { EntryInput, LogLevel } from '../log-entry.js';

export type LevelWeights = Record<LogLevel, number>;

/** `info:70,warning:20,error:10` → weights; throws naming the bad part. */
export function parseLevelWeights(text: string): LevelWeights {
  const weights: LevelWeights = { info: 0, warning: 0, error: 0 };
  for (const part of text.split(',')) {
    const [level, weight] = part.split(':');
    const n = Number(weight);
    if (!(level in weights) || !Number.isFinite(n) || n < 0) {
      throw new Error(`--level-weights: bad part "${part}" (want level:weight, e.g. info:70)`);
    }
    weights[level as LogLevel] = n;
  }
  if (weights.info + weights.warning + weights.error <= 0) {
    throw new Error('--level-weights: the weights add up to 0');
  }
  return weights;
}

interface Step {
  system: string;
  module: string;
  action: string;
}

/** A request's way through the systems of a typical web shop, front to back. */
const CHAINS: readonly Step[][] = [
  [
    { system: 'frontend', module: 'CheckoutPage', action: 'submitOrder' },
    { system: 'gateway', module: 'OrdersRoute', action: 'POST /orders' },
    { system: 'backend', module: 'OrderService', action: 'createOrder' },
    { system: 'backend', module: 'PaymentClient', action: 'charge' },
    { system: 'database', module: 'OrdersRepository', action: 'insert' },
  ],
  [
    { system: 'frontend', module: 'LoginForm', action: 'submit' },
    { system: 'gateway', module: 'AuthRoute', action: 'POST /login' },
    { system: 'backend', module: 'SessionService', action: 'createSession' },
  ],
  [
    { system: 'frontend', module: 'SearchBox', action: 'query' },
    { system: 'backend', module: 'SearchService', action: 'search' },
    { system: 'database', module: 'ProductsRepository', action: 'findByText' },
  ],
];

/** Realistic failures: a type (SPEC §1's 1..64), an HTTP-like or driver code, a message. */
const ERRORS = [
  { errorType: 'validation', errorCode: 422, errorMessage: 'email must be a valid address' },
  { errorType: 'unauth', errorCode: 401, errorMessage: 'session expired, please sign in again' },
  { errorType: 'timeout', errorCode: 504, errorMessage: 'upstream did not answer within 3000 ms' },
  {
    errorType: 'database',
    errorCode: 23505,
    errorMessage: 'duplicate key value violates unique constraint "orders_pkey"',
  },
  { errorType: 'payment', errorCode: 402, errorMessage: 'card declined: insufficient funds' },
];

/**
 * The blueprint's mock generator, made real: entries come in request chains that share one
 * correlationId across systems and modules; each entry's level is drawn by the weights, and an
 * error ends its chain (the request failed there) with a type, a code and a message.
 */
export class RequestChains {
  private chain: readonly Step[] = [];
  private step = 0;
  private correlationId = '';

  constructor(
    private readonly project: string,
    private readonly weights: LevelWeights,
    private readonly random: () => number = Math.random,
  ) {}

  next(): EntryInput & { project: string; system: string } {
    if (this.step >= this.chain.length) this.startChain();
    const { system, module, action } = this.chain[this.step++];
    const level = this.drawLevel();
    const base = { correlationId: this.correlationId, level, project: this.project, system };
    const entry = { ...base, module, action, timestamp: new Date().toISOString() };
    if (level === 'error') {
      this.step = this.chain.length;
      return { ...entry, ...ERRORS[Math.floor(this.random() * ERRORS.length)] };
    }
    return level === 'warning' ? { ...entry, action: `${action} (slow: over 800 ms)` } : entry;
  }

  private startChain(): void {
    this.chain = CHAINS[Math.floor(this.random() * CHAINS.length)];
    this.step = 0;
    this.correlationId = randomUUID();
  }

  private drawLevel(): LogLevel {
    const { info, warning, error } = this.weights;
    const x = this.random() * (info + warning + error);
    return x < info ? 'info' : x < info + warning ? 'warning' : 'error';
  }
}
