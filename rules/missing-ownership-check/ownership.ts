// What "checked for ownership" looks like in a handler: the query is scoped by the
// owner field (or by the signed-in user's id), an earlier owner-scoped lookup of the
// same record ended the request when it found nothing, or a later guard compares
// the record's owner with the user (or hands both to an authorization helper).
import { ts } from '../../server/src/engine/ts';
import type { AuthContext, DbCall, DbCondition, RouteHandler, SchemaModel } from '../../server/src/engine/facts/appModel';
import type { CalledFunction } from '../../server/src/engine/facts/calledFunctions';
import type { DataFlow } from '../../server/src/engine/facts/flow';
import { REJECTING_CALLS } from '../../server/src/engine/facts/authModels';
import { SANITIZING_FUNCTIONS } from '../../server/src/engine/facts/requestInputModels';
import { unwrap } from '../../server/src/engine/facts/scopes';

/** Operations on one record, and how each is said in a message. */
export const SINGLE_RECORD_VERBS: Readonly<Partial<Record<DbCall['operation'], string>>> = { 'read-one': 'reads', update: 'updates', delete: 'deletes' };

/** Update/delete filters that pick one record: the id-like field names. */
const ID_LIKE_FIELD = /^(?:id|_id|uuid|slug|key|[a-z][A-Za-z]*Id|[a-z]+_id)$/;

/** Filters that make a read public on purpose (`published: true`, `visibility: 'public'`). */
const PUBLIC_VISIBILITY_FIELDS = /^(?:published|isPublished|is_published|public|isPublic|is_public|visibility|shared|isShared|listed)$/;

/** Models owned by a person (the signed-in user can be compared with the owner field). */
const USER_OWNER_MODELS = /^(?:user|account|profile|member|customer|person|author)s?$/i;
const USER_OWNER_FIELD = /^(?:user|owner|author|creator|created_?by|account|profile|member|customer)(?:_?id)?$/i;

/** Calls that authorize access to a record: `assertOwner(order, user)`, `canEdit(user, post)`, `ability.can('read', post)`. */
const AUTHORIZATION_HELPER = /^(?:(?:assert|ensure|check|verify|require|validate|is|has)_?[A-Z]?\w*?(?:Own|Access|Permission|Allowed|Authori[sz]|Member)|can(?:[A-Z_]|$)|authori[sz]e|owns|isOwner)/;

const COMPARISONS = new Set([ts.SyntaxKind.EqualsEqualsEqualsToken, ts.SyntaxKind.ExclamationEqualsEqualsToken, ts.SyntaxKind.EqualsEqualsToken, ts.SyntaxKind.ExclamationEqualsToken]);

/** Whether the owner field relates records to a person, so the signed-in user's id is the right thing to compare. */
export function isUserOwned(model: SchemaModel): boolean {
  if (model.ownerModel) return USER_OWNER_MODELS.test(model.ownerModel);
  return model.ownerField !== undefined && USER_OWNER_FIELD.test(model.ownerField);
}

/**
 * Every name the owner goes by: the field, its column, and the relation field that uses it (`user` for `userId`).
 * A column from SQL migrations also goes by its camelCase name: Drizzle (`userId: integer('user_id')`),
 * Sequelize (`underscored: true`) and TypeORM entities expose `user_id` as `userId`.
 */
export function ownerNames(model: SchemaModel): Set<string> {
  const names = new Set<string>();
  if (!model.ownerField) return names;
  names.add(model.ownerField);
  if (model.origin === 'sql') names.add(camelCase(model.ownerField));
  for (const field of model.fieldDetails ?? []) {
    if (field.name === model.ownerField && field.column) names.add(field.column);
    if (field.relation?.fields.includes(model.ownerField)) names.add(field.name);
  }
  return names;
}

/** `user_id` -> `userId`. */
function camelCase(name: string): string {
  return name.replace(/_([a-z0-9])/g, (_match, letter: string) => letter.toUpperCase());
}

/** The column an owner field is stored in (`user_id` for Prisma's `userId @map("user_id")`). */
export function ownerColumn(model: SchemaModel): string | undefined {
  if (!model.ownerField) return undefined;
  const detail = (model.fieldDetails ?? []).find((field) => field.name === model.ownerField);
  return detail?.column ?? model.ownerField;
}

