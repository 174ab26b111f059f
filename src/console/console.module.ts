import { Module } from '@nestjs/common';
import { EnvDto } from '../config/env.dto.js';
import { ConsoleAssets } from './console-assets.js';
import { CONSOLE_ASSETS, CONSOLE_DIR } from './console.constants.js';
import { ConsoleController } from './console.controller.js';

/** The web console (SPEC §10): the built page and its assets, read once at boot. */
@Module({
  controllers: [ConsoleController],
  providers: [
    {
      provide: CONSOLE_ASSETS,
      inject: [EnvDto],
      useFactory: (env: EnvDto) => ConsoleAssets.load(CONSOLE_DIR, env.WS_PATH),
    },
  ],
})
export class ConsoleModule {}
