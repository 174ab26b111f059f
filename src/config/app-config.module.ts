import { Global, Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { withWorkerSpool } from '../cluster/worker-spool.util.js';
import { validateEnv } from './app.config.js';
import { ENV_NAMES, EnvDto } from './env.dto.js';

/**
 * Reads the environment (and `.env`) through @nestjs/config once, validates it into an EnvDto and
 * provides that by class to the whole app; nothing else reads process.env.
 */
@Global()
@Module({
  imports: [ConfigModule.forRoot({ cache: true })],
  providers: [
    {
      provide: EnvDto,
      inject: [ConfigService],
      useFactory: (config: ConfigService) =>
        withWorkerSpool(
          validateEnv(
            Object.fromEntries(ENV_NAMES.map((name) => [name, config.get<string>(name)])),
          ),
        ),
    },
  ],
  exports: [EnvDto],
})
export class AppConfigModule {}
