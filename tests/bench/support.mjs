// What every bench script starts with: where the project and the bench's
// result files are, the command line it was given, and the city's reference
// lists its workload draws from; and how a run is recorded in a results file.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
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

// Records a run (`section`, markdown) in the results file `file` (--write):
// newest first, below the file's `<!-- runs -->` marker; a new file starts
// with the heading `# ${title}`.
export function recordRun(file, title, section) {
  const marker = '<!-- runs -->';
  let text = existsSync(file) ? readFileSync(file, 'utf8') : `# ${title}\n\n${marker}\n`;
  if (!text.includes(marker)) text += `\n${marker}\n`;
  text = text.replace(marker, `${marker}\n\n${section}`);
  writeFileSync(file, text);
}
