import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { Logger } from '@nestjs/common';
import type { WebSocket, WebSocketServer } from 'ws';
import { extractApiKey } from '../auth/api-key.extractor.js';
import type { ApiKeyResolver } from '../auth/api-key.resolver.js';
import { keyId } from '../auth/key-digest.util.js';
import type { Principal } from '../auth/principal.js';
import type { SessionWatcher } from '../auth/session.watcher.js';
import { DomainError } from '../common/domain.error.js';
import type { EnvDto } from '../config/env.dto.js';
import { rawHttpError } from '../http/http-error.util.js';
import { OriginPolicy } from '../http/origin.policy.js';
import type { LifecycleState } from '../lifecycle/lifecycle.state.js';
import { extractProducerId } from '../producer/producer-id.util.js';
import type { ProducerStream } from '../producer/producer-stream.js';
import type { ProducerStreams } from '../producer/producer-streams.service.js';
import type { ConnectionRegistry } from './connection.registry.js';
import { WsConnection, type ConnectionLimits, type IngestSocket } from './ws-connection.js';

/** Replies queued in user space per connection before it stops being read. */
const MAX_QUEUED_REPLY_BYTES = 1 << 20;

/**
 * Decides every WebSocket upgrade before anything is upgraded (SPEC §2, §3): wrong path 404,
 * a browser origin not in ALLOWED_ORIGINS 403, shutting down or full 503, missing/unknown/
 * ambiguous key 401, session store down 503. Only an authenticated request becomes a socket,
 * which then carries its principal and connection.
 */
export class WsUpgradeHandler {
  private readonly logger = new Logger('WsUpgrade');
  private handshakes = 0;
  private readonly limits: ConnectionLimits;
  private readonly origins: OriginPolicy;

  constructor(
    private readonly wss: WebSocketServer,
    private readonly env: EnvDto,
    private readonly resolver: ApiKeyResolver,
    private readonly registry: ConnectionRegistry,
    private readonly lifecycle: LifecycleState,
    private readonly sessions: SessionWatcher,
    private readonly producers: ProducerStreams,
  ) {
    this.limits = {
      maxInflight: env.WS_MAX_INFLIGHT,
      maxQueuedReplyBytes: MAX_QUEUED_REPLY_BYTES,
    };
    this.origins = new OriginPolicy(env.ALLOWED_ORIGINS);
  }

  readonly onUpgrade = (req: IncomingMessage, socket: Socket, head: Buffer): void => {
    socket.on('error', destroySocket);
    this.upgrade(req, socket, head).catch((error: unknown) => {
      this.logger.error({ err: error }, 'upgrade failed');
      refuse(socket, 500);
    });
  };

  private async upgrade(req: IncomingMessage, socket: Socket, head: Buffer): Promise<void> {
    if (pathOf(req.url) !== this.env.WS_PATH) return refuse(socket, 404);
    if (this.origins.judge(req.headers.origin, req.headers.host) === 'refused') {
      return refuse(socket, 403);
    }
    if (!this.canAccept()) return refuse(socket, 503);
    const key = extractApiKey(req);
    if (key === null) return refuse(socket, 401);
    const producerId = extractProducerId(req);
    if (producerId.kind === 'invalid') return refuse(socket, 400, producerId.reason);
    const ip = socket.remoteAddress ?? '';
    this.handshakes++;
    let principal: Principal;
    let producer: ProducerStream | undefined;
    try {
      principal = await this.resolver.resolve(key, ip);
      if (producerId.kind === 'stream') {
        producer = await this.producers.open(principal.name, producerId.producerId);
      }
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      this.logger.debug(
        `handshake of key ${keyId(key)} refused (${error.status}): ${error.message}`,
      );
      return refuse(socket, error.status);
    } finally {
      this.handshakes--;
    }
    if (socket.destroyed || !this.canAccept()) {
      if (producer) this.producers.release(producer);
      return socket.destroyed ? undefined : refuse(socket, 503);
    }
    this.wss.handleUpgrade(req, socket, head, (ws) =>
      this.accept(ws as IngestSocket, socket, req, principal, producer),
    );
  }

  /**
   * A method of its own so that the close listener's closure holds `client` only: created inside
   * upgrade(), it would keep that frame's request (headers and all, ~2 KB) for the socket's life.
   */
  private accept(
    client: IngestSocket,
    socket: Socket,
    req: IncomingMessage,
    principal: Principal,
    producer: ProducerStream | undefined,
  ): void {
    client.principal = principal;
    client.connection = new WsConnection(
      client,
      socket,
      principal,
      this.limits,
      this.onHandlerError,
    );
    if (producer) client.connection.startProducerStream(producer);
    client.on('pong', onPong);
    client.on('error', onSocketError);
    this.registry.add(client.connection);
    this.sessions.watch(client.connection);
    client.on('close', () => {
      // emitted once
      this.sessions.unwatch(client.connection);
      if (producer) this.producers.release(producer);
    });
    this.wss.emit('connection', client, req);
  }

  private canAccept(): boolean {
    return (
      !this.lifecycle.draining &&
      this.registry.instanceSize + this.handshakes < this.env.WS_MAX_CONNECTIONS
    );
  }

  private readonly onHandlerError = (error: unknown): void => {
    this.logger.error({ err: error }, 'gateway handler failed');
  };
}

function pathOf(url = '/'): string {
  const q = url.indexOf('?');
  return q === -1 ? url : url.slice(0, q);
}

function refuse(socket: Socket, status: number, message?: string): void {
  if (!socket.destroyed) socket.end(rawHttpError(status, message));
}

/** Shared by every socket: a closure per socket would stay with each idle connection. */
function destroySocket(this: Socket): void {
  this.destroy();
}

function onPong(this: WebSocket): void {
  (this as IngestSocket).connection.missedPongs = 0;
}

const socketLogger = new Logger('WsConnection');

/** Protocol errors (bad UTF-8, oversized frames): ws has already closed with 1007/1009. */
function onSocketError(this: WebSocket, error: Error): void {
  const { keyId } = (this as IngestSocket).principal;
  socketLogger.debug(`connection of key ${keyId} closed: ${error.message}`);
}