/**
 * Whether a value comes from the request, through conversions that keep it
 * attacker-chosen (`Number(req.params.id)` is still whichever id the caller asked for).
 */
export function isRequestSupplied(flow: DataFlow, expr: ts.Expression, depth = 0): boolean {
  if (depth > 6) return false;
  if (flow.isTainted(expr)) return true;
  const inner = unwrap(expr);
  if (ts.isCallExpression(inner)) {
    const callee = unwrap(inner.expression);
    const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : '';
    if (SANITIZING_FUNCTIONS.has(name)) return inner.arguments.some((arg) => isRequestSupplied(flow, arg, depth + 1));
    return false;
  }
  if (ts.isPrefixUnaryExpression(inner) && inner.operator === ts.SyntaxKind.PlusToken) return isRequestSupplied(flow, inner.operand, depth + 1);
  if (ts.isNewExpression(inner)) return (inner.arguments ?? []).some((arg) => isRequestSupplied(flow, arg, depth + 1));
  if (ts.isIdentifier(inner)) {
    return flow.scopes.resolveAll(inner).some((binding) => binding.kind === 'variable' && binding.initializer !== undefined && !binding.destructured && isRequestSupplied(flow, binding.initializer, depth + 1));
  }
  return false;
}

/** Conversions that keep a value's identity: `{ id: Number(params.id) }` is still an equality on `id`. */
const CONVERSIONS = new Set(['Number', 'String', 'BigInt', 'parseInt']);

/**
 * A condition as an equality with its value. The DB-call facts read a capitalized call
 * (`Number(x)`) as a TypeORM find operator and keep no value; a conversion is an equality.
 */
function asEquality(condition: DbCondition): DbCondition | undefined {
  if (condition.equality && condition.value !== undefined) return condition;
  const property = condition.node.parent;
  if (!property || !ts.isPropertyAssignment(property) || property.name !== condition.node) return undefined;
  const value = unwrap(property.initializer);
  if (ts.isCallExpression(value) && ts.isIdentifier(value.expression) && CONVERSIONS.has(value.expression.text)) return { ...condition, equality: true, value: property.initializer };
  return undefined;
}

/** The condition that picks the record by a request-supplied value, if any. */
export function requestSuppliedId(call: DbCall, model: SchemaModel, flow: DataFlow): DbCondition | undefined {
  const owners = ownerNames(model);
  for (const candidate of call.conditions ?? []) {
    const condition = asEquality(candidate);
    if (!condition?.value || owners.has(condition.field)) continue;
    if (call.operation !== 'read-one' && !ID_LIKE_FIELD.test(condition.field)) continue;
    if (isRequestSupplied(flow, condition.value)) return condition;
  }
  return undefined;
}

/** Whether the query is a deliberately public read (`where: { id, published: true }`). */
export function isPublicRead(call: DbCall): boolean {
  return call.operation === 'read-one' && (call.conditions ?? []).some((condition) => PUBLIC_VISIBILITY_FIELDS.test(condition.field));
}

/** Normalized text for comparing expressions: no whitespace, no optional chaining, no non-null assertions. */
function normalized(text: string): string {
  return text.replace(/\s+/g, '').replace(/\?\./g, '.').replace(/!(?=[.)\]])/g, '');
}

/** Whether an expression names the signed-in user's id (directly, or through a variable holding it). */
export function mentionsUser(node: ts.Node, auth: AuthContext, flow: DataFlow, depth = 0): boolean {
  const target = normalized(auth.userIdExpression);
  const holder = target.includes('.') ? target.slice(0, target.lastIndexOf('.')) : undefined;
  let found = false;
  const visit = (current: ts.Node): void => {
    if (found) return;
    if (ts.isExpression(current) && !ts.isObjectLiteralExpression(current)) {
      const text = normalized(current.getText());
      if (text === target || (holder !== undefined && text === holder && ts.isPropertyAccessExpression(current.parent) === false)) {
        found = true;
        return;
      }
      if (ts.isIdentifier(current) && depth < 3) {
        const bindings = flow.scopes.resolveAll(current);
        if (bindings.some((binding) => binding.kind === 'variable' && binding.initializer !== undefined && !binding.destructured && mentionsUser(binding.initializer, auth, flow, depth + 1))) {
          found = true;
          return;
        }
      }
    }
    ts.forEachChild(current, visit);
  };
  visit(node);
  return found;
}

