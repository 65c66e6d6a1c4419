// Regular expressions whose every full match is harmless spliced into SQL or a shell:
// anchored at both ends (`^…$`, no `m` flag, no top-level `|`), built only from letters,
// digits, `_` and `-`, with no way to put two dashes side by side (`--` starts a SQL
// comment). `/^\d+$/`, `/^[a-f0-9]{24}$/i`, `/^[\w-]$/` and UUID shapes
// (`/^[0-9a-f]{8}-[0-9a-f]{4}-…$/i`) pass; `/\d+/`, `/^[\w\s]+$/`, `/^[\w-]+$/` do not.
import { ts } from '../ts';

/** Characters a matched value may hold: none quotes, escapes, ends a statement, separates words or starts a comment on its own. */
const SAFE_CHAR = /^[A-Za-z0-9_-]$/;

/** Repetitions of a group written out, at most, to check what touches what (`(-[0-9a-f]{4}){3}`). */
const MAX_GROUP_REPEAT = 16;

/** One position of the pattern: whether it may match a dash, must match something, and may match more than one character. */
interface Unit {
  dash: boolean;
  required: boolean;
  repeats: boolean;
}

/** Whether `/source/flags` only fully matches values made of safe characters with no `--`. */
export function isSafeAnchoredPattern(source: string, flags: string): boolean {
  if (flags.includes('m')) return false; // ^ and $ would match at line breaks
  if (!source.startsWith('^') || !source.endsWith('$') || source.endsWith('\\$')) return false;
  const units = parseSequence(source.slice(1, -1));
  return units !== undefined && dashesApart(units);
}

/** A regular expression literal, whole. */
export function isSafeRegexLiteral(literal: ts.RegularExpressionLiteral): boolean {
  const text = literal.text;
  const end = text.lastIndexOf('/');
  return end > 0 && isSafeAnchoredPattern(text.slice(1, end), text.slice(end + 1));
}

/** A dash never repeats in place, and two dashes always have a required non-dash position between them. */
function dashesApart(units: readonly Unit[]): boolean {
  let dashBefore = false;
  for (const unit of units) {
    if (unit.dash) {
      if (unit.repeats || dashBefore) return false;
      dashBefore = true;
    } else if (unit.required) {
      dashBefore = false;
    }
  }
  return true;
}

/** The units of a group body or the whole pattern; undefined for anything not understood (alternation, lookarounds, backreferences, unsafe characters). */
function parseSequence(source: string): Unit[] | undefined {
  const units: Unit[] = [];
  let index = 0;
  while (index < source.length) {
    const char = source[index] as string;
    let atom: { units: Unit[] } | undefined;
    if (char === '[') {
      const close = classEnd(source, index);
      if (close < 0) return undefined;
      const chars = classChars(source.slice(index + 1, close));
      if (!chars) return undefined;
      atom = { units: [{ dash: chars.includes('-'), required: true, repeats: false }] };
      index = close + 1;
    } else if (char === '(') {
      const close = groupEnd(source, index);
      if (close < 0) return undefined;
      let body = source.slice(index + 1, close);
      if (body.startsWith('?:')) body = body.slice(2);
      else if (body.startsWith('?')) return undefined; // lookarounds, named groups
      const inner = parseSequence(body);
      if (!inner) return undefined;
      atom = { units: inner };
      index = close + 1;
    } else if (char === '\\') {
      const escaped = source[index + 1];
      if (escaped === undefined) return undefined;
      const chars = escapeChars(escaped);
      if (!chars) return undefined;
      atom = { units: [{ dash: chars.includes('-'), required: true, repeats: false }] };
      index += 2;
    } else {
      if (!SAFE_CHAR.test(char)) return undefined; // `.`, `|`, `$`, `^`, quotes, spaces…
      atom = { units: [{ dash: char === '-', required: true, repeats: false }] };
      index += 1;
    }
    const quantifier = readQuantifier(source, index);
    if (!quantifier) return undefined;
    index = quantifier.end;
    const repeated = repeat(atom.units, quantifier.min, quantifier.max);
    if (!repeated) return undefined;
    units.push(...repeated);
  }
  return units;
}

