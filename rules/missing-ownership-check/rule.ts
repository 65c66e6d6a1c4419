// missing-ownership-check: a signed-in user's request reads, updates or deletes one
// record of a model that has an owner, picked by an id the request supplies, and
// nothing ties that record to the user — no owner condition in the query, no owner
// comparison after it, no role check. Any signed-in user can then reach anyone's
// records by changing the id (IDOR / broken object-level authorization).
//
// Precision first: the model must have an owner field in the schema (schema.prisma,
// SQL migrations or a Mongoose schema); a model the schema does not describe is not
// reported, even when the code looks owner-bearing.
import type { DbCall, RouteHandler, SchemaModel } from '../../server/src/engine/facts/appModel';
import { defineRule } from '../../server/src/engine/rule';
import { buildFix } from './fix';
import { SINGLE_RECORD_VERBS, callsIn, hasOwnerCheckingCallBefore, hasOwnerGuardAfter, hasScopedLookupBefore, isOwnerScoped, isPublicRead, isUserOwned, requestSuppliedId } from './ownership';
import { meta } from './meta';

export default defineRule({
  meta,

  check(context) {
    const { facts } = context;
    const dbCalls = facts.dbCalls;
    if (dbCalls.length === 0) return;
    const schema = context.project.schema;
    const reported = new Set<DbCall>();

    for (const route of facts.routes) {
      const auth = route.auth;
      if (!auth || auth.hasRoleCheck) continue; // no user to compare with, or an admin/role route
      const handlerCalls = callsIn(route, dbCalls);
      for (const call of handlerCalls) {
        const verb = SINGLE_RECORD_VERBS[call.operation];
        if (!verb || reported.has(call)) continue;
        const model = schema.find(call.model);
        if (!model?.ownerField) continue;
        // Row-level security enforces ownership in the database for queries made with the user's token.
        if (call.library === 'supabase' && model.rls) continue;
        const idCondition = requestSuppliedId(call, model, facts.flow);
        if (!idCondition || isPublicRead(call)) continue;
        if (isOwnerScoped(call, model, auth, facts.flow)) continue;
        if (hasOwnerGuardAfter(call, model, route.handler)) continue;
        if (hasScopedLookupBefore(call, idCondition, model, auth, facts.flow, handlerCalls, route.handler)) continue;
        if (hasOwnerCheckingCallBefore(call, idCondition, model, auth, facts.flow, (helperCall) => facts.calledFunction(helperCall))) continue;

        reported.add(call);
        const owned = model as SchemaModel & { ownerField: string };
        const fix = isUserOwned(model) ? buildFix({ path: context.file.path, text: context.file.text, route, call, model: owned, idCondition, auth, flow: facts.flow }) : undefined;
        context.report({
          start: call.call.getStart(),
          end: call.call.end,
          message: message(route, owned, idCondition.value?.getText() ?? idCondition.field, auth.userIdExpression, verb),
          fixes: fix ? [fix] : [],
        });
      }
    }
  },
});

function message(route: RouteHandler, model: SchemaModel & { ownerField: string }, id: string, user: string, verb: string): string {
  const where = route.framework === 'next-server-action' ? `Server action ${route.path}` : `${route.method === 'ALL' ? '' : `${route.method} `}${route.path}`;
  // Tables are named in the plural (`documents`), models in the singular (`Order`).
  const one = model.origin === 'sql' ? `row of ${model.name}` : model.name;
  const many = model.origin === 'sql' ? model.name : plural(model.name.charAt(0).toLowerCase() + model.name.slice(1));
  const action = verb === 'reads' ? 'read' : verb === 'updates' ? 'change' : 'delete';
  const userOwned = isUserOwned(model);
  const owner = userOwned ? `${model.ownerField} = ${user}` : `${model.ownerField} (the ${model.ownerModel ?? 'owner'} it belongs to)`;
  const belongsTo = userOwned ? 'the signed-in user' : `the signed-in user's ${(model.ownerModel ?? 'account').toLowerCase()}`;
  const others = userOwned ? "other users'" : `other ${plural((model.ownerModel ?? 'account').toLowerCase())}'`;
  return `${where} ${verb} one ${one} by ${clip(id)} without checking that it belongs to ${belongsTo}: any signed-in user can ${action} ${others} ${many} by changing the id. Scope the query with ${owner}, or answer 404 when the owner differs.`;
}

function plural(noun: string): string {
  if (/(?:s|x|ch|sh)$/.test(noun)) return `${noun}es`;
  if (/[^aeiou]y$/.test(noun)) return `${noun.slice(0, -1)}ies`;
  return `${noun}s`;
}

function clip(text: string): string {
  const flat = text.replace(/\s+/g, ' ');
  return flat.length > 40 ? `${flat.slice(0, 37)}…` : flat;
}
