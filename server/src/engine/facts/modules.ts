// Other files of the project as parsed modules, for facts that cross files: a route
// registered in server.ts whose handler and middleware live in other modules. Each
// module is parsed once per text (cached per ProjectView, checked by text identity),
// relative and tsconfig-alias imports are resolved through the ProjectView, and a
// name is followed through imports, re-exports and aliases to what defines it.
// Bounded everywhere: file size, re-export depth, alias chains.
import { ts } from '../ts';
import { classifyFile, isCodeKind } from '../files/kinds';
import { parseCode } from '../files/parse';
import type { ProjectView } from '../types';
import { packageName } from './imports';
import { Scopes, unwrap } from './scopes';

/** Larger files are generated or bundled code; nobody registers routes there. */
const MAX_MODULE_CHARS = 1_000_000;
/** How far a name is followed through re-exports and aliases. */
const MAX_RESOLVE_DEPTH = 8;
const CODE_EXTENSIONS = ['.ts', '.tsx', '.js', '.jsx', '.mts', '.cts', '.mjs', '.cjs'];

export interface ImportedName {
  specifier: string;
  /** `default`, a named export, or `*` for a namespace import / whole `require()`. */
  name: string;
}

type ExportEntry = { kind: 'local'; name: string } | { kind: 'node'; node: ts.Expression | ts.FunctionDeclaration | ts.ClassDeclaration } | { kind: 'reexport'; specifier: string; name: string };

export class Module {
  private scopesCache?: Scopes;
  private importsCache?: Map<string, ImportedName>;
  private exportsCache?: { named: Map<string, ExportEntry>; star: string[] };

  constructor(
    readonly path: string,
    readonly text: string,
    readonly sourceFile: ts.SourceFile,
    /** Scopes already built over this same tree (a transient module of the analyzed file), to avoid a second walk. */
    scopes?: Scopes,
  ) {
    this.scopesCache = scopes;
  }

  get scopes(): Scopes {
    return (this.scopesCache ??= new Scopes());
  }

  /** Local name -> where it is imported from (ES imports, `require`, `import x = require()`). */
  get imports(): ReadonlyMap<string, ImportedName> {
    return (this.importsCache ??= collectImportedNames(this.sourceFile));
  }

  get exports(): { named: ReadonlyMap<string, ExportEntry>; star: readonly string[] } {
    return (this.exportsCache ??= collectExports(this.sourceFile));
  }
}

/** What a name or expression turns out to be, possibly in another module. */
export type Target =
  | { kind: 'function'; module: Module; node: ts.FunctionLikeDeclaration }
  | { kind: 'parameter'; module: Module; node: ts.ParameterDeclaration }
  /** A value that is not a function: a `Router()` call, an object literal, a class instance, a call's result. */
  | { kind: 'value'; module: Module; node: ts.Expression; declaration?: ts.VariableDeclaration }
  /** A namespace import or whole-module `require()` of a project file. */
  | { kind: 'module'; module: Module }
  /** Imported from a package; `name` is the imported name with any member accesses (`default.authenticate`). */
  | { kind: 'external'; package: string; name: string };

export interface ModuleSource {
  readonly project: ProjectView;
  /** The parsed module at a workspace path, or undefined if it is not a readable code file. */
  module(path: string): Module | undefined;
  /** The text `module(path)` is (or would be) parsed from, without parsing it. */
  text(path: string): string | undefined;
  /** `text`, for a conclusion drawn from the text alone: a view that records reads records it like `module`. */
  peek(path: string): string | undefined;
  /** The workspace path an import specifier refers to, or undefined for packages and unresolvable paths. */
  resolveSpecifier(from: string, specifier: string): string | undefined;
  /** The paths a relative or aliased specifier would resolve to if one existed (none for packages). */
  wouldResolveTo(from: string, specifier: string): readonly string[];
}

/**
 * Parsed modules by root and path, shared by every view of that root: the overlay
 * views fix verification creates see the same files, so their modules are reused
 * (an entry is reused only while the file's text is identical). Bounded by the
 * source size it holds, least recently used first out: nothing outside depends on a
 * module's identity (caches built from modules remember the texts they read), so an
 * evicted module is only a parse to redo.
 */
