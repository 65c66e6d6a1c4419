// One module's Express / Fastify / Hono registrations: the apps and routers it makes
// or receives, and in order what is registered on each (`use`, routes, mounts, Fastify
// hooks), with every name they use already followed to what defines it (routers,
// mounted plugins, handlers and their wrappers), across modules.
import { ts } from '../ts';
import type { ProjectView } from '../types';
import type { HttpMethod } from './appModel';
import { expressionName } from './authSyntax';
import { packageName } from './imports';
import { Module, Resolver, propertyNameText } from './modules';
import {
  FASTIFY_PRE_HANDLER_HOOKS,
  PLUGIN_WRAPPERS,
  ROUTE_METHODS,
  ROUTE_REGISTRATION_HINT,
  ROUTER_FACTORIES,
  ROUTER_PARAMETER_NAMES,
  ROUTER_PARAMETER_TYPES,
  type ServerFramework,
} from './routeModels';
import { unwrap } from './scopes';
import { unwrapHandler } from './routeSources';

export interface Item {
  module: Module;
  expr: ts.Expression;
}

export interface RouterInfo {
  /** The factory call (`Router()`, `new Hono()`) or the parameter that holds the router. */
  key: ts.Node;
  module: Module;
  framework: ServerFramework;
  /** An application (`express()`, `new Hono()`, `Fastify()`) can be the root of a server. */
  application: boolean;
  /** It leaves its module (exported, or a parameter of a registration function). */
  exported: boolean;
}

export interface ResolvedHandler {
  fn: ts.FunctionLikeDeclaration;
  module: Module;
  /** Wrappers around the handler (`withAuth(fn)`, `asyncHandler(fn)`), outermost first. */
  wrappers: Item[];
}

/** Offsets of a piece of source text. */
export interface TextSpan {
  start: number;
  end: number;
}

export type Layer =
  /** `use(path?, ...)`: each entry is middleware, or a router mounted at the path. */
  | { kind: 'use'; path: string; entries: { item: Item; router?: RouterInfo }[] }
  /** Fastify `addHook('preHandler', fn)`: runs for every route of its plugin. */
  | { kind: 'hook'; items: Item[] }
  | { kind: 'route'; method: HttpMethod; path: string; items: Item[]; handler?: ResolvedHandler; literal?: TextSpan & { module: string } }
  /** Hono `route(path, app)`, Fastify `register(plugin, { prefix })`, `registerRoutes(app)`. */
  | { kind: 'mount'; path: string; router?: RouterInfo };

