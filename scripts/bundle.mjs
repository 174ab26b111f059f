#!/usr/bin/env node
// Production build of the service (issue 13), run by `npm run build` after `nest build`:
//
// 1. dist/app.cjs: tsc's output (dist/app/, with the decorator metadata that Nest DI and
//    class-validator read, which esbuild cannot emit from TypeScript) bundled with its npm
//    dependencies, so a start reads one file instead of ~1,900 modules. Packages that the code
//    import()s only on demand and that are not installed (Nest's optional transports,
//    @fastify/static...) stay external, as do swagger-ui-dist, which serves its own files, and
//    bufferutil (ws's native masking), which loads its addon from its own directory.
// 2. dist/main.js: the loader (src/bundle/load-bundle.ts) that `npm start` and the Dockerfile run.
// 3. dist/app.cache: V8's code cache of the bundle, written by one boot of it (file storage in a
//    temporary directory) that is stopped with SIGTERM once GET /health/ready answers 200.
//
//   node scripts/bundle.mjs [--no-cache]
import * as esbuild from 'esbuild';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DIST = path.join(ROOT, 'dist');
const BUNDLE = path.join(DIST, 'app.cjs');
const CACHE = path.join(DIST, 'app.cache');
const MAIN = path.join(DIST, 'main.js');

/** Bare imports that do not resolve are optional peers of Nest: left to fail at run time. */
const optionalPeers = {
  name: 'optional-peers',
  setup(build) {
    build.onResolve({ filter: /^[^./]/ }, async (args) => {
      if (args.pluginData?.probing || args.path.startsWith('node:')) return undefined;
      const found = await build.resolve(args.path, {
        kind: args.kind,
        resolveDir: args.resolveDir,
        importer: args.importer,
        pluginData: { probing: true },
      });
      return found.errors.length > 0 ? { path: args.path, external: true } : found;
    });
  },
};

/**
 * Nest's two loggers build an Intl.DateTimeFormat when their module is evaluated, for timestamps
 * of its console output (which this service does not use: nestjs-pino logs). Creating one loads
 * ICU's locale data: ~8 MB of RSS and tens of ms of every start. Here it is created on first use.
 */
const LAZY_DATE_FORMAT = 'const dateTimeFormatter = new Intl.DateTimeFormat(';
const lazyNestDateFormat = {
  name: 'lazy-nest-date-format',
  setup(build) {
    build.onLoad(
      { filter: /@nestjs[\\/]common[\\/]services[\\/](console-)?logger\.service\.js$/ },
      async (args) => {
        const source = await fs.promises.readFile(args.path, 'utf8');
        if (!source.includes(LAZY_DATE_FORMAT)) {
          throw new Error(`${args.path} changed: update lazyNestDateFormat in scripts/bundle.mjs`);
        }
        const helper = `
function lazyDateTimeFormat(locales, options) {
  let format;
  return { format: (date) => (format ??= new Intl.DateTimeFormat(locales, options)).format(date) };
}`;
        return {
          contents:
            source.replace(LAZY_DATE_FORMAT, 'const dateTimeFormatter = lazyDateTimeFormat(') +
            helper,
          loader: 'js',
        };
      },
    );
  },
};

fs.rmSync(CACHE, { force: true });
const result = await esbuild.build({
  entryPoints: [path.join(DIST, 'app/main.js')],
  outfile: BUNDLE,
  bundle: true,
  platform: 'node',
  // CommonJS, so the loader can hand V8 the code cache (vm.Script); ESM packages' import.meta.url
  // becomes the bundle's own URL.
  format: 'cjs',
  target: 'node20',
  // bufferutil loads its native addon relative to its own files (node-gyp-build).
  external: ['swagger-ui-dist', 'bufferutil'],
  plugins: [optionalPeers, lazyNestDateFormat],
  define: { 'import.meta.url': '__bundleUrl' },
  banner: { js: "var __bundleUrl = require('node:url').pathToFileURL(__filename).href;" },
  // Class and function names stay (Nest's tokens and log contexts are class names; stack traces).
  keepNames: true,
  // Smaller source to hold in memory; --enable-source-maps maps traces to src/*.ts.
  minifyWhitespace: true,
  minifySyntax: true,
  // ASCII only: V8 keeps the source as a one-byte string (half the memory of a two-byte one).
  charset: 'ascii',
  sourcemap: 'linked',
  sourcesContent: false,
  legalComments: 'none',
  metafile: true,
  logLevel: 'warning',
});
await esbuild.build({
  entryPoints: [path.join(DIST, 'app/bundle/load-bundle.js')],
  outfile: MAIN,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: 'linked',
  logLevel: 'warning',
});
const kb = (file) => `${(fs.statSync(file).size / 1024).toFixed(0)} KB`;
const inputs = Object.keys(result.metafile.inputs).length;
console.log(`bundle: dist/app.cjs ${kb(BUNDLE)} from ${inputs} modules, loader dist/main.js`);

if (!process.argv.includes('--no-cache')) {
  await writeCodeCache();
  console.log(`bundle: dist/app.cache ${kb(CACHE)} (V8 code cache of one boot)`);
}

async function writeCodeCache() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'logger-bundle-'));
  const port = await freePort();
  const child = spawn(process.execPath, [MAIN], {
    cwd: dir,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: {
      PATH: process.env.PATH,
      PORT: String(port),
      HOST: '127.0.0.1',
      STORAGE: 'file',
      LOG_DIR: path.join(dir, 'logs'),
      SPOOL_DIR: path.join(dir, 'spool'),
      API_KEYS: 'bundle:bundle-code-cache-key',
      LOG_LEVEL: 'warn',
      BUNDLE_CODE_CACHE_OUT: CACHE,
    },
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (s) => (stderr += s));
  const exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  try {
    const deadline = Date.now() + 30_000;
    while ((await status(port, '/health/ready')) !== 200) {
      if (child.exitCode !== null || Date.now() > deadline) {
        throw new Error(`the bundle did not get ready for its code cache\n${stderr}`);
      }
      await sleep(20);
    }
    child.kill('SIGTERM');
    const code = await exited;
    if (code !== 0 || !fs.existsSync(CACHE)) {
      throw new Error(`the bundle exited ${code} without writing its code cache\n${stderr}`);
    }
  } finally {
    child.kill('SIGKILL');
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
    server.once('error', reject);
  });
}

function status(port, urlPath) {
  return new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path: urlPath, agent: false }, (res) => {
      res.resume();
      resolve(res.statusCode);
    });
    req.once('error', () => resolve(0));
    req.setTimeout(1000, () => req.destroy());
  });
}