type Versions = { text: string | undefined; module: Module | null }[];
class ModuleCache {
  /** Insertion order is recency order: a hit moves its path to the end. */
  readonly byPath = new Map<string, Versions>();
  chars = 0;
}
const sharedModules = new Map<string, ModuleCache>();
/** Roots kept; one per workspace folder in practice, a few more in tests. */
const MAX_SHARED_ROOTS = 8;
/** Versions kept per file: the current text and the one a fix being verified proposes. */
const VERSIONS_PER_FILE = 2;
/** Source characters of parsed modules kept per root (a syntax tree costs ~30 bytes per character). */
const MAX_CACHED_CHARS = 2_000_000;

function sharedFor(root: string): ModuleCache {
  let modules = sharedModules.get(root);
  if (!modules) {
    if (sharedModules.size >= MAX_SHARED_ROOTS) sharedModules.delete(sharedModules.keys().next().value as string);
    sharedModules.set(root, (modules = new ModuleCache()));
  }
  return modules;
}

function versionChars(versions: Versions): number {
  return versions.reduce((sum, version) => sum + (version.module ? version.text?.length ?? 0 : 0), 0);
}

/** Parsed modules of one project view, reused while a file's text stays the same. */
export class ProjectModules implements ModuleSource {
  private readonly modules: ModuleCache;
  private knownFiles?: Set<string>;
  private resolved?: { revision: number; paths: Map<string, string | undefined> };
  private readonly aliasCache = new Map<string, PathAliases | null>();

  private constructor(readonly project: ProjectView) {
    this.modules = sharedFor(project.root);
  }

  private static readonly byProject = new WeakMap<ProjectView, ProjectModules>();

  static of(project: ProjectView): ProjectModules {
    let modules = ProjectModules.byProject.get(project);
    if (!modules) ProjectModules.byProject.set(project, (modules = new ProjectModules(project)));
    return modules;
  }

  /** The module parsed from exactly this text, made the most recently used. */
  private cached(path: string, text: string | undefined): Module | null | undefined {
    const { byPath } = this.modules;
    const versions = byPath.get(path);
    const index = versions?.findIndex((version) => version.text === text) ?? -1;
    if (!versions || index === -1) return undefined;
    const [hit] = versions.splice(index, 1);
    if (!hit) return undefined;
    versions.unshift(hit);
    byPath.delete(path);
    byPath.set(path, versions);
    return hit.module;
  }

  private remember(path: string, text: string | undefined, module: Module | null): void {
    const cache = this.modules;
    const previous = cache.byPath.get(path) ?? [];
    const versions = [{ text, module }, ...previous.filter((version) => version.text !== text)].slice(0, VERSIONS_PER_FILE);
    cache.chars += versionChars(versions) - versionChars(previous);
    cache.byPath.delete(path);
    cache.byPath.set(path, versions);
    for (const [oldest, old] of cache.byPath) {
      if (cache.chars <= MAX_CACHED_CHARS || oldest === path) break;
      cache.byPath.delete(oldest);
      cache.chars -= versionChars(old);
    }
  }

  /** Drops the cached modules of `path`: a scan is done with the file (a later `module(path)` parses it again). */
  forget(path: string): void {
    const versions = this.modules.byPath.get(path);
    if (!versions) return;
    this.modules.byPath.delete(path);
    this.modules.chars -= versionChars(versions);
  }

  /**
   * The tree already parsed from exactly `text`, if one is cached. Shared, so only for a
   * caller that will not reparse it incrementally (that rewrites a tree in place).
   */
  parsedTree(path: string, text: string): ts.SourceFile | undefined {
    return this.modules.byPath.get(path)?.find((version) => version.text === text)?.module?.sourceFile;
  }

  text(path: string): string | undefined {
    return this.project.readFile(path);
  }

  peek(path: string): string | undefined {
    return this.project.readFile(path);
  }

  module(path: string): Module | undefined {
    const text = this.project.readFile(path);
    const cached = this.cached(path, text);
    if (cached !== undefined) return cached ?? undefined;
    const kind = classifyFile(path);
    let parsed: Module | null = null;
    if (text !== undefined && kind && isCodeKind(kind) && text.length <= MAX_MODULE_CHARS) {
      try {
        parsed = new Module(path, text, parseCode(path, text, kind));
      } catch {
        parsed = null; // too deeply nested to parse: the file is skipped elsewhere with its reason
      }
    }
    this.remember(path, text, parsed);
    return parsed ?? undefined;
  }

