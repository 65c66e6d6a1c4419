// Is a query on a request path, and does its result reach the response? The
// handler is found syntactically (a callback registered with app.get & co., a
// Next.js route export or server action), or by the routes facts (a controller
// registered in another file); the result is followed through variables,
// destructuring, array methods and object literals to `res.json(x)`,
// `Response.json(x)`, a returned value or JSX. A function that only takes the
// request (`(req, res) => …` that no route is known to register) is a handler when
// it sends the rows itself: what it returns may never reach a client.
// (The syntactic cases could read the routes facts too.)
import { ts } from '../../server/src/engine/ts';
import type { DataFlow } from '../../server/src/engine/facts';
import { exportedFunctionName } from '../../server/src/engine/facts/flow';
import type { ImportFacts } from '../../server/src/engine/facts/imports';
import { ROUTE_HANDLER_EXPORTS } from '../../server/src/engine/facts/requestInputModels';
import { enclosingScope, unwrap } from '../../server/src/engine/facts/scopes';

/** `app.get('/path', handler)`, `router.post(…)`, Fastify and Hono alike. */
const ROUTE_METHODS: ReadonlySet<string> = new Set(['get', 'post', 'put', 'patch', 'delete', 'del', 'all', 'head', 'options']);
/** tRPC procedures: `publicProcedure.query(async ({ ctx }) => …)`. */
const PROCEDURE_METHODS: ReadonlySet<string> = new Set(['query', 'mutation']);
/** Calls that send their argument to the client: `res.json(x)`, `reply.send(x)`, `c.json(x)`, `Response.json(x)`, `res.render(view, x)`. */
const RESPONSE_METHODS: ReadonlySet<string> = new Set(['json', 'send', 'jsonp', 'render', 'write', 'end', 'html']);
const RESPONSE_CONSTRUCTORS: ReadonlySet<string> = new Set(['Response', 'NextResponse']);
/** Next.js app-router pages: the default export renders on each request (a server component). */
const APP_ROUTER_PAGE = /(^|\/)app\/(.+\/)?page\.(t|j)sx?$/;
/** Next.js pages-router data functions run per request; `context.query` holds the query string. */
const PER_REQUEST_DATA_EXPORTS: ReadonlySet<string> = new Set(['getServerSideProps']);
/** Calls whose result still holds the rows passed in: `JSON.stringify(rows)`, `Promise.all([...])`, `Object.values(byId)`. */
const CARRYING_CALLS: ReadonlySet<string> = new Set(['stringify', 'from', 'values', 'entries', 'fromEntries', 'structuredClone', 'all', 'allSettled', 'serialize']);
/** Methods on the rows whose result is not the rows (a count, a test). */
const NON_CARRYING_METHODS: ReadonlySet<string> = new Set(['includes', 'some', 'every', 'indexOf', 'findIndex', 'has', 'forEach']);

/** How a handler reads query-string parameters, for the pagination fix. */
export type QueryAccess =
  | { style: 'express'; request: string }
  | { style: 'next-request'; request: string }
  | { style: 'web-request'; request: string }
  | { style: 'search-params'; searchParams: string }
  | { style: 'hono'; context: string };

export interface RequestHandler {
  fn: ts.FunctionLikeDeclaration;
  query?: QueryAccess;
  /**
   * Whether what the function returns is what the client gets (a route, a page, a
   * server action). False for a function known only by taking the request: its rows
   * reach the client only through a response call it makes.
   */
  returnsResponse: boolean;
}

/** The handler a node runs in, looking outward through nested functions. `isRoute` asks the routes facts about a function. */
export function enclosingHandler(node: ts.Node, flow: DataFlow, imports: ImportFacts, path: string, isRoute: (fn: ts.FunctionLikeDeclaration) => boolean): RequestHandler | undefined {
  for (let current = node.parent; current; current = current.parent) {
    if (!isFunctionWithBody(current)) continue;
    const handler = asHandler(current, flow, imports, path, isRoute);
    if (handler) return handler;
  }
  return undefined;
}

