// Writes the rules reference: docs/rules/<id>.md for every rule and the rule
// table between `<!-- rules:start -->` and `<!-- rules:end -->` in README.md
// (creating a minimal README.md if there is none). Run with `npm run docs`.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { planDocs } from './rulesReference';

const root = join(__dirname, '..');

function main(): void {
  const plan = planDocs(root);
  const changed: string[] = [];
  for (const [path, content] of plan.files) {
    const absolute = join(root, path);
    if (readOrUndefined(absolute) === content) continue;
    mkdirSync(dirname(absolute), { recursive: true });
    writeFileSync(absolute, content);
    changed.push(path);
  }
  for (const path of plan.stale) rmSync(join(root, path));
  const summary = [...changed.map((path) => `  wrote ${path}`), ...plan.stale.map((path) => `  removed ${path}`)];
  console.log(summary.length > 0 ? `rules reference updated:\n${summary.join('\n')}` : 'rules reference is up to date');
}

function readOrUndefined(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

try {
  main();
} catch (error) {
  console.error(`gen-docs: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
