// The set of paths git tracks, read from `.git/index` directly. Running `git` is
// not an option: in an untrusted workspace its config (core.fsmonitor, …) can run
// arbitrary commands, and Shipshape never executes anything from a workspace.
import { readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** Tracked paths, or undefined when there is no readable git index (not a repo, or an unknown format). */
export function readTrackedPaths(root: string): Set<string> | undefined {
  const indexPath = gitDir(root);
  if (!indexPath) return undefined;
  let data: Buffer;
  try {
    data = readFileSync(join(indexPath, 'index'));
  } catch {
    return undefined;
  }
  return parseIndex(data);
}

function gitDir(root: string): string | undefined {
  const dotGit = join(root, '.git');
  try {
    if (statSync(dotGit).isDirectory()) return dotGit;
    // worktrees and submodules: `.git` is a file saying `gitdir: <path>`
    const pointer = /^gitdir:\s*(.+)$/m.exec(readFileSync(dotGit, 'utf8'));
    return pointer?.[1] ? resolve(root, pointer[1].trim()) : undefined;
  } catch {
    return undefined;
  }
}

export function parseIndex(data: Buffer): Set<string> | undefined {
  if (data.length < 12 || data.toString('latin1', 0, 4) !== 'DIRC') return undefined;
  const version = data.readUInt32BE(4);
  if (version < 2 || version > 4) return undefined;
  const count = data.readUInt32BE(8);
  const paths = new Set<string>();
  let offset = 12;
  let previous = '';
  for (let i = 0; i < count; i++) {
    const entryStart = offset;
    if (offset + 62 > data.length) return undefined;
    const flags = data.readUInt16BE(offset + 60);
    offset += 62;
    if (version >= 3 && flags & 0x4000) offset += 2; // extended flags
    let path: string;
    if (version === 4) {
      // prefix compression: strip N bytes from the previous path, then a NUL-terminated suffix
      let byte = data[offset++] ?? 0;
      let strip = byte & 0x7f;
      while (byte & 0x80) {
        byte = data[offset++] ?? 0;
        strip = ((strip + 1) << 7) | (byte & 0x7f);
      }
      const end = data.indexOf(0, offset);
      if (end === -1) return undefined;
      path = previous.slice(0, previous.length - strip) + data.toString('utf8', offset, end);
      offset = end + 1;
    } else {
      const end = data.indexOf(0, offset);
      if (end === -1) return undefined;
      path = data.toString('utf8', offset, end);
      // entries are NUL-padded to a multiple of 8 bytes
      offset = entryStart + Math.ceil((end - entryStart + 1) / 8) * 8;
    }
    paths.add(path);
    previous = path;
  }
  return paths;
}
