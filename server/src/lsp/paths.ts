// File URIs and the paths they name, and the one path test that more than one
// part of the server makes. Only `file:` URIs name a path: anything else
// (untitled buffers, virtual file systems) is not analyzed.
import { fileURLToPath, pathToFileURL } from 'node:url';

export function uriToPath(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}

export function pathToUri(path: string): string {
  return pathToFileURL(path).href;
}

export function isGitignore(path: string): boolean {
  return path === '.gitignore' || path.endsWith('/.gitignore');
}