  /** Whether the cached module for `path` is still the file's current text. */
  isCurrent(path: string, text: string | undefined): boolean {
    return this.project.readFile(path) === text;
  }

  resolveSpecifier(from: string, specifier: string): string | undefined {
    // A handler file resolves the same few imports once per call site; within one
    // revision of the project no file can have appeared or gone.
    const revision = this.project.revision;
    if (revision === undefined) return this.resolveUncached(from, specifier);
    if (this.resolved?.revision !== revision) this.resolved = { revision, paths: new Map() };
    const key = `${from}\0${specifier}`;
    const paths = this.resolved.paths;
    if (paths.has(key)) return paths.get(key);
    const path = this.resolveUncached(from, specifier);
    paths.set(key, path);
    return path;
  }

  private resolveUncached(from: string, specifier: string): string | undefined {
    return this.wouldResolveTo(from, specifier).find((candidate) => this.exists(candidate));
  }

  wouldResolveTo(from: string, specifier: string): readonly string[] {
    if (specifier.startsWith('/')) return [];
    const base = specifier.startsWith('.') ? joinPath(dirname(from), specifier) : this.aliasFor(from, specifier);
    return base === undefined ? [] : candidatePaths(base);
  }

  private exists(path: string): boolean {
    this.knownFiles ??= new Set(this.project.listFiles());
    return this.knownFiles.has(path) || this.project.readFile(path) !== undefined;
  }

  /** `@/lib/auth` -> `src/lib/auth` through the nearest tsconfig/jsconfig `paths`. */
  private aliasFor(from: string, specifier: string): string | undefined {
    for (let dir = dirname(from); ; dir = dirname(dir)) {
      const aliases = this.aliasesIn(dir);
      if (aliases) {
        for (const [pattern, targets] of aliases.paths) {
          const star = pattern.indexOf('*');
          const matched = star === -1 ? (pattern === specifier ? '' : undefined) : specifier.startsWith(pattern.slice(0, star)) && specifier.endsWith(pattern.slice(star + 1)) ? specifier.slice(star, specifier.length - (pattern.length - star - 1)) : undefined;
          if (matched === undefined) continue;
          const target = targets[0];
          if (target !== undefined) return joinPath(aliases.baseDir, target.replace('*', matched));
        }
        return undefined;
      }
      if (dir === '') return undefined;
    }
  }

  private aliasesIn(dir: string): PathAliases | undefined {
    const cached = this.aliasCache.get(dir);
    if (cached !== undefined) return cached ?? undefined;
    let found: PathAliases | null = null;
    for (const name of ['tsconfig.json', 'jsconfig.json']) {
      const configPath = dir ? `${dir}/${name}` : name;
      const text = this.project.readFile(configPath);
      if (text === undefined) continue;
      found = parsePathAliases(configPath, text) ?? { baseDir: dir, paths: [] };
      break;
    }
    this.aliasCache.set(dir, found);
    return found ?? undefined;
  }
}

interface PathAliases {
  baseDir: string;
  paths: [pattern: string, targets: string[]][];
}

function parsePathAliases(configPath: string, text: string): PathAliases | undefined {
  // tsconfig allows comments and trailing commas; the compiler's own reader copes with both.
  const parsed = ts.parseConfigFileTextToJson(configPath, text);
  const options: unknown = (parsed.config as { compilerOptions?: unknown } | undefined)?.compilerOptions;
  if (typeof options !== 'object' || options === null) return undefined;
  const { baseUrl, paths } = options as { baseUrl?: unknown; paths?: unknown };
  const configDir = dirname(configPath);
  const baseDir = typeof baseUrl === 'string' ? joinPath(configDir, baseUrl) : configDir;
  if (typeof paths !== 'object' || paths === null) return { baseDir, paths: [] };
  const entries: [string, string[]][] = [];
  for (const [pattern, targets] of Object.entries(paths as Record<string, unknown>)) {
    if (Array.isArray(targets)) entries.push([pattern, targets.filter((target): target is string => typeof target === 'string')]);
  }
  return { baseDir, paths: entries };
}

