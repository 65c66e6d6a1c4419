// Which database library runs a raw-SQL call: what a fix that writes placeholders and
// passes values must know for certain. First where the receiver comes from: `const
// pool = new Pool()` in this file, or the module it is imported from (`import {
// sequelize } from './db'`, followed through imports and re-exports to the initializer
// there), a parameter's type (`client: PoolClient`), a connection taken from a pool
// (`await pool.getConnection()`). Only when that is unknown: the file's imports, then
// a distinctive method, then the project's dependencies, each narrowed to the libraries
// the call itself agrees with (the placeholders in its SQL, the shape of its values
// argument). When two or more libraries remain, the driver is left undecided: nothing
// here guesses. The other files read on the way are recorded by the resolver's module
// source (FileFacts gives it the file's DependencyRecorder), so the file is analyzed
// again when the module that creates the receiver changes.
// A sink's driver is kept across edits while the facts hand out the same sink (its
// function, the functions around it and the file's context token unchanged, which
// covers every declaration in this file the lookup can reach: dbFacts.ts,
// editContext.ts), the project's dependencies are the same and every other file the
// lookup read still has the text it read: typing then costs no lookup at all.
import { ts } from '../ts';
import { keepingFactsAcrossEdits } from './editCaching';
import type { ImportFacts } from './imports';
import { type Module, type ModuleSource, Resolver, type Target } from './modules';
import { type Dependencies, type DependsOnModules, isCurrent, trackingSource } from './routeSources';
import { unwrap } from './scopes';
import { type SqlLibrary, type SqlSinkModel, UNMODELLED_SQL_CLIENTS, libraryOfPackage } from './sqlSinkModels';
import { type SqlSink, staticText } from './sqlSinks';

export interface SqlDriver {
  /** The model of the library that runs the call; undefined when that is not known for certain, or the library has no model of this call. */
  model: SqlSinkModel | undefined;
  /** The library that runs the call, when known (also when its model does not cover the call, like Drizzle's `db.execute`). */
  library: SqlLibrary | undefined;
  /** The package the receiver was created from, when it was traced (`@neondatabase/serverless`). */
  package?: string;
  /** How the library was told. */
  by: 'receiver' | 'import' | 'distinctive' | 'dependency' | undefined;
  /** When the library is not known for certain: the libraries that could run the call (for messages). */
  possible: readonly SqlLibrary[];
}

type PlaceholderStyle = 'dollar' | 'question';

/** What a receiver was traced to: a modelled library, or an SQL client no model covers (`library` undefined). */
interface Origin {
  library: SqlLibrary | undefined;
  package: string;
}

/** How far a receiver is followed through variables, calls and modules. */
const MAX_DEPTH = 12;
const NOTHING: SqlDriver = Object.freeze({ model: undefined, library: undefined, by: undefined, possible: [] });
/** Words after which a `?` stands for a value (elsewhere it may be Postgres's jsonb `?` operator). */
const BEFORE_VALUE = new Set(['LIKE', 'ILIKE', 'IN', 'LIMIT', 'OFFSET', 'BETWEEN', 'AND', 'OR', 'NOT', 'THEN', 'ELSE', 'WHEN', 'VALUES', 'SELECT', 'RETURN']);
/** Marks a spliced value in the scanned text. */
const SPLICE = '\u00a7';

/** Per sink: its driver, with what the lookup read outside the sink's file (`deps`). */
const kept = new WeakMap<SqlSink, DependsOnModules & { driver: SqlDriver; dependencies: ReadonlySet<string> }>();

/** The drivers of one file's SQL sinks, resolved once per sink. */
export class SqlDrivers {
  private readonly resolved = new Map<SqlSink, SqlDriver>();
  /** Per declaration a name resolves to (`pool` in a file of queries is one binding, asked once), with what resolving it read. */
  private readonly byDeclaration = new Map<ts.Node, { origin: Origin | undefined; reads: Dependencies }>();
  private readonly resolver: Resolver;
  /** Where the lookup under way records the other files it reads. */
  private reads: Dependencies | undefined;

