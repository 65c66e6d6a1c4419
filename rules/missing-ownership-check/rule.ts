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
import { FIX_ID, buildFix } from './fix';
import { SINGLE_RECORD_VERBS, callsIn, hasOwnerGuardAfter, hasScopedLookupBefore, isOwnerScoped, isPublicRead, isUserOwned, requestSuppliedId } from './ownership';

export default defineRule({
  meta: {
    id: 'missing-ownership-check',
    title: 'Record fetched by id without an ownership check',
    dimension: 'security',
    defaultSeverity: 'error',
    fileKinds: ['ts', 'tsx', 'js', 'jsx'],
    docs: {
      summary:
        'A signed-in request reads, updates or deletes one record of an owned model (one with a user/owner field in the schema) by an id taken from the request, without checking that the record belongs to the user.',
      why:
        'Ids are easy to guess or enumerate (sequential numbers, ids leaked in URLs and emails), so any signed-in user can read, change or delete every other user\'s orders, invoices or messages by editing one number in the request. ' +
        'This is the most common API vulnerability (OWASP API1: broken object level authorization) and AI-written CRUD handlers produce it by default: `findUnique({ where: { id } })` is the shortest code that works in a demo. ' +
        'Routes behind a role or admin check are not reported, nor are deliberately public reads (`published: true`), nor Supabase tables with row-level security enabled in the migrations.',
      howToFix:
        'Put the owner into the query so another user\'s record is simply not found: `findFirst({ where: { id, userId: session.user.id } })` (Prisma — `findUnique` only accepts unique fields), `.eq(\'user_id\', user.id)` (Supabase), `findOne({ _id: id, owner: req.user.id })` (Mongoose), `WHERE id = $1 AND user_id = $2` (SQL). ' +
        'Answer 404 rather than 403, so the response does not confirm that the id exists. For updates and deletes, look the record up scoped to the owner first and stop when it is not found. ' +
        'Alternatively compare after fetching (`if (!post || post.authorId !== session.user.id) return 404`), or enforce ownership in the database with row-level security. ' +
        'The "Add ownership check" fix does one of these with the owner field from your schema: it scopes the query when the signed-in user is certainly present (a guard or middleware turns strangers away; an `undefined` owner value would match every row in Prisma), and otherwise inserts the 404 guard after a read. It is marked unsafe because it changes who can see the data: review it. ' +
        'Models the schema does not describe are not reported: without schema.prisma, SQL migrations or a Mongoose schema there is no owner field to check against.',
      references: [
        'CWE-639',
        'CWE-862',
        'https://owasp.org/API-Security/editions/2023/en/0xa1-broken-object-level-authorization/',
        'https://cheatsheetseries.owasp.org/cheatsheets/Insecure_Direct_Object_Reference_Prevention_Cheat_Sheet.html',
      ],
    },
    fixes: [{ id: FIX_ID, title: 'Add ownership check', safe: false }],
  },

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
