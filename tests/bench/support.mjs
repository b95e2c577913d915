// What every bench script starts with: where the project and the bench's
// result files are, the command line it was given, and the city's reference
// lists its workload draws from.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const benchDir = path.dirname(fileURLToPath(import.meta.url));  // tests/bench: the *.md results
export const root = path.resolve(benchDir, '../..');

// The command line after `node script.mjs`; a bare flag is tested with
// args.includes('--name').
export const args = process.argv.slice(2);

// The value of `--name value` (a string, as typed), or `fallback` when absent.
export function option(name, fallback) {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
}

// Hartford as the server seeds it (server/data/hartford.json), so a workload
// names the neighborhoods and categories the server knows, in its order.
export const hartford = JSON.parse(readFileSync(path.join(root, 'server/data/hartford.json'), 'utf8'));
export const NEIGHBORHOODS = hartford.neighborhoods.map((n) => n.slug);
export const CATEGORIES = hartford.priority_categories;
