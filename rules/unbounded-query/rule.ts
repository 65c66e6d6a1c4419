// unbounded-query: a request handler returns every row a list query finds, with
// no limit or pagination. Fine with ten rows in development; with real data each
// request loads the whole table into memory and ships it to the client. A limit the
// request picks with no upper bound (`take: Number(req.query.limit)`) is no limit.
import type { ts } from '../../server/src/engine/ts';
import type { DbCall } from '../../server/src/engine/facts';
import type { DbLibrary } from '../../server/src/engine/facts/appModel';
import type { ProjectSchema } from '../../server/src/engine/facts/schema';
import type { Scopes } from '../../server/src/engine/facts/scopes';
import { UNIQUE_KEY_FIELDS } from '../../server/src/engine/facts/dbCallModels';
import { defineRule } from '../../server/src/engine/rule';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, capPageSizeFix, cappedPageSize, paginationFix } from './fix';
import { isBoundedList } from './boundedList';
import { enclosingHandler, reachesResponse } from './requestPath';
import { keptRequestSize } from './keptSize';
import { meta } from './meta';

/** How each library pages, for the message. */
const PAGING_ADVICE: Record<DbLibrary, string> = {
  prisma: '`take` and `skip` (or `cursor`)',
  drizzle: '`.limit()` and `.offset()`',
  sequelize: '`limit` and `offset`',
  typeorm: '`take` and `skip`',
  mongoose: '`.limit()` and `.skip()`',
  sql: '`LIMIT` and `OFFSET` (or a keyset `WHERE id > $1`)',
  knex: '`.limit()` and `.offset()`',
  supabase: '`.range(from, to)`',
};

export default defineRule({
  meta,

  check(context) {
    const { facts } = context;
    const lists = facts.dbCalls.filter((call) => call.operation === 'read-many');
    if (lists.length === 0) return;
    const { flow, imports } = facts;
    for (const call of lists) {
      // A limit the request picks bounds nothing; any other limit does. Judged once and kept
      // while the facts hand out the same call (keptSize.ts): after an edit, only the calls
      // of the edited function are judged again.
      const requestSize = call.limited && call.limit ? keptRequestSize(call, call.limit, context.file.path, flow) : undefined;
      if (call.limited && !requestSize) continue;
      if (isBoundedByKey(call, () => context.project.schema, flow.scopes)) continue;
      const handler = enclosingHandler(call.call, flow, imports, context.file.path, (fn) => facts.routes.some((route) => route.handler === fn));
      if (!handler || !reachesResponse(call.call, handler, flow)) continue;
      const text = context.file.text;
      const start = call.call.getStart();
      const lineEnd = text.indexOf('\n', start);
      const end = Math.min(call.call.end, lineEnd === -1 ? text.length : lineEnd);
      if (requestSize) {
        context.report({ start, end, message: uncappedMessage(call, requestSize), fixes: [capPageSizeFix(requestSize, context.file.path)] });
        continue;
      }
      const what = call.model ? `all \`${call.model}\` rows` : 'every row the query finds';
      const fix = paginationFix({ call, handler, scopes: flow.scopes, text, path: context.file.path, driverOf: (sink) => facts.sqlDriver(sink) });
      context.report({
        start,
        end,
        message:
          `This handler sends ${what} with no limit: as the table grows, each request loads all of it into memory and the response until it times out. ` +
          `Page it with ${PAGING_ADVICE[call.library]} and cap the page size (e.g. ${MAX_PAGE_SIZE}).`,
        fixes: fix ? [fix] : [],
      });
    }
  },
});

/** Longest request expression quoted in a message; longer ones are not quoted. */
const MAX_QUOTED = 60;

function uncappedMessage(call: DbCall, requestSize: ts.Expression): string {
  const source = requestSize.getText();
  const quotable = source.length <= MAX_QUOTED && !source.includes('\n');
  const rows = call.model ? `\`${call.model}\` rows` : 'rows';
  const capped = quotable ? cappedPageSize(requestSize) : `Math.min(Number(limit) || ${DEFAULT_PAGE_SIZE}, ${MAX_PAGE_SIZE})`;
  return (
    `The page size of this query comes from the request with no upper bound${quotable ? ` (\`${source}\`)` : ''}: a caller who asks for ten million ${rows} gets the whole table, loaded into memory and sent in one response. ` +
    `Cap it where it is read, e.g. \`${capped}\`.`
  );
}

/**
 * A filter that names a bounded number of rows: every field of a unique key (the id, an
 * `@unique` field, a composite key) is an equality (`where: { email }` with `email @unique`)
 * or a membership in a list whose length the code bounds (`id: { in: ids.slice(0, 50) }`).
 * `id: { in: req.body.ids }` is not bounded: the caller picks how many ids to send.
 */
function isBoundedByKey(call: DbCall, schema: () => ProjectSchema, scopes: Scopes): boolean {
  const pinned = new Set((call.conditions ?? []).filter((condition) => condition.equality || (condition.members !== undefined && isBoundedList(condition.members, scopes))).map((condition) => condition.field));
  if (pinned.size === 0 || !call.model) return false;
  const model = schema().find(call.model);
  // Without a schema, `id`/`_id`/`uuid` name one row each (as they do for an equality in the DB-call facts).
  if (!model) return [...pinned].some((field) => UNIQUE_KEY_FIELDS.has(field));
  const columnsToFields = new Map((model.fieldDetails ?? []).filter((field) => field.column).map((field) => [field.column ?? '', field.name]));
  const named = new Set([...pinned].map((field) => columnsToFields.get(field) ?? field));
  return (model.uniques ?? []).some((key) => key.length > 0 && key.every((field) => named.has(field)));
}