/** An atom's units under a quantifier: a single position takes it as is; a group is written out when it holds a dash. */
function repeat(units: Unit[], min: number, max: number): Unit[] | undefined {
  if (min === 1 && max === 1) return units;
  if (units.length === 1) {
    const unit = units[0] as Unit;
    return [{ dash: unit.dash, required: unit.required && min > 0, repeats: max > 1 }];
  }
  if (units.some((unit) => unit.dash)) {
    if (min !== max || max > MAX_GROUP_REPEAT) return undefined;
    return Array.from({ length: max }, () => units).flat();
  }
  return [{ dash: false, required: min > 0 && units.some((unit) => unit.required), repeats: true }];
}

function readQuantifier(source: string, index: number): { min: number; max: number; end: number } | undefined {
  const char = source[index];
  let result: { min: number; max: number; end: number };
  if (char === '*') result = { min: 0, max: Infinity, end: index + 1 };
  else if (char === '+') result = { min: 1, max: Infinity, end: index + 1 };
  else if (char === '?') result = { min: 0, max: 1, end: index + 1 };
  else if (char === '{') {
    const match = /^\{(\d+)(,(\d*))?\}/.exec(source.slice(index));
    if (!match) return undefined;
    const min = Number(match[1]);
    const max = match[2] === undefined ? min : match[3] === '' ? Infinity : Number(match[3]);
    result = { min, max, end: index + match[0].length };
  } else return { min: 1, max: 1, end: index };
  if (source[result.end] === '?') result.end += 1; // lazy
  return result;
}

/** Index of the `]` closing the class opened at `open`. */
function classEnd(source: string, open: number): number {
  for (let index = open + 1; index < source.length; index++) {
    if (source[index] === '\\') index++;
    else if (source[index] === ']') return index;
  }
  return -1;
}

/** Index of the `)` closing the group opened at `open`. */
function groupEnd(source: string, open: number): number {
  let depth = 0;
  for (let index = open; index < source.length; index++) {
    const char = source[index];
    if (char === '\\') index++;
    else if (char === '[') {
      index = classEnd(source, index);
      if (index < 0) return -1;
    } else if (char === '(') depth++;
    else if (char === ')' && --depth === 0) return index;
  }
  return -1;
}

/** The characters an escape outside a class matches, when all are safe. */
function escapeChars(escaped: string): string | undefined {
  if (escaped === 'd') return '0123456789';
  if (escaped === 'w') return 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_';
  if (escaped === '-' || escaped === '_') return escaped;
  return undefined; // \s, \D, \W, \S, \b, backreferences, \\, \' …
}

/** The characters a class body (`a-f0-9_-`) matches, when all are safe; negated classes are refused. */
function classChars(body: string): string | undefined {
  if (body.startsWith('^') || body.length === 0) return undefined;
  let chars = '';
  let index = 0;
  const single = (): string | undefined => {
    const char = body[index];
    if (char === '\\') {
      const escaped = body[index + 1];
      index += 2;
      return escaped === undefined ? undefined : escapeChars(escaped);
    }
    index += 1;
    return char;
  };
  while (index < body.length) {
    const start = single();
    if (start === undefined) return undefined;
    // a range `a-f`: not when the dash is last, nor from a class escape such as \d
    if (start.length === 1 && body[index] === '-' && index + 1 < body.length) {
      index += 1;
      const end = single();
      if (end === undefined || end.length !== 1) return undefined;
      for (let code = start.charCodeAt(0); code <= end.charCodeAt(0); code++) chars += String.fromCharCode(code);
      continue;
    }
    chars += start;
  }
  return [...chars].every((char) => SAFE_CHAR.test(char)) ? chars : undefined;
}
