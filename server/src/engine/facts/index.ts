// Facts about one parsed file, derived lazily and cached for the file's lifetime
// (a new text means a new FileFacts). Rules read these instead of walking the AST.
import { ts } from '../ts';
import type { FileDependencies, ParsedFile, ProjectView } from '../types';
import type { DbCall } from './appModel';
import { type CalledFunction, CalledFunctions } from './calledFunctions';
import { gatherCalls } from './calls';
import { DependencyRecorder } from './dependencies';
import { type DbFacts, findDbFacts } from './dbFacts';
import { DataFlow } from './flow';
import { perContext } from './editContext';
import { collectImports, type ImportFacts } from './imports';
import type { RouteHandler } from './appModel';
import { AnalyzedModule, collectRoutes } from './routes';
import { type ModuleSource, ProjectModules, Resolver, withOverride } from './modules';
import { trackingSource } from './routeSources';
import { type SqlDriver, SqlDrivers } from './sqlDrivers';
import type { PrismaSchemaFile } from './prismaSchema';
import { prismaSchemaOf, sqlMigrationOf } from './schema';
import type { SqlMigrationFile } from './sqlMigrations';
import type { SqlSink } from './sqlSinks';
import type { JudgedLiteral, LiteralJudgement } from './strings';

export type { SqlSink } from './sqlSinks';
export type { SqlDriver } from './sqlDrivers';
export type { DbCall, DbCondition, SchemaFacts, SchemaModel } from './appModel';
export type { PrismaSchemaFile } from './prismaSchema';
export type { SqlMigrationFile } from './sqlMigrations';
export type { DataFlow } from './flow';
export type { CalledFunction } from './calledFunctions';
export type { CallArgument, JudgedLiteral, LiteralInContext, ObjectContainer, Replaceability, StringLiteralFact, StringSegment } from './strings';
export { LiteralJudgement } from './strings';

interface ModuleView {
  current: AnalyzedModule;
  /** The project's modules with this file's text standing for its path. */
  base: ModuleSource;
  resolver: Resolver;
}

// Next.js app-router files whose exported handlers receive URL params: app/…/route.ts, page.tsx, layout.tsx.
const APP_ROUTER_FILE = /(^|\/)app\/(.+\/)?(route|page|layout)\.(t|j)sx?$/;

/** Imports are top-level statements: kept while an edit keeps the file's context (editContext.ts). */
const keptImports = perContext(collectImports);

export class FileFacts {
  private importsCache?: ImportFacts;
  private flowCache?: DataFlow;
  private callsCache?: ts.CallExpression[];
  private dbFactsCache?: DbFacts;
  private prismaSchemaCache?: PrismaSchemaFile;
  private sqlMigrationCache?: SqlMigrationFile;
  private routesCache?: RouteHandler[];
  private modulesCache?: ModuleView;
  private sqlDriversCache?: SqlDrivers;
  private calledCache?: CalledFunctions;
  private readonly recorder: DependencyRecorder;

  constructor(
    private readonly file: ParsedFile,
    private readonly project: ProjectView,
  ) {
    this.recorder = new DependencyRecorder(file.path);
  }

  /** The other files the facts derived so far read (the route graph, imported middleware and helpers). */
  get dependencies(): FileDependencies {
    return this.recorder.dependencies;
  }

  private get sourceFile(): ts.SourceFile {
    if (!this.file.sourceFile) throw new Error(`facts asked of a non-code file: ${this.file.path}`);
    return this.file.sourceFile;
  }

  get imports(): ImportFacts {
    return (this.importsCache ??= keptImports(this.sourceFile));
  }

  /** Taint and constness of expressions in this file. */
  get flow(): DataFlow {
    return (this.flowCache ??= new DataFlow(this.sourceFile, APP_ROUTER_FILE.test(this.file.path), this.imports.useServerFile));
  }

