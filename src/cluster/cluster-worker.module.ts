import { Global, Module } from '@nestjs/common';
import { WORKER_CHANNEL } from './cluster.constants.js';
import { WorkerChannel } from './worker.channel.js';

/**
 * A cluster worker's channel to its primary (WORKERS > 1), or null in a single process; the
 * modules whose state is per instance (tail, stats, producer state, rate limit, connections,
 * metrics) pick their cluster variant by it.
 */
@Global()
@Module({
  providers: [{ provide: WORKER_CHANNEL, useFactory: () => WorkerChannel.ofThisProcess() }],
  exports: [WORKER_CHANNEL],
})
export class ClusterWorkerModule {}
