import type { INestApplicationContext } from '@nestjs/common';
import { AbstractWsAdapter, type MessageMappingProperties } from '@nestjs/websockets';
import type { Server } from 'node:http';
import { WebSocketServer } from 'ws';
import { ApiKeyResolver } from '../auth/api-key.resolver.js';
import { SessionWatcher } from '../auth/session.watcher.js';
import { EnvDto } from '../config/env.dto.js';
import { LifecycleState } from '../lifecycle/lifecycle.state.js';
import { ProducerStreams } from '../producer/producer-streams.service.js';
import { ConnectionRegistry } from './connection.registry.js';
import type { IngestSocket } from './ws-connection.js';
import { WsUpgradeHandler } from './ws-upgrade.handler.js';

/**
 * The WebSocket adapter of the ingest gateway. Unlike the stock WsAdapter it authenticates before
 * upgrading (WsUpgradeHandler) and hands each socket's frames to its WsConnection, which calls the
 * gateway's Nest handlers (guards, pipes, filters and all) and answers in frame order.
 */
export class IngestWsAdapter extends AbstractWsAdapter {
  private upgradeHandler?: WsUpgradeHandler;

  constructor(private readonly app: INestApplicationContext & { getHttpServer(): Server }) {
    super(app.getHttpServer());
  }

  create(port: number, options?: Record<string, unknown>): WebSocketServer {
    if (port !== 0 || options?.namespace) {
      throw new Error(
        'IngestWsAdapter serves gateways on the HTTP server port only, without namespaces',
      );
    }
    const env = this.app.get(EnvDto);
    const wss = new WebSocketServer({
      noServer: true,
      clientTracking: false,
      perMessageDeflate: false,
      maxPayload: env.WS_MAX_PAYLOAD,
    });
    this.upgradeHandler = new WsUpgradeHandler(
      wss,
      env,
      this.app.get(ApiKeyResolver),
      this.app.get(ConnectionRegistry),
      this.app.get(LifecycleState),
      this.app.get(SessionWatcher),
      this.app.get(ProducerStreams),
    );
    (this.httpServer as Server).on('upgrade', this.upgradeHandler.onUpgrade);
    return wss;
  }

  bindMessageHandlers(client: IngestSocket, handlers: MessageMappingProperties[]): void {
    client.connection.listen(handlers);
  }

  override bindClientDisconnect(client: IngestSocket, callback: () => void): void {
    client.on('close', callback); // ws emits it once; `once` would cost a wrapper per socket
  }

  override async close(wss: WebSocketServer): Promise<void> {
    if (this.upgradeHandler)
      (this.httpServer as Server).off('upgrade', this.upgradeHandler.onUpgrade);
    await new Promise<void>((resolve) => wss.close(() => resolve()));
  }
}
