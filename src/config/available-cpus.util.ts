import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';

/** Reads a cgroup file; throws when it does not exist (no cgroup of that version). */
export type ReadFile = (path: string) => string;

const readText: ReadFile = (path) => readFileSync(path, 'utf8');

/**
 * What `WORKERS=auto` means: the CPUs this process may run on (its affinity, as
 * os.availableParallelism() counts them), but no more than its container's CPU quota allows,
 * rounded up. Under a Kubernetes CPU limit of 2 on a 64-core node, `auto` is 2, not 64 workers
 * throttled by the kernel and each holding its own heap.
 */
export function availableCpus(
  cpus: number = availableParallelism(),
  read: ReadFile = readText,
): number {
  const quota = cpuQuota(read);
  return quota === undefined ? cpus : Math.max(1, Math.min(cpus, Math.ceil(quota)));
}

/**
 * The CFS quota of this process's container in CPUs, or undefined when it has none: cgroup v2's
 * `cpu.max` ("max 100000" or "200000 100000"), else cgroup v1's `cpu.cfs_quota_us` (-1: none) over
 * `cpu.cfs_period_us`, both where a container sees its own cgroup (the namespace's root).
 */
export function cpuQuota(read: ReadFile = readText): number | undefined {
  const v2 = attempt(() => read('/sys/fs/cgroup/cpu.max'));
  if (v2 !== undefined) {
    const [quota, period] = v2.trim().split(/\s+/);
    return ratio(quota, period);
  }
  const quota = attempt(() => read('/sys/fs/cgroup/cpu/cpu.cfs_quota_us'));
  const period = attempt(() => read('/sys/fs/cgroup/cpu/cpu.cfs_period_us'));
  return quota === undefined || period === undefined ? undefined : ratio(quota, period);
}

function ratio(quota: string | undefined, period: string | undefined): number | undefined {
  const q = Number(quota);
  const p = Number(period);
  return Number.isFinite(q) && q > 0 && Number.isFinite(p) && p > 0 ? q / p : undefined;
}

function attempt(read: () => string): string | undefined {
  try {
    return read();
  } catch {
    return undefined;
  }
}
