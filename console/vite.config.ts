import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/**
 * The web console (SPEC §10), built by `npm run build` into dist/console-web/, which the
 * service's ConsoleModule serves under /console. Everything is bundled: no CDN, works offline.
 */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/console/',
  publicDir: false,
  logLevel: 'warn',
  build: {
    outDir: fileURLToPath(new URL('../dist/console-web', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    // The CSP allows no inline script or style: never inline assets as data: URLs into JS/CSS.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    sourcemap: true,
  },
});
