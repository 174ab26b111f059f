import { startService, type ServiceOptions, type ServiceProcess } from './service-process.js';

/**
 * Starts a new service process in place of `previous`, which must have exited: the same port,
 * LOG_DIR, SPOOL_DIR and environment (`options.env` overrides), so that a client reconnecting to
 * the same url meets a restarted service over the same stored files. The new process owns a
 * fresh cwd; `previous` keeps its directory (LOG_DIR lives there) until stopAllServices().
 */
export async function restartService(
  previous: ServiceProcess,
  options: ServiceOptions = {},
): Promise<ServiceProcess> {
  if (previous.isRunning) throw new Error('restartService: the previous process still runs');
  return startService({ ...options, env: { ...previous.env, ...options.env } });
}
