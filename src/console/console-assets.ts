import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { ASSET_CACHE, PAGE_CACHE } from './console.constants.js';

/** One file of the console, read once at boot. */
export interface ConsoleFile {
  readonly body: Buffer;
  readonly type: string;
  readonly etag: string;
  readonly cacheControl: string;
}

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.map': 'application/json; charset=utf-8',
};
/** Where the page names the WebSocket path (WS_PATH is configurable; no inline script under CSP). */
const WS_PATH_META = /<meta name="logger-ws-path" content="[^"]*"/;

/**
 * The built console held in memory (a few hundred KB): only files present at boot are ever
 * served, by exact name, so no request path reaches the file system.
 */
export class ConsoleAssets {
  private constructor(
    readonly page: ConsoleFile | undefined,
    private readonly assets: ReadonlyMap<string, ConsoleFile>,
  ) {}

  /** Reads `dir` (index.html and assets/); an unbuilt console gives an empty set. */
  static load(dir: string, wsPath: string): ConsoleAssets {
    const indexPath = join(dir, 'index.html');
    if (!existsSync(indexPath)) return new ConsoleAssets(undefined, new Map());
    const html = readFileSync(indexPath, 'utf8').replace(
      WS_PATH_META,
      `<meta name="logger-ws-path" content="${escapeAttribute(wsPath)}"`,
    );
    const assets = new Map<string, ConsoleFile>();
    const assetDir = join(dir, 'assets');
    // Vite writes assets flat, one directory: a name is one path segment.
    const names = existsSync(assetDir) ? readdirSync(assetDir, { withFileTypes: true }) : [];
    for (const entry of names) {
      if (!entry.isFile()) continue;
      const body = readFileSync(join(assetDir, entry.name));
      assets.set(entry.name, file(body, extname(entry.name), ASSET_CACHE));
    }
    return new ConsoleAssets(file(Buffer.from(html), '.html', PAGE_CACHE), assets);
  }

  /** The asset under `assets/` named exactly `name`, if the build has it. */
  asset(name: string): ConsoleFile | undefined {
    return this.assets.get(name);
  }
}

function file(body: Buffer, ext: string, cacheControl: string): ConsoleFile {
  const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
  return { body, type: TYPES[ext] ?? 'application/octet-stream', etag, cacheControl };
}

function escapeAttribute(text: string): string {
  return text.replace(/[&"<>]/g, (c) => `&#${c.charCodeAt(0)};`);
}
