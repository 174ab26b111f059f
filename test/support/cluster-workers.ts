import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import type { Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { SERVICE_KEY, startService, type ServiceProcess } from './service-process.js';
import { openClient, type WsClient } from './ws-client.js';

/** The pids of a cluster primary's workers (its children), from /proc. */
export function workerPids(service: ServiceProcess): number[] {
  const primary = service.child.pid!;
  const pids: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === primary) pids.push(Number(name));
    } catch {
      // gone meanwhile
    }
  }
  return pids.sort((a, b) => a - b);
}

/** Waits until the primary has `n` workers, none of them in `not`; returns their pids. */
export async function waitForWorkers(
  service: ServiceProcess,
  n: number,
  not: readonly number[] = [],
  timeoutMs = 20_000,
): Promise<number[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const pids = workerPids(service);
    if (pids.length === n && !pids.some((p) => not.includes(p))) return pids;
    if (Date.now() > deadline) throw new Error(`workers ${pids.join(',')}, wanted ${n}`);
    await sleep(50);
  }
}

/**
 * Which worker serves each connection: the pid holding the server side of its TCP connection
 * (the /proc/net/tcp row whose remote port is the client's local port, by socket inode).
 */
export function servingPids(service: ServiceProcess, clients: readonly WsClient[]): number[] {
  const inodeOfPeer = new Map<number, string>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string;
    try {
      text = readFileSync(table, 'utf8');
    } catch {
      continue;
    }
    for (const row of text.trim().split('\n').slice(1)) {
      const f = row.trim().split(/\s+/);
      const localPort = parseInt(f[1].split(':')[1], 16);
      const remotePort = parseInt(f[2].split(':')[1], 16);
      if (localPort === service.port) inodeOfPeer.set(remotePort, f[9]);
    }
  }
  const pidOfInode = new Map<string, number>();
  for (const pid of workerPids(service)) {
    for (const fd of safeReaddir(`/proc/${pid}/fd`)) {
      const link = safeReadlink(`/proc/${pid}/fd/${fd}`);
      const m = /^socket:\[(\d+)\]$/.exec(link);
      if (m) pidOfInode.set(m[1], pid);
    }
  }
  return clients.map((client) => {
    const port = (client.ws as unknown as { _socket: Socket })._socket.localPort!;
    return pidOfInode.get(inodeOfPeer.get(port) ?? '') ?? -1;
  });
}

function safeReaddir(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

function safeReadlink(path: string): string {
  try {
    return readlinkSync(path);
  } catch {
    return '';
  }
}

const INGEST = { 'x-api-key': SERVICE_KEY.key };

/**
 * A WORKERS=2 service whose both workers take connections: `/health/live` answers as soon as one
 * does, and node:cluster hands connections round robin to the workers already listening.
 */
export async function startCluster(env: Record<string, string> = {}): Promise<ServiceProcess> {
  const service = await startService({ env: { WORKERS: '2', ...env }, liveTimeoutMs: 30_000 });
  for (const pid of await waitForWorkers(service, 2)) (await openOn(service, pid)).terminate();
  return service;
}

/**
 * Opens `n` connections one after the other (the round robin alternates them) and throws unless
 * both workers serve some.
 */
export async function openSpread(
  service: ServiceProcess,
  n: number,
  headers: Record<string, string> = INGEST,
): Promise<WsClient[]> {
  const clients: WsClient[] = [];
  for (let i = 0; i < n; i++) clients.push(await openClient(service.wsUrl(), { headers }));
  const pids = new Set(servingPids(service, clients));
  if (pids.size !== 2) throw new Error(`${n} connections reached workers ${[...pids].join(',')}`);
  return clients;
}

/** A connection on worker `pid`: opens connections until one lands there. */
export async function openOn(
  service: ServiceProcess,
  pid: number,
  headers: Record<string, string> = INGEST,
): Promise<WsClient> {
  // A worker still booting takes no connections yet: keep trying for a while.
  for (let attempt = 0; attempt < 200; attempt++) {
    const client = await openClient(service.wsUrl(), { headers });
    if (servingPids(service, [client])[0] === pid) return client;
    client.terminate();
    await sleep(50);
  }
  throw new Error(`no connection reached worker ${pid}`);
}
