import {
  Inject,
  Injectable,
  Optional,
  Logger,
  type BeforeApplicationShutdown,
  type OnModuleDestroy,
} from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import { WORKER_CHANNEL } from '../cluster/cluster.constants.js';
import type { WorkerChannel } from '../cluster/worker.channel.js';
import { EnvDto } from '../config/env.dto.js';
import type { WsConnection } from './ws-connection.js';

/** Close code of SPEC §7: the service is restarting, reconnect (to another instance). */
export const CLOSE_SERVICE_RESTART = 1012;
const RESTART_REASON = 'service restart';
const DRAIN_POLL_MS = 10;
/**
 * How long a connection must go without a new frame, everything answered, before it is closed
 * at shutdown: what a client sent before the signal is on its way or in the kernel's buffers,
 * and a socket read brings it within a few milliseconds on any LAN.
 */
const QUIET_MS = 200;
/** Of SHUTDOWN_TIMEOUT_MS, what is kept for closing sockets, flushing storage and closing Redis. */
const CLOSE_BUDGET_MS = 2000;
/** How long a peer may take to answer the close handshake before it is cut off. */
const CLOSE_HANDSHAKE_MS = 1000;

/** What the drain last saw of a connection: its frame count, and since when it has not moved. */
interface Quiet {
  frames: number;
  since: number;
}

/**
 * The open WebSocket connections of this process: counted for WS_MAX_CONNECTIONS, pinged for
 * keepalive, and drained at shutdown (SPEC §7: read until quiet, everything answered, then 1012).
 */
@Injectable()
export class ConnectionRegistry implements BeforeApplicationShutdown, OnModuleDestroy {
  private readonly logger = new Logger(ConnectionRegistry.name);
  private readonly connections = new Set<WsConnection>();
  private readonly keepalive: NodeJS.Timeout;
  /** Connections open on this instance's other workers (WORKERS > 1), as the primary last said. */
  private elsewhere = 0;

  constructor(
    private readonly env: EnvDto,
    @Optional() @Inject(WORKER_CHANNEL) private readonly channel?: WorkerChannel | null,
  ) {
    this.keepalive = setInterval(() => this.ping(), env.WS_PING_INTERVAL_MS).unref();
    channel?.on('conns', (m) => (this.elsewhere = m.others));
  }

  get size(): number {
    return this.connections.size;
  }

  /** This instance's connections, for WS_MAX_CONNECTIONS: every worker's under WORKERS > 1. */
  get instanceSize(): number {
    return this.connections.size + this.elsewhere;
  }

  add(connection: WsConnection): void {
    this.connections.add(connection);
    this.report();
    connection.ws.on('close', () => {
      // ws emits it once
      this.connections.delete(connection);
      this.report();
    });
  }

  /** One message per connect and close (never per frame), so other workers count this one's. */
  private report(): void {
    this.channel?.send({ ls: 1, t: 'conns', n: this.connections.size });
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

  /**
   * SPEC §7. Upgrades are already refused (LifecycleState). Each connection is still read until
   * it has been quiet for QUIET_MS with every frame answered, then closed with 1012; when the
   * reading budget runs out, the rest stop being read, what they sent is answered, and they close.
   */
  async beforeApplicationShutdown(): Promise<void> {
    const budget = this.env.SHUTDOWN_TIMEOUT_MS;
    const readUntil = Date.now() + Math.max(budget - CLOSE_BUDGET_MS, budget / 2);
    await this.closeWhenQuiet(Math.min(QUIET_MS, budget / 10), readUntil);
    for (const c of this.connections) c.stopReading();
    const answerUntil = Date.now() + CLOSE_BUDGET_MS / 4;
    while (this.unanswered() > 0 && Date.now() < answerUntil) await sleep(DRAIN_POLL_MS);
    const left = this.unanswered();
    if (left > 0) this.logger.error(`shutdown: ${left} frames still unanswered at the deadline`);
    await this.closeAll();
  }

  onModuleDestroy(): void {
    clearInterval(this.keepalive);
  }

  /** Closes each connection once it is quiet; returns when all are closing or at `until`. */
  private async closeWhenQuiet(quietMs: number, until: number): Promise<void> {
    const seen = new Map<WsConnection, Quiet>();
    while (Date.now() < until) {
      const now = Date.now();
      let open = 0;
      for (const c of this.connections) {
        if (c.isClosing) continue;
        const last = seen.get(c);
        if (last === undefined || last.frames !== c.framesReceived || c.inflight > 0) {
          seen.set(c, { frames: c.framesReceived, since: now });
          open++;
        } else if (now - last.since >= quietMs) {
          c.stopReading();
          c.close(CLOSE_SERVICE_RESTART, RESTART_REASON);
        } else {
          open++;
        }
      }
      if (open === 0) return;
      await sleep(DRAIN_POLL_MS);
    }
  }

  private unanswered(): number {
    let n = 0;
    for (const c of this.connections) n += c.inflight;
    return n;
  }

  private async closeAll(): Promise<void> {
    const closed = [...this.connections].map(
      (c) =>
        new Promise<void>((resolve) => {
          c.ws.once('close', () => resolve());
          c.close(CLOSE_SERVICE_RESTART, RESTART_REASON);
        }),
    );
    // A peer that never answers the close handshake is cut off rather than holding up the exit.
    const cutOff = sleep(CLOSE_HANDSHAKE_MS).then(() => {
      for (const c of this.connections) c.ws.terminate();
    });
    await Promise.race([Promise.all(closed), cutOff]);
  }
}
