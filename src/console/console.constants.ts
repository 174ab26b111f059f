import { fileURLToPath } from 'node:url';

/** The ConsoleAssets of the built console. */
export const CONSOLE_ASSETS = Symbol('CONSOLE_ASSETS');

/**
 * Where `npm run build` puts the console (console/vite.config.ts): `dist/console-web/`, beside
 * the production bundle `dist/app.cjs` that this module runs in (scripts/bundle.mjs), or two
 * levels up from tsc's `dist/app/console/`; never a folder of compiled Nest files.
 */
export const CONSOLE_DIR = fileURLToPath(
  new URL(
    import.meta.url.endsWith('.cjs') ? './console-web/' : '../../console-web/',
    import.meta.url,
  ),
);

/**
 * SPEC §10: the page loads nothing from other hosts. `'self'` covers the WebSocket to the same
 * host and port too (CSP Level 3); no inline script or style is needed, nothing may frame it.
 */
export const CONSOLE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** The page itself must be revalidated (it names the hashed assets of the current build). */
export const PAGE_CACHE = 'no-cache';
/** Vite names assets by content hash: a name never changes meaning. */
export const ASSET_CACHE = 'public, max-age=31536000, immutable';