  constructor(
    /** The file being analyzed. */
    private readonly module: Module,
    /** The project as this analysis sees it (this file's text included). */
    private readonly source: ModuleSource,
    /** Tells the file's dependencies about another file read. */
    private readonly recordRead: (path: string) => void,
    private readonly imports: ImportFacts,
    private readonly dependencies: ReadonlySet<string>,
  ) {
    this.resolver = new Resolver(
      trackingSource(source, (path, text) => {
        recordRead(path);
        if (path !== module.path) this.reads?.set(path, text);
      }),
    );
  }

  of(sink: SqlSink): SqlDriver {
    let driver = this.resolved.get(sink);
    if (!driver) this.resolved.set(sink, (driver = this.keptOrResolved(sink)));
    return driver;
  }

  private keptOrResolved(sink: SqlSink): SqlDriver {
    if (!keepingFactsAcrossEdits()) return this.resolve(sink);
    const previous = kept.get(sink);
    if (previous && previous.dependencies === this.dependencies && isCurrent(previous, this.source)) {
      for (const path of previous.deps.keys()) this.recordRead(path);
      return previous.driver;
    }
    const reads: Dependencies = new Map();
    this.reads = reads;
    try {
      const driver = this.resolve(sink);
      kept.set(sink, { driver, dependencies: this.dependencies, deps: reads });
      return driver;
    } finally {
      this.reads = undefined;
    }
  }

  private resolve(sink: SqlSink): SqlDriver {
    if (sink.method === 'rpc') return NOTHING;
    const callee = unwrap(sink.call.expression);
    const origin = ts.isPropertyAccessExpression(callee) ? this.originOf(this.module, callee.expression, 0) : undefined;
    if (origin) {
      const model = origin.library === undefined ? undefined : sink.candidates.find((candidate) => candidate.library === origin.library);
      return { model, library: origin.library, package: origin.package, by: 'receiver', possible: [] };
    }
    return fallback(sink, this.imports, this.dependencies);
  }

  /** What an expression evaluates to, traced to the package whose constructor or factory made it. */
  private originOf(module: Module, expression: ts.Expression, depth: number): Origin | undefined {
    if (depth > MAX_DEPTH) return undefined;
    let inner = unwrap(expression);
    while (ts.isAwaitExpression(inner)) inner = unwrap(inner.expression);
    if (ts.isIdentifier(inner)) {
      const declaration = declarationOf(module, inner);
      const known = declaration && this.byDeclaration.get(declaration);
      if (known) {
        for (const [path, text] of known.reads) this.reads?.set(path, text);
        return known.origin;
      }
      // What resolving this name reads is remembered with it, for every sink that names it later.
      const outer = this.reads;
      const reads: Dependencies = new Map();
      this.reads = reads;
      let origin: Origin | undefined;
      try {
        const target = this.resolver.identifier(module, inner);
        origin = target && this.originOfTarget(target, depth + 1);
      } finally {
        this.reads = outer;
      }
      for (const [path, text] of reads) outer?.set(path, text);
      if (declaration) this.byDeclaration.set(declaration, { origin, reads });
      return origin;
    }
    if (ts.isPropertyAccessExpression(inner) || ts.isElementAccessExpression(inner)) {
      const target = this.resolver.expression(module, inner);
      return target && this.originOfTarget(target, depth + 1);
    }
    if (ts.isCallExpression(inner) || ts.isNewExpression(inner)) {
      // `new Pool()`, `mysql.createPool(…).promise()`, `pool.connect()`, `drizzle(pool)`: what the chain starts from
      const root = chainRoot(inner.expression);
      return root && this.originOf(module, root, depth + 1);
    }
    if (ts.isBinaryExpression(inner) && (inner.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken || inner.operatorToken.kind === ts.SyntaxKind.BarBarToken)) {
      // `globalThis.prisma ?? new PrismaClient()`
      return agreed([this.originOf(module, inner.left, depth + 1), this.originOf(module, inner.right, depth + 1)]);
    }
    if (ts.isConditionalExpression(inner)) return agreed([this.originOf(module, inner.whenTrue, depth + 1), this.originOf(module, inner.whenFalse, depth + 1)]);
    return undefined;
  }