/** `export { x } from './x'`, `export * from`, `module.exports = require(…)`: a module passing on another's values. */
export const RE_EXPORT = /\bexport\s*(?:\*|\{[^}]*\}|type\s*\{[^}]*\})\s*(?:as\s+\w+\s*)?from\b|\bexports\b[^;\n]*\brequire\s*\(/;

/** The methods `collectRouterCall` reads: HTTP verbs, `use`, Hono/Fastify `route`, Fastify `register` and `addHook`. */
const ROUTER_CALL_METHODS: ReadonlySet<string> = new Set([...Object.keys(ROUTE_METHODS), 'use', 'route', 'register', 'addHook']);

/** Reads one module's route registrations. */
export class ModuleCollector {
  private readonly routers = new Map<ts.Node, RouterInfo>();
  private readonly layers: { router: RouterInfo; layer: Layer }[] = [];

  constructor(
    private readonly module: Module,
    private readonly resolver: Resolver,
    private readonly project: ProjectView,
  ) {}

  collect(): { routers: Map<ts.Node, RouterInfo>; layers: { router: RouterInfo; layer: Layer }[] } {
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node)) this.collectCall(node);
      ts.forEachChild(node, visit);
    };
    visit(this.module.sourceFile);
    return { routers: this.routers, layers: this.layers };
  }

  private item(expr: ts.Expression): Item {
    return { module: this.module, expr };
  }

  private add(router: RouterInfo, layer: Layer): void {
    this.layers.push({ router, layer });
  }

  private route(router: RouterInfo, method: HttpMethod, path: string, items: readonly ts.Expression[], handler: ts.Expression, pathArgument?: ts.Expression): void {
    const literal = pathArgument && ts.isStringLiteral(pathArgument) ? { start: pathArgument.getStart(this.module.sourceFile), end: pathArgument.end, module: this.module.path } : undefined;
    this.add(router, { kind: 'route', method, path, items: items.map((expr) => this.item(expr)), handler: this.handler(handler), literal });
  }

  private handler(expr: ts.Expression): ResolvedHandler | undefined {
    const unwrapped = unwrapHandler(this.module, expr, this.resolver);
    return unwrapped && { fn: unwrapped.fn, module: unwrapped.module, wrappers: unwrapped.wrappers.map((wrapper) => this.item(wrapper)) };
  }

  private collectCall(call: ts.CallExpression): void {
    const callee = unwrap(call.expression);
    if (ts.isPropertyAccessExpression(callee)) {
      const method = callee.name.text;
      const httpMethod = ROUTE_METHODS[method];
      // Express: router.route('/orders/:id').get(h).delete(h)
      const chained = httpMethod ? this.routeChain(callee.expression) : undefined;
      if (chained && httpMethod) {
        const args = flattenItems(call.arguments);
        const handler = args.pop();
        if (handler) this.route(chained.router, httpMethod, chained.path, args, handler);
        return;
      }
      // Only a method a router registers with needs its receiver resolved (most calls are `res.json()`, `db.find()`).
      const router = ROUTER_CALL_METHODS.has(method) && this.mayNameRouter(callee.expression) ? this.routerOf(this.module, callee.expression) : undefined;
      if (router) {
        this.collectRouterCall(router, method, call);
        return;
      }
    }
    // registerRoutes(app), require('./routes')(app): the function receives the router
    call.arguments.forEach((arg, index) => {
      if (!this.mayNameRouter(arg)) return;
      const router = this.routerOf(this.module, arg);
      if (router) this.add(router, { kind: 'mount', path: '', router: this.mountTarget(call.expression, index, router) });
    });
  }

  private collectRouterCall(router: RouterInfo, method: string, call: ts.CallExpression): void {
    const args = [...call.arguments];
    const httpMethod = ROUTE_METHODS[method];
    if (httpMethod && args.length >= 2) {
      const path = stringValue(this.module, args[0]);
      if (path === undefined) return;
      if (router.framework === 'fastify') {
        const second = args[1] ? unwrap(args[1]) : undefined;
        const options = second && ts.isObjectLiteralExpression(second) ? second : undefined;
        const handler = args.length >= 3 ? args[args.length - 1] : options ? propertyValue(options, 'handler') : args[1];
        if (handler) this.route(router, httpMethod, path, options ? fastifyHooks(options) : [], handler);
        return;
      }
      const rest = flattenItems(args.slice(1));
      const handler = rest.pop();
      if (handler) this.route(router, httpMethod, path, rest, handler, args[0]);
      return;
    }
    if (method === 'use') {
      const first = args[0];
      const path = first ? stringValue(this.module, first) : undefined;
      const items = flattenItems(path === undefined ? args : args.slice(1));
      this.add(router, { kind: 'use', path: path ?? '', entries: items.map((expr) => ({ item: this.item(expr), router: this.routerOf(this.module, expr) })) });
      return;
    }
    if (method === 'route' && args.length === 2 && router.framework === 'hono') {
      const path = stringValue(this.module, args[0]);
      const target = args[1];
      if (path !== undefined && target) this.add(router, { kind: 'mount', path, router: this.mountTarget(target, undefined, router) });
      return;
    }
    if (method === 'route' && args.length === 1 && router.framework === 'fastify') {
      const options = unwrap(args[0] as ts.Expression);
      if (!ts.isObjectLiteralExpression(options)) return;
      const url = propertyValue(options, 'url') ?? propertyValue(options, 'path');
      const path = url ? stringValue(this.module, url) : undefined;
      const handler = propertyValue(options, 'handler');
      const methodValue = propertyValue(options, 'method');
      if (path === undefined || !handler || !methodValue) return;
      for (const name of stringsOf(this.module, methodValue)) {
        const routeMethod = ROUTE_METHODS[name.toLowerCase()];
        if (routeMethod) this.route(router, routeMethod, path, fastifyHooks(options), handler);
      }
      return;
    }
    if (method === 'register' && args[0]) {
      const options = args[1] ? unwrap(args[1]) : undefined;
      const prefix = options && ts.isObjectLiteralExpression(options) ? propertyValue(options, 'prefix') : undefined;
      this.add(router, { kind: 'mount', path: prefix ? (stringValue(this.module, prefix) ?? '') : '', router: this.mountTarget(args[0], 0, router) });
      return;
    }
    if (method === 'addHook' && args.length >= 2) {
      const hook = stringValue(this.module, args[0]);
      const fn = args[1];
      if (hook && FASTIFY_PRE_HANDLER_HOOKS.includes(hook) && fn) this.add(router, { kind: 'hook', items: [this.item(fn)] });
    }
  }

  /**
   * Whether a receiver or argument can be a router, judged before resolving it: one imported
   * from a project module is made there (which names a router factory) or re-exported
   * there. Most are services, caches and configs (`orderService.get(id)`), which resolving would
   * parse only to find nothing. The text looked at is recorded like a parsed module.
   */
  private mayNameRouter(arg: ts.Expression): boolean {
    const inner = unwrap(arg);
    let root: ts.Expression = inner;
    while (ts.isPropertyAccessExpression(root)) root = root.expression;
    if (!ts.isIdentifier(root)) return true;
    const bindings = this.module.scopes.resolveAll(root);
    if (bindings.some((binding) => binding.kind !== 'import')) return true; // local: resolving stays in this file
    const imported = this.module.imports.get(root.text);
    const source = this.resolver.source;
    const path = imported ? source.resolveSpecifier(this.module.path, imported.specifier) : undefined;
    if (!path) return true; // a package, or not an import at all
    const text = source.peek(path);
    return text === undefined || ROUTE_REGISTRATION_HINT.test(text) || RE_EXPORT.test(text);
  }

  /** `router.route('/x')` (Express), possibly followed by `.get(h).post(h)`: the router and the path. */
  private routeChain(expr: ts.Expression): { router: RouterInfo; path: string } | undefined {
    let current = unwrap(expr);
    for (let depth = 0; depth < 10 && ts.isCallExpression(current) && ts.isPropertyAccessExpression(current.expression); depth++) {
      const name = current.expression.name.text;
      if (name === 'route' && current.arguments.length === 1) {
        const router = this.routerOf(this.module, current.expression.expression);
        const path = current.arguments[0] ? stringValue(this.module, current.arguments[0]) : undefined;
        return router && router.framework === 'express' && path !== undefined ? { router, path } : undefined;
      }
      if (!ROUTE_METHODS[name]) return undefined;
      current = unwrap(current.expression.expression);
    }
    return undefined;
  }

  /** The app or router an expression refers to, if it is one. */
  private routerOf(module: Module, expr: ts.Expression): RouterInfo | undefined {
    const inner = unwrap(expr);
    if (ts.isIdentifier(inner) || ts.isPropertyAccessExpression(inner)) {
      const target = this.resolver.expression(module, inner);
      if (target?.kind === 'parameter') return this.parameterRouter(target.module, target.node);
      if (target?.kind === 'value') return this.factoryRouter(target.module, target.node, target.declaration);
      return undefined;
    }
    if (ts.isCallExpression(inner) || ts.isNewExpression(inner)) return this.factoryRouter(module, inner, undefined);
    return undefined;
  }

  private factoryRouter(module: Module, node: ts.Expression, declaration: ts.VariableDeclaration | undefined): RouterInfo | undefined {
    // new Hono().get(…).post(…) is the same app as new Hono()
    let current = unwrap(node);
    while (ts.isCallExpression(current) && ts.isPropertyAccessExpression(current.expression) && (ROUTE_METHODS[current.expression.name.text] || current.expression.name.text === 'use')) {
      current = unwrap(current.expression.expression);
    }
    if (!ts.isCallExpression(current) && !ts.isNewExpression(current)) return undefined;
    const existing = this.routers.get(current);
    if (existing) return existing;
    const factory = matchFactory(module, current, this.project);
    if (!factory) return undefined;
    const info: RouterInfo = { key: current, module, framework: factory.framework, application: factory.application, exported: isExported(module, declaration, current) };
    this.routers.set(current, info);
    return info;
  }

  private parameterRouter(module: Module, parameter: ts.ParameterDeclaration, force?: ServerFramework): RouterInfo | undefined {
    const existing = this.routers.get(parameter);
    if (existing) return existing;
    if (!ts.isIdentifier(parameter.name)) return undefined;
    const typeName = parameter.type && ts.isTypeReferenceNode(parameter.type) ? (ts.isIdentifier(parameter.type.typeName) ? parameter.type.typeName.text : parameter.type.typeName.right.text) : undefined;
    const byType = typeName ? ROUTER_PARAMETER_TYPES[typeName] : undefined;
    if (!force && !byType && !ROUTER_PARAMETER_NAMES.has(parameter.name.text)) return undefined;
    // (req, res) handlers are not routers, whatever their first parameter is called.
    const fn = parameter.parent;
    const looksLikeHandler = fn.parameters.length >= 2 && fn.parameters.some((other) => ts.isIdentifier(other.name) && /^(res|reply|next|response)$/.test(other.name.text));
    if (!force && !byType && looksLikeHandler) return undefined;
    const framework = force ?? byType ?? frameworkOfModule(module, parameter.name.text, this.project);
    const info: RouterInfo = { key: parameter, module, framework, application: false, exported: true };
    this.routers.set(parameter, info);
    return info;
  }

  /** The router a mount target stands for: a router value, or the parameter of a plugin / registration function. */
  private mountTarget(target: ts.Expression, parameterIndex: number | undefined, parent: RouterInfo): RouterInfo | undefined {
    const direct = this.routerOf(this.module, target);
    if (direct) return direct;
    let resolved = this.resolver.expression(this.module, target);
    // fastify-plugin: fp(async (fastify) => …)
    for (let depth = 0; depth < 3 && resolved?.kind === 'value' && ts.isCallExpression(resolved.node); depth++) {
      const call = resolved.node;
      const wrapped = call.arguments[0];
      if (!PLUGIN_WRAPPERS.has(expressionName(call.expression)) || !wrapped) return undefined;
      resolved = this.resolver.expression(resolved.module, wrapped);
    }
    if (resolved?.kind !== 'function') return undefined;
    const parameter = resolved.node.parameters[parameterIndex ?? 0];
    return parameter ? this.parameterRouter(resolved.module, parameter, parent.framework) : undefined;
  }
}

