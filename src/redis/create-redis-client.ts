import { Logger } from '@nestjs/common';
import { Redis } from 'ioredis';

const MAX_RECONNECT_DELAY_MS = 1000;
const CONNECT_TIMEOUT_MS = 2000;
/** A hung server (connected, never answering) must not hold a handshake open either. */
const COMMAND_TIMEOUT_MS = 1000;

/**
 * A client that fails fast instead of queueing: with ioredis defaults a command to a dead server
 * waits ~73 s, which would hold a WebSocket handshake (or a health probe) that long. It reconnects
 * by itself forever, so the service recovers without a restart when Redis returns.
 */
export function createRedisClient(url: string, name: string): Redis {
  const logger = new Logger(`Redis:${name}`);
  const client = new Redis(url, {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: CONNECT_TIMEOUT_MS,
    commandTimeout: COMMAND_TIMEOUT_MS,
    retryStrategy: (attempt) => Math.min(attempt * 100, MAX_RECONNECT_DELAY_MS),
    connectionName: `logger-service:${name}`,
  });
  let down = false;
  client.on('error', (error: Error) => {
    if (!down) logger.warn(`connection lost: ${error.message}`);
    down = true;
  });
  client.on('ready', () => {
    if (down) logger.log('reconnected');
    down = false;
  });
  return client;
}