  private originOfTarget(target: Target, depth: number): Origin | undefined {
    switch (target.kind) {
      case 'external':
        return originOfPackage(target.package);
      case 'value': {
        const origin = this.originOf(target.module, target.node, depth);
        const type = target.declaration?.type;
        return origin ?? (type ? this.originOfType(target.module, type, depth) : undefined);
      }
      case 'parameter':
        return target.node.type ? this.originOfType(target.module, target.node.type, depth) : undefined;
      default:
        return undefined;
    }
  }

  /** `Pool`, `mysql.Connection`, `Knex.Transaction`, `Pool | PoolClient`: the package the type is imported from. */
  private originOfType(module: Module, type: ts.TypeNode, depth: number): Origin | undefined {
    if (depth > MAX_DEPTH) return undefined;
    if (ts.isUnionTypeNode(type)) {
      const members = type.types.filter((member) => member.kind !== ts.SyntaxKind.UndefinedKeyword && !(ts.isLiteralTypeNode(member) && member.literal.kind === ts.SyntaxKind.NullKeyword));
      const origins = members.map((member) => this.originOfType(module, member, depth + 1));
      return origins.every((origin) => origin !== undefined) ? agreed(origins) : undefined;
    }
    if (!ts.isTypeReferenceNode(type)) return undefined;
    let name: ts.EntityName = type.typeName;
    while (ts.isQualifiedName(name)) name = name.left;
    const target = this.resolver.identifier(module, name);
    return target?.kind === 'external' ? originOfPackage(target.package) : undefined;
  }
}

/** The declaration `Resolver.identifier` resolves a name through: of same-named bindings, the last one declared before the use. */
function declarationOf(module: Module, identifier: ts.Identifier): ts.Node | undefined {
  const bindings = module.scopes.resolveAll(identifier);
  return (bindings.filter((candidate) => candidate.declaration.end <= identifier.pos).at(-1) ?? bindings.at(-1))?.declaration;
}

function originOfPackage(pkg: string): Origin | undefined {
  const library = libraryOfPackage(pkg);
  if (library) return { library, package: pkg };
  return UNMODELLED_SQL_CLIENTS.includes(pkg) ? { library: undefined, package: pkg } : undefined;
}

/** The origin the known ones agree on (at least one known); undefined when they disagree. */
function agreed(origins: readonly (Origin | undefined)[]): Origin | undefined {
  const known = origins.filter((origin): origin is Origin => origin !== undefined);
  const first = known[0];
  return first && known.every((origin) => origin.library === first.library && (origin.library !== undefined || origin.package === first.package)) ? first : undefined;
}

/** The identifier a call chain starts from: `mysql` of `mysql.createPool(…).promise`, `Pool` of `new Pool`. */
function chainRoot(expression: ts.Expression): ts.Identifier | undefined {
  let current = unwrap(expression);
  for (;;) {
    if (ts.isIdentifier(current)) return current;
    if (ts.isPropertyAccessExpression(current) || ts.isElementAccessExpression(current) || ts.isCallExpression(current)) current = unwrap(current.expression);
    else if (ts.isAwaitExpression(current)) current = unwrap(current.expression);
    else return undefined;
  }
}

/**
 * The receiver's origin is unknown: the libraries the file imports, else those the call
 * names by a distinctive method, else those the project depends on, each narrowed to the
 * ones the call itself agrees with (its placeholders and values argument). Decided only
 * when exactly one library is left.
 */