function asHandler(fn: ts.FunctionLikeDeclaration, flow: DataFlow, imports: ImportFacts, path: string, isRoute: (fn: ts.FunctionLikeDeclaration) => boolean): RequestHandler | undefined {
  const first = fn.parameters[0];
  const firstName = first && ts.isIdentifier(first.name) ? first.name.text : undefined;
  const typeName = first?.type && ts.isTypeReferenceNode(first.type) && ts.isIdentifier(first.type.typeName) ? first.type.typeName.text : undefined;
  const parent = fn.parent;

  // app.get('/path', …, handler); router.route('/x').get(handler)
  if (parent && ts.isCallExpression(parent) && parent.arguments.includes(fn as ts.Expression)) {
    const callee = unwrap(parent.expression);
    if (ts.isPropertyAccessExpression(callee) && ROUTE_METHODS.has(callee.name.text)) {
      const path = parent.arguments[0];
      const registersPath = path !== undefined && path !== fn && (ts.isStringLiteralLike(path) || ts.isTemplateExpression(path) || ts.isRegularExpressionLiteral(path));
      const onRoute = ts.isCallExpression(unwrap(callee.expression)) && /\.route$/.test((unwrap(callee.expression) as ts.CallExpression).expression.getText());
      if (registersPath || onRoute) return { fn, query: queryAccess(firstName, typeName, imports, fn, flow), returnsResponse: true };
    }
    if (ts.isPropertyAccessExpression(callee) && PROCEDURE_METHODS.has(callee.name.text) && /procedure/i.test(callee.expression.getText())) return { fn, returnsResponse: true };
  }

  const exported = exportedFunctionName(fn);
  if (exported && ROUTE_HANDLER_EXPORTS.has(exported)) {
    if (!firstName) return { fn, returnsResponse: true };
    return { fn, query: queryAccess(firstName, typeName ?? 'Request', imports, fn, flow), returnsResponse: true };
  }
  if (exported && PER_REQUEST_DATA_EXPORTS.has(exported)) return { fn, query: firstName ? { style: 'express', request: firstName } : undefined, returnsResponse: true };
  if (exported === 'default' && APP_ROUTER_PAGE.test(path)) return { fn, returnsResponse: true };
  if (isServerAction(fn, exported, imports)) return { fn, returnsResponse: true };
  if (first && ts.isIdentifier(first.name) && flow.isRequestObject(first.name)) {
    // A controller registered elsewhere (`router.get('/orders', listOrders)`), or a function that merely takes the request.
    return { fn, query: queryAccess(firstName, typeName, imports, fn, flow), returnsResponse: isRoute(fn) };
  }
  return undefined;
}

function queryAccess(name: string | undefined, typeName: string | undefined, imports: ImportFacts, fn: ts.FunctionLikeDeclaration, flow: DataFlow): QueryAccess | undefined {
  if (!name) return undefined;
  if (imports.packages.has('hono')) return { style: 'hono', context: name };
  if (typeName === 'NextRequest') return { style: 'next-request', request: name };
  // `Request` is the web (fetch) request unless the file imports it from a server framework (Express's `Request`).
  const imported = typeName ? imports.bindings.get(typeName) : undefined;
  if (typeName === 'Request' && (imported === undefined || imported === 'next' || imported === 'next/server')) {
    // Reuse `const { searchParams } = new URL(request.url)` when the handler already has it.
    const body = fn.body;
    if (body && flow.scopes.lookup(body, 'searchParams').some((binding) => binding.kind === 'variable')) return { style: 'search-params', searchParams: 'searchParams' };
    return { style: 'web-request', request: name };
  }
  return { style: 'express', request: name };
}

function isServerAction(fn: ts.FunctionLikeDeclaration, exported: string | undefined, imports: ImportFacts): boolean {
  const body = fn.body;
  if (body && ts.isBlock(body)) {
    const first = body.statements[0];
    if (first && ts.isExpressionStatement(first) && ts.isStringLiteral(first.expression) && first.expression.text === 'use server') return true;
  }
  return imports.useServerFile && exported !== undefined;
}

function isFunctionWithBody(node: ts.Node): node is ts.FunctionLikeDeclaration {
  return (ts.isFunctionDeclaration(node) || ts.isFunctionExpression(node) || ts.isArrowFunction(node) || ts.isMethodDeclaration(node)) && node.body !== undefined;
}

/**
 * Whether the value of `call` ends up in what the handler sends: passed to a
 * response call, returned from the handler when its return value is the response
 * (server actions, pages, route callbacks), assigned to Koa's `ctx.body`, or rendered in JSX.
 */
export function reachesResponse(call: ts.CallExpression, handler: RequestHandler, flow: DataFlow): boolean {
  const visited = new Set<ts.Node>();
  const work: ts.Node[] = [call];
  while (work.length > 0) {
    const start = work.pop();
    if (!start || visited.has(start)) continue;
    visited.add(start);
    const outcome = climb(start, handler, flow);
    if (outcome === true) return true;
    work.push(...outcome);
  }
  return false;
}

