// A reader for the DDL in SQL migrations that the schema facts need: CREATE
// TABLE (columns, PRIMARY KEY, UNIQUE, REFERENCES / FOREIGN KEY), CREATE INDEX,
// ALTER TABLE … ADD COLUMN / ADD CONSTRAINT / ENABLE ROW LEVEL SECURITY and DROP
// TABLE. Statements are split on `;` outside strings, comments and dollar quotes;
// anything else is skipped. Never throws.

export interface SqlName {
  /** Unquoted, schema dropped: `orders` for `public."orders"`. */
  name: string;
  /** As written, for edits: `public."Order"`. */
  text: string;
  quoted: boolean;
}

export interface SqlColumn {
  name: string;
  text: string;
  type: string;
  /** Offset of the column name in the file. */
  offset: number;
  primaryKey: boolean;
  unique: boolean;
  references?: string;
}

export interface SqlForeignKey {
  columns: string[];
  references: string;
  /** Offset of the first column's name (in the column definition or the constraint), for reporting. */
  offset: number;
}

export type SqlStatement =
  | {
      kind: 'create-table';
      table: SqlName;
      columns: SqlColumn[];
      /** PRIMARY KEY / UNIQUE / inline unique and primary columns, leading column first. */
      keys: string[][];
      foreignKeys: SqlForeignKey[];
      /** MySQL creates an index for every foreign key by itself. */
      mysql: boolean;
      start: number;
      end: number;
    }
  | { kind: 'create-index'; table: SqlName; columns: string[]; unique: boolean; start: number; end: number }
  | { kind: 'alter-table'; table: SqlName; rls: boolean; columns: SqlColumn[]; keys: string[][]; foreignKeys: SqlForeignKey[]; start: number; end: number }
  | { kind: 'drop-table'; table: SqlName; start: number; end: number };

export interface SqlMigrationFile {
  path: string;
  statements: SqlStatement[];
  lineStarts: number[];
}

const IDENT = String.raw`(?:"(?:[^"]|"")+"|\x60[^\x60]+\x60|\[[^\]]+\]|[A-Za-z_][\w$]*)`;
const QUALIFIED = String.raw`${IDENT}(?:\s*\.\s*${IDENT})?`;
const CREATE_TABLE = new RegExp(String.raw`^\s*create\s+(?:or\s+replace\s+)?(?:(?:global|local)\s+)?(?:temp(?:orary)?\s+|unlogged\s+)?table\s+(?:if\s+not\s+exists\s+)?(${QUALIFIED})\s*\(`, 'i');
const CREATE_INDEX = new RegExp(String.raw`^\s*create\s+(unique\s+)?index\s+(?:concurrently\s+)?(?:if\s+not\s+exists\s+)?(?:${QUALIFIED}\s+)?on\s+(?:only\s+)?(${QUALIFIED})\s*(?:using\s+\w+\s*)?\(`, 'i');
const ALTER_TABLE = new RegExp(String.raw`^\s*alter\s+table\s+(?:if\s+exists\s+)?(?:only\s+)?(${QUALIFIED})\s+`, 'i');
const DROP_TABLE = new RegExp(String.raw`^\s*drop\s+table\s+(?:if\s+exists\s+)?(${QUALIFIED})`, 'i');
const REFERENCES = new RegExp(String.raw`\breferences\s+(${QUALIFIED})`, 'i');
const LEADING_IDENT = new RegExp(String.raw`^\s*(${IDENT})`);

export function parseSqlMigration(text: string, path: string): SqlMigrationFile {
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) lineStarts.push(i + 1);
  const clean = blankComments(text);
  const statements: SqlStatement[] = [];
  for (const range of splitStatements(clean)) {
    // Start at the statement's first word, past the blank lines and comments after the previous `;`.
    let start = range.start;
    while (start < range.end && /\s/.test(clean.charAt(start))) start++;
    const statement = readStatement(clean, start, range.end);
    if (statement) statements.push(statement);
  }
  return { path, statements, lineStarts };
}

/** 0-based line of an offset. */
export function lineOf(file: { lineStarts: readonly number[] }, offset: number): number {
  let low = 0;
  let high = file.lineStarts.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if ((file.lineStarts[mid] ?? 0) <= offset) low = mid;
    else high = mid - 1;
  }
  return low;
}