function fallback(sink: SqlSink, imports: ImportFacts, dependencies: ReadonlySet<string>): SqlDriver {
  const { candidates } = sink;
  const styles = placeholderStyles(sink);
  const values = valuesShape(sink);
  const fits = (model: SqlSinkModel): boolean => fitsPlaceholders(model, styles) && fitsValues(model, values);
  const evidence: [NonNullable<SqlDriver['by']>, SqlSinkModel[]][] = [
    ['import', candidates.filter((model) => model.packages.some((pkg) => imports.packages.has(pkg)))],
    ['distinctive', candidates.filter((model) => model.distinctive)],
    ['dependency', candidates.filter((model) => model.packages.some((pkg) => dependencies.has(pkg)))],
  ];
  const named = new Set<SqlLibrary>();
  for (const [by, models] of evidence) {
    for (const model of models) named.add(model.library);
    const fitting = models.filter(fits);
    const libraries = distinct(fitting.map((model) => model.library));
    if (libraries.length === 1) return { model: fitting[0], library: libraries[0], by, possible: [] };
    if (libraries.length > 1) return { model: undefined, library: undefined, by: undefined, possible: libraries };
    // None of them agrees with the call (or none is named): the next kind of evidence may.
  }
  return named.size === 0 ? NOTHING : { model: undefined, library: undefined, by: undefined, possible: [...named] };
}

function distinct<T>(items: readonly T[]): T[] {
  return [...new Set(items)];
}

function fitsPlaceholders(model: SqlSinkModel, styles: ReadonlySet<PlaceholderStyle>): boolean {
  for (const style of styles) if (style !== model.placeholder && !model.otherPlaceholders?.includes(style)) return false;
  return true;
}

/** An array of values where a library takes an options object, or the reverse, rules it out. */
function fitsValues(model: SqlSinkModel, shape: 'array' | 'object' | undefined): boolean {
  if (model.binding === 'values-array') return shape !== 'object';
  if (model.binding === 'options-replacements') return shape !== 'array';
  return true;
}

function valuesShape(sink: SqlSink): 'array' | 'object' | undefined {
  const index = sink.call.arguments.indexOf(sink.argument);
  const values = index === -1 ? undefined : sink.call.arguments[index + 1];
  const inner = values && unwrap(values);
  if (!inner) return undefined;
  if (ts.isArrayLiteralExpression(inner)) return 'array';
  return ts.isObjectLiteralExpression(inner) ? 'object' : undefined;
}

/** The placeholder styles the SQL already uses, outside string literals, quoted names and comments. */
export function placeholderStyles(sink: SqlSink): Set<PlaceholderStyle> {
  const texts = [sink.splice, ...sink.appendedSplices].map((splice, index) => {
    const part = index === 0 ? sink.built : sink.appended[index - 1];
    if (!splice) return part ? staticText(part) : '';
    return splice.pieces.map((piece) => (piece.kind === 'text' ? piece.text : SPLICE)).join('');
  });
  const styles = new Set<PlaceholderStyle>();
  for (const text of texts) scanPlaceholders(text, styles);
  return styles;
}

function scanPlaceholders(text: string, styles: Set<PlaceholderStyle>): void {
  let code = '';
  for (let i = 0; i < text.length; i++) {
    const char = text[i] as string;
    const next = text[i + 1];
    if (char === "'" || char === '"' || char === '`') {
      const close = text.indexOf(char, i + 1);
      if (close === -1) return;
      code += 'x';
      i = close;
      continue;
    }
    if (char === '-' && next === '-') {
      const end = text.indexOf('\n', i);
      if (end === -1) return;
      i = end;
      continue;
    }
    if (char === '/' && next === '*') {
      const end = text.indexOf('*/', i + 2);
      if (end === -1) return;
      i = end + 1;
      continue;
    }
    if (char === '$' && next !== undefined && /\d/.test(next)) styles.add('dollar');
    if (char === '?') {
      const before = code.trimEnd();
      const word = /([A-Za-z_]+)$/.exec(before)?.[1]?.toUpperCase();
      if (/[=<>(,]$/.test(before) || (word !== undefined && BEFORE_VALUE.has(word))) styles.add('question');
      if (next === '?') i++; // `??`: an identifier placeholder, one slot
    }
    code += char;
  }
}