/** Follows one carried value upward; true when it reaches the response, else the identifiers it flows into. */
function climb(start: ts.Node, handler: RequestHandler, flow: DataFlow): true | ts.Node[] {
  let node = start;
  for (;;) {
    const parent = node.parent;
    if (!parent) return [];
    if (ts.isAwaitExpression(parent) || ts.isParenthesizedExpression(parent) || ts.isAsExpression(parent) || ts.isNonNullExpression(parent) || ts.isSatisfiesExpression(parent)) {
      node = parent;
      continue;
    }
    if (ts.isPropertyAccessExpression(parent) && parent.expression === node) {
      const name = parent.name.text;
      const grand = parent.parent;
      if (grand && ts.isCallExpression(grand) && grand.expression === parent) {
        if (NON_CARRYING_METHODS.has(name) || (RESPONSE_METHODS.has(name) && grand.arguments.length === 0)) return [];
        node = grand;
        continue;
      }
      if (name === 'length') return [];
      node = parent;
      continue;
    }
    if (ts.isElementAccessExpression(parent) && parent.expression === node) {
      node = parent;
      continue;
    }
    if (ts.isCallExpression(parent) && parent.arguments.includes(node as ts.Expression)) {
      const callee = unwrap(parent.expression);
      const name = ts.isPropertyAccessExpression(callee) ? callee.name.text : ts.isIdentifier(callee) ? callee.text : '';
      if (RESPONSE_METHODS.has(name)) return true;
      if (CARRYING_CALLS.has(name)) {
        node = parent;
        continue;
      }
      return [];
    }
    if (ts.isNewExpression(parent)) {
      const callee = unwrap(parent.expression);
      return ts.isIdentifier(callee) && RESPONSE_CONSTRUCTORS.has(callee.text) ? true : [];
    }
    if (ts.isShorthandPropertyAssignment(parent) || (ts.isPropertyAssignment(parent) && parent.initializer === node) || ts.isSpreadAssignment(parent)) {
      node = parent.parent;
      continue;
    }
    if (ts.isSpreadElement(parent) || ts.isArrayLiteralExpression(parent) || ts.isTemplateSpan(parent) || ts.isTemplateExpression(parent)) {
      node = parent;
      continue;
    }
    if (ts.isConditionalExpression(parent) && parent.condition !== node) {
      node = parent;
      continue;
    }
    if (ts.isBinaryExpression(parent)) {
      const op = parent.operatorToken.kind;
      if (op === ts.SyntaxKind.EqualsToken && parent.right === node) {
        // Koa: ctx.body = rows
        if (ts.isPropertyAccessExpression(parent.left) && parent.left.name.text === 'body') return true;
        return ts.isIdentifier(parent.left) ? referencesOf(parent.left, flow) : [];
      }
      if (op === ts.SyntaxKind.QuestionQuestionToken || op === ts.SyntaxKind.BarBarToken || (op === ts.SyntaxKind.AmpersandAmpersandToken && parent.right === node)) {
        node = parent;
        continue;
      }
      return [];
    }
    if (ts.isJsxExpression(parent) || ts.isJsxElement(parent) || ts.isJsxSelfClosingElement(parent) || ts.isJsxFragment(parent) || ts.isJsxAttribute(parent) || ts.isJsxAttributes(parent) || ts.isJsxOpeningElement(parent)) {
      node = parent;
      continue;
    }
    if (ts.isReturnStatement(parent) || (ts.isArrowFunction(parent) && parent.body === node)) {
      const fn = ts.isArrowFunction(parent) ? parent : enclosingFunction(parent);
      if (!fn || fn === handler.fn) return fn === handler.fn && handler.returnsResponse ? true : [];
      // A callback's return value is its caller's result: rows.map((row) => ({ ...row })), Promise.all(…)
      const caller = fn.parent;
      if (caller && ts.isCallExpression(caller) && caller.arguments.includes(fn as ts.Expression)) {
        node = caller;
        continue;
      }
      return [];
    }
    if (ts.isVariableDeclaration(parent) && parent.initializer === node) return declaredNames(parent.name).flatMap((name) => referencesOf(name, flow));
    return [];
  }
}

function enclosingFunction(node: ts.Node): ts.FunctionLikeDeclaration | undefined {
  for (let current = node.parent; current; current = current.parent) if (isFunctionWithBody(current)) return current;
  return undefined;
}

function declaredNames(name: ts.BindingName): ts.Identifier[] {
  if (ts.isIdentifier(name)) return [name];
  return name.elements.flatMap((element) => (ts.isOmittedExpression(element) ? [] : declaredNames(element.name)));
}

/**
 * Uses of the variable an identifier declares. Searched in the function that
 * declares it only (a local's uses cannot be elsewhere), which is much cheaper
 * than the file-wide reference index on large files.
 */
function referencesOf(identifier: ts.Identifier, flow: DataFlow): ts.Node[] {
  const binding = flow.scopes.resolveAll(identifier).find((candidate) => candidate.identifier === identifier) ?? flow.scopes.resolve(identifier);
  if (!binding) return [];
  const scope = enclosingScope(binding.identifier);
  const name = binding.name;
  const found: ts.Node[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isIdentifier(node)) {
      if (node.text === name && node !== binding.identifier && isValueUse(node) && flow.scopes.resolveAll(node).includes(binding)) found.push(node);
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(scope);
  return found;
}

/** An identifier read as a value: not a property name, not a key, not a declaration name. */
function isValueUse(identifier: ts.Identifier): boolean {
  const parent = identifier.parent;
  if (!parent) return false;
  if (ts.isPropertyAccessExpression(parent)) return parent.expression === identifier;
  if (ts.isPropertyAssignment(parent) || ts.isBindingElement(parent) || ts.isVariableDeclaration(parent) || ts.isParameter(parent)) return false;
  return !(ts.isQualifiedName(parent) || ts.isTypeReferenceNode(parent) || ts.isImportSpecifier(parent) || ts.isExportSpecifier(parent));
}
