import { join } from 'node:path';
import type { EnvDto } from '../config/env.dto.js';
import { workerIndex } from './worker.channel.js';

/**
 * Each worker spools into its own directory, named by its index so that a restarted worker
 * replays what its predecessor spooled: worker 0 uses SPOOL_DIR itself (so WORKERS=1 and worker 0
 * share one layout), worker i > 0 `${SPOOL_DIR}/worker-i`.
 */
export function spoolDirOf(spoolDir: string, index: number | undefined): string {
  return index === undefined || index === 0 ? spoolDir : join(spoolDir, `worker-${index}`);
}

/** The validated env with SPOOL_DIR made this worker's own (unchanged outside a cluster). */
export function withWorkerSpool(env: EnvDto): EnvDto {
  env.SPOOL_DIR = spoolDirOf(env.SPOOL_DIR, workerIndex());
  return env;
}
