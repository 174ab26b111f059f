import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A directory that fills up after about `bytes`, and how it does. */
export interface SmallDisk {
  readonly dir: string;
  /**
   * `tmpfs`: a real filesystem of that size (writes fail with ENOSPC). `limit`: mounting is not
   * allowed here (not root), so the spec sets SPOOL_MAX_BYTES to `bytes` instead, which takes the
   * same path in the service (the append is refused, the store answers 503).
   */
  readonly kind: 'tmpfs' | 'limit';
  /** Environment that makes the service's spool live on it. */
  readonly env: Record<string, string>;
  release(): Promise<void>;
}

export async function smallDisk(bytes: number): Promise<SmallDisk> {
  const dir = await mkdtemp(join(tmpdir(), 'logger-small-disk-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${bytes}`, 'tmpfs', dir], { stdio: 'pipe' });
  } catch {
    return {
      dir,
      kind: 'limit',
      env: { SPOOL_DIR: dir, SPOOL_MAX_BYTES: String(bytes) },
      release: () => rm(dir, { recursive: true, force: true }),
    };
  }
  return {
    dir,
    kind: 'tmpfs',
    env: { SPOOL_DIR: dir },
    async release() {
      execFileSync('umount', ['-l', dir], { stdio: 'pipe' });
      await rm(dir, { recursive: true, force: true });
    },
  };
}
