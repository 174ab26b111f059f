interface Waiter {
  /** Settled once no entry with an ordinal below this is unsettled. */
  below: number;
  resolve: () => void;
  reject: (error: Error) => void;
}

/** The pending `flush()` calls, each waiting for the entries handed over before it. */
export class FlushWaiters {
  private waiters: Waiter[] = [];

  get size(): number {
    return this.waiters.length;
  }

  wait(below: number): Promise<void> {
    return new Promise((resolve, reject) => this.waiters.push({ below, resolve, reject }));
  }

  /** Resolves every waiter whose entries are all settled (`firstUnsettled` is the oldest left). */
  check(firstUnsettled: number): void {
    const done = this.waiters.filter((w) => w.below <= firstUnsettled);
    if (done.length === 0) return;
    this.waiters = this.waiters.filter((w) => w.below > firstUnsettled);
    for (const waiter of done) waiter.resolve();
  }

  failAll(error: Error): void {
    for (const waiter of this.waiters.splice(0)) waiter.reject(error);
  }
}
