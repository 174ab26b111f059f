#!/usr/bin/env node
// Production bundle (issue 13): tsc's output (dist/app/, with the decorator metadata that Nest DI
// and class-validator read: esbuild cannot emit it from TypeScript) bundled with its npm
// dependencies into dist/main.js, so that a start reads and compiles one file instead of ~1,600
// modules. Packages the code only loads on demand and that are not installed (Nest's optional
// transports, @fastify/static...) stay external, as do packages that read their own files at run
// time (swagger-ui-dist), which node_modules of `npm ci --omit=dev` provides.
//
//   node scripts/bundle.mjs            (run by `npm run build` after `nest build`)
import * as esbuild from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const ENTRY = path.join(ROOT, 'dist/app/main.js');
const OUT = path.join(ROOT, 'dist/main.js');

/** Served from its own folder at run time (swagger-ui-dist's absolutePath()). */
const EXTERNAL = ['swagger-ui-dist'];

/** Bare imports that do not resolve are optional peers of Nest: leave them to fail at run time. */
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
      if (found.errors.length > 0) return { path: args.path, external: true };
      return found;
    });
  },
};

const result = await esbuild.build({
  entryPoints: [ENTRY],
  outfile: OUT,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: EXTERNAL,
  plugins: [optionalPeers],
  // Class and function names stay: Nest's injection tokens and log contexts are class names.
  keepNames: true,
  sourcemap: 'linked',
  sourcesContent: false,
  legalComments: 'none',
  metafile: true,
  logLevel: 'warning',
  // CommonJS dependencies inside an ES module bundle still call require() and read __dirname.
  banner: {
    js: [
      "import { createRequire as __createRequire } from 'node:module';",
      "import { fileURLToPath as __fileURLToPath } from 'node:url';",
      "import { dirname as __pathDirname } from 'node:path';",
      'const require = __createRequire(import.meta.url);',
      'const __filename = __fileURLToPath(import.meta.url);',
      'const __dirname = __pathDirname(__filename);',
    ].join('\n'),
  },
});

const bytes = fs.statSync(OUT).size;
const inputs = Object.keys(result.metafile.inputs).length;
console.log(`bundle: ${path.relative(ROOT, OUT)} ${(bytes / 1024).toFixed(0)} KB from ${inputs} modules`);
