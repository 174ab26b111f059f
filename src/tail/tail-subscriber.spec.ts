import { TailSubscriber } from './tail-subscriber.js';
import type { TailOutlet } from './tail-outlet.js';

class FakeOutlet implements TailOutlet {
  isClosing = false;
  buffered = 0;
  readonly sent: string[] = [];
  private drain: () => void = () => undefined;
  push(frame: string): void {
    this.sent.push(frame);
  }
  pushAll(frames: readonly Buffer[]): void {
    for (const frame of frames) this.push(frame.toString());
  }
  onDrain(listener: () => void): void {
    this.drain = listener;
  }
  onClose(): void {}
  drained(): void {
    this.buffered = 0;
    this.drain();
  }
}

const b = (text: string) => Buffer.from(text);

describe(TailSubscriber.name, () => {
  it('pushes while the socket keeps up, a whole group even past the bound', () => {
    const outlet = new FakeOutlet();
    const subscriber = new TailSubscriber(outlet, {}, 1000, () => undefined);

    const first = subscriber.deliver(b('a'), 1);
    outlet.buffered = 5000; // written by others meanwhile
    const second = subscriber.deliver(b('b'), 1);
    subscriber.flush();

    expect(outlet.sent).toEqual(['a', 'b']);
    expect([first, second]).toEqual([true, false]);
  });

  it("bounds a group by the socket's queue plus what it holds for the group", () => {
    const outlet = new FakeOutlet();
    let counted = 0;
    const subscriber = new TailSubscriber(outlet, {}, 1000, (n) => (counted += n));
    const big = Buffer.alloc(9 << 20, 0x61); // two fit in the 16 MB slack, three do not

    [1, 2, 3].forEach(() => subscriber.deliver(big, 1));
    subscriber.flush();

    expect([outlet.sent.length, counted]).toEqual([2, 1]);
  });

  it('drops the groups that arrive while it is behind, and tells how many once it caught up', () => {
    // Arrange
    const outlet = new FakeOutlet();
    let counted = 0;
    const subscriber = new TailSubscriber(outlet, {}, 1000, (n) => (counted += n));
    outlet.buffered = 5000;

    // Act
    subscriber.deliver(b('x'), 2);
    subscriber.deliver(b('y'), 2);
    subscriber.deliver(b('z'), 3);
    outlet.drained();
    subscriber.deliver(b('w'), 4);
    subscriber.flush();

    // Assert
    expect(outlet.sent).toEqual(['{"event":"dropped","data":{"count":3}}', 'w']);
    expect(counted).toBe(3);
  });

  it('tells of drops before the next entry when no drain came', () => {
    const outlet = new FakeOutlet();
    const subscriber = new TailSubscriber(outlet, {}, 1000, () => undefined);
    outlet.buffered = 5000;
    subscriber.deliver(b('x'), 1);
    outlet.buffered = 0;

    subscriber.deliver(b('y'), 2);
    subscriber.flush();

    expect(outlet.sent).toEqual(['{"event":"dropped","data":{"count":1}}', 'y']);
  });
});
