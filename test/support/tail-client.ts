import { setTimeout as sleep } from 'node:timers/promises';
import type { Reply, WsClient } from './ws-client.js';

/** The `log` events a client was pushed (SPEC §3 tail), in arrival order. */
export function pushedLogs(client: WsClient): Reply['data'][] {
  return client.replies.filter((r) => r.event === 'log').map((r) => r.data);
}

/** The replies of `event` a client got so far. */
export function repliesOf(client: WsClient, event: string): Reply[] {
  return client.replies.filter((r) => r.event === event);
}

/**
 * Waits until `done()` holds, or `timeoutMs` passes (then the caller's assertions fail on what
 * is there): a missing push fails the test instead of hanging it.
 */
export async function until(done: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done() && Date.now() < deadline) await sleep(10);
}

/** Subscribes and waits for `subscribed`; returns that reply. */
export async function subscribe(client: WsClient, filter?: unknown): Promise<Reply> {
  const before = client.replies.length;
  client.send(filter === undefined ? { event: 'subscribe' } : { event: 'subscribe', data: filter });
  await until(() => client.replies.slice(before).some((r) => r.event !== 'log'));
  return client.replies.slice(before).find((r) => r.event !== 'log')!;
}
