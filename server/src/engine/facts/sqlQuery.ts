// The shape of one SQL statement written in code: its verb, main table, the
// columns its WHERE constrains (and how), and whether LIMIT/OFFSET bound it.
// A tolerant token scan, not a parser: enough for "is this list bounded?" and
// "which column does it filter on?", and it never throws on odd SQL.

export type SqlVerb = 'select' | 'insert' | 'update' | 'delete' | 'other';

/** Where a compared value comes from: `$2`, the 3rd `?`, `:name`, or the n-th `${…}` of a template. */
export type SqlPlaceholder =
  | { kind: 'dollar'; index: number }
  | { kind: 'question'; ordinal: number }
  | { kind: 'named'; name: string }
  | { kind: 'substitution'; index: number };

export interface SqlCondition {
  column: string;
  equality: boolean;
  placeholder?: SqlPlaceholder;
  /** Offset of the column name in the analyzed text. */
  offset: number;
}

export interface SqlQueryShape {
  verb: SqlVerb;
  table?: string;
  /** The select list holds only aggregates (`count(*)`, `sum(x)`) and there is no GROUP BY: one row. */
  aggregateOnly: boolean;
  conditions: SqlCondition[];
  /** LIMIT / FETCH FIRST / TOP, with the count when it is a literal number, or where its value comes from when it is bound (`LIMIT $2`). */
  limit?: { value?: number; placeholder?: SqlPlaceholder };
  /** OFFSET, or MySQL's `LIMIT a, b`. */
  offset: boolean;
}

/** Marks the n-th `${…}` substitution in SQL text built from a template literal. */
export const SUBSTITUTION = (index: number): string => `\u0001${index}\u0001`;

type TokenType = 'word' | 'number' | 'string' | 'placeholder' | 'op' | '(' | ')' | ',' | '.' | ';';
interface Token {
  type: TokenType;
  text: string;
  start: number;
  quoted?: boolean;
  placeholder?: SqlPlaceholder;
}

const VERBS: ReadonlySet<string> = new Set(['select', 'insert', 'update', 'delete']);
const CLAUSE_ENDS: ReadonlySet<string> = new Set(['group', 'order', 'limit', 'offset', 'having', 'returning', 'for', 'union', 'intersect', 'except', 'fetch', 'window']);
const AGGREGATES: ReadonlySet<string> = new Set(['count', 'sum', 'avg', 'min', 'max', 'bool_and', 'bool_or', 'every', 'array_agg', 'json_agg', 'jsonb_agg', 'string_agg', 'group_concat', 'exists']);

/**
 * The shape of a SQL statement. Memoized by text: every edit re-reads each query of
 * the file, and almost all of them are unchanged. The shape is shared, so read-only.
 */
export function readSqlQuery(text: string): Readonly<SqlQueryShape> {
  const cached = SHAPES.get(text);
  if (cached) return cached;
  if (SHAPES.size >= MAX_SHAPES) SHAPES.clear(); // a crude bound: refilling costs one parse per query
  const shape = parseSqlQuery(text);
  SHAPES.set(text, shape);
  return shape;
}

const SHAPES = new Map<string, SqlQueryShape>();
const MAX_SHAPES = 20_000;

