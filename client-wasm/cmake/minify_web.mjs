// Minifies the staged web app's JavaScript in place with esbuild (run by
// web_bundle.cmake after staging <build>/www; PSC_MINIFY_WEB=OFF skips it).
// Why: the app's JS is half of what a device downloads and precaches, and the
// budget "JS + WASM <= 300 KiB gzipped" (tests/bench/browser_open.mjs) was full.
//
//   node minify_web.mjs <www> [--except FILE]... [--only FILE]...
//
// FILE is a path relative to <www>. web_bundle.cmake minifies everything but
// sw.js, stamps sw.js's VERSION with a hash of the minified shell, then
// minifies sw.js alone: minified, `const VERSION = '...'` is folded into its
// uses and could no longer be stamped.
//
// Each file is minified on its own (no bundling): the page and the service
// worker load the same ~70 module URLs as before, so caching, modulepreload
// and the static routes are unchanged; every export keeps its name (esbuild
// never renames exports). No eval is added, so the Content-Security-Policy
// holds. Each file gets an external source map `<file>.map` next to it, with
// the original text inside, named psc-sync:///<path in the repository>;
// browser_open.mjs counts no .map as code and the service worker does not
// precache them (its SHELL lists the files by name); the browser fetches one
// only when its developer tools are open.
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

// esbuild is installed in client-wasm/node_modules (`./psc setup` runs npm ci
// there), next to this script's folder, not next to <www>.
const require = createRequire(path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'package.json'));
const esbuild = require('esbuild');

const args = process.argv.slice(2);
const www = args.shift();
if (!www) {
  console.error('usage: node minify_web.mjs <www> [--except FILE]... [--only FILE]...');
  process.exit(2);
}
const except = new Set();
const only = new Set();
while (args.length) {
  const flag = args.shift();
  const value = args.shift();
  if (flag === '--except' && value) except.add(value);
  else if (flag === '--only' && value) only.add(value);
  else {
    console.error(`minify_web.mjs: unknown argument ${flag}`);
    process.exit(2);
  }
}

function filesUnder(dir) {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? filesUnder(full) : [full];
  });
}

// Where each staged file comes from in the repository, for the source map.
// psc_core.mjs is Emscripten's output (client-wasm/bindings.cpp's module).
const origin = (rel) => (rel === 'psc_core.mjs' ? 'client-wasm/psc_core.mjs' : `web/${rel}`);

const files = filesUnder(www)
  .map((file) => path.relative(www, file).split(path.sep).join('/'))
  .filter((rel) => /\.m?js$/.test(rel) && !except.has(rel) && (only.size === 0 || only.has(rel)))
  .sort();

for (const rel of files) {
  const file = path.join(www, rel);
  const source = readFileSync(file, 'utf8');
  // sw.js is a classic script; its top-level names are left as they are.
  const classic = rel === 'sw.js';
  let result;
  try {
    result = esbuild.transformSync(source, {
      loader: 'js',
      format: classic ? undefined : 'esm',
      minify: true,
      // The browsers the app supports run ES2022 as written; nothing is lowered.
      target: ['es2022', 'chrome100'],
      // Keep non-ASCII text (Spanish messages, curly quotes) as UTF-8, not \u
      // escapes: smaller, and the server sends JS as charset=utf-8.
      charset: 'utf8',
      sourcemap: 'external',
      sourcefile: `psc-sync:///${origin(rel)}`,
      sourcesContent: true,
    });
  } catch (error) {
    console.error(`minify_web.mjs: ${rel}: ${error.message}`);
    process.exit(1);
  }
  for (const warning of result.warnings) console.warn(`minify_web.mjs: ${rel}: ${warning.text}`);
  // A key written twice in one object literal (a message defined twice) is
  // legal JavaScript that silently keeps the last one: fail the build on it.
  if (result.warnings.some((w) => /^Duplicate key/.test(w.text))) process.exit(1);
  const base = path.basename(rel);
  writeFileSync(file, `${result.code}//# sourceMappingURL=${base}.map\n`);
  writeFileSync(`${file}.map`, result.map);
}
