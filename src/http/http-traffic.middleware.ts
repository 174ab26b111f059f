import { Injectable, type NestMiddleware } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { LifecycleState } from '../lifecycle/lifecycle.state.js';
import { HttpTraffic } from './http-traffic.js';

/**
 * Counts each HTTP request while it is in flight (HttpTraffic) and, once the service drains
 * (SPEC §4, §7), answers with `Connection: close` so that keep-alive clients go elsewhere: the
 * header is decided when the answer's head is written, not when the request arrived.
 */
@Injectable()
export class HttpTrafficMiddleware implements NestMiddleware {
  constructor(
    private readonly traffic: HttpTraffic,
    private readonly lifecycle: LifecycleState,
  ) {}

  use(_req: IncomingMessage, res: ServerResponse, next: () => void): void {
    const { traffic, lifecycle } = this;
    traffic.started();
    res.once('close', () => traffic.ended());
    const writeHead = res.writeHead;
    res.writeHead = function (this: ServerResponse, ...args: unknown[]) {
      if (lifecycle.draining) this.setHeader('Connection', 'close');
      return (writeHead as (...a: unknown[]) => ServerResponse).apply(this, args);
    } as ServerResponse['writeHead'];
    next();
  }
}