function parseSqlQuery(text: string): SqlQueryShape {
  const tokens = tokenize(text);
  const shape: SqlQueryShape = { verb: 'other', aggregateOnly: false, conditions: [], offset: false };
  const depths = depthsOf(tokens);
  const at0 = (i: number): boolean => depths[i] === 0;
  const isWord = (i: number, ...words: string[]): boolean => {
    const token = tokens[i];
    return token !== undefined && token.type === 'word' && !token.quoted && words.includes(token.text.toLowerCase());
  };

  // The main statement's verb: the first top-level one (after any WITH … AS (…) definitions).
  let verbAt = -1;
  for (let i = 0; i < tokens.length; i++) {
    if (at0(i) && isWord(i, ...VERBS)) {
      verbAt = i;
      break;
    }
    if (tokens[i]?.type === ';') break;
  }
  if (verbAt === -1) return shape;
  const end = tokens.findIndex((token, i) => i > verbAt && token.type === ';' && at0(i));
  const stop = end === -1 ? tokens.length : end;
  shape.verb = (tokens[verbAt]?.text.toLowerCase() ?? 'other') as SqlVerb;

  const find = (from: number, ...words: string[]): number => {
    for (let i = from; i < stop; i++) if (at0(i) && isWord(i, ...words)) return i;
    return -1;
  };
  const tableAfter = (i: number): string | undefined => {
    let j = i;
    if (isWord(j, 'only')) j++;
    let name: string | undefined;
    while (tokens[j]?.type === 'word') {
      name = tokens[j]?.text;
      if (tokens[j + 1]?.type !== '.') break;
      j += 2;
    }
    return name;
  };

  let groupBy = false;
  if (shape.verb === 'select') {
    const from = find(verbAt + 1, 'from');
    if (from !== -1) shape.table = tableAfter(from + 1);
    groupBy = find(verbAt + 1, 'group') !== -1;
    const listEnd = from === -1 ? stop : from;
    if (isWord(verbAt + 1, 'top')) shape.limit = { value: Number(tokens[verbAt + 2]?.text) || undefined };
    shape.aggregateOnly = !groupBy && selectItems(tokens, depths, verbAt + 1, listEnd).every((item) => {
      const first = tokens[item];
      return first !== undefined && first.type === 'word' && AGGREGATES.has(first.text.toLowerCase()) && tokens[item + 1]?.type === '(';
    });
  } else if (shape.verb === 'insert') {
    const into = find(verbAt + 1, 'into');
    if (into !== -1) shape.table = tableAfter(into + 1);
  } else if (shape.verb === 'update') {
    shape.table = tableAfter(verbAt + 1);
  } else if (shape.verb === 'delete') {
    const from = find(verbAt + 1, 'from');
    if (from !== -1) shape.table = tableAfter(from + 1);
  }

  const whereAt = find(verbAt + 1, 'where');
  if (whereAt !== -1) {
    let whereEnd = stop;
    for (let i = whereAt + 1; i < stop; i++) {
      if (at0(i) && tokens[i]?.type === 'word' && !tokens[i]?.quoted && CLAUSE_ENDS.has(tokens[i]?.text.toLowerCase() ?? '')) {
        whereEnd = i;
        break;
      }
    }
    shape.conditions = readConditions(tokens, depths, whereAt + 1, whereEnd);
  }

  const limitAt = find(verbAt + 1, 'limit');
  if (limitAt !== -1) {
    // MySQL `LIMIT offset, count`
    const pair = tokens[limitAt + 2]?.type === ',';
    if (pair) shape.offset = true;
    shape.limit = countAt(tokens[pair ? limitAt + 3 : limitAt + 1]);
  }
  const fetchAt = find(verbAt + 1, 'fetch');
  if (fetchAt !== -1 && isWord(fetchAt + 1, 'first', 'next')) {
    shape.limit = isWord(fetchAt + 2, 'row', 'rows') ? { value: 1 } : countAt(tokens[fetchAt + 2]);
  }
  if (find(verbAt + 1, 'offset') !== -1) shape.offset = true;
  return shape;
}

/** A row count as written: a literal number, or a placeholder for a bound or spliced value. */
function countAt(token: Token | undefined): NonNullable<SqlQueryShape['limit']> {
  if (token?.type === 'number') return { value: Number(token.text) };
  return token?.type === 'placeholder' && token.placeholder ? { placeholder: token.placeholder } : {};
}

/** Start indexes of the top-level comma-separated items between `from` and `to`. */
function selectItems(tokens: readonly Token[], depths: readonly number[], from: number, to: number): number[] {
  const starts: number[] = [];
  let start = from;
  if (tokens[start]?.type === 'word' && tokens[start]?.text.toLowerCase() === 'distinct') start++;
  if (start < to) starts.push(start);
  for (let i = start; i < to; i++) if (tokens[i]?.type === ',' && depths[i] === depths[from]) starts.push(i + 1);
  return starts;
}

function readConditions(tokens: readonly Token[], depths: readonly number[], from: number, to: number): SqlCondition[] {
  const base = depths[from] ?? 0;
  const predicates: [number, number][] = [];
  let start = from;
  let hasOr = false;
  let betweenPending = false;
  for (let i = from; i < to; i++) {
    const token = tokens[i];
    if (!token || depths[i] !== base || token.type !== 'word' || token.quoted) continue;
    const word = token.text.toLowerCase();
    if (word === 'between') betweenPending = true;
    else if (word === 'or') hasOr = true;
    else if (word === 'and') {
      if (betweenPending) {
        betweenPending = false;
        continue;
      }
      predicates.push([start, i]);
      start = i + 1;
    }
  }
  predicates.push([start, to]);
  const conditions: SqlCondition[] = [];
  for (const [s, e] of predicates) {
    // Parenthesized groups and function-wrapped columns (`lower(email) = $1`) are skipped: no plain column to name.
    let i = s;
    if (tokens[i]?.type !== 'word') continue;
    while (tokens[i + 1]?.type === '.' && tokens[i + 2]?.type === 'word') i += 2;
    const column = tokens[i];
    const op = tokens[i + 1];
    if (!column || !op || i + 1 >= e) continue;
    const rhs = tokens.slice(i + 2, e);
    const first = rhs[0];
    const isEquality =
      !hasOr &&
      op.type === 'op' &&
      op.text === '=' &&
      first !== undefined &&
      (rhs.length === 1 || (rhs.length >= 3 && rhs[1]?.type === 'op' && rhs[1].text === '::')) &&
      first.type !== '(' &&
      !(first.type === 'word' && !first.quoted && ['any', 'some', 'all', 'select'].includes(first.text.toLowerCase()));
    conditions.push({ column: column.text, equality: isEquality, placeholder: isEquality || first?.type === 'placeholder' ? first?.placeholder : undefined, offset: column.start });
  }
  return conditions;
}

