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
  framesReceived = 0;
  inflight = 0;
  stoppedAt: number | undefined;
  closedWith: number | undefined;
  get isClosing() {
    return this.closedWith !== undefined;
  }
  stopReading() {
    this.stoppedAt ??= this.framesReceived;
  }
  close(code: number) {
    this.closedWith ??= code;
    // The peer answers the close handshake at once.
    setImmediate(() => this.ws.emit('close'));
  }
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

  it('at shutdown reads a connection until it is quiet and answered, then closes it with 1012', async () => {
    // Arrange: a client that sends 15 frames after the signal, one each 20 ms, then goes quiet
    // (counted, not timed: on a loaded machine fewer ticks fit in a fixed time).
    const registry = new ConnectionRegistry(validateEnv({ SHUTDOWN_TIMEOUT_MS: '5000' }));
    const busy = new FakeConnection();
    const idle = new FakeConnection();
    registry.add(busy as unknown as WsConnection);
    registry.add(idle as unknown as WsConnection);
    const sending = setInterval(() => {
      if (++busy.framesReceived === 15) clearInterval(sending);
    }, 20);
    let framesAtIdleClose: number | undefined;
    idle.close = (code: number) => {
      framesAtIdleClose = busy.framesReceived;
      FakeConnection.prototype.close.call(idle, code);
    };

    // Act
    await registry.beforeApplicationShutdown();

    // Assert: the idle one went first, the busy one only after its last frame had been read.
    expect(idle.closedWith).toBe(1012);
    expect(framesAtIdleClose).toBeLessThan(busy.framesReceived);
    expect(busy.closedWith).toBe(1012);
    expect(busy.stoppedAt).toBe(busy.framesReceived);
    expect(busy.framesReceived).toBe(15);
    expect(registry.size).toBe(0);
    registry.onModuleDestroy();
  });

  it('at shutdown does not close a connection while frames of it are unanswered', async () => {
    // Arrange
    const registry = new ConnectionRegistry(validateEnv({ SHUTDOWN_TIMEOUT_MS: '5000' }));
    const waiting = new FakeConnection();
    waiting.inflight = 3;
    registry.add(waiting as unknown as WsConnection);
    let inflightAtClose: number | undefined;
    waiting.close = (code: number) => {
      inflightAtClose = waiting.inflight;
      FakeConnection.prototype.close.call(waiting, code);
    };
    setTimeout(() => (waiting.inflight = 0), 400);

    // Act
    await registry.beforeApplicationShutdown();

    // Assert
    expect(inflightAtClose).toBe(0);
    expect(waiting.closedWith).toBe(1012);
    registry.onModuleDestroy();
  });
});
