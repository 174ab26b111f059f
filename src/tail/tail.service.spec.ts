import { validateEnv } from '../config/app.config.js';
import type { StorageService } from '../storage/storage.service.js';
import { InProcessTailBus } from './in-process.tail-bus.js';
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
  onDrain(): void {}
  onClose(listener: () => void): void {
    this.close = listener;
  }
  closeNow(): void {
    this.isClosing = true;
    this.close();
  }
}

function setup() {
  let stored: (lines: readonly string[]) => void = () => undefined;
  const storage = { onStored: (l: typeof stored) => (stored = l) } as unknown as StorageService;
  const tail = new TailService(new InProcessTailBus(), storage, validateEnv({}));
  const line = (project: string) => JSON.stringify({ level: 'info', project });
  return { tail, store: (...projects: string[]) => stored(projects.map(line)) };
}

describe(TailService.name, () => {
  it('pushes each stored entry to the subscribers whose filter matches, as a log event', () => {
    const { tail, store } = setup();
    const a = new FakeOutlet();
    const all = new FakeOutlet();
    tail.subscribe(a, { project: 'a' });
    tail.subscribe(all, {});

    store('a', 'b');

    expect(a.sent).toEqual(['{"event":"log","data":{"level":"info","project":"a"}}']);
    expect(all.sent).toHaveLength(2);
    expect(tail.subscriberCount).toBe(2);
  });

  it('forgets a subscriber when its socket closes, and never starts one on a closed socket', () => {
    const { tail, store } = setup();
    const gone = new FakeOutlet();
    const late = new FakeOutlet();
    tail.subscribe(gone, {});
    gone.closeNow();
    late.isClosing = true;

    tail.subscribe(late, {});
    store('a');

    expect(tail.subscriberCount).toBe(0);
    expect([gone.sent, late.sent]).toEqual([[], []]);
  });

  it('replaces a filter on a second subscribe and stops on unsubscribe', () => {
    const { tail, store } = setup();
    const outlet = new FakeOutlet();
    tail.subscribe(outlet, { project: 'a' });
    tail.subscribe(outlet, { project: 'b' });
    store('a', 'b');
    tail.unsubscribe(outlet);
    store('b');

    expect(outlet.sent).toEqual(['{"event":"log","data":{"level":"info","project":"b"}}']);
    expect(tail.subscriberCount).toBe(0);
  });
});
