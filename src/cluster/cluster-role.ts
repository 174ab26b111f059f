import cluster from 'node:cluster';
import { readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';
import { validateEnv } from '../config/app.config.js';

/**
 * Called first by main.ts: with WORKERS > 1 in the primary, starts the supervising primary
 * (src/cluster/cluster.primary.ts) and answers true, so that main.ts builds no Nest application
 * here; in a worker, or with WORKERS=1, answers false and the process serves as it always did.
 * @throws InvalidConfigError for an invalid environment, as the application would.
 */
export async function startPrimaryIfClustered(): Promise<boolean> {
  if (cluster.isWorker) return false;
  // As @nestjs/config reads it: `.env` in the working directory, the process environment first.
  const env = validateEnv({ ...dotEnv(), ...process.env });
  if (env.WORKERS === 1) return false;
  const { ClusterPrimary } = await import('./cluster.primary.js');
  new ClusterPrimary(env).start();
  return true;
}

function dotEnv(): Record<string, string | undefined> {
  try {
    return parseEnv(readFileSync('.env', 'utf8'));
  } catch {
    return {};
  }
}
