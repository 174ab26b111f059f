import { setTimeout as sleep } from 'node:timers/promises';
import { batchFrame, validEntry } from './entries.js';
import type { WsClient } from './ws-client.js';

/** Unanswered frames each connection keeps in flight. */
const WINDOW = 4;
/** Entries per batch frame. */
const BATCH = 5;

interface Sent {
  ids: string[];
}

/**
 * Steady load from several connections: each keeps WINDOW batch frames in flight until stop(),
 * every entry's correlationId `${tag}-c${conn}-${n}` (n counts up per connection), so a spec can
 * check what was stored against what was acked, connection by connection, in order.
 */
export class SteadyLoad {
  private stopped = false;
  private readonly sent: Sent[][];
  private readonly running: Promise<void>[];

  constructor(
    private readonly clients: readonly WsClient[],
    readonly tag: string,
  ) {
    this.sent = clients.map(() => []);
    this.running = clients.map((client, c) => this.drive(client, c));
  }

  /** Stops sending and resolves once every frame sent has its reply. */
  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all(this.running);
  }

  /** The prefix of connection `c`'s correlationIds. */
  prefix(c: number): string {
    return `${this.tag}-c${c}-`;
  }

  /** Entries acked on connection `c`, in send order; throws on any reply that is not an ack. */
  acked(c: number): string[] {
    return this.clients[c].replies.flatMap((reply, i) => {
      const ids = this.sent[c][i].ids;
      if (reply.event !== 'ack' || reply.data.accepted !== ids.length) {
        throw new Error(`connection ${c} frame ${i} was answered ${JSON.stringify(reply)}`);
      }
      return ids;
    });
  }

  /** All acked entries over all connections. */
  get totalAcked(): number {
    return this.clients.reduce((n, _, c) => n + this.acked(c).length, 0);
  }

  private async drive(client: WsClient, c: number): Promise<void> {
    let n = 0;
    const sent = this.sent[c];
    while (!this.stopped) {
      while (sent.length - client.replies.length < WINDOW) {
        const ids = Array.from({ length: BATCH }, () => `${this.prefix(c)}${n++}`);
        sent.push({ ids });
        client.send(
          batchFrame(
            sent.length,
            ids.map((id) => validEntry({ correlationId: id })),
          ),
        );
      }
      await client.next(client.replies.length + 1, 30_000);
      await sleep(10); // steady, not flat out: the point is an outage under traffic
    }
    await client.next(sent.length, 30_000);
  }
}

/**
 * What is wrong with `stored` (correlationIds in stored order) for connection `c` of `load`:
 * its entries must be exactly the acked ones, each once, in ack order. [] when all is well.
 */
export function mismatches(load: SteadyLoad, c: number, stored: readonly string[]): string[] {
  const acked = load.acked(c);
  const mine = stored.filter((id) => id.startsWith(load.prefix(c)));
  const problems: string[] = [];
  const counts = new Map<string, number>();
  for (const id of mine) counts.set(id, (counts.get(id) ?? 0) + 1);
  const lost = acked.filter((id) => !counts.has(id));
  const duplicated = [...counts].filter(([, k]) => k > 1).map(([id]) => id);
  if (lost.length > 0) problems.push(`lost ${lost.length}: ${lost.slice(0, 5).join(' ')}`);
  if (duplicated.length > 0) {
    problems.push(`duplicated ${duplicated.length}: ${duplicated.slice(0, 5).join(' ')}`);
  }
  const unique = [...new Set(mine)];
  const ackedSet = new Set(acked);
  const inOrder = unique.filter((id) => ackedSet.has(id));
  if (lost.length === 0 && inOrder.join() !== acked.join()) problems.push('out of order');
  return problems;
}