function matchFactory(module: Module, call: ts.CallExpression | ts.NewExpression, project: ProjectView): (typeof ROUTER_FACTORIES)[number] | undefined {
  const name = expressionName(call.expression);
  const root = name.split('.')[0] ?? '';
  const imported = module.imports.get(root);
  const pkg = imported ? packageName(imported.specifier) : undefined;
  return ROUTER_FACTORIES.find(
    (factory) =>
      (factory.callees.includes(name) || (imported !== undefined && imported.name !== 'default' && factory.callees.includes(imported.name))) &&
      (pkg !== undefined ? factory.packages.includes(pkg) : factory.packages.some((candidate) => project.dependencies.has(candidate))),
  );
}

function frameworkOfModule(module: Module, parameterName: string, project: ProjectView): ServerFramework {
  if (parameterName === 'fastify' || parameterName === 'instance') return 'fastify';
  const packages = new Set([...module.imports.values()].map((imported) => packageName(imported.specifier)));
  if (packages.has('fastify') || packages.has('fastify-plugin')) return 'fastify';
  if (packages.has('hono')) return 'hono';
  if (packages.has('express')) return 'express';
  if (project.dependencies.has('fastify')) return 'fastify';
  if (project.dependencies.has('hono') && !project.dependencies.has('express')) return 'hono';
  return 'express';
}

