// Reading and writing dotenv files the way the `dotenv` package (used by Node,
// Next.js and Vite) reads them: `KEY=value`, optional `export`, single quotes and
// backticks taken literally, double quotes expanding `\n`/`\r`, `#` starting a
// comment outside quotes. Rules need the exact span of each value; fix builders
// need to write a value that reads back as the same string.

export interface EnvEntry {
  key: string;
  /** The value as a program sees it after loading the file. */
  value: string;
  /** Offsets of the key and of the value as written (quotes included) in the file. */
  keyStart: number;
  valueStart: number;
  valueEnd: number;
}

// A quoted value may span lines (dotenv >= 15); an unquoted one ends at `#` or the line end.
const ENTRY = /^[ \t]*(?:export[ \t]+)?([A-Za-z_][\w.-]*)[ \t]*=[ \t]*('(?:\\'|[^'])*'|"(?:\\"|[^"])*"|`(?:\\`|[^`])*`|[^#\r\n]*)/dgm;

export function parseEnvFile(text: string): EnvEntry[] {
  const entries: EnvEntry[] = [];
  for (const match of text.matchAll(ENTRY)) {
    const key = match[1];
    const raw = match[2] ?? '';
    const keySpan = match.indices?.[1];
    const valueSpan = match.indices?.[2];
    if (key === undefined || !keySpan || !valueSpan) continue;
    const trimmed = raw.trimEnd();
    entries.push({ key, value: cook(trimmed), keyStart: keySpan[0], valueStart: valueSpan[0], valueEnd: valueSpan[0] + trimmed.length });
  }
  return entries;
}

function cook(raw: string): string {
  const quote = raw[0];
  if (raw.length >= 2 && (quote === "'" || quote === '"' || quote === '`') && raw.endsWith(quote)) {
    const inner = raw.slice(1, -1);
    return quote === '"' ? inner.replace(/\\n/g, '\n').replace(/\\r/g, '\r') : inner;
  }
  return raw;
}

/** The last value a key is given (later lines win when dotenv parses a file). */
export function envValue(entries: readonly EnvEntry[], key: string): string | undefined {
  let value: string | undefined;
  for (const entry of entries) if (entry.key === key) value = entry.value;
  return value;
}

// dotenv-expand (Next.js, Vite) rewrites `$NAME` and `${NAME}` inside values; plain
// dotenv does not and keeps an escaping backslash. No spelling reads back the same
// under both, so such values are not written at all.
const EXPANSION = /\$[A-Za-z_{]/;

/**
 * How to write `value` so every dotenv loader reads back exactly `value`, or
 * undefined when no such spelling exists (the caller then offers no edit).
 */
export function formatEnvValue(value: string): string | undefined {
  // dotenv reads `\r` in double quotes as a carriage return, Node's --env-file as two characters
  if (EXPANSION.test(value) || value.includes('\r')) return undefined;
  if (!/[\s#'"`\\]/.test(value)) return value;
  const multiline = value.includes('\n');
  if (!multiline && !value.includes("'")) return `'${value}'`;
  // Double quotes are the one form older dotenv versions read across lines (`\n` escapes);
  // they cannot hold a `"` or a literal backslash-n, which would be unescaped on reading.
  if (!value.includes('"') && !/\\[nr]/.test(value)) return `"${value.replace(/\n/g, '\\n')}"`;
  if (!multiline && !value.includes('`')) return `\`${value}\``;
  return undefined;
}
