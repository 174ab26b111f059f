/**
 * `dist/main.js` of the production build (scripts/bundle.mjs): runs the esbuild bundle of the
 * service (`dist/app.cjs`) with V8's code cache (`dist/app.cache`, written by a boot of the same
 * bundle at build time), so a start neither parses nor compiles the ~1,900 modules' functions
 * that booting runs: Node 20 has no `module.enableCompileCache()`. A cache that does not match
 * the bundle (its SHA-1 heads the file) or that V8 rejects (another Node, other V8 flags) is
 * ignored: the bundle then compiles as usual. With `--enable-source-maps` the bundle is loaded
 * by Node's own loader instead, whose stack traces map to src/*.ts through dist/app.cjs.map.
 *
 * BUNDLE_CODE_CACHE_OUT=path (build only) writes the cache at exit, including every function
 * compiled until then.
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Script, constants } from 'node:vm';

const BUNDLE = fileURLToPath(new URL('./app.cjs', import.meta.url));
const CACHE = fileURLToPath(new URL('./app.cache', import.meta.url));
const DIGEST_BYTES = 20;

const require = createRequire(BUNDLE);

if (process.sourceMapsEnabled) {
  require(BUNDLE);
} else {
  const bytes = readFileSync(BUNDLE);
  const digest = createHash('sha1').update(bytes).digest();
  const cachedData = readCache(digest);
  // The bundle is ASCII (esbuild charset), so latin1 is exact and V8 keeps a one-byte string.
  const source = bytes.toString('latin1');
  const script = new Script(
    `(function (exports, require, module, __filename, __dirname) {${source}\n})`,
    {
      filename: BUNDLE,
      cachedData,
      // Nest's optional packages are import()ed by name: resolve them as Node's loader would.
      importModuleDynamically: constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
    },
  );
  const out = process.env.BUNDLE_CODE_CACHE_OUT;
  if (out) {
    process.once('exit', () =>
      writeFileSync(out, Buffer.concat([digest, script.createCachedData()])),
    );
  }
  const module = { exports: {} };
  const run = script.runInThisContext() as (...args: unknown[]) => void;
  run.call(module.exports, module.exports, require, module, BUNDLE, dirname(BUNDLE));
}

function readCache(digest: Buffer): Buffer | undefined {
  let file: Buffer;
  try {
    file = readFileSync(CACHE);
  } catch {
    return undefined;
  }
  const matches = file.length > DIGEST_BYTES && digest.equals(file.subarray(0, DIGEST_BYTES));
  return matches ? file.subarray(DIGEST_BYTES) : undefined;
}
