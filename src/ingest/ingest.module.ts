import { Module } from '@nestjs/common';
import { StatsModule } from '../stats/stats.module.js';
import { StorageModule } from '../storage/storage.module.js';
import { TailModule } from '../tail/tail.module.js';
import { IngestService } from './ingest.service.js';

@Module({
  imports: [StorageModule, StatsModule, TailModule],
  providers: [IngestService],
  exports: [IngestService],
})
export class IngestModule {}
