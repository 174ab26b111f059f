import { Module } from '@nestjs/common';
import { StorageModule } from '../storage/storage.module.js';
import { IngestService } from './ingest.service.js';

@Module({
  imports: [StorageModule],
  providers: [IngestService],
  exports: [IngestService],
})
export class IngestModule {}