function depthsOf(tokens: readonly Token[]): number[] {
  const depths: number[] = [];
  let depth = 0;
  for (const token of tokens) {
    if (token.type === ')') depth = Math.max(0, depth - 1);
    depths.push(depth);
    if (token.type === '(') depth++;
  }
  return depths;
}

const WORD_START = /[A-Za-z_]/;
const WORD_PART = /[A-Za-z0-9_$]/;
const OPERATOR = /[<>=!~+\-*/%|&^:]/;

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let questions = 0;
  let i = 0;
  while (i < text.length) {
    const c = text.charAt(i);
    const next = text.charAt(i + 1);
    if (c === '-' && next === '-') {
      const eol = text.indexOf('\n', i);
      i = eol === -1 ? text.length : eol;
    } else if (c === '/' && next === '*') {
      const close = text.indexOf('*/', i + 2);
      i = close === -1 ? text.length : close + 2;
    } else if (c === '\u0001') {
      const close = text.indexOf('\u0001', i + 1);
      const index = Number(text.slice(i + 1, close === -1 ? text.length : close));
      tokens.push({ type: 'placeholder', text: 'value', start: i, placeholder: { kind: 'substitution', index } });
      i = close === -1 ? text.length : close + 1;
    } else if (c === "'") {
      let j = i + 1;
      while (j < text.length && !(text.charAt(j) === "'" && text.charAt(j + 1) !== "'")) j += text.charAt(j) === "'" ? 2 : 1;
      const content = text.slice(i + 1, j);
      // '${value}': a value spliced into quotes is still the compared value.
      const spliced = /^\u0001(\d+)\u0001$/.exec(content);
      if (spliced) tokens.push({ type: 'placeholder', text: 'value', start: i, placeholder: { kind: 'substitution', index: Number(spliced[1]) } });
      else tokens.push({ type: 'string', text: content, start: i });
      i = j + 1;
    } else if (c === '"' || c === '`' || c === '[') {
      const closer = c === '[' ? ']' : c;
      const close = text.indexOf(closer, i + 1);
      const j = close === -1 ? text.length : close;
      tokens.push({ type: 'word', text: text.slice(i + 1, j), start: i + 1, quoted: true });
      i = j + 1;
    } else if (c === '$' && /[0-9]/.test(next)) {
      let j = i + 1;
      while (/[0-9]/.test(text.charAt(j))) j++;
      tokens.push({ type: 'placeholder', text: text.slice(i, j), start: i, placeholder: { kind: 'dollar', index: Number(text.slice(i + 1, j)) } });
      i = j;
    } else if (c === '?') {
      tokens.push({ type: 'placeholder', text: '?', start: i, placeholder: { kind: 'question', ordinal: questions++ } });
      i++;
    } else if ((c === ':' || c === '@') && WORD_START.test(next) && text.charAt(i - 1) !== ':') {
      let j = i + 1;
      while (WORD_PART.test(text.charAt(j))) j++;
      tokens.push({ type: 'placeholder', text: text.slice(i, j), start: i, placeholder: { kind: 'named', name: text.slice(i + 1, j) } });
      i = j;
    } else if (WORD_START.test(c)) {
      let j = i + 1;
      while (WORD_PART.test(text.charAt(j))) j++;
      tokens.push({ type: 'word', text: text.slice(i, j), start: i });
      i = j;
    } else if (/[0-9]/.test(c)) {
      let j = i + 1;
      while (/[0-9.]/.test(text.charAt(j))) j++;
      tokens.push({ type: 'number', text: text.slice(i, j), start: i });
      i = j;
    } else if (c === '(' || c === ')' || c === ',' || c === '.' || c === ';') {
      tokens.push({ type: c, text: c, start: i });
      i++;
    } else if (OPERATOR.test(c)) {
      let j = i + 1;
      while (OPERATOR.test(text.charAt(j)) && !(text.charAt(j) === '-' && text.charAt(j + 1) === '-')) j++;
      tokens.push({ type: 'op', text: text.slice(i, j), start: i });
      i = j;
    } else {
      i++;
    }
  }
  return tokens;
}
