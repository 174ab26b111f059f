// First: holds the young generation small while the other modules load (see the file).
import { releaseBootHeap } from './lifecycle/young-generation.util.js';
import 'reflect-metadata';
import cluster from 'node:cluster';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Redis } from 'ioredis';
import type { Logger } from 'nestjs-pino';
import { startPrimaryIfClustered } from './cluster/cluster-role.js';
import { InvalidConfigError } from './config/app.config.js';
import type { EnvDto } from './config/env.dto.js';
import type { LifecycleState } from './lifecycle/lifecycle.state.js';

/** How long a cluster worker waits for its Redis before it listens anyway (firstRedisReady). */
const REDIS_READY_WAIT_MS = 2000;

async function bootstrap(): Promise<void> {
  if (await startPrimaryIfClustered()) return;
  // Loaded only where the application runs: a cluster primary (WORKERS > 1) never carries Nest.
  const [
    { NestFactory },
    { Logger },
    { AppModule },
    { EnvDto },
    { IngestWsAdapter },
    { answerClientError },
    lifecycle,
    openApi,
  ] = await Promise.all([
    import('@nestjs/core'),
    import('nestjs-pino'),
    import('./app.module.js'),
    import('./config/env.dto.js'),
    import('./gateway/ingest-ws.adapter.js'),
    import('./http/client-error.handler.js'),
    import('./lifecycle/lifecycle.state.js'),
    import('./openapi/openapi.setup.js'),
  ]);
  const app = await NestFactory.create<NestExpressApplication>(AppModule, {
    bufferLogs: true,
    abortOnError: false,
    forceCloseConnections: true,
    // POST /logs streams its own body within HTTP_MAX_BODY (ReadBodyPipe); no route needs a parser.
    bodyParser: false,
  });
  const logger = app.get(Logger);
  app.useLogger(logger);
  app.disable('x-powered-by');
  app.getHttpServer().on('clientError', answerClientError);
  app.useWebSocketAdapter(new IngestWsAdapter(app));
  openApi.setupOpenApi(app);
  const env = app.get(EnvDto);
  handleSignals(app, env, logger, app.get(lifecycle.LifecycleState));
  if (cluster.isWorker) await firstRedisReady(app);
  await app.listen(env.PORT, env.HOST);
  releaseBootHeap();
  logger.log(
    `listening on ${env.HOST}:${env.PORT}, WebSocket ${env.WS_PATH}, storage ${env.STORAGE.join(',')}`,
  );
}

/**
 * A cluster worker shares the port with siblings that may already serve, and the readiness a
 * probe reads is one sibling's: a worker that listened before its Redis answered would refuse
 * session handshakes with 503 while the instance reports ready. So a worker listens once its
 * Redis client is ready, or after REDIS_READY_WAIT_MS if Redis is down (it then reports not
 * ready and recovers by itself, like a single process). A single process listens at once.
 */
async function firstRedisReady(app: NestExpressApplication): Promise<void> {
  const [{ REDIS_CLIENT }, { redisReady }] = await Promise.all([
    import('./redis/redis.constants.js'),
    import('./redis/redis-ready.util.js'),
  ]);
  const redis = app.get<Redis | null>(REDIS_CLIENT);
  if (redis) await redisReady(redis, REDIS_READY_WAIT_MS);
}

/**
 * SPEC §7, in the order of app.close(): readiness 503 and upgrades refused at once; each
 * connection answers what it received and is closed with 1012 (ConnectionRegistry); storage is
 * flushed and closed; exit 0. Nest's own shutdown hooks would re-raise the signal and exit 143.
 */
function handleSignals(
  app: NestExpressApplication,
  env: EnvDto,
  logger: Logger,
  lifecycle: LifecycleState,
): void {
  let draining = false;
  // Idempotent: a cluster worker gets its primary's SIGTERM and, from a terminal, SIGINT too.
  const shutdown = (signal: string) => {
    if (draining) return;
    draining = true;
    logger.log(`${signal}: draining`);
    lifecycle.beginDrain();
    setTimeout(() => {
      logger.error(`shutdown took longer than SHUTDOWN_TIMEOUT_MS=${env.SHUTDOWN_TIMEOUT_MS}`);
      process.exit(1);
    }, env.SHUTDOWN_TIMEOUT_MS).unref();
    app.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
}

bootstrap().catch((error: unknown) => {
  // Config errors are the operator's to fix: one clear line, no stack.
  const message =
    error instanceof InvalidConfigError ? error.message : String((error as Error)?.stack ?? error);
  process.stderr.write(`logger-service failed to start: ${message}\n`);
  process.exit(1);
});
