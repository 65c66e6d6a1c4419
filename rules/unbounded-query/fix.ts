// "Add pagination": declares a capped page size and an offset read from the
// request just before the statement, then hands them to the query the way its
// library takes them (Prisma/TypeORM take/skip, Sequelize and Drizzle's relational
// API limit/offset, Mongoose .limit().skip(), Drizzle/knex .limit().offset(),
// Supabase .range(), SQL LIMIT/OFFSET as bound values). Without a request to read
// from, it caps the result at the maximum page size instead.
// "Cap page size": for a limit the request picks, caps the request value the same way.
import { ts } from '../../server/src/engine/ts';
import type { DbCall, SqlDriver, SqlSink } from '../../server/src/engine/facts';
import { chainRoot, propertyValue } from '../../server/src/engine/facts/dbCalls';
import type { Scopes } from '../../server/src/engine/facts/scopes';
import { unwrap } from '../../server/src/engine/facts/scopes';
import type { RuleFix, TextEdit } from '../../server/src/engine/types';
import type { QueryAccess, RequestHandler } from './requestPath';
import { CAP_FIX_ID, FIX_ID } from './meta';

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 100;

/** How each library is given a limit and an offset; the names are also the variables declared. */
interface Style {
  limitName: string;
  offsetName: string;
  apply(call: DbCall, limit: string, offset: string | undefined, text: string): TextEdit[] | undefined;
}

/** Calls whose result is a number (or NaN, which `|| default` replaces). */
const NUMBER_FUNCTIONS: ReadonlySet<string> = new Set(['Number', 'parseInt', 'parseFloat']);
const NUMBER_NAMESPACES: ReadonlySet<string> = new Set(['Number', 'Math']);

/** Variable names to fall back on when the preferred ones are taken in that scope. */
const FALLBACK_NAMES: Readonly<Record<string, string>> = { take: 'pageSize', limit: 'pageSize', skip: 'pageOffset', offset: 'pageOffset' };

export interface FixInput {
  call: DbCall;
  handler: RequestHandler;
  scopes: Scopes;
  text: string;
  path: string;
  /** The library that runs a raw-SQL call, as far as it is known for certain (facts/sqlDrivers.ts). */
  driverOf: (sink: SqlSink) => SqlDriver;
}

export function paginationFix({ call, handler, scopes, text, path, driverOf }: FixInput): RuleFix | undefined {
  const fix = (title: string, edits: TextEdit[]): RuleFix => ({ id: FIX_ID, title, changes: [{ kind: 'edit', path, edits }] });
  const style = styleFor(call, driverOf);
  if (!style) return undefined;
  const statement = enclosingStatement(call.call, handler.fn);
  if (!statement) return undefined;
  const access = handler.query;
  if (!access) {
    const edits = style.apply(call, String(MAX_PAGE_SIZE), undefined, text);
    return edits ? fix(`Add pagination (cap at ${MAX_PAGE_SIZE} rows)`, edits) : undefined;
  }
  const limitName = freeName(style.limitName, statement, scopes);
  const offsetName = freeName(style.offsetName, statement, scopes);
  if (!limitName || !offsetName) return undefined;
  const applied = style.apply(call, limitName, offsetName, text);
  if (!applied) return undefined;
  const edits = [...applied];
  const renamed = access.style === 'express' ? usedFromNowOn(handler.fn, access.request, statement, scopes) : undefined;
  if (renamed) edits.push(renamed.edit);
  const read = reader(renamed && access.style === 'express' ? { ...access, request: renamed.name } : access);

  const lineStart = text.lastIndexOf('\n', statement.getStart() - 1) + 1;
  const before = text.slice(lineStart, statement.getStart());
  const ownLine = before.trim() === '';
  const indent = ownLine ? before : (/^\s*/.exec(before)?.[0] ?? '');
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const lines: string[] = [];
  let get = read;
  if (access.style === 'web-request' && scopes.lookup(statement, 'searchParams').length === 0) {
    lines.push(`const searchParams = new URL(${access.request}.url).searchParams;`);
    get = (name) => `searchParams.get('${name}')`;
  }
  lines.push(`const ${limitName} = Math.min(Number(${get('limit')}) || ${DEFAULT_PAGE_SIZE}, ${MAX_PAGE_SIZE});`);
  lines.push(`const ${offsetName} = (Math.max(Number(${get('page')}) || 1, 1) - 1) * ${limitName};`);
  const declarations = ownLine ? lines.map((line) => `${indent}${line}${eol}`).join('') : lines.map((line) => `${line}${eol}${indent}`).join('');
  const at = ownLine ? lineStart : statement.getStart();
  return fix(`Add pagination (${limitName}/${offsetName} from the request, max ${MAX_PAGE_SIZE})`, [{ start: at, end: at, newText: declarations }, ...edits]);
}

