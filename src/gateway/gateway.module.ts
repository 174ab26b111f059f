import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { ContractModule } from '../contract/contract.module.js';
import { IngestModule } from '../ingest/ingest.module.js';
import { ProducerModule } from '../producer/producer.module.js';
import { TailModule } from '../tail/tail.module.js';
import { ConnectionRegistry } from './connection.registry.js';
import { LogsGateway } from './logs.gateway.js';

@Module({
  imports: [AuthModule, ContractModule, IngestModule, TailModule, ProducerModule],
  providers: [LogsGateway, ConnectionRegistry],
  exports: [ConnectionRegistry],
})
export class GatewayModule {}
