/** Injection token of this process's WorkerChannel, or null outside a cluster (WORKERS=1). */
export const WORKER_CHANNEL = Symbol('WORKER_CHANNEL');