/**
 * Caps the request value that sets a page size where it is read (in the query, or in the
 * declaration of the variable that holds it): `Number(req.query.limit)` ->
 * `Math.min(Number(req.query.limit) || 50, 100)`, keeping a default the code gives (`|| 20`).
 */
export function capPageSizeFix(value: ts.Expression, path: string): RuleFix {
  const capped = cappedPageSize(value);
  // `{ take }` names the variable; the capped value needs the key spelled out.
  const newText = ts.isShorthandPropertyAssignment(value.parent) ? `${value.getText()}: ${capped}` : capped;
  const edit: TextEdit = { start: value.getStart(), end: value.getEnd(), newText };
  return { id: CAP_FIX_ID, title: `Cap the page size at ${MAX_PAGE_SIZE}`, changes: [{ kind: 'edit', path, edits: [edit] }] };
}

/** The text that replaces a request page size: `Math.min(Number(req.query.limit) || 50, 100)`. */
export function cappedPageSize(value: ts.Expression): string {
  return `Math.min(${numberWithDefault(value)}, ${MAX_PAGE_SIZE})`;
}

/** `Number(x) || 20` as written; `Number(x)` -> `Number(x) || 50`; a string `x` -> `Number(x) || 50`. */
function numberWithDefault(value: ts.Expression): string {
  const inner = unwrap(value);
  const text = value.getText();
  if (ts.isBinaryExpression(inner) && inner.operatorToken.kind === ts.SyntaxKind.BarBarToken && isNumberExpression(inner.left) && ts.isNumericLiteral(unwrap(inner.right))) return text;
  return isNumberExpression(inner) ? `${text} || ${DEFAULT_PAGE_SIZE}` : `Number(${text}) || ${DEFAULT_PAGE_SIZE}`;
}

/** `Number(x)`, `parseInt(x, 10)`, `Math.floor(x)`, `+x`, `x - 1`: a number, binding tighter than `||`. */
function isNumberExpression(expr: ts.Expression): boolean {
  const inner = unwrap(expr);
  if (ts.isPrefixUnaryExpression(inner)) return inner.operator === ts.SyntaxKind.PlusToken;
  if (ts.isBinaryExpression(inner)) {
    const operator = inner.operatorToken.kind;
    return operator === ts.SyntaxKind.MinusToken || operator === ts.SyntaxKind.AsteriskToken || operator === ts.SyntaxKind.SlashToken;
  }
  if (!ts.isCallExpression(inner)) return false;
  const callee = unwrap(inner.expression);
  if (ts.isIdentifier(callee)) return NUMBER_FUNCTIONS.has(callee.text);
  return ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression) && NUMBER_NAMESPACES.has(callee.expression.text);
}

function reader(access: QueryAccess): (name: string) => string {
  switch (access.style) {
    case 'express':
      return (name) => `${access.request}.query.${name}`;
    case 'next-request':
      return (name) => `${access.request}.nextUrl.searchParams.get('${name}')`;
    case 'search-params':
      return (name) => `${access.searchParams}.get('${name}')`;
    case 'hono':
      return (name) => `${access.context}.req.query('${name}')`;
    case 'web-request':
      return (name) => `new URL(${access.request}.url).searchParams.get('${name}')`;
  }
}

