import { jest } from '@jest/globals';
import { validateEnv } from '../config/app.config.js';
import type { LogEntryDto } from '../contract/log-entry.dto.js';
import { InProcessTailBus } from './in-process.tail-bus.js';
import type { TailBus } from './tail-bus.interface.js';
import type { TailOutlet } from './tail-outlet.js';
import { TailService } from './tail.service.js';

class FakeOutlet implements TailOutlet {
  isClosing = false;
  buffered = 0;
  readonly sent: string[] = [];
  private close: () => void = () => undefined;
  push(frame: string | Buffer): void {
    this.sent.push(frame.toString());
  }
  pushAll(frames: readonly Buffer[]): void {
    for (const frame of frames) this.push(frame.toString());
  }
  onDrain(): void {}
  onClose(listener: () => void): void {
    this.close = listener;
  }
  closeNow(): void {
    this.isClosing = true;
    this.close();
  }
}

const entryOf = (project: string) =>
  ({ level: 'info', project, system: 's', module: 'm', correlationId: 'c' }) as LogEntryDto;
/** The stored form, short: the tail pushes lines as they are, whatever they hold. */
const line = (project: string) => JSON.stringify({ correlationId: 'c', level: 'info', project });
const log = (project: string) => `{"event":"log","data":${line(project)}}`;

/** The tail on `bus`; `store` stages one call of a group whose write resolves. */
function setup(bus: TailBus = new InProcessTailBus()) {
  const tail = new TailService(bus, validateEnv({}));
  const store = async (...projects: string[]) => {
    const stored = Promise.resolve();
    tail.stage(projects.map(entryOf), projects.map(line), stored);
    await stored;
  };
  return { tail, store };
}

describe(TailService.name, () => {
  it('pushes each stored entry to the subscribers whose filter matches, as a log event', async () => {
    const { tail, store } = setup();
    const a = new FakeOutlet();
    const all = new FakeOutlet();
    tail.subscribe(a, { project: 'a' });
    tail.subscribe(all, {});

    await store('a', 'b');

    expect(a.sent).toEqual([log('a')]);
    expect(all.sent).toHaveLength(2);
    expect(tail.subscriberCount).toBe(2);
  });

  it('forgets a subscriber when its socket closes, and never starts one on a closed socket', async () => {
    const { tail, store } = setup();
    const gone = new FakeOutlet();
    const late = new FakeOutlet();
    tail.subscribe(gone, {});
    gone.closeNow();
    late.isClosing = true;

    tail.subscribe(late, {});
    await store('a');

    expect(tail.subscriberCount).toBe(0);
    expect([gone.sent, late.sent]).toEqual([[], []]);
  });

  it('replaces a filter on a second subscribe and stops on unsubscribe', async () => {
    const { tail, store } = setup();
    const outlet = new FakeOutlet();
    tail.subscribe(outlet, { project: 'a' });
    tail.subscribe(outlet, { project: 'b' });
    await store('a', 'b');
    tail.unsubscribe(outlet);
    await store('b');

    expect(outlet.sent).toEqual([log('b')]);
    expect(tail.subscriberCount).toBe(0);
  });

  it('publishes the calls of one group once, when its write succeeds, and never a failed one', async () => {
    const bus = new InProcessTailBus();
    const publish = jest.spyOn(bus, 'publish');
    const { tail } = setup(bus);
    const outlet = new FakeOutlet();
    tail.subscribe(outlet, {});
    let fail!: (error: Error) => void;
    const failed = new Promise<void>((_, reject) => (fail = reject));
    const ok = Promise.resolve();

    tail.stage([entryOf('a')], [line('a')], ok);
    tail.stage([entryOf('b')], [line('b')], ok);
    tail.stage([entryOf('c')], [line('c')], failed);
    fail(new Error('disk full'));
    await ok;
    await failed.catch(() => undefined);

    expect(publish).toHaveBeenCalledTimes(1);
    expect(outlet.sent).toEqual([log('a'), log('b')]);
  });

  it('reads the labels from the lines when the bus carries lines only', async () => {
    const inner = new InProcessTailBus();
    const linesOnly: TailBus = {
      local: false,
      publish: (lines) => inner.publish(lines),
      listen: (listener) => inner.listen(listener),
      setInterested: (on) => inner.setInterested(on),
      close: () => inner.close(),
    };
    const { tail, store } = setup(linesOnly);
    const outlet = new FakeOutlet();
    tail.subscribe(outlet, { project: 'b' });

    await store('a', 'b');

    expect(outlet.sent).toEqual([log('b')]);
  });

  it('pushes a group stored after the subscribe although it was staged before', async () => {
    const { tail } = setup();
    const outlet = new FakeOutlet();
    let write!: () => void;
    const stored = new Promise<void>((resolve) => (write = resolve));
    tail.stage([entryOf('a')], [line('a')], stored);

    tail.subscribe(outlet, {});
    await tail.listen();
    write();
    await stored;

    expect(outlet.sent).toEqual([log('a')]);
  });

  it('pushes nothing stored before the subscribe', async () => {
    const { tail, store } = setup();
    const outlet = new FakeOutlet();
    await store('a');
    tail.subscribe(outlet, {});
    await store('b');

    expect(outlet.sent).toEqual([log('b')]);
  });
});
