// The project function a call in a file calls: in the same file, or in a module it
// imports (followed through re-exports and aliases, modules.ts). Rules read a helper's
// body this way (`await assertOwner(user, id)`: what does it check?) without resolving
// modules themselves; every other file read is recorded, so a change to the helper
// re-analyzes the caller.
import { ts } from '../ts';
import type { DbCall } from './appModel';
import { findDbFacts } from './dbFacts';
import { collectImports } from './imports';
import type { Module, Resolver } from './modules';
import type { Scopes } from './scopes';
import type { ProjectView } from '../types';

export interface CalledFunction {
  /** The function's node, in `path`'s tree. */
  fn: ts.FunctionLikeDeclaration;
  /** The workspace path of the module that defines it (the analyzed file's own path for a local function). */
  path: string;
  /** The DB calls of that module (source order), for reading what the function queries. */
  dbCalls: readonly DbCall[];
  /** Name bindings of that module. */
  scopes: Scopes;
}

/** Per module of another file: its DB calls, found under the project dependencies they were found with. */
const foreignDbCalls = new WeakMap<Module, { dependencies: ReadonlySet<string>; calls: readonly DbCall[] }>();

export class CalledFunctions {
  /**
   * `current`: the analyzed file as a module; `resolver`: over a source that records
   * the other files it reads as the file's dependencies (FileFacts shares one).
   */
  constructor(
    private readonly current: Module,
    private readonly resolver: Resolver,
    private readonly project: ProjectView,
    private readonly ownDbCalls: () => readonly DbCall[],
  ) {}

  /** What `call` calls, when that is a project function with a body. */
  of(call: ts.CallExpression): CalledFunction | undefined {
    const target = this.resolver.expression(this.current, call.expression);
    if (target?.kind !== 'function' || !target.node.body) return undefined;
    const module = target.module;
    if (module === this.current) return { fn: target.node, path: module.path, dbCalls: this.ownDbCalls(), scopes: module.scopes };
    return { fn: target.node, path: module.path, dbCalls: this.dbCallsOf(module), scopes: module.scopes };
  }

  private dbCallsOf(module: Module): readonly DbCall[] {
    const dependencies = this.project.dependencies;
    const cached = foreignDbCalls.get(module);
    if (cached && cached.dependencies === dependencies) return cached.calls;
    const calls = findDbFacts(module.sourceFile, collectImports(module.sourceFile), dependencies).dbCalls;
    foreignDbCalls.set(module, { dependencies, calls });
    return calls;
  }
}
