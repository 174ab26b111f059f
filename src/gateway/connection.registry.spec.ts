import { jest } from '@jest/globals';
import { EventEmitter } from 'node:events';
import { validateEnv } from '../config/app.config.js';
import { ConnectionRegistry } from './connection.registry.js';
import type { WsConnection } from './ws-connection.js';

class FakeConnection {
  readonly ws = Object.assign(new EventEmitter(), {
    pings: 0,
    terminated: false,
    ping() {
      this.pings++;
    },
    terminate() {
      this.terminated = true;
    },
  });
  missedPongs = 0;
}

describe(ConnectionRegistry.name, () => {
  const env = validateEnv({ WS_PING_INTERVAL_MS: '1000' });

  it('pings every connection and drops one that missed two pongs in a row', () => {
    // Arrange
    jest.useFakeTimers();
    const registry = new ConnectionRegistry(env);
    const silent = new FakeConnection();
    const alive = new FakeConnection();
    registry.add(silent as unknown as WsConnection);
    registry.add(alive as unknown as WsConnection);

    // Act: three intervals; `alive` answers every ping (its pong handler resets the count).
    for (let i = 0; i < 3; i++) {
      jest.advanceTimersByTime(1000);
      alive.missedPongs = 0;
    }

    // Assert
    expect(silent.ws.pings).toBe(2);
    expect(silent.ws.terminated).toBe(true);
    expect(alive.ws.pings).toBe(3);
    expect(alive.ws.terminated).toBe(false);
    registry.onModuleDestroy();
    jest.useRealTimers();
  });

  it('forgets a connection once it is closed', () => {
    // Arrange
    const registry = new ConnectionRegistry(env);
    const connection = new FakeConnection();
    registry.add(connection as unknown as WsConnection);

    // Act
    connection.ws.emit('close');

    // Assert
    expect(registry.size).toBe(0);
    registry.onModuleDestroy();
  });
});
