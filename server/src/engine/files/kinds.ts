// Which kind of file a path is, by name alone (content sniffing happens in the walker).
import type { FileKind } from '../types';

const BY_EXTENSION: Record<string, FileKind> = {
  '.ts': 'ts',
  '.mts': 'ts',
  '.cts': 'ts',
  '.tsx': 'tsx',
  '.js': 'js',
  '.mjs': 'js',
  '.cjs': 'js',
  '.jsx': 'jsx',
  '.sql': 'sql',
  '.prisma': 'prisma',
  '.yml': 'yaml',
  '.yaml': 'yaml',
  '.json': 'json',
};

export function classifyFile(path: string): FileKind | undefined {
  const name = path.slice(path.lastIndexOf('/') + 1);
  if (name.endsWith('.d.ts') || name.endsWith('.d.mts') || name.endsWith('.d.cts')) return undefined;
  if (name === '.env' || name.startsWith('.env.')) return 'env';
  if (name === 'Dockerfile' || name.startsWith('Dockerfile.') || name.endsWith('.dockerfile')) return 'dockerfile';
  const dot = name.lastIndexOf('.');
  return dot > 0 ? BY_EXTENSION[name.slice(dot).toLowerCase()] : undefined;
}

export function isCodeKind(kind: FileKind): kind is 'ts' | 'tsx' | 'js' | 'jsx' {
  return kind === 'ts' || kind === 'tsx' || kind === 'js' || kind === 'jsx';
}
