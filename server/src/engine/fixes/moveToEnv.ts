// The multi-file edit behind "Move secret to env": the code reads
// `process.env.NAME`, `.env` holds `NAME=value`, `.env.example` lists `NAME=` for
// the next person, and `.gitignore` keeps `.env` out of git. The order of the
// changes is the order an editor applies them in, so `.gitignore` is made to
// ignore `.env` before the secret is written there, and the code switches to the
// variable only once the value exists. Existing files only ever get lines
// appended; a value already in `.env` under the chosen name is never replaced.
import { ts } from '../ts';
import type { StringLiteralFact } from '../facts/strings';
import { envValue, formatEnvValue, parseEnvFile } from '../files/env';
import { eolOf } from '../files/text';
import type { FileChange, ProjectView, TextEdit } from '../types';

/** Project-root paths the fix writes (the convention of Next.js, Vite, dotenv and Node's `--env-file`). */
export const ENV_FILE = '.env';
export const ENV_EXAMPLE_FILE = '.env.example';
export const GITIGNORE_FILE = '.gitignore';

export interface MoveToEnvRequest {
  project: ProjectView;
  /** The file holding the secret. */
  path: string;
  /** The secret exactly as the program uses it. */
  value: string;
  /** Preferred variable name; `NAME_2`, `NAME_3`, … when `.env` already gives NAME another value. */
  name: string;
  /** Edits to `path` that make the code read the variable, given its final name. */
  replace: (name: string) => TextEdit[];
}

export interface MoveToEnvEdit {
  /** The variable name the edit settled on. */
  name: string;
  changes: FileChange[];
}

/**
 * Builds the edit, or returns undefined when it cannot be done without risk:
 * `.env` is tracked by git (writing the secret there would commit it), or the
 * value has no dotenv spelling that reads back unchanged.
 */
export function buildMoveToEnv(request: MoveToEnvRequest): MoveToEnvEdit | undefined {
  const { project } = request;
  if (project.isTracked(ENV_FILE)) return undefined;
  const formatted = formatEnvValue(request.value);
  if (formatted === undefined) return undefined;

  const envText = project.readFile(ENV_FILE);
  const entries = parseEnvFile(envText ?? '');
  const name = freeName(request.name, (candidate) => envValue(entries, candidate), request.value);
  const changes: FileChange[] = [];

  if (!project.isIgnored(ENV_FILE)) changes.push(appendLine(project, GITIGNORE_FILE, ENV_FILE, request.path));
  if (envValue(entries, name) !== request.value) changes.push(appendLine(project, ENV_FILE, `${name}=${formatted}`, request.path));
  const exampleText = project.readFile(ENV_EXAMPLE_FILE);
  if (!parseEnvFile(exampleText ?? '').some((entry) => entry.key === name)) changes.push(appendLine(project, ENV_EXAMPLE_FILE, `${name}=`, request.path));
  changes.push({ kind: 'edit', path: request.path, edits: request.replace(name) });
  return { name, changes };
}

export interface MoveLiteralRequest {
  project: ProjectView;
  /** The file holding the literal, and its text. */
  path: string;
  text: string;
  literal: StringLiteralFact;
  /** The segment holding the secret, and the secret's offsets in that segment's text. */
  segment: number;
  start: number;
  end: number;
  /** Preferred variable name. */
  name: string;
}

/**
 * Moves a secret written in a string literal to `.env`. When the secret is the
 * whole literal (surrounding whitespace included, so a PEM block keeps its exact
 * bytes) the literal becomes `process.env.NAME`, or `{process.env.NAME}` as a JSX
 * attribute; when it is part of one (`'Bearer sk-…'`, a template) only the secret
 * becomes `${process.env.NAME}`, turning a quoted string into a template.
 * `process.env` is used even in Vite client code: a secret must not reach the
 * browser at all, and `import.meta.env.VITE_*` would ship it there.
 */
export function moveLiteralToEnv(request: MoveLiteralRequest): MoveToEnvEdit | undefined {
  const { literal, text } = request;
  const segment = literal.segments[request.segment];
  if (!segment || literal.replaceable === 'none') return undefined;
  const secret = segment.text.slice(request.start, request.end);
  const node = literal.node;
  const nodeStart = node.getStart();
  const jsx = literal.replaceable === 'jsx-attribute';
  const whole = secretIsWholeLiteral(literal, request.segment, secret);

  let replace: (name: string) => TextEdit[];
  if (whole) {
    const fallback = envReadWithFallback(node);
    replace = (name) =>
      fallback?.variable === name
        ? // `process.env.X || 'secret'` with the secret now in X is just the read
          [{ start: fallback.expression.getStart(), end: fallback.expression.end, newText: `process.env.${name}` }]
        : [{ start: nodeStart, end: node.end, newText: jsx ? `{process.env.${name}}` : `process.env.${name}` }];
  } else {
    // Offsets differ between source and value when escapes precede the secret: find it as written.
    const raw = text.slice(segment.rawStart, segment.rawEnd);
    const at = raw.indexOf(secret);
    if (at === -1 || raw.indexOf(secret, at + 1) !== -1) return undefined;
    if (ts.isStringLiteral(node)) {
      if (jsx && raw.includes('\\')) return undefined; // JSX strings keep backslashes; a template would not
      const before = toTemplateText(raw.slice(0, at));
      const after = toTemplateText(raw.slice(at + secret.length));
      replace = (name) => {
        const template = `\`${before}\${process.env.${name}}${after}\``;
        return [{ start: nodeStart, end: node.end, newText: jsx ? `{${template}}` : template }];
      };
    } else {
      const start = segment.rawStart + at;
      replace = (name) => [{ start, end: start + secret.length, newText: `\${process.env.${name}}` }];
    }
  }
  return buildMoveToEnv({ project: request.project, path: request.path, value: whole ? segment.text : secret, name: request.name, replace });
}