  /** Every call expression in the file, in source order (one walk shared by all facts). */
  get calls(): readonly ts.CallExpression[] {
    if (!this.callsCache) {
      const calls: ts.CallExpression[] = [];
      ts.forEachChild(this.sourceFile, (child) => gatherCalls(child, calls));
      this.callsCache = calls;
    }
    return this.callsCache;
  }

  /** Calls that pass raw SQL text to a database library. */
  get sqlSinks(): readonly SqlSink[] {
    return this.dbFacts.sqlSinks;
  }

  /**
   * The library that runs a SQL sink, as far as it is known for certain: where the
   * receiver is created (here or in the module it is imported from, which then counts
   * among this file's dependencies), else what the call, the imports and the project
   * say when they name exactly one library (sqlDrivers.ts).
   */
  sqlDriver(sink: SqlSink): SqlDriver {
    if (!this.sqlDriversCache) {
      const { current, base } = this.modules;
      this.sqlDriversCache = new SqlDrivers(current, base, (path) => this.recorder.read(path), this.imports, this.project.dependencies);
    }
    return this.sqlDriversCache.of(sink);
  }

  /** This file as a module, the project as this analysis sees it, and a resolver over it that records the other files it reads as this file's dependencies. */
  private get modules(): ModuleView {
    if (!this.modulesCache) {
      const current = new AnalyzedModule(this.file.path, this.file.text, this.sourceFile, this.flow.scopes);
      const base = withOverride(ProjectModules.of(this.project), current);
      this.modulesCache = { current, base, resolver: new Resolver(trackingSource(base, (path) => this.recorder.read(path))) };
    }
    return this.modulesCache;
  }

  /** Database calls of every supported library: model, operation, filter, limit/offset, loop. */
  get dbCalls(): readonly DbCall[] {
    return this.dbFacts.dbCalls;
  }

  /** Both, found function by function (dbFacts.ts): a DB call that runs raw SQL points at its sink. */
  private get dbFacts(): DbFacts {
    return (this.dbFactsCache ??= findDbFacts(this.sourceFile, this.imports, this.project.dependencies));
  }

  /** This file read as schema.prisma (for rules that report in it; the project-wide view is `project.schema`). */
  get prismaSchema(): PrismaSchemaFile {
    if (this.file.kind !== 'prisma') throw new Error(`prismaSchema asked of a ${this.file.kind} file: ${this.file.path}`);
    return (this.prismaSchemaCache ??= prismaSchemaOf(this.file.path, this.file.text));
  }

  /** This file read as SQL DDL (CREATE TABLE / INDEX, ALTER TABLE). */
  get sqlMigration(): SqlMigrationFile {
    if (this.file.kind !== 'sql') throw new Error(`sqlMigration asked of a ${this.file.kind} file: ${this.file.path}`);
    return (this.sqlMigrationCache ??= sqlMigrationOf(this.file.path, this.file.text));
  }

  /** String values in code that `judgement` found something in (judged by what names them: variable, property, key, call argument, enclosing object). */
  judgedStrings<T>(judgement: LiteralJudgement<T>): readonly JudgedLiteral<T>[] {
    return judgement.judged(this.sourceFile);
  }

  /**
   * Route handlers defined in this file, wherever they are registered: method, full
   * path (routers mounted across files composed), middleware chain and auth context.
   */
  get routes(): readonly RouteHandler[] {
    return (this.routesCache ??= collectRoutes(this.file, this.sourceFile, this.project, this.flow.scopes, this.recorder));
  }

  /**
   * The project function a call calls (in this file or a module it imports), with the DB
   * calls of its module: for reading what a helper does. Other files read are recorded
   * as this file's dependencies.
   */
  calledFunction(call: ts.CallExpression): CalledFunction | undefined {
    const { current, resolver } = this.modules;
    this.calledCache ??= new CalledFunctions(current, resolver, this.project, () => this.dbCalls);
    return this.calledCache.of(call);
  }
}
