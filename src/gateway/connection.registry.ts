import {
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnModuleDestroy,
} from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import { EnvDto } from '../config/env.dto.js';
import type { WsConnection } from './ws-connection.js';

/** Close code of SPEC §7: the service is restarting, reconnect (to another instance). */
export const CLOSE_SERVICE_RESTART = 1012;
const DRAIN_POLL_MS = 10;
/** Of SHUTDOWN_TIMEOUT_MS, what is kept for closing sockets, flushing storage and closing Redis. */
const CLOSE_BUDGET_MS = 2000;

/**
 * The open WebSocket connections of this process: counted for WS_MAX_CONNECTIONS, pinged for
 * keepalive, and drained at shutdown (every received frame answered, then closed with 1012).
 */
@Injectable()
export class ConnectionRegistry implements BeforeApplicationShutdown, OnModuleDestroy {
  private readonly logger = new Logger(ConnectionRegistry.name);
  private readonly connections = new Set<WsConnection>();
  private readonly keepalive: NodeJS.Timeout;

  constructor(private readonly env: EnvDto) {
    this.keepalive = setInterval(() => this.ping(), env.WS_PING_INTERVAL_MS).unref();
  }

  get size(): number {
    return this.connections.size;
  }

  add(connection: WsConnection): void {
    this.connections.add(connection);
    connection.ws.once('close', () => this.connections.delete(connection));
  }

  /** Keepalive (SPEC §3): a peer that missed two pongs in a row is dropped. */
  private ping(): void {
    for (const c of this.connections) {
      if (c.missedPongs >= 2) {
        c.ws.terminate();
        continue;
      }
      c.missedPongs++;
      c.ws.ping();
    }
  }

  async beforeApplicationShutdown(): Promise<void> {
    for (const c of this.connections) c.stopReading();
    const budget = this.env.SHUTDOWN_TIMEOUT_MS;
    const deadline = Date.now() + Math.max(budget - CLOSE_BUDGET_MS, budget / 2);
    while (this.unanswered() > 0 && Date.now() < deadline) await sleep(DRAIN_POLL_MS);
    const left = this.unanswered();
    if (left > 0) this.logger.error(`shutdown: ${left} frames still unanswered at the deadline`);
    await this.closeAll(CLOSE_SERVICE_RESTART, 'service restart');
  }

  onModuleDestroy(): void {
    clearInterval(this.keepalive);
  }

  private unanswered(): number {
    let n = 0;
    for (const c of this.connections) n += c.inflight;
    return n;
  }

  private async closeAll(code: number, reason: string): Promise<void> {
    const closed = [...this.connections].map(
      (c) =>
        new Promise<void>((resolve) => {
          c.ws.once('close', () => resolve());
          c.close(code, reason);
        }),
    );
    // A peer that never answers the close handshake is cut off rather than holding up the exit.
    const cutOff = sleep(1000).then(() => {
      for (const c of this.connections) c.ws.terminate();
    });
    await Promise.race([Promise.all(closed), cutOff]);
  }
}