/**
 * `(_req, res)`: the underscore says the request is unused, which the fix is about to
 * make untrue. When nothing reads it yet and the bare name is free, the parameter
 * loses its underscore.
 */
function usedFromNowOn(fn: ts.FunctionLikeDeclaration, name: string, at: ts.Node, scopes: Scopes): { name: string; edit: TextEdit } | undefined {
  const bare = name.replace(/^_+/, '');
  if (bare === name || bare === '' || scopes.lookup(at, bare).length > 0) return undefined;
  const parameter = fn.parameters.find((candidate) => ts.isIdentifier(candidate.name) && candidate.name.text === name);
  if (!parameter || !fn.body) return undefined;
  let read = false;
  const visit = (node: ts.Node): void => {
    if (ts.isIdentifier(node) && node.text === name) read = true;
    else if (!read) ts.forEachChild(node, visit);
  };
  visit(fn.body);
  if (read) return undefined;
  return { name: bare, edit: { start: parameter.name.getStart(), end: parameter.name.getEnd(), newText: bare } };
}

function freeName(preferred: string, at: ts.Node, scopes: Scopes): string | undefined {
  for (const name of [preferred, FALLBACK_NAMES[preferred]]) if (name && scopes.lookup(at, name).length === 0) return name;
  return undefined;
}

/** The statement holding the call, directly inside a block of the handler (where declarations can go). */
function enclosingStatement(node: ts.Node, handler: ts.FunctionLikeDeclaration): ts.Statement | undefined {
  for (let current: ts.Node | undefined = node; current && current !== handler; current = current.parent) {
    const parent = current.parent;
    if (parent && ts.isBlock(parent) && ts.isStatement(current)) return current;
    if (ts.isFunctionLike(current) && current !== node) return undefined;
  }
  return undefined;
}

function styleFor(call: DbCall, driverOf: (sink: SqlSink) => SqlDriver): Style | undefined {
  switch (call.library) {
    case 'prisma':
      return optionsStyle('take', 'skip', 'take', 'skip');
    case 'sequelize':
    case 'drizzle':
      return isChain(call) ? chainStyle('limit', 'offset') : optionsStyle('limit', 'offset', 'limit', 'offset');
    case 'typeorm':
      return typeormStyle();
    case 'mongoose':
      return mongooseStyle();
    case 'knex':
      return chainStyle('limit', 'offset');
    case 'supabase':
      return supabaseStyle();
    case 'sql':
      return sqlStyle(driverOf);
  }
  return undefined;
}

/** Drizzle's builder (`db.select().from(t)`) chains; its relational API (`db.query.t.findMany`) takes options. */
function isChain(call: DbCall): boolean {
  const callee = unwrap(call.call.expression);
  return ts.isPropertyAccessExpression(callee) && ts.isCallExpression(unwrap(callee.expression));
}

/** `findMany({ where })` -> `findMany({ where, take, skip })`. */
function optionsStyle(limitKey: string, offsetKey: string, limitName: string, offsetName: string): Style {
  return {
    limitName,
    offsetName,
    apply(call, limit, offset, text) {
      const props = [prop(limitKey, limit), ...(offset ? [prop(offsetKey, offset)] : [])];
      return addProperties(call.call, 0, props, text);
    },
  };
}