/**
 * Tenant columns: a multi-tenant app scopes records to the signed-in user's
 * organization, and that is its access control even when the model also records
 * which user created the row.
 */
const TENANT_FIELD = /^(?:org|organization|organisation|tenant|workspace|team|account|company)_?id$/i;

/** Whether the filter constrains the owner: by the owner field or relation, by the user's id anywhere in it, or by the user's tenant. */
export function isOwnerScoped(call: DbCall, model: SchemaModel, auth: AuthContext, flow: DataFlow): boolean {
  const owners = ownerNames(model);
  if ((call.conditions ?? []).some((condition) => owners.has(condition.field))) return true;
  if (call.filter && mentionsUser(call.filter, auth, flow)) return true;
  return (call.conditions ?? []).some((condition) => condition.equality && TENANT_FIELD.test(condition.field) && condition.value !== undefined && readsUserRecord(condition.value, auth));
}

/** `req.user.organizationId`, `session.user.orgId`: a property of the signed-in user's own record. */
function readsUserRecord(value: ts.Expression, auth: AuthContext): boolean {
  const target = normalized(auth.userIdExpression);
  const holder = target.includes('.') ? target.slice(0, target.lastIndexOf('.')) : undefined;
  return holder !== undefined && normalized(value.getText()).startsWith(`${holder}.`);
}

/** Names a query's result is bound to: `const order = …`, `const { data: order } = …`, `const [row] = …`. */
export function resultNames(call: ts.CallExpression): { names: Set<string>; declaration?: ts.VariableDeclaration } {
  let node: ts.Node = call;
  while (node.parent && (ts.isAwaitExpression(node.parent) || ts.isParenthesizedExpression(node.parent) || ts.isAsExpression(node.parent) || ts.isNonNullExpression(node.parent))) node = node.parent;
  const parent = node.parent;
  const names = new Set<string>();
  if (parent && ts.isVariableDeclaration(parent) && parent.initializer === node) {
    const collect = (name: ts.BindingName): void => {
      if (ts.isIdentifier(name)) names.add(name.text);
      else for (const element of name.elements) if (!ts.isOmittedExpression(element)) collect(element.name);
    };
    collect(parent.name);
    return { names, declaration: parent };
  }
  if (parent && ts.isBinaryExpression(parent) && parent.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isIdentifier(parent.left)) names.add(parent.left.text);
  return { names };
}

function rootName(expr: ts.Expression): string | undefined {
  let current = unwrap(expr);
  while (ts.isPropertyAccessExpression(current) || ts.isElementAccessExpression(current) || ts.isCallExpression(current)) current = unwrap(current.expression);
  return ts.isIdentifier(current) ? current.text : undefined;
}

/** `order.userId`, `order.user.id`, `rows[0].user_id`, `String(order.owner)`: an owner read off the result. */
function readsOwnerOf(expr: ts.Node, results: ReadonlySet<string>, owners: ReadonlySet<string>): boolean {
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isPropertyAccessExpression(node) && owners.has(node.name.text)) {
      const root = rootName(node.expression);
      if (root && results.has(root)) found = true;
    }
    if (ts.isElementAccessExpression(node) && ts.isStringLiteralLike(node.argumentExpression) && owners.has(node.argumentExpression.text)) {
      const root = rootName(node.expression);
      if (root && results.has(root)) found = true;
    }
    ts.forEachChild(node, visit);
  };
  visit(expr);
  return found;
}

/**
 * A check after the query that compares the record's owner with someone
 * (`if (post.authorId !== session.user.id) return …`, `order.user.equals(req.user._id)`),
 * or hands the record to an authorization helper (`assertCanEdit(user, post)`).
 */
