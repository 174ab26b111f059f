import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** V8's own default (`node --v8-options`); restored once the service listens. */
const DEFAULT_GROWTH_FACTOR = 2;

/** An operator's own heap flags (node flags or NODE_OPTIONS) are left alone. */
const operatorSet = [...process.execArgv, process.env.NODE_OPTIONS ?? ''].some((arg) =>
  /semi-space|expose-gc/.test(arg),
);

/**
 * Booting allocates a lot that dies young, which makes V8 double the young generation up to its
 * 16 MB semi-spaces, and V8 never gives those pages back: ~17 MB of an idle service's RSS. So
 * the young generation stays at its initial size until the service listens (main.ts imports
 * this module first, before any other module is evaluated), then grows again as load asks.
 */
export function holdYoungGeneration(): void {
  if (!operatorSet) setFlagsFromString('--semi-space-growth-factor=1');
}

/** After the first probes: a full collection then does not delay the first answers. */
const SETTLE_DELAY_MS = 500;

/**
 * After boot: the young generation grows under load as V8 decides, and, shortly after, one full
 * collection frees what booting left (the bundle's bytes and code cache, the module graph's
 * scaffolding), which an idle service would otherwise hold until its first major GC (~10 MB of
 * RSS). The flags go back to their defaults, so V8 still accepts the code cache that a boot
 * writes at its exit.
 */
export function releaseBootHeap(): void {
  if (operatorSet) return;
  setFlagsFromString(`--semi-space-growth-factor=${DEFAULT_GROWTH_FACTOR}`);
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  setFlagsFromString('--no-expose-gc');
  setTimeout(gc, SETTLE_DELAY_MS).unref();
}

holdYoungGeneration();