function typeormStyle(): Style {
  return {
    limitName: 'take',
    offsetName: 'skip',
    apply(call, limit, offset, text) {
      const props = [prop('take', limit), ...(offset ? [prop('skip', offset)] : [])];
      const callee = unwrap(call.call.expression);
      if (!ts.isPropertyAccessExpression(callee)) return undefined;
      const method = callee.name.text;
      if (method === 'getMany' || method === 'getManyAndCount' || method === 'getRawMany') {
        // Query builder: …take(n).skip(m).getMany()
        const chained = `.take(${limit})${offset ? `.skip(${offset})` : ''}`;
        return [{ start: callee.expression.end, end: callee.expression.end, newText: chained }];
      }
      if (method === 'findBy' || method === 'findAndCountBy') {
        // findBy(where) has no options: findBy(where) -> find({ where, take, skip })
        const where = call.call.arguments[0];
        if (!where || call.call.arguments.length > 1) return undefined;
        return [
          { start: callee.name.getStart(), end: callee.name.end, newText: method === 'findBy' ? 'find' : 'findAndCount' },
          { start: where.getStart(), end: where.end, newText: `{ where: ${where.getText()}, ${props.join(', ')} }` },
        ];
      }
      const manager = ts.isIdentifier(unwrap(callee.expression)) && ['manager', 'entityManager', 'em'].includes((unwrap(callee.expression) as ts.Identifier).text);
      return addProperties(call.call, manager ? 1 : 0, props, text);
    },
  };
}

/** Model.find(filter)… -> Model.find(filter).limit(n).skip(m)… */
function mongooseStyle(): Style {
  return {
    limitName: 'limit',
    offsetName: 'skip',
    apply(call, limit, offset) {
      const root = chainRoot(call.call);
      const chained = `.limit(${limit})${offset ? `.skip(${offset})` : ''}`;
      return [{ start: root.end, end: root.end, newText: chained }];
    },
  };
}

/** knex / Drizzle builder: ….limit(n).offset(m) at the end of the chain. */
function chainStyle(limitName: string, offsetName: string): Style {
  return {
    limitName,
    offsetName,
    apply(call, limit, offset) {
      return [{ start: call.call.end, end: call.call.end, newText: `.limit(${limit})${offset ? `.offset(${offset})` : ''}` }];
    },
  };
}

/** Supabase: ….range(from, from + size - 1) (inclusive bounds). */
function supabaseStyle(): Style {
  return {
    limitName: 'limit',
    offsetName: 'offset',
    apply(call, limit, offset) {
      const range = offset ? `.range(${offset}, ${offset} + ${limit} - 1)` : `.range(0, ${Number(limit) - 1})`;
      return [{ start: call.call.end, end: call.call.end, newText: range }];
    },
  };
}

/**
 * SQL text: `… LIMIT $n OFFSET $m` with the values bound (pg `$n`, mysql2/SQLite `?`); never
 * spliced. Only for a call whose library is known for certain: the pool may come from a
 * mysql2 module in a project that also depends on pg, and `$1` there is a syntax error.
 */
