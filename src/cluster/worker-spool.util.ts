import { readdir, rmdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { EnvDto } from '../config/env.dto.js';
import { moveSegments } from '../storage/spool/spool.js';
import { workerIndex } from './worker.channel.js';

const WORKER_DIR = /^worker-(\d+)$/;

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

/**
 * After WORKERS shrank, no worker replays `${root}/worker-j/${kind}` for j >= workers: what those
 * spooled (acked, not yet in the backend) would stay on disk for good. The spool of `root` (a
 * single process, or worker 0, before it opens its own spool) takes their segments over
 * (Spool's moveSegments); a crash half-way leaves the rest for the next boot. Returns how many
 * segments it took.
 */
export async function adoptOrphanSpools(
  root: string,
  kind: string,
  workers: number,
): Promise<number> {
  const orphans = (await readdir(root).catch(() => [] as string[]))
    .map((name) => WORKER_DIR.exec(name))
    .filter((m): m is RegExpExecArray => m !== null && Number(m[1]) >= workers)
    .map((m) => join(root, m[0], kind));
  let taken = 0;
  for (const dir of orphans) {
    taken += await moveSegments(dir, join(root, kind));
    // Only once empty (a file of someone else's stays, and so does the directory).
    await rmdir(dir).catch(() => undefined);
    await rmdir(join(dir, '..')).catch(() => undefined);
  }
  return taken;
}
