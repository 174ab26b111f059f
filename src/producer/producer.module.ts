import { Module } from '@nestjs/common';
import { ProducerStateModule } from './producer-state.module.js';
import { ProducerStreams } from './producer-streams.service.js';

/** Producer streams (SPEC §8): their state in Redis when REDIS_URL is set, else in LOG_DIR. */
@Module({
  imports: [ProducerStateModule],
  providers: [ProducerStreams],
  exports: [ProducerStreams],
})
export class ProducerModule {}
