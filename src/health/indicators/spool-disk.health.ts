import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { constants } from 'node:fs';
import { access, mkdir } from 'node:fs/promises';
import { EnvDto } from '../../config/env.dto.js';

const TIMEOUT_MS = 2000;

/** SPOOL_DIR is writable: the spool is what keeps acks honest while a backend is down (SPEC §5). */
@Injectable()
export class SpoolDiskHealthIndicator {
  constructor(
    private readonly indicator: HealthIndicatorService,
    private readonly env: EnvDto,
  ) {}

  check() {
    return this.indicator
      .check('spool')
      .attempt(async () => {
        await mkdir(this.env.SPOOL_DIR, { recursive: true });
        await access(this.env.SPOOL_DIR, constants.W_OK);
      })
      .withTimeout(TIMEOUT_MS);
  }
}