function candidatePaths(base: string): string[] {
  const candidates: string[] = [];
  const ext = base.slice(base.lastIndexOf('.'));
  // ESM TypeScript imports `./auth.js` and means `./auth.ts`.
  if (ext === '.js' || ext === '.jsx') candidates.push(`${base.slice(0, -ext.length)}.ts`, `${base.slice(0, -ext.length)}.tsx`);
  if (ext === '.mjs') candidates.push(`${base.slice(0, -4)}.mts`);
  if (ext === '.cjs') candidates.push(`${base.slice(0, -4)}.cts`);
  if (CODE_EXTENSIONS.includes(ext)) candidates.push(base);
  for (const extension of CODE_EXTENSIONS) candidates.push(`${base}${extension}`);
  for (const extension of CODE_EXTENSIONS) candidates.push(`${base}/index${extension}`);
  return candidates;
}

/** The folder of a workspace-relative path (`''` at the root). */
export function dirname(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash === -1 ? '' : path.slice(0, slash);
}

/** The file name of a workspace-relative path. */
export function basename(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** Joins and normalizes workspace-relative paths; never climbs above the root. */
export function joinPath(dir: string, relative: string): string {
  const parts = dir ? dir.split('/') : [];
  for (const part of relative.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') parts.pop();
    else parts.push(part);
  }
  return parts.join('/');
}

/**
 * A module source that sees one file through a given parse (the text being
 * analyzed, which may not be what the project holds yet) and the rest through the project.
 */
export function withOverride(base: ModuleSource, override: Module): ModuleSource {
  return {
    project: base.project,
    module: (path) => (path === override.path ? override : base.module(path)),
    text: (path) => (path === override.path ? override.text : base.text(path)),
    peek: (path) => (path === override.path ? override.text : base.peek(path)),
    resolveSpecifier: (from, specifier) => base.resolveSpecifier(from, specifier),
    wouldResolveTo: (from, specifier) => base.wouldResolveTo(from, specifier),
  };
}

/** Resolves names and expressions to their definitions across modules. */
export class Resolver {
  constructor(readonly source: ModuleSource) {}

  /** What an expression in `module` evaluates to, as far as it can be read statically. */
  expression(module: Module, expr: ts.Expression, depth = 0): Target | undefined {
    if (depth > MAX_RESOLVE_DEPTH) return undefined;
    const inner = unwrap(expr);
    if (ts.isArrowFunction(inner) || ts.isFunctionExpression(inner)) return { kind: 'function', module, node: inner };
    if (ts.isIdentifier(inner)) return this.identifier(module, inner, depth + 1);
    if (ts.isPropertyAccessExpression(inner)) return this.member(module, inner.expression, inner.name.text, depth + 1);
    if (ts.isElementAccessExpression(inner) && ts.isStringLiteralLike(inner.argumentExpression)) {
      return this.member(module, inner.expression, inner.argumentExpression.text, depth + 1);
    }
    return { kind: 'value', module, node: inner };
  }

  /** An identifier, through its binding in the module. */
  identifier(module: Module, identifier: ts.Identifier, depth = 0): Target | undefined {
    const bindings = module.scopes.resolveAll(identifier);
    // Scopes are function-level: of several same-named bindings, the last one declared before the use.
    const binding = bindings.filter((candidate) => candidate.declaration.end <= identifier.pos).at(-1) ?? bindings.at(-1);
    if (binding) return this.binding(module, binding.declaration, identifier.text, depth);
    // `import x = require('./x')` binds no scope entry
    const imported = module.imports.get(identifier.text);
    return imported ? this.imported(module, imported, depth + 1) : undefined;
  }

  /** A module-level name (what `export { name }` or `export default name` refers to). */
  topLevel(module: Module, name: string, depth = 0): Target | undefined {
    const bindings = module.scopes.lookup(module.sourceFile, name);
    const binding = bindings[bindings.length - 1];
    if (!binding) return undefined;
    return this.binding(module, binding.declaration, name, depth);
  }

  /** What `module` exports under `name` (`default` for the default export / `module.exports`). */
  exported(module: Module, name: string, depth = 0): Target | undefined {
    if (depth > MAX_RESOLVE_DEPTH) return undefined;
    const entry = module.exports.named.get(name);
    if (entry) {
      if (entry.kind === 'local') return this.topLevel(module, entry.name, depth + 1);
      if (entry.kind === 'node') {
        if (ts.isFunctionDeclaration(entry.node)) return { kind: 'function', module, node: entry.node };
        if (ts.isClassDeclaration(entry.node)) return undefined;
        return this.expression(module, entry.node, depth + 1);
      }
      return this.imported(module, { specifier: entry.specifier, name: entry.name }, depth + 1);
    }
    if (name === 'default') return undefined;
    for (const specifier of module.exports.star) {
      const path = this.source.resolveSpecifier(module.path, specifier);
      const target = path ? this.source.module(path) : undefined;
      const found = target ? this.exported(target, name, depth + 1) : undefined;
      if (found) return found;
    }
    return undefined;
  }

  /** The module a specifier in `module` names, if it is a project file. */
  moduleFor(module: Module, specifier: string): Module | undefined {
    const path = this.source.resolveSpecifier(module.path, specifier);
    return path ? this.source.module(path) : undefined;
  }

  private imported(module: Module, imported: ImportedName, depth: number): Target | undefined {
    const target = this.moduleFor(module, imported.specifier);
    if (!target) {
      if (imported.specifier.startsWith('.')) return undefined;
      return { kind: 'external', package: packageName(imported.specifier), name: imported.name };
    }
    if (imported.name === '*') return { kind: 'module', module: target };
    return this.exported(target, imported.name, depth + 1);
  }

  private binding(module: Module, declaration: ts.Node, name: string, depth: number): Target | undefined {
    if (depth > MAX_RESOLVE_DEPTH) return undefined;
    if (ts.isFunctionDeclaration(declaration)) return { kind: 'function', module, node: declaration };
    if (ts.isParameter(declaration)) return { kind: 'parameter', module, node: declaration };
    if (ts.isImportClause(declaration) || ts.isImportSpecifier(declaration) || ts.isNamespaceImport(declaration)) {
      const imported = module.imports.get(name);
      return imported ? this.imported(module, imported, depth + 1) : undefined;
    }
    if (ts.isVariableDeclaration(declaration)) {
      const imported = module.imports.get(name);
      if (imported) return this.imported(module, imported, depth + 1); // const x = require('./x')
      if (!declaration.initializer) return undefined;
      if (!ts.isIdentifier(declaration.name)) {
        // const { getOrder } = controllers
        const element = findBindingElement(declaration.name, name);
        const property = element ? (element.propertyName && ts.isIdentifier(element.propertyName) ? element.propertyName.text : name) : undefined;
        return property ? this.member(module, declaration.initializer, property, depth + 1) : undefined;
      }
      const init = unwrap(declaration.initializer);
      if (ts.isArrowFunction(init) || ts.isFunctionExpression(init)) return { kind: 'function', module, node: init };
      if (ts.isIdentifier(init) || ts.isPropertyAccessExpression(init)) return this.expression(module, init, depth + 1) ?? { kind: 'value', module, node: init, declaration };
      return { kind: 'value', module, node: init, declaration };
    }
    return undefined;
  }

  /** `object.name`: a namespace import's export, an object literal's property, a class instance's method. */
  private member(module: Module, object: ts.Expression, name: string, depth: number): Target | undefined {
    if (depth > MAX_RESOLVE_DEPTH) return undefined;
    const base = this.expression(module, object, depth + 1);
    if (!base) return undefined;
    if (base.kind === 'external') return { kind: 'external', package: base.package, name: `${base.name}.${name}` };
    if (base.kind === 'module') return this.exported(base.module, name, depth + 1);
    if (base.kind !== 'value') return undefined;
    const value = unwrap(base.node);
    if (ts.isObjectLiteralExpression(value)) {
      for (const property of value.properties) {
        if (!property.name || propertyNameText(property.name) !== name) continue;
        if (ts.isPropertyAssignment(property)) return this.expression(base.module, property.initializer, depth + 1);
        if (ts.isShorthandPropertyAssignment(property)) return this.identifier(base.module, property.name, depth + 1);
        if (ts.isMethodDeclaration(property)) return { kind: 'function', module: base.module, node: property };
      }
      return undefined;
    }
    if (ts.isNewExpression(value)) {
      // new OrdersController(): its methods (controller-style routes)
      const classNode = ts.isIdentifier(value.expression) ? this.classDeclaration(base.module, value.expression) : undefined;
      const method = classNode?.members.find((member) => member.name !== undefined && propertyNameText(member.name) === name);
      if (method && (ts.isMethodDeclaration(method) || (ts.isPropertyDeclaration(method) && method.initializer))) {
        if (ts.isMethodDeclaration(method)) return { kind: 'function', module: base.module, node: method };
        if (method.initializer) return this.expression(base.module, method.initializer, depth + 1);
      }
    }
    return undefined;
  }

  private classDeclaration(module: Module, identifier: ts.Identifier): ts.ClassDeclaration | undefined {
    const binding = module.scopes.resolve(identifier);
    return binding && ts.isClassDeclaration(binding.declaration) ? binding.declaration : undefined;
  }
}

function findBindingElement(pattern: ts.BindingPattern, name: string): ts.BindingElement | undefined {
  for (const element of pattern.elements) {
    if (ts.isOmittedExpression(element)) continue;
    if (ts.isIdentifier(element.name)) {
      if (element.name.text === name) return element;
    } else {
      const nested = findBindingElement(element.name, name);
      if (nested) return nested;
    }
  }
  return undefined;
}

export function propertyNameText(name: ts.PropertyName | ts.BindingName): string | undefined {
  if (ts.isIdentifier(name) || ts.isStringLiteralLike(name) || ts.isNumericLiteral(name) || ts.isPrivateIdentifier(name)) return name.text;
  return undefined;
}

function requireSpecifier(expr: ts.Expression | undefined): { specifier: string; member?: string } | undefined {
  if (!expr) return undefined;
  let current = unwrap(expr);
  let member: string | undefined;
  if (ts.isPropertyAccessExpression(current)) {
    member = current.name.text;
    current = unwrap(current.expression);
  }
  if (ts.isAwaitExpression(current)) current = unwrap(current.expression);
  if (!ts.isCallExpression(current)) return undefined;
  const isRequire = ts.isIdentifier(current.expression) && current.expression.text === 'require';
  const isImport = current.expression.kind === ts.SyntaxKind.ImportKeyword;
  const arg = current.arguments[0];
  if (!(isRequire || isImport) || !arg || !ts.isStringLiteralLike(arg)) return undefined;
  return member === undefined ? { specifier: arg.text } : { specifier: arg.text, member };
}

function collectImportedNames(sourceFile: ts.SourceFile): Map<string, ImportedName> {
  const names = new Map<string, ImportedName>();
  for (const statement of sourceFile.statements) {
    if (ts.isImportDeclaration(statement) && ts.isStringLiteral(statement.moduleSpecifier)) {
      const specifier = statement.moduleSpecifier.text;
      const clause = statement.importClause;
      if (clause?.name) names.set(clause.name.text, { specifier, name: 'default' });
      const named = clause?.namedBindings;
      if (named && ts.isNamespaceImport(named)) names.set(named.name.text, { specifier, name: '*' });
      if (named && ts.isNamedImports(named)) {
        for (const element of named.elements) names.set(element.name.text, { specifier, name: element.propertyName ? (propertyNameText(element.propertyName) ?? element.name.text) : element.name.text });
      }
    } else if (ts.isImportEqualsDeclaration(statement) && ts.isExternalModuleReference(statement.moduleReference)) {
      const expr = statement.moduleReference.expression;
      if (ts.isStringLiteral(expr)) names.set(statement.name.text, { specifier: expr.text, name: 'default' });
    } else if (ts.isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations) {
        const required = requireSpecifier(declaration.initializer);
        if (!required) continue;
        if (ts.isIdentifier(declaration.name)) {
          // `const auth = require('./auth')` is the whole module.exports object; `.member` picks one.
          names.set(declaration.name.text, { specifier: required.specifier, name: required.member ?? 'default' });
        } else if (ts.isObjectBindingPattern(declaration.name)) {
          for (const element of declaration.name.elements) {
            if (!ts.isIdentifier(element.name)) continue;
            const imported = element.propertyName ? propertyNameText(element.propertyName) : element.name.text;
            if (imported) names.set(element.name.text, { specifier: required.specifier, name: imported });
          }
        }
      }
    }
  }
  return names;
}

