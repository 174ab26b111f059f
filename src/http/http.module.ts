import {
  Global,
  Module,
  RequestMethod,
  type MiddlewareConsumer,
  type NestModule,
} from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { HttpExceptionFilter } from './http-exception.filter.js';
import { HttpTraffic } from './http-traffic.js';
import { HttpTrafficMiddleware } from './http-traffic.middleware.js';
import { OriginMiddleware } from './origin.middleware.js';

/**
 * What every HTTP request goes through before its route: counting and drain handling first
 * (so a refused request is counted and closed too), then the origin policy and CORS; and the
 * one error mapping of every route, Nest's unknown-route answer included.
 */
@Global()
@Module({
  providers: [HttpTraffic, { provide: APP_FILTER, useClass: HttpExceptionFilter }],
  exports: [HttpTraffic],
})
export class HttpModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer
      .apply(HttpTrafficMiddleware, OriginMiddleware)
      .forRoutes({ path: '*splat', method: RequestMethod.ALL });
  }
}