/**
 * `process.env.X ?? '…'` / `process.env.X || '…'` / `process.env['X'] || '…'`:
 * the literal is the fallback of an environment read, whose variable is the
 * natural home of the value.
 */
export function envReadWithFallback(literal: ts.Node): { variable: string; expression: ts.BinaryExpression } | undefined {
  const parent = literal.parent;
  if (!parent || !ts.isBinaryExpression(parent) || parent.right !== literal) return undefined;
  const op = parent.operatorToken.kind;
  if (op !== ts.SyntaxKind.QuestionQuestionToken && op !== ts.SyntaxKind.BarBarToken) return undefined;
  const variable = envReadName(parent.left);
  return variable === undefined ? undefined : { variable, expression: parent };
}

function envReadName(expr: ts.Expression): string | undefined {
  let read = expr;
  while (ts.isParenthesizedExpression(read) || ts.isAsExpression(read) || ts.isNonNullExpression(read)) read = read.expression;
  let env: ts.Expression;
  let name: string;
  if (ts.isPropertyAccessExpression(read)) {
    env = read.expression;
    name = read.name.text;
  } else if (ts.isElementAccessExpression(read) && ts.isStringLiteralLike(read.argumentExpression)) {
    env = read.expression;
    name = read.argumentExpression.text;
  } else {
    return undefined;
  }
  const isProcessEnv = ts.isPropertyAccessExpression(env) && env.name.text === 'env' && ts.isIdentifier(env.expression) && env.expression.text === 'process';
  return isProcessEnv && /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? name : undefined;
}

/** Whether the secret is all the literal holds, but for surrounding whitespace. */
export function secretIsWholeLiteral(literal: StringLiteralFact, segment: number, secret: string): boolean {
  return literal.segments.length === 1 && literal.segments[segment]?.text.trim() === secret;
}

/** The raw text of a quoted string, as template-literal text: escapes kept, backticks and `${` escaped. */
function toTemplateText(raw: string): string {
  let out = '';
  for (let i = 0; i < raw.length; i++) {
    const char = raw.charAt(i);
    if (char === '\\') {
      out += raw.slice(i, i + 2);
      i++;
      continue;
    }
    if (char === '`' || (char === '$' && raw.charAt(i + 1) === '{')) out += '\\';
    out += char;
  }
  return out;
}

/** NAME, or the first of NAME_2, NAME_3, … that `.env` does not already give a different value. */
function freeName(base: string, existing: (name: string) => string | undefined, value: string): string {
  for (let n = 1; ; n++) {
    const candidate = n === 1 ? base : `${base}_${n}`;
    const current = existing(candidate);
    if (current === undefined || current === value) return candidate;
  }
}

/**
 * Appends one line to a file, keeping its line endings; creates the file when missing,
 * with the line endings of `lineEndingsOf` (the file the fix starts from: a CRLF project
 * gets a CRLF `.env`).
 */
export function appendLine(project: ProjectView, path: string, line: string, lineEndingsOf: string): FileChange {
  const text = project.readFile(path);
  if (text === undefined) return { kind: 'create', path, text: `${line}${eolOf(project.readFile(lineEndingsOf) ?? '')}` };
  const eol = eolOf(text);
  const separator = text.length === 0 || text.endsWith('\n') || text.endsWith('\r') ? '' : eol;
  return { kind: 'edit', path, edits: [{ start: text.length, end: text.length, newText: `${separator}${line}${eol}` }] };
}

/**
 * An identifier as an environment variable name: `stripeSecretKey` →
 * `STRIPE_SECRET_KEY`, `x-api-key` → `X_API_KEY`; `JWT_SECRET` stays as it is.
 */
export function toEnvName(identifier: string): string {
  const name = identifierWords(identifier).join('_').toUpperCase();
  if (name === '') return 'SECRET';
  return /^[0-9]/.test(name) ? `_${name}` : name;
}

/**
 * The words of an identifier or key, lower-cased: camelCase, PascalCase,
 * snake_case, kebab-case and acronyms (`AWSSecretKey` → aws, secret, key).
 * Digits stay with the word they follow (`oauth2Token` → oauth2, token).
 */
export function identifierWords(identifier: string): string[] {
  return (identifier.match(/[A-Z]+(?![a-z])[0-9]*|[A-Z]?[a-z]+[0-9]*|[0-9]+/g) ?? []).map((word) => word.toLowerCase());
}