function hasModifier(node: ts.Node, kind: ts.SyntaxKind): boolean {
  return ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((modifier) => modifier.kind === kind);
}

function collectExports(sourceFile: ts.SourceFile): { named: Map<string, ExportEntry>; star: string[] } {
  const named = new Map<string, ExportEntry>();
  const star: string[] = [];
  const commonJs = (target: ts.Expression, value: ts.Expression): void => {
    // module.exports = x; module.exports.name = x; exports.name = x
    const left = unwrap(target);
    if (!ts.isPropertyAccessExpression(left)) return;
    const object = unwrap(left.expression);
    const isModuleExports = (expr: ts.Expression): boolean =>
      ts.isPropertyAccessExpression(expr) && ts.isIdentifier(expr.expression) && expr.expression.text === 'module' && expr.name.text === 'exports';
    if (isModuleExports(left)) {
      named.set('default', { kind: 'node', node: value });
      const literal = unwrap(value);
      if (ts.isObjectLiteralExpression(literal)) {
        for (const property of literal.properties) {
          const key = property.name ? propertyNameText(property.name) : undefined;
          if (!key) continue;
          if (ts.isPropertyAssignment(property)) named.set(key, { kind: 'node', node: property.initializer });
          else if (ts.isShorthandPropertyAssignment(property)) named.set(key, { kind: 'local', name: property.name.text });
        }
      }
    } else if (isModuleExports(object) || (ts.isIdentifier(object) && object.text === 'exports')) {
      named.set(left.name.text, { kind: 'node', node: value });
    }
  };

  for (const statement of sourceFile.statements) {
    if (ts.isFunctionDeclaration(statement) && hasModifier(statement, ts.SyntaxKind.ExportKeyword)) {
      if (hasModifier(statement, ts.SyntaxKind.DefaultKeyword)) named.set('default', { kind: 'node', node: statement });
      else if (statement.name) named.set(statement.name.text, { kind: 'node', node: statement });
    } else if (ts.isClassDeclaration(statement) && hasModifier(statement, ts.SyntaxKind.ExportKeyword)) {
      if (statement.name) named.set(hasModifier(statement, ts.SyntaxKind.DefaultKeyword) ? 'default' : statement.name.text, { kind: 'local', name: statement.name.text });
    } else if (ts.isVariableStatement(statement) && hasModifier(statement, ts.SyntaxKind.ExportKeyword)) {
      for (const declaration of statement.declarationList.declarations) {
        if (ts.isIdentifier(declaration.name)) named.set(declaration.name.text, { kind: 'local', name: declaration.name.text });
      }
    } else if (ts.isExportAssignment(statement)) {
      named.set('default', { kind: 'node', node: statement.expression });
    } else if (ts.isExportDeclaration(statement)) {
      const from = statement.moduleSpecifier && ts.isStringLiteral(statement.moduleSpecifier) ? statement.moduleSpecifier.text : undefined;
      const clause = statement.exportClause;
      if (!clause) {
        if (from) star.push(from);
      } else if (ts.isNamedExports(clause)) {
        for (const element of clause.elements) {
          const local = element.propertyName ? (propertyNameText(element.propertyName) ?? element.name.text) : element.name.text;
          const exported = element.name.text;
          named.set(exported, from ? { kind: 'reexport', specifier: from, name: local } : { kind: 'local', name: local });
        }
      }
    } else if (ts.isExpressionStatement(statement) && ts.isBinaryExpression(statement.expression) && statement.expression.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
      commonJs(statement.expression.left, statement.expression.right);
    }
  }
  return { named, star };
}

/**
 * The node spanning exactly [start, end) of the given kind test, found by descending
 * through the tree. Runs for every route on every keystroke, so a list of children
 * (a file's statements, a block's) is entered by binary search, not scanned.
 */
export function findNodeAt<T extends ts.Node>(root: ts.Node, start: number, end: number, test: (node: ts.Node) => node is T): T | undefined {
  let found: T | undefined;
  // Each callback returns true to stop: found, or past `start` (children are in source order and do not overlap).
  const visit = (node: ts.Node): void => {
    if (node.end === end && node.getStart() === start && test(node)) found = node; // `end` first: getStart() scans trivia
    else ts.forEachChild(node, visitChild, visitList);
  };
  const visitChild = (child: ts.Node): boolean => {
    if (child.pos > start) return true;
    if (child.end >= end) visit(child);
    return found !== undefined;
  };
  const visitList = (list: ts.NodeArray<ts.Node>): boolean => {
    let low = 0;
    let high = list.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((list[middle] as ts.Node).end < end) low = middle + 1;
      else high = middle;
    }
    for (let index = low; index < list.length; index++) if (visitChild(list[index] as ts.Node)) return true;
    return false;
  };
  visit(root);
  return found;
}
