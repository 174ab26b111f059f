import { mkdir, readdir, rename, rmdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { EnvDto } from '../config/env.dto.js';
import { SEGMENT_FILE, segmentFileName } from '../storage/spool/spool.js';
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
 * single process, or worker 0, before it opens its own spool) takes their segments over, by
 * rename, numbered after its own. A rename is atomic, so a crash half-way leaves each segment in
 * exactly one spool, and the next boot takes the rest. Returns how many segments it took.
 */
export async function adoptOrphanSpools(
  root: string,
  kind: string,
  workers: number,
): Promise<number> {
  const orphans = (await readdir(root).catch(() => []))
    .map((name) => WORKER_DIR.exec(name))
    .filter((m): m is RegExpExecArray => m !== null && Number(m[1]) >= workers)
    .map((m) => join(root, m[0], kind));
  if (orphans.length === 0) return 0;
  const target = join(root, kind);
  await mkdir(target, { recursive: true });
  const own = await segmentsIn(target);
  let next = (own.at(-1) ?? 0) + 1;
  let taken = 0;
  for (const dir of orphans) {
    for (const segment of await segmentsIn(dir)) {
      await rename(join(dir, segmentFileName(segment)), join(target, segmentFileName(next++)));
      taken++;
    }
    // Only once empty (a file of someone else's stays, and so does the directory).
    await rmdir(dir).catch(() => undefined);
    await rmdir(join(dir, '..')).catch(() => undefined);
  }
  return taken;
}

/** The segment numbers of a spool directory, ascending ([] if there is none). */
async function segmentsIn(dir: string): Promise<number[]> {
  const names = await readdir(dir).catch(() => []);
  return names
    .map((name) => SEGMENT_FILE.exec(name))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => Number(m[1]))
    .sort((a, b) => a - b);
}
