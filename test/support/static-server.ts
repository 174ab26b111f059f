import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, normalize } from 'node:path';

export interface StaticServer {
  readonly url: string;
  stop(): Promise<void>;
}

const TYPES: Record<string, string> = {
  '.js': 'text/javascript',
  '.html': 'text/html',
  '.map': 'application/json',
};

/**
 * A tiny HTTP server for a browser test on 127.0.0.1: `/` answers `page`, `/client/...` the files
 * of `clientDir` (ES modules load as they are, no bundler). Nothing outside clientDir is served.
 */
export async function startStaticServer(page: string, clientDir: string): Promise<StaticServer> {
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (path === '/') {
      res.writeHead(200, { 'content-type': 'text/html' }).end(page);
      return;
    }
    const relative = normalize(path.replace(/^\/client\//, '')).replace(/^(\.\.[/\\])+/, '');
    if (!path.startsWith('/client/')) return void res.writeHead(404).end();
    readFile(join(clientDir, relative)).then(
      (body) => {
        const type = TYPES[relative.slice(relative.lastIndexOf('.'))] ?? 'application/octet-stream';
        res.writeHead(200, { 'content-type': type }).end(body);
      },
      () => res.writeHead(404).end(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