function sqlStyle(driverOf: (sink: SqlSink) => SqlDriver): Style {
  return {
    limitName: 'limit',
    offsetName: 'offset',
    apply(call, limit, offset) {
      const sink = call.sql;
      if (!sink || sink.variable || sink.appended.length > 0) return undefined;
      const model = driverOf(sink).model;
      if (!model) return undefined;
      const literal = unwrap(sink.argument);
      if (!ts.isStringLiteralLike(literal) && !ts.isTemplateExpression(literal)) return undefined;
      const literalText = literal.getText();
      // Before the closing quote, and before any trailing `;` and whitespace inside it.
      let insertAt = literal.end - 1;
      while (insertAt > literal.getStart() + 1 && /[\s;]/.test(literalText.charAt(insertAt - literal.getStart() - 1))) insertAt--;
      if (!offset) return [{ start: insertAt, end: insertAt, newText: ` LIMIT ${limit}` }];

      const values: string[] = [limit, offset];
      let placeholders: [string, string];
      // The placeholders already in the SQL say the dialect best (a file may import two drivers).
      const style = /\$\d/.test(literalText) ? 'dollar' : /\?/.test(literalText) ? 'question' : model.placeholder;
      if (style === 'dollar') {
        const used = [...literalText.matchAll(/\$(\d+)/g)].map((match) => Number(match[1]));
        const next = Math.max(0, ...used) + 1;
        placeholders = [`$${next}`, `$${next + 1}`];
      } else {
        // mysql2's execute() sends values as strings, which MySQL rejects in LIMIT.
        if (model.library === 'mysql2' && sink.method === 'execute') return undefined;
        placeholders = ['?', '?'];
      }
      const sqlEdit: TextEdit = { start: insertAt, end: insertAt, newText: ` LIMIT ${placeholders[0]} OFFSET ${placeholders[1]}` };

      if (model.binding === 'chained-call') {
        // better-sqlite3: db.prepare(sql).all(a) -> .all(a, limit, offset)
        if (call.call === sink.call) return undefined;
        return [sqlEdit, appendArguments(call.call, values)];
      }
      if (model.binding !== 'values-array') return undefined;
      const valuesIndex = model.valuesArg ?? 1;
      const existing = sink.call.arguments[valuesIndex];
      if (existing) {
        const list = unwrap(existing);
        if (!ts.isArrayLiteralExpression(list)) return undefined;
        const last = list.elements[list.elements.length - 1];
        const edit: TextEdit = last
          ? { start: last.end, end: last.end, newText: `, ${values.join(', ')}` }
          : { start: list.getStart() + 1, end: list.end - 1, newText: values.join(', ') };
        return [sqlEdit, edit];
      }
      // No values yet: only when the SQL is the last argument (not before a callback).
      if (sink.call.arguments.length !== valuesIndex || sink.call.arguments[valuesIndex - 1] !== sink.argument) return undefined;
      return [sqlEdit, { start: sink.argument.end, end: sink.argument.end, newText: `, [${values.join(', ')}]` }];
    },
  };
}

function appendArguments(call: ts.CallExpression, values: readonly string[]): TextEdit {
  const last = call.arguments[call.arguments.length - 1];
  if (last) return { start: last.end, end: last.end, newText: `, ${values.join(', ')}` };
  const close = call.end - 1;
  return { start: close, end: close, newText: values.join(', ') };
}

function prop(key: string, value: string): string {
  return key === value ? key : `${key}: ${value}`;
}

/** Adds `props` to the options object at argument `index` (creating it when the call has no arguments). */
function addProperties(call: ts.CallExpression, index: number, props: readonly string[], text: string): TextEdit[] | undefined {
  const arg = call.arguments[index];
  if (!arg) {
    if (call.arguments.length !== index) return undefined;
    const close = call.end - 1;
    const newText = `${index > 0 ? ', ' : ''}{ ${props.join(', ')} }`;
    return [{ start: close, end: close, newText }];
  }
  const object = unwrap(arg);
  if (!ts.isObjectLiteralExpression(object)) return undefined;
  // A limit already there (take: undefined, limit: 0) is the user's call; never add a second one.
  if (props.some((p) => propertyValue(object, p.split(':')[0]?.trim() ?? '') !== undefined)) return undefined;
  const last = object.properties[object.properties.length - 1];
  if (!last) return [{ start: object.getStart(), end: object.end, newText: `{ ${props.join(', ')} }` }];
  const sourceFile = call.getSourceFile();
  const multiline = sourceFile.getLineAndCharacterOfPosition(object.getStart()).line !== sourceFile.getLineAndCharacterOfPosition(object.end).line;
  if (!multiline) return [{ start: last.end, end: last.end, newText: `, ${props.join(', ')}` }];
  const lastLineStart = text.lastIndexOf('\n', last.getStart() - 1) + 1;
  const indent = /^[ \t]*/.exec(text.slice(lastLineStart))?.[0] ?? '';
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const trailingComma = /^\s*,/.exec(text.slice(last.end));
  if (trailingComma) {
    const at = last.end + trailingComma[0].length;
    return [{ start: at, end: at, newText: props.map((p) => `${eol}${indent}${p},`).join('') }];
  }
  return [{ start: last.end, end: last.end, newText: `,${props.map((p) => `${eol}${indent}${p}`).join(',')}` }];
}

