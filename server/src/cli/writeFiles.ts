// Writing fixed files to disk without ever leaving a half-written file or
// clobbering one the user created meanwhile: every write goes to a temp file in
// the same folder first; edits replace the original by rename, creations are
// linked into place only if the name is still free. An edit is written only over
// the exact text it was computed from: not over a file changed on disk since it
// was read, nor over one whose bytes are not UTF-8 (the analysis read it with
// replacement characters, and writing that text back would destroy the bytes).
import { randomBytes } from 'node:crypto';
import { closeSync, linkSync, mkdirSync, openSync, readFileSync, readSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { CliError, errorCode } from './errors';

export interface WriteResult {
  /** Root-relative paths written, in order. */
  written: string[];
  created: string[];
  /** Files a fix meant to create that appeared on disk in the meantime; left untouched. */
  notCreated: string[];
  /** Edited files left untouched, with the reason. */
  notWritten: { path: string; reason: string }[];
}

const UTF8_BOM = '\uFEFF';

/**
 * Writes edited files first, then created ones: a fix that adds `.env` also adds
 * it to `.gitignore`, and the ignore entry must exist before the secret does.
 * `originals`: each edited file's text as the fixes read it.
 */
export function writeFiles(root: string, files: ReadonlyMap<string, string>, created: ReadonlySet<string>, originals: ReadonlyMap<string, string>): WriteResult {
  const result: WriteResult = { written: [], created: [], notCreated: [], notWritten: [] };
  const ordered = [...files.keys()].sort((a, b) => Number(created.has(a)) - Number(created.has(b)) || a.localeCompare(b));
  for (const path of ordered) {
    const text = files.get(path) ?? '';
    const absolute = join(root, path);
    try {
      if (created.has(path)) {
        if (createExclusive(absolute, text)) result.created.push(path);
        else result.notCreated.push(path);
      } else {
        const unsafe = whyNotReplace(absolute, originals.get(path));
        if (unsafe) result.notWritten.push({ path, reason: unsafe });
        else {
          replaceAtomically(absolute, text);
          result.written.push(path);
        }
      }
    } catch (error) {
      throw new CliError(`cannot write fixed file ${path}: ${errorCode(error)}`, describeProgress(result));
    }
  }
  return result;
}

function describeProgress(result: WriteResult): string | undefined {
  const done = [...result.written, ...result.created];
  return done.length > 0 ? `Already written: ${done.join(', ')}` : undefined;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** Why the file on disk must not be replaced by a fix computed from `original`, if it must not. */
function whyNotReplace(absolute: string, original: string | undefined): string | undefined {
  if (original === undefined) return 'its text before the fix is unknown';
  let onDisk: string;
  try {
    // the decoder drops a leading BOM, as the analysis did when it read the file
    onDisk = strictUtf8.decode(readFileSync(absolute));
  } catch (error) {
    if (error instanceof TypeError) return 'it is not valid UTF-8, and writing the fixed text would replace the bytes that are not';
    throw error;
  }
  return onDisk === original ? undefined : 'it changed on disk while fixing';
}

/** Replaces an existing file's content, keeping its mode and its byte-order mark. */
export function replaceAtomically(absolute: string, text: string): void {
  const stats = statSync(absolute);
  const content = hasBom(absolute) && !text.startsWith(UTF8_BOM) ? UTF8_BOM + text : text;
  const temp = tempPathFor(absolute);
  try {
    writeFileSync(temp, content, { mode: stats.mode & 0o7777, flag: 'wx' });
    renameSync(temp, absolute);
  } catch (error) {
    removeQuietly(temp);
    throw error;
  }
}

/** Creates a file only if nothing exists at that path; returns false if something does. */
export function createExclusive(absolute: string, text: string): boolean {
  mkdirSync(dirname(absolute), { recursive: true });
  const temp = tempPathFor(absolute);
  writeFileSync(temp, text, { flag: 'wx' });
  try {
    linkSync(temp, absolute); // atomic, and fails with EEXIST instead of overwriting
    return true;
  } catch (error) {
    const code = errorCode(error);
    if (code === 'EEXIST') return false;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EXDEV') throw error;
    // File systems without hard links: an exclusive create is still never a clobber.
    try {
      writeFileSync(absolute, text, { flag: 'wx' });
      return true;
    } catch (fallbackError) {
      if (errorCode(fallbackError) === 'EEXIST') return false;
      throw fallbackError;
    }
  } finally {
    removeQuietly(temp);
  }
}

function tempPathFor(absolute: string): string {
  return join(dirname(absolute), `.${basename(absolute)}.shipshape-${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
}

function hasBom(absolute: string): boolean {
  const fd = openSync(absolute, 'r');
  try {
    const head = Buffer.alloc(3);
    return readSync(fd, head, 0, 3, 0) === 3 && head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf;
  } finally {
    closeSync(fd);
  }
}

function removeQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // already gone
  }
}