export function hasOwnerGuardAfter(call: DbCall, model: SchemaModel, handler: ts.FunctionLikeDeclaration): boolean {
  const { names } = resultNames(call.call);
  if (names.size === 0 || !handler.body) return false;
  const owners = ownerNames(model);
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (node.end <= call.call.end) {
      if (node.pos < call.call.end) ts.forEachChild(node, visit);
      return;
    }
    if (ts.isBinaryExpression(node) && COMPARISONS.has(node.operatorToken.kind) && (readsOwnerOf(node.left, names, owners) || readsOwnerOf(node.right, names, owners))) {
      found = true;
      return;
    }
    if (ts.isCallExpression(node)) {
      const callee = unwrap(node.expression);
      const method = ts.isPropertyAccessExpression(callee) ? callee.name.text : ts.isIdentifier(callee) ? callee.text : '';
      if (method === 'equals' && ts.isPropertyAccessExpression(callee) && readsOwnerOf(callee.expression, names, owners)) {
        found = true;
        return;
      }
      if (AUTHORIZATION_HELPER.test(method) && node.arguments.some((arg) => rootName(arg) !== undefined && names.has(rootName(arg) ?? ''))) {
        found = true;
        return;
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(handler.body);
  return found;
}

/**
 * An earlier lookup of the same record (same model, same id field and value) that
 * keeps the write from running for anyone but the owner:
 *  - the lookup is owner-scoped and its result is checked before the write
 *    (`const owned = await …findFirst({ where: { id, userId } }); if (!owned) return …`), or
 *  - the lookup is not scoped, but a guard between it and the write compares the
 *    record's owner with the signed-in user and ends the request on a mismatch
 *    (`if (!item || item.userId !== req.user.id) return …`), or the write sits inside
 *    `if (item.userId === req.user.id) { … }`.
 */
export function hasScopedLookupBefore(call: DbCall, idCondition: DbCondition, model: SchemaModel, auth: AuthContext, flow: DataFlow, handlerCalls: readonly DbCall[], handler: ts.FunctionLikeDeclaration): boolean {
  const idText = idCondition.value ? normalized(idCondition.value.getText()) : undefined;
  if (idText === undefined) return false;
  return handlerCalls.some((earlier) => {
    if (earlier === call || earlier.call.end > call.call.getStart() || earlier.operation !== 'read-one') return false;
    if (earlier.model.toLowerCase() !== call.model.toLowerCase()) return false;
    const { names } = resultNames(earlier.call);
    if (names.size === 0) return false;
    const sameValue = (candidate: DbCondition): boolean => {
      const value = asEquality(candidate)?.value;
      return value !== undefined && normalized(value.getText()) === idText;
    };
    if (isOwnerScoped(earlier, model, auth, flow)) {
      return (earlier.conditions ?? []).some(sameValue) && checksPresence(handler, names, earlier.call.end, call.call.getStart());
    }
    // An unscoped lookup proves nothing about the write unless both name the very same record.
    const sameRecord = (earlier.conditions ?? []).some((candidate) => candidate.field === idCondition.field && sameValue(candidate));
    return sameRecord && idUnchangedBetween(idCondition.value, flow, earlier.call.end, call.call.getStart()) && ownerGuardBefore(call.call, earlier.call.end, names, model, auth, flow);
  });
}

/** Whether the variable an id expression is read from is not reassigned between two offsets (`let id = …; id = other`). */
function idUnchangedBetween(value: ts.Expression | undefined, flow: DataFlow, from: number, to: number): boolean {
  if (!value) return false;
  let current = unwrap(value);
  while (ts.isPropertyAccessExpression(current) || ts.isElementAccessExpression(current) || ts.isCallExpression(current)) {
    if (ts.isCallExpression(current)) {
      // Number(id), String(params.id): a conversion of one value.
      const argument = current.arguments[0];
      if (current.arguments.length !== 1 || !argument || !ts.isIdentifier(current.expression) || !CONVERSIONS.has(current.expression.text)) return false;
      current = unwrap(argument);
    } else current = unwrap(current.expression);
  }
  if (!ts.isIdentifier(current)) return false;
  return flow.scopes.resolveAll(current).every((binding) => binding.isConst || binding.assignments.every((assigned) => assigned.end <= from || assigned.pos >= to));
}

/**
 * A guard after `from` that the write cannot get past for another user's record: an
 * `if` before the write, in a block the write is in, that ends the request unless the
 * record's owner is the signed-in user; or an `if` around the write whose branch is
 * taken only when the owner is the signed-in user.
 */
function ownerGuardBefore(write: ts.CallExpression, from: number, names: ReadonlySet<string>, model: SchemaModel, auth: AuthContext, flow: DataFlow): boolean {
  const owners = ownerNames(model);
  const sides: ComparedSides = { isOwner: (expr) => readsOwnerOf(expr, names, owners), isUser: (expr) => mentionsUser(expr, auth, flow) || readsUserRecord(expr, auth) };
  const ownerMatchesWhen = (condition: ts.Expression, value: boolean): boolean => impliesOwnerMatch(condition, value, sides);
  for (let node: ts.Node = write; node.parent && !ts.isFunctionLike(node); node = node.parent) {
    const parent = node.parent;
    if (ts.isIfStatement(parent) && parent.getStart() >= from) {
      if (parent.thenStatement === node && ownerMatchesWhen(parent.expression, true)) return true;
      if (parent.elseStatement === node && ownerMatchesWhen(parent.expression, false)) return true;
    }
    if (!ts.isBlock(parent) && !ts.isSourceFile(parent) && !ts.isCaseClause(parent) && !ts.isDefaultClause(parent)) continue;
    for (const statement of parent.statements) {
      if (statement.pos >= node.pos) break;
      if (statement.getStart() >= from && ts.isIfStatement(statement) && endsRequest(statement.thenStatement) && ownerMatchesWhen(statement.expression, false)) return true;
    }
  }
  return false;
}

/** What the two sides of an owner comparison must be: the record's owner, and the user it must belong to. */
interface ComparedSides {
  isOwner(expr: ts.Expression): boolean;
  isUser(expr: ts.Expression): boolean;
}

/**
 * Whether `condition` evaluating to `value` means the record's owner is the user:
 * `post.authorId === user` when true, `!post || post.authorId !== user` when false,
 * `!(post && post.authorId === user)` when false, `order.user.equals(user)` when true.
 */
function impliesOwnerMatch(condition: ts.Expression, value: boolean, sides: ComparedSides): boolean {
  const implies = (expr: ts.Expression, when: boolean): boolean => impliesOwnerMatch(expr, when, sides);
  const inner = unwrap(condition);
  if (ts.isPrefixUnaryExpression(inner) && inner.operator === ts.SyntaxKind.ExclamationToken) return implies(inner.operand, !value);
  const { isOwner, isUser } = sides;
  if (ts.isBinaryExpression(inner)) {
    const kind = inner.operatorToken.kind;
    // a && b is true: both are; a || b is false: both are. Otherwise all that is known is that one of them is.
    if (kind === ts.SyntaxKind.AmpersandAmpersandToken) return value ? implies(inner.left, true) || implies(inner.right, true) : implies(inner.left, false) && implies(inner.right, false);
    if (kind === ts.SyntaxKind.BarBarToken) return value ? implies(inner.left, true) && implies(inner.right, true) : implies(inner.left, false) || implies(inner.right, false);
    const equality = kind === ts.SyntaxKind.EqualsEqualsEqualsToken || kind === ts.SyntaxKind.EqualsEqualsToken;
    const inequality = kind === ts.SyntaxKind.ExclamationEqualsEqualsToken || kind === ts.SyntaxKind.ExclamationEqualsToken;
    if (!(value ? equality : inequality)) return false;
    return (isOwner(inner.left) && isUser(inner.right)) || (isOwner(inner.right) && isUser(inner.left));
  }
  if (value && ts.isCallExpression(inner) && inner.arguments.length === 1) {
    const callee = unwrap(inner.expression);
    const argument = inner.arguments[0];
    return ts.isPropertyAccessExpression(callee) && callee.name.text === 'equals' && argument !== undefined && isOwner(callee.expression) && isUser(argument);
  }
  return false;
}

/**
 * A call before the write, awaited as a statement in a block the write is in, of a
 * project function that checks ownership of the same record and throws when it fails:
 * `await assertOwner(req.user.id, req.params.id)` where `assertOwner(userId, id)` looks
 * the record up by `id` (same model, same field) and, at the top level of its body, ends
 * with `if (!item || item.userId !== userId) throw …` before anything returns. A helper
 * that returns on a mismatch is not enough: its caller carries on.
 */
export function hasOwnerCheckingCallBefore(call: DbCall, idCondition: DbCondition, model: SchemaModel, auth: AuthContext, flow: DataFlow, calledFunction: (call: ts.CallExpression) => CalledFunction | undefined): boolean {
  const idValue = idCondition.value;
  if (!idValue) return false;
  const idText = normalized(idValue.getText());
  for (let node: ts.Node = call.call; node.parent && !ts.isFunctionLike(node); node = node.parent) {
    const parent = node.parent;
    if (!ts.isBlock(parent) && !ts.isSourceFile(parent) && !ts.isCaseClause(parent) && !ts.isDefaultClause(parent)) continue;
    for (const statement of parent.statements) {
      if (statement.pos >= node.pos) break;
      const helperCall = awaitedCall(statement);
      if (!helperCall || helperCall.arguments.some(ts.isSpreadElement)) continue;
      const idIndex = helperCall.arguments.findIndex((argument) => normalized(argument.getText()) === idText);
      const userIndex = helperCall.arguments.findIndex((argument, index) => index !== idIndex && mentionsUser(argument, auth, flow));
      if (idIndex === -1 || userIndex === -1 || !idUnchangedBetween(idValue, flow, helperCall.end, call.call.getStart())) continue;
      const helper = calledFunction(helperCall);
      if (helper && throwsUnlessOwner(helper, idIndex, userIndex, call, idCondition.field, model)) return true;
    }
  }
  return false;
}

/** `await f(…);` or `const x = await f(…);`: the call, when a statement waits for it. */
function awaitedCall(statement: ts.Statement): ts.CallExpression | undefined {
  let expr: ts.Expression | undefined;
  if (ts.isExpressionStatement(statement)) expr = statement.expression;
  else if (ts.isVariableStatement(statement) && statement.declarationList.declarations.length === 1) expr = statement.declarationList.declarations[0]?.initializer;
  const awaited = expr ? unwrap(expr) : undefined;
  if (!awaited || !ts.isAwaitExpression(awaited)) return undefined;
  const inner = unwrap(awaited.expression);
  return ts.isCallExpression(inner) ? inner : undefined;
}

/**
 * Whether the helper looks up the write's record by its `idIndex` parameter and, at the
 * top level of its body, throws unless the record's owner is its `userIndex` parameter,
 * with nothing returning before that check.
 */
function throwsUnlessOwner(helper: CalledFunction, idIndex: number, userIndex: number, write: DbCall, idField: string, model: SchemaModel): boolean {
  const { fn, scopes } = helper;
  const idParameter = simpleParameter(fn, idIndex);
  const userParameter = simpleParameter(fn, userIndex);
  const body = fn.body;
  if (!idParameter || !userParameter || !body || !ts.isBlock(body)) return false;
  const isParameter = (expr: ts.Expression, parameter: ts.ParameterDeclaration): boolean => {
    let inner = unwrap(expr);
    // Number(id), String(userId): a conversion of the parameter.
    if (ts.isCallExpression(inner) && ts.isIdentifier(inner.expression) && CONVERSIONS.has(inner.expression.text) && inner.arguments.length === 1 && inner.arguments[0]) inner = unwrap(inner.arguments[0]);
    if (!ts.isIdentifier(inner)) return false;
    const binding = scopes.resolveOnly(inner);
    return binding?.declaration === parameter && binding.assignments.length === 0;
  };
  const statements = body.statements;
  const topLevelIndex = (node: ts.Node): number => statements.findIndex((statement) => statement.pos <= node.pos && node.end <= statement.end);
  const owners = ownerNames(model);
  for (const lookup of helper.dbCalls) {
    if (lookup.operation !== 'read-one' || lookup.model.toLowerCase() !== write.model.toLowerCase() || enclosingFunction(lookup.call) !== fn) continue;
    const byId = (lookup.conditions ?? []).some((condition) => {
      const value = asEquality(condition)?.value;
      return condition.field === idField && value !== undefined && isParameter(value, idParameter);
    });
    const { names, declaration } = resultNames(lookup.call);
    const lookupAt = topLevelIndex(lookup.call);
    // The result is a const declared by a statement of the body itself, so the guard below reads this record.
    if (!byId || names.size === 0 || lookupAt === -1 || !declaration || declaration.parent.parent !== statements[lookupAt] || !(ts.getCombinedNodeFlags(declaration) & ts.NodeFlags.Const)) continue;
    if (statements.slice(0, lookupAt + 1).some(returnsEarly)) continue;
    const sides: ComparedSides = { isOwner: (expr) => readsOwnerOf(expr, names, owners), isUser: (expr) => isParameter(expr, userParameter) };
    for (const statement of statements.slice(lookupAt + 1)) {
      if (ts.isIfStatement(statement) && throwsOut(statement.thenStatement) && impliesOwnerMatch(statement.expression, false, sides)) return true;
      if (returnsEarly(statement)) break;
    }
  }
  return false;
}

/** The parameter at `index` when it is a plain name (no destructuring, no rest). */
function simpleParameter(fn: ts.FunctionLikeDeclaration, index: number): ts.ParameterDeclaration | undefined {
  const parameter = fn.parameters[index];
  return parameter && ts.isIdentifier(parameter.name) && !parameter.dotDotDotToken && fn.parameters.slice(0, index).every((earlier) => !earlier.dotDotDotToken) ? parameter : undefined;
}

function enclosingFunction(node: ts.Node): ts.Node | undefined {
  for (let current = node.parent; current; current = current.parent) if (ts.isFunctionLike(current)) return current;
  return undefined;
}

/** A statement that leaves the function by throwing: `throw …`, a block ending in one, or Next's bare `notFound()` / `redirect()`. */
function throwsOut(statement: ts.Statement): boolean {
  return leaves(statement, false);
}

/** Whether a statement can return from the function it is in (a `return` outside nested functions). */
function returnsEarly(statement: ts.Statement): boolean {
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found || ts.isFunctionLike(node) || ts.isClassLike(node)) return;
    if (ts.isReturnStatement(node)) found = true;
    else ts.forEachChild(node, visit);
  };
  visit(statement);
  return found;
}

