// Pure SQL-text rewriting for the "Parameterize query" fix: given the SQL as
// literal text and spliced values, decide where each spliced value sits (a value
// the database can bind, or an identifier / fragment it cannot), swallow the quotes
// around quoted values, and number the placeholders after the ones already there.
// No TypeScript nodes here: the rule maps pieces to source text and back.

/** The SQL as assembled: literal text, and spliced values that must (`bind`) or need not be bound. */
export type SqlPiece = { kind: 'text'; text: string } | { kind: 'value'; bind: boolean };

/**
 * - `dollar`: `$1, $2, …` (Postgres drivers)
 * - `question`: `?` (MySQL, SQLite, knex, Sequelize replacements)
 * - `inline`: tagged templates bind every `${…}`, so the value stands where the placeholder would
 */
export type PlaceholderStyle = 'dollar' | 'question' | 'inline';

export interface ParameterizeOptions {
  style: PlaceholderStyle;
  /** Characters that open a string literal: `'` everywhere, and `"` in MySQL. Other quotes delimit identifiers. */
  stringQuotes: string;
  /** Whether LIMIT/OFFSET may take a bound value (MySQL rejects the quoted strings its drivers send there). */
  bindLimit: boolean;
  /** How many values are already passed with the SQL; `$n` numbering continues after them. */
  existingValues: number;
}

/** The rewritten SQL: slices of the original text pieces, kept values, and new placeholders. */
export type Segment = { kind: 'text'; piece: number; start: number; end: number } | { kind: 'value'; piece: number } | { kind: 'parameter'; index: number };

/** What a placeholder binds: one spliced value, or a string of literal text and values (`'%${q}%'` binds `%…%`). */
export type ValuePart = { kind: 'text'; text: string } | { kind: 'value'; piece: number };

export interface Parameter {
  value: ValuePart[];
  /** The `n` of `$n` (dollar style). */
  number: number;
  /** Placeholders before it in the text, existing ones included: its slot in a positional values list. */
  ordinal: number;
}

/** Why a splice cannot become a bound value. */
export type Refusal =
  /** A table, column or sort direction: databases bind values only. */
  | 'identifier'
  /** A piece of SQL syntax (a condition, a clause). */
  | 'fragment'
  /** An `IN (…)` list spliced as one string: one placeholder would bind the whole list as one value. */
  | 'list'
  /** LIMIT/OFFSET where the driver would send a bound value as a quoted string (MySQL rejects it): convert to a number instead. */
  | 'number'
  /** Something a text rewrite cannot do faithfully (comments, dollar quotes, escapes, typed literals). */
  | 'unsupported';

export type ParameterizeResult =
  | {
      ok: true;
      segments: Segment[];
      parameters: Parameter[];
      /** Placeholders already in the text: `?` count (question style) or the highest `$n` (otherwise). */
      existingPlaceholders: number;
    }
  | { ok: false; reason: Refusal; piece: number };

interface Atom {
  piece: number;
  offset: number;
  /** Undefined for a spliced value. */
  char?: string;
}

interface OpenLiteral {
  start: number;
  quote: string;
  contextBefore: string;
  parts: ValuePart[];
  hasBind: boolean;
  hasBackslash: boolean;
  firstBind: number;
}

