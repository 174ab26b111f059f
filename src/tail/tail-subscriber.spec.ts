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
  onDrain(listener: () => void): void {
    this.drain = listener;
  }
  onClose(): void {}
  drained(): void {
    this.buffered = 0;
    this.drain();
  }
}

describe(TailSubscriber.name, () => {
  it('pushes while the socket keeps up, a whole group even past the bound', () => {
    const outlet = new FakeOutlet();
    const subscriber = new TailSubscriber(outlet, {}, 1000, () => undefined);

    subscriber.deliver('a', 1);
    outlet.buffered = 5000; // this group's own writes, corked
    subscriber.deliver('b', 1);

    expect(outlet.sent).toEqual(['a', 'b']);
  });

  it('drops the groups that arrive while it is behind, and tells how many once it caught up', () => {
    // Arrange
    const outlet = new FakeOutlet();
    let counted = 0;
    const subscriber = new TailSubscriber(outlet, {}, 1000, (n) => (counted += n));
    outlet.buffered = 5000;

    // Act
    subscriber.deliver('x', 2);
    subscriber.deliver('y', 2);
    subscriber.deliver('z', 3);
    outlet.drained();
    subscriber.deliver('w', 4);

    // Assert
    expect(outlet.sent).toEqual(['{"event":"dropped","data":{"count":3}}', 'w']);
    expect(counted).toBe(3);
  });

  it('tells of drops before the next entry when no drain came', () => {
    const outlet = new FakeOutlet();
    const subscriber = new TailSubscriber(outlet, {}, 1000, () => undefined);
    outlet.buffered = 5000;
    subscriber.deliver('x', 1);
    outlet.buffered = 0;

    subscriber.deliver('y', 2);

    expect(outlet.sent).toEqual(['{"event":"dropped","data":{"count":1}}', 'y']);
  });
});