/** `if (!owned) return …` / `if (!owned) throw …` between two offsets. */
function checksPresence(handler: ts.FunctionLikeDeclaration, names: ReadonlySet<string>, from: number, to: number): boolean {
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found || node.end < from || node.pos > to) return;
    if (ts.isIfStatement(node) && node.pos >= from && endsRequest(node.thenStatement)) {
      const condition = unwrap(node.expression);
      if (ts.isPrefixUnaryExpression(condition) && condition.operator === ts.SyntaxKind.ExclamationToken) {
        const root = rootName(condition.operand);
        if (root && names.has(root)) found = true;
      }
    }
    ts.forEachChild(node, visit);
  };
  if (handler.body) visit(handler.body);
  return found;
}

/**
 * A statement after which the handler does not go on: `return`, `throw`, or a call of
 * Next's `notFound()` / `redirect()` / `forbidden()` (which throw). Only the bare
 * functions: Express's `res.redirect()` sends a response and the handler carries on.
 */
function endsRequest(statement: ts.Statement): boolean {
  return leaves(statement, true);
}

/** `throwsOut`, or with `orReturns` `endsRequest`: the statement, or the last of a block, throws (or returns). */
function leaves(statement: ts.Statement, orReturns: boolean): boolean {
  if (ts.isThrowStatement(statement) || (orReturns && ts.isReturnStatement(statement))) return true;
  if (ts.isExpressionStatement(statement)) {
    const call = unwrap(statement.expression);
    return ts.isCallExpression(call) && ts.isIdentifier(call.expression) && REJECTING_CALLS.has(call.expression.text);
  }
  if (ts.isBlock(statement)) {
    const last = statement.statements[statement.statements.length - 1];
    return last !== undefined && leaves(last, orReturns);
  }
  return false;
}

/** The database calls inside a route's handler (nested callbacks included). */
export function callsIn(route: RouteHandler, calls: readonly DbCall[]): DbCall[] {
  return calls.filter((call) => call.call.pos >= route.handler.pos && call.call.end <= route.handler.end);
}