const VALUE_OPERATOR = /(<>|!=|<=|>=|=|<|>|\|\|)$/;
const VALUE_KEYWORDS = new Set(['LIKE', 'ILIKE', 'THEN', 'ELSE', 'BETWEEN', 'ESCAPE']);
const LIMIT_KEYWORDS = new Set(['LIMIT', 'OFFSET']);
const IDENTIFIER_KEYWORDS = new Set(['FROM', 'JOIN', 'INTO', 'UPDATE', 'TABLE', 'BY', 'SELECT', 'DISTINCT', 'AS', 'ASC', 'DESC']);
const COMPARISON_AFTER = /^\s*(=|<>|!=|<=|>=|<|>|(NOT\s+)?(LIKE|ILIKE|IN|BETWEEN)\b|IS\b)/i;
const SORT_AFTER = /^\s*(ASC|DESC|NULLS)\b/i;
const BETWEEN_AND = /\bBETWEEN\s+\S+\s+AND$/i;
const VALUES_LIST = /\bVALUES\s*(\([^()]*\)\s*,\s*)*$/i;
const COLUMN_LIST = /\bINTO\s+[\w."]+$/i;
const IN_LIST = /\bIN$/i;
/** Inside an ORDER BY / GROUP BY clause or a select list, bare splices name columns or directions. */
const ORDER_CLAUSE = /\b(ORDER|GROUP)\s+BY\b(?![\s\S]*\b(WHERE|LIMIT|OFFSET|HAVING)\b)[\s\S]*$/i;
const SELECT_LIST = /\bSELECT\b(?![\s\S]*\bFROM\b)[\s\S]*$/i;
/** A literal prefixed by a letter (`E'…'`, `N'…'`, `x'…'`) or typed (`INTERVAL '…'`): a bare placeholder would change its meaning. */
const TYPED_LITERAL = /\b(INTERVAL|DATE|TIME|TIMESTAMP|TIMESTAMPTZ)$/i;
const DOLLAR_QUOTE = /^\$([A-Za-z_]\w*)?\$/;
/** Marks a spliced value in the context text used for classification. */
const SPLICE = '\u00a7';

export function parameterize(pieces: readonly SqlPiece[], options: ParameterizeOptions): ParameterizeResult {
  const atoms = toAtoms(pieces);
  const spans: { from: number; to: number; parameter: number }[] = [];
  const parameters: Omit<Parameter, 'number'>[] = [];
  let context = '';
  let placeholdersSoFar = 0;
  let existing = 0;
  let state: 'code' | 'literal' | 'identifier' | 'line-comment' | 'block-comment' = 'code';
  let closer = '';
  let literal: OpenLiteral | undefined;
  const bindAt = (atom: Atom): boolean => {
    const piece = pieces[atom.piece];
    return atom.char === undefined && piece?.kind === 'value' && piece.bind;
  };
  const addParameter = (from: number, to: number, value: ValuePart[]): void => {
    spans.push({ from, to, parameter: parameters.length });
    parameters.push({ value, ordinal: placeholdersSoFar++ });
  };

  for (let k = 0; k < atoms.length; k++) {
    const atom = atoms[k] as Atom;
    const char = atom.char;
    if (char === undefined) {
      const bind = bindAt(atom);
      if (state === 'code') {
        if (bind) {
          const verdict = classify(context, lookahead(atoms, k + 1, 32), options);
          if (verdict !== 'value') return { ok: false, reason: verdict, piece: atom.piece };
          addParameter(k, k + 1, [{ kind: 'value', piece: atom.piece }]);
        }
        context += SPLICE;
      } else if (state === 'literal' && literal) {
        literal.parts.push({ kind: 'value', piece: atom.piece });
        if (bind && !literal.hasBind) literal.firstBind = atom.piece;
        literal.hasBind ||= bind;
      } else if (bind) {
        return { ok: false, reason: state === 'identifier' ? 'identifier' : 'unsupported', piece: atom.piece };
      }
      continue;
    }

    if (state === 'literal' && literal) {
      if (char !== literal.quote) {
        if (char === '\\') literal.hasBackslash = true;
        appendText(literal.parts, char);
        continue;
      }
      if (atoms[k + 1]?.char === literal.quote) {
        appendText(literal.parts, char); // '' is an escaped quote
        k++;
        continue;
      }
      state = 'code';
      if (literal.hasBind) {
        if (literal.hasBackslash || TYPED_LITERAL.test(literal.contextBefore.trimEnd()) || /\w$/.test(literal.contextBefore)) {
          return { ok: false, reason: 'unsupported', piece: literal.firstBind };
        }
        addParameter(literal.start, k + 1, literal.parts);
        context += SPLICE;
      } else {
        context += "''";
      }
      literal = undefined;
      continue;
    }
    if (state === 'identifier') {
      if (char === closer) state = 'code';
      continue;
    }
    if (state === 'line-comment') {
      if (char === '\n') state = 'code';
      continue;
    }
    if (state === 'block-comment') {
      if (char === '*' && atoms[k + 1]?.char === '/') {
        state = 'code';
        k++;
      }
      continue;
    }

    // code
    if (options.stringQuotes.includes(char)) {
      state = 'literal';
      literal = { start: k, quote: char, contextBefore: context, parts: [], hasBind: false, hasBackslash: false, firstBind: -1 };
      continue;
    }
    if (char === '"' || char === '`') {
      state = 'identifier';
      closer = char;
      context += 'x';
      continue;
    }
    const next = atoms[k + 1]?.char;
    if (char === '-' && next === '-') {
      state = 'line-comment';
      continue;
    }
    if (char === '/' && next === '*') {
      state = 'block-comment';
      k++;
      continue;
    }
    if (char === '?' && options.style === 'question') {
      existing++;
      placeholdersSoFar++;
      if (next === '?') k++; // `??` binds an identifier: one slot
    }
    if (char === '$') {
      const ahead = lookahead(atoms, k, 64);
      // Postgres dollar quoting ($$…$$, $tag$…$tag$) hides quotes from this scan: leave such SQL alone.
      if (DOLLAR_QUOTE.test(ahead)) return { ok: false, reason: 'unsupported', piece: Math.max(0, pieces.findIndex((piece) => piece.kind === 'value' && piece.bind)) };
      const digits = /^\$(\d+)/.exec(ahead);
      if (digits && options.style !== 'question') existing = Math.max(existing, Number(digits[1]));
    }
    context += char;
  }
  if (state === 'literal' && literal?.hasBind) return { ok: false, reason: 'unsupported', piece: literal.firstBind };

  const first = Math.max(existing, options.existingValues) + 1;
  return {
    ok: true,
    segments: toSegments(atoms, spans),
    parameters: parameters.map((parameter, index) => ({ ...parameter, number: first + index })),
    existingPlaceholders: existing,
  };
}

/** Where an unquoted splice sits, judged from the SQL before it (`context`) and the text after it. */
function classify(context: string, after: string, options: ParameterizeOptions): 'value' | Refusal {
  // `user_${x}`, `t.${col}`, `${a}${b}`, `${x}_archive`: part of a name
  if (/[\w.$"`]$/.test(context) || context.endsWith(SPLICE) || /^[\w."`'\u00a7]/.test(after)) return 'identifier';
  // `WHERE ${column} = $1`, `${column} DESC`: a column being compared or sorted
  if (COMPARISON_AFTER.test(after) || SORT_AFTER.test(after)) return 'identifier';
  const before = context.trimEnd();
  if (VALUE_OPERATOR.test(before)) return 'value';
  if (before.endsWith('(') || before.endsWith(',')) {
    const open = innermostOpenParen(before);
    if (open < 0) return before.endsWith(',') ? 'identifier' : 'fragment';
    const callee = before.slice(0, open).trimEnd();
    if (VALUES_LIST.test(callee)) return 'value';
    if (IN_LIST.test(callee)) return 'list';
    if (COLUMN_LIST.test(callee)) return 'identifier';
    return 'fragment';
  }
  const word = /([A-Za-z_]+)$/.exec(before)?.[1]?.toUpperCase();
  if (word && VALUE_KEYWORDS.has(word)) return 'value';
  if (word === 'AND' && BETWEEN_AND.test(before)) return 'value';
  if (word && LIMIT_KEYWORDS.has(word)) return options.bindLimit ? 'value' : 'number';
  if (word && IDENTIFIER_KEYWORDS.has(word)) return 'identifier';
  if (ORDER_CLAUSE.test(before) || SELECT_LIST.test(before)) return 'identifier';
  return 'fragment';
}

function innermostOpenParen(text: string): number {
  let depth = 0;
  for (let i = text.length - 1; i >= 0; i--) {
    if (text[i] === ')') depth++;
    else if (text[i] === '(') {
      if (depth === 0) return i;
      depth--;
    }
  }
  return -1;
}

function toAtoms(pieces: readonly SqlPiece[]): Atom[] {
  const atoms: Atom[] = [];
  pieces.forEach((piece, index) => {
    if (piece.kind === 'value') atoms.push({ piece: index, offset: 0 });
    else for (let offset = 0; offset < piece.text.length; offset++) atoms.push({ piece: index, offset, char: piece.text[offset] });
  });
  return atoms;
}

/** Up to `length` characters of text from atom `from`, a spliced value shown as SPLICE (and ending the text). */
function lookahead(atoms: readonly Atom[], from: number, length: number): string {
  let text = '';
  for (let k = from; k < atoms.length && text.length < length; k++) {
    const char = atoms[k]?.char;
    if (char === undefined) return text + SPLICE;
    text += char;
  }
  return text;
}

function appendText(parts: ValuePart[], char: string): void {
  const last = parts[parts.length - 1];
  if (last?.kind === 'text') last.text += char;
  else parts.push({ kind: 'text', text: char });
}

function toSegments(atoms: readonly Atom[], spans: readonly { from: number; to: number; parameter: number }[]): Segment[] {
  const segments: Segment[] = [];
  const spanAt = new Map(spans.map((span) => [span.from, span]));
  for (let k = 0; k < atoms.length; ) {
    const span = spanAt.get(k);
    if (span) {
      segments.push({ kind: 'parameter', index: span.parameter });
      k = span.to;
      continue;
    }
    const atom = atoms[k] as Atom;
    const last = segments[segments.length - 1];
    if (atom.char === undefined) segments.push({ kind: 'value', piece: atom.piece });
    else if (last?.kind === 'text' && last.piece === atom.piece && last.end === atom.offset) last.end++;
    else segments.push({ kind: 'text', piece: atom.piece, start: atom.offset, end: atom.offset + 1 });
    k++;
  }
  return segments;
}

/** Literal text as it must be written inside a template literal. */
export function escapeTemplateText(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/`/g, '\\`').replace(/\$\{/g, '\\${').replace(/\r/g, '\\r');
}

/** Literal text as it must be written inside a `'…'` or `"…"` string literal. */
export function escapeQuotedText(text: string, quote: string): string {
  return text
    .replace(/\\/g, '\\\\')
    .replace(new RegExp(quote, 'g'), `\\${quote}`)
    .replace(/\n/g, '\\n')
    .replace(/\r/g, '\\r')
    .replace(/\t/g, '\\t');
}
