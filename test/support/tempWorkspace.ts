// Temp folders holding a given set of files, removed when the test file ends.
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after } from 'node:test';

const temps: string[] = [];
after(() => temps.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** A temp folder (its real path: the server reports real paths) holding these files (path -> content). */
export function makeWorkspace(files: Record<string, string | Buffer>, prefix = 'shipshape-'): string {
  const root = realpathSync(mkdtempSync(join(tmpdir(), prefix)));
  temps.push(root);
  for (const [path, content] of Object.entries(files)) writeFile(root, path, content);
  return root;
}

export function writeFile(root: string, path: string, content: string | Buffer): void {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), content);
}
