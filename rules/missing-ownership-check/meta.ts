// missing-ownership-check: what the rule is called, what it explains and which fixes it declares. Kept apart
// from the check so front ends that only list rules (the CLI's main thread) load no analysis code.
import type { RuleMeta } from '../../server/src/engine/types';

export const FIX_ID = 'add-ownership-check';

export const meta: RuleMeta = {
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
      'Alternatively compare after fetching (`if (!post || post.authorId !== session.user.id) return 404`, before the write for updates and deletes), call a project helper that looks the record up and throws when the owner differs (`await assertOwner(session.user.id, id)`), or enforce ownership in the database with row-level security. ' +
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
};