function isExported(module: Module, declaration: ts.VariableDeclaration | undefined, factory: ts.Node): boolean {
  const name = declaration && ts.isIdentifier(declaration.name) ? declaration.name.text : undefined;
  for (const entry of module.exports.named.values()) {
    if (entry.kind === 'local' && entry.name === name) return true;
    if (entry.kind === 'node' && (entry.node === factory || (ts.isIdentifier(entry.node) && entry.node.text === name))) return true;
  }
  return false;
}

/** Middleware arrays are flattened: `router.get('/x', [auth, validate], handler)`. */
function flattenItems(args: readonly ts.Expression[]): ts.Expression[] {
  return args.flatMap((arg) => {
    const inner = unwrap(arg);
    if (ts.isArrayLiteralExpression(inner)) return flattenItems(inner.elements);
    if (ts.isSpreadElement(inner)) return flattenItems([inner.expression]);
    return [arg];
  });
}

function fastifyHooks(options: ts.ObjectLiteralExpression): ts.Expression[] {
  return FASTIFY_PRE_HANDLER_HOOKS.flatMap((hook) => {
    const value = propertyValue(options, hook);
    return value ? flattenItems([value]) : [];
  });
}

function propertyValue(object: ts.ObjectLiteralExpression, name: string): ts.Expression | undefined {
  for (const property of object.properties) {
    if (ts.isPropertyAssignment(property) && propertyNameText(property.name) === name) return property.initializer;
    if (ts.isShorthandPropertyAssignment(property) && property.name.text === name) return property.name;
    if (ts.isMethodDeclaration(property) && propertyNameText(property.name) === name) return undefined;
  }
  return undefined;
}

/** A path argument: a literal, or a module constant holding one. */
function stringValue(module: Module, expr: ts.Expression | undefined): string | undefined {
  if (!expr) return undefined;
  const inner = unwrap(expr);
  if (ts.isStringLiteralLike(inner)) return inner.text;
  if (ts.isArrayLiteralExpression(inner)) return inner.elements[0] ? stringValue(module, inner.elements[0]) : undefined;
  if (ts.isIdentifier(inner)) {
    const binding = module.scopes.resolve(inner);
    if (binding?.kind === 'variable' && binding.isConst && !binding.destructured && binding.initializer) {
      const value = unwrap(binding.initializer);
      if (ts.isStringLiteralLike(value)) return value.text;
    }
  }
  return undefined;
}

function stringsOf(module: Module, expr: ts.Expression): string[] {
  const inner = unwrap(expr);
  if (ts.isArrayLiteralExpression(inner)) return inner.elements.flatMap((element) => stringsOf(module, element));
  const value = stringValue(module, inner);
  return value === undefined ? [] : [value];
}