function readStatement(text: string, start: number, end: number): SqlStatement | undefined {
  const body = text.slice(start, end);
  let match = CREATE_TABLE.exec(body);
  if (match?.[1]) {
    const open = start + match[0].length - 1;
    const close = matchingParen(text, open, end);
    const table = sqlName(match[1]);
    const definitions = readDefinitions(text, open + 1, close);
    const tail = text.slice(close, end);
    const mysql = /\bengine\s*=|\bauto_increment\b/i.test(tail) || /\bauto_increment\b/i.test(body) || match[1].startsWith('`');
    return { kind: 'create-table', table, ...definitions, mysql, start, end: statementEnd(text, end) };
  }
  match = CREATE_INDEX.exec(body);
  if (match?.[2]) {
    const open = start + match[0].length - 1;
    const close = matchingParen(text, open, end);
    const columns = splitTopLevel(text, open + 1, close).map(({ from, to }) => plainColumn(text.slice(from, to)));
    // An expression index (`lower(email)`) covers no plain column: it ends the usable prefix.
    const usable = columns.indexOf(undefined) === -1 ? columns : columns.slice(0, columns.indexOf(undefined));
    return { kind: 'create-index', table: sqlName(match[2]), columns: usable as string[], unique: match[1] !== undefined, start, end: statementEnd(text, end) };
  }
  match = ALTER_TABLE.exec(body);
  if (match?.[1]) {
    const actionsStart = start + match[0].length;
    const table = sqlName(match[1]);
    const result: Extract<SqlStatement, { kind: 'alter-table' }> = { kind: 'alter-table', table, rls: false, columns: [], keys: [], foreignKeys: [], start, end: statementEnd(text, end) };
    for (const { from, to } of splitTopLevel(text, actionsStart, end)) {
      const action = text.slice(from, to);
      if (/^\s*(enable|force)\s+row\s+level\s+security\b/i.test(action)) {
        result.rls = true;
        continue;
      }
      const add = /^\s*add\s+/i.exec(action);
      if (!add) continue;
      let rest = from + add[0].length;
      const column = /^column\s+(?:if\s+not\s+exists\s+)?/i.exec(text.slice(rest, to));
      if (column) rest += column[0].length;
      const definitions = readDefinitions(text, rest, to, column !== null);
      result.columns.push(...definitions.columns);
      result.keys.push(...definitions.keys);
      result.foreignKeys.push(...definitions.foreignKeys);
    }
    return result;
  }
  match = DROP_TABLE.exec(body);
  if (match?.[1]) return { kind: 'drop-table', table: sqlName(match[1]), start, end: statementEnd(text, end) };
  return undefined;
}

