import {
  Global,
  Module,
  RequestMethod,
  type MiddlewareConsumer,
  type NestModule,
} from '@nestjs/common';
import { HttpTraffic } from './http-traffic.js';
import { HttpTrafficMiddleware } from './http-traffic.middleware.js';
import { OriginMiddleware } from './origin.middleware.js';

/**
 * What every HTTP request goes through before its route: counting and drain handling first
 * (so a refused request is counted and closed too), then the origin policy and CORS.
 */
@Global()
@Module({
  providers: [HttpTraffic],
  exports: [HttpTraffic],
})
export class HttpModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer
      .apply(HttpTrafficMiddleware, OriginMiddleware)
      .forRoutes({ path: '*splat', method: RequestMethod.ALL });
  }
}