/** Column definitions and table constraints between `from` and `to` (a CREATE TABLE body or an ADD clause). */
function readDefinitions(text: string, from: number, to: number, columnOnly = false): { columns: SqlColumn[]; keys: string[][]; foreignKeys: SqlForeignKey[] } {
  const columns: SqlColumn[] = [];
  const keys: string[][] = [];
  const foreignKeys: SqlForeignKey[] = [];
  for (const part of splitTopLevel(text, from, to)) {
    let itemStart = part.from;
    let item = text.slice(part.from, part.to);
    const constraint = new RegExp(String.raw`^\s*constraint\s+${IDENT}\s+`, 'i').exec(item);
    if (constraint) {
      itemStart += constraint[0].length;
      item = item.slice(constraint[0].length);
    }
    // MySQL's inline `KEY idx (col)` / `INDEX idx (col)`, but not a column named `key` typed `varchar(…)`.
    const tableKey = /^\s*(primary\s+key|unique(?:\s+(?:key|index))?|foreign\s+key|(?:key|index)(?:\s+(?!(?:var)?char\b|numeric\b|decimal\b|varbinary\b|bit\b)\w+)?)\s*\(/i.exec(item);
    if (!columnOnly && tableKey) {
      const open = itemStart + tableKey[0].length - 1;
      const close = matchingParen(text, open, part.to);
      const names = splitTopLevel(text, open + 1, close)
        .map(({ from: f, to: t }) => plainColumn(text.slice(f, t)))
        .filter((name): name is string => name !== undefined);
      const kind = (tableKey[1] ?? '').toLowerCase();
      if (kind.startsWith('foreign')) {
        const target = REFERENCES.exec(text.slice(close, part.to))?.[1];
        const inner = text.slice(open + 1, close);
        const lead = inner.length - inner.trimStart().length;
        const offset = open + 1 + lead + (/^["`[]/.test(inner.trimStart()) ? 1 : 0);
        if (target && names.length > 0) foreignKeys.push({ columns: names, references: sqlName(target).name, offset });
      } else if (names.length > 0) {
        keys.push(names);
      }
      continue;
    }
    if (/^\s*(check|exclude|fulltext|spatial)\b/i.test(item)) continue;
    const nameMatch = LEADING_IDENT.exec(item);
    if (!nameMatch?.[1]) continue;
    const name = sqlName(nameMatch[1]);
    const offset = itemStart + nameMatch[0].length - nameMatch[1].length + (name.quoted ? 1 : 0);
    const rest = item.slice(nameMatch[0].length);
    const type = /^\s*([A-Za-z_][\w ]*?(?:\([^)]*\))?(?:\[\])?)(?=\s|$|,)/.exec(rest)?.[1]?.trim() ?? '';
    const references = REFERENCES.exec(rest)?.[1];
    const column: SqlColumn = {
      name: name.name,
      text: name.text,
      type,
      offset,
      primaryKey: /\bprimary\s+key\b/i.test(rest),
      unique: /\bunique\b/i.test(rest),
      references: references ? sqlName(references).name : undefined,
    };
    columns.push(column);
    if (column.primaryKey || column.unique) keys.push([column.name]);
    if (column.references) foreignKeys.push({ columns: [column.name], references: column.references, offset });
  }
  return { columns, keys, foreignKeys };
}

/** `"Order"` -> Order; `user_id DESC` -> user_id; `lower(email)` -> undefined. */
function plainColumn(item: string): string | undefined {
  const trimmed = item.trim();
  if (trimmed.startsWith('(')) return undefined;
  const match = LEADING_IDENT.exec(trimmed);
  if (!match?.[1]) return undefined;
  if (/^\s*\(/.test(trimmed.slice(match[0].length))) return undefined;
  return sqlName(match[1]).name;
}

export function sqlName(written: string): SqlName {
  let dot = -1;
  let quote: string | undefined;
  for (let i = 0; i < written.length; i++) {
    const c = written.charAt(i);
    if (quote) {
      if (c === quote) quote = undefined;
    } else if (c === '"' || c === '`') quote = c;
    else if (c === '[') quote = ']';
    else if (c === '.') dot = i;
  }
  const last = written.slice(dot + 1).trim();
  const quoted = /^["`[]/.test(last);
  const name = quoted ? last.slice(1, -1).replace(/""/g, '"') : last.toLowerCase();
  return { name, text: written.trim(), quoted };
}

/** Statement ranges: split on `;` at top level. `text` already has comments blanked. */
function splitStatements(text: string): { start: number; end: number }[] {
  const ranges: { start: number; end: number }[] = [];
  let start = 0;
  let i = 0;
  while (i < text.length) {
    const c = text.charAt(i);
    if (c === "'" || c === '"') {
      i = skipQuoted(text, i, c);
      continue;
    }
    if (c === '$') {
      const tag = /^\$([A-Za-z_]\w*)?\$/.exec(text.slice(i, i + 64));
      if (tag) {
        const close = text.indexOf(tag[0], i + tag[0].length);
        i = close === -1 ? text.length : close + tag[0].length;
        continue;
      }
    }
    if (c === ';') {
      ranges.push({ start, end: i });
      start = i + 1;
    }
    i++;
  }
  if (text.slice(start).trim() !== '') ranges.push({ start, end: text.length });
  return ranges;
}

/** The offset just after a statement's `;` (or its end when the file ends without one). */
function statementEnd(text: string, end: number): number {
  return text.charAt(end) === ';' ? end + 1 : end;
}

function skipQuoted(text: string, at: number, quote: string): number {
  let i = at + 1;
  while (i < text.length) {
    if (text.charAt(i) === quote) {
      if (text.charAt(i + 1) === quote) i += 2;
      else return i + 1;
    } else i++;
  }
  return text.length;
}

/** Replaces `-- …` and `/* … *\/` comments with spaces, keeping every offset and newline. */
function blankComments(text: string): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const c = text.charAt(i);
    const next = text.charAt(i + 1);
    if (c === "'" || c === '"') {
      const end = skipQuoted(text, i, c);
      out += text.slice(i, end);
      i = end;
    } else if (c === '-' && next === '-') {
      const eol = text.indexOf('\n', i);
      const stop = eol === -1 ? text.length : eol;
      out += ' '.repeat(stop - i);
      i = stop;
    } else if (c === '/' && next === '*') {
      const close = text.indexOf('*/', i + 2);
      const stop = close === -1 ? text.length : close + 2;
      out += text.slice(i, stop).replace(/[^\n]/g, ' ');
      i = stop;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

function matchingParen(text: string, open: number, limit: number): number {
  let depth = 0;
  for (let i = open; i < limit; i++) {
    const c = text.charAt(i);
    if (c === "'" || c === '"') {
      i = skipQuoted(text, i, c) - 1;
      continue;
    }
    if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return i;
  }
  return limit;
}

function splitTopLevel(text: string, from: number, to: number): { from: number; to: number }[] {
  const parts: { from: number; to: number }[] = [];
  let depth = 0;
  let start = from;
  for (let i = from; i < to; i++) {
    const c = text.charAt(i);
    if (c === "'" || c === '"') {
      i = skipQuoted(text, i, c) - 1;
      continue;
    }
    if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === ',' && depth === 0) {
      parts.push({ from: start, to: i });
      start = i + 1;
    }
  }
  if (text.slice(start, to).trim() !== '') parts.push({ from: start, to });
  return parts;
}
