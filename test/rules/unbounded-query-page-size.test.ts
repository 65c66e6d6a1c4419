// unbounded-query's judgement of a limit the code passes: which page sizes the request
// picks with no upper bound (and which expression the fix caps), across frameworks and
// the ways code caps or validates them. The fixtures cover the findings end to end.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { uncappedRequestSize } from '../../rules/unbounded-query/requestPageSize';
import { FileFacts } from '../../server/src/engine/facts';
import { createProjectView } from '../../server/src/engine/project';
import { ts } from '../../server/src/engine/ts';

const PRELUDE = `import { PrismaClient } from '@prisma/client';
import { z } from 'zod';
import { createClient } from '@supabase/supabase-js';
const prisma = new PrismaClient();
const supabase = createClient('', '');
`;

/** The expression to cap for each limited query in `code`, or `-` when its page size is bounded. */
function capped(code: string, path = 'src/app.ts'): string[] {
  const text = PRELUDE + code;
  const project = createProjectView('/repo', () => undefined, () => false, () => [path]);
  const sourceFile = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const facts = new FileFacts({ path, kind: 'ts', text, sourceFile }, project);
  return facts.dbCalls.filter((call) => call.limit).map((call) => (call.limit ? (uncappedRequestSize(call.limit, facts.flow)?.getText() ?? '-') : '-'));
}

describe('request values', () => {
  test('Express, Fastify, Hono and web requests; the outermost expression that is still the whole value', () => {
    const code = `
      app.get('/a', async (req, res) => {
        await prisma.a.findMany({ take: req.query.limit });
        await prisma.a.findMany({ take: +req.query.limit });
        await prisma.a.findMany({ take: Number.parseInt(req.query.limit, 10) });
        await prisma.a.findMany({ take: Math.floor(Number(req.query.limit)) });
        await prisma.a.findMany({ take: Math.max(Number(req.query.limit), 1) });
        await prisma.a.findMany({ take: Number(req.query.limit) * 2 });
      });
      fastify.get('/b', async (request, reply) => prisma.b.findMany({ take: Number(request.query.limit) }));
      hono.get('/c', async (c) => c.json(await prisma.c.findMany({ take: Number(c.req.query('limit')) })));
      export async function GET(request: Request) {
        const { searchParams } = new URL(request.url);
        return Response.json(await prisma.d.findMany({ take: Number(searchParams.get('limit') ?? 20) }));
      }`;
    assert.deepEqual(capped(code), [
      'req.query.limit',
      '+req.query.limit',
      'Number.parseInt(req.query.limit, 10)',
      'Math.floor(Number(req.query.limit))',
      'Math.max(Number(req.query.limit), 1)',
      'Number(req.query.limit)',
      'Number(request.query.limit)',
      "Number(c.req.query('limit'))",
      "Number(searchParams.get('limit') ?? 20)",
    ]);
  });

  test('through local variables, to the declaration that first holds the request value', () => {
    const code = `
      app.get('/a', async (req, res) => {
        const raw = req.query.limit;
        const size = Number(raw) || 20;
        await prisma.a.findMany({ take: size });
        const { limit = '20' } = req.query;
        await prisma.a.findMany({ take: Number(limit) });
        await prisma.a.findMany({ take: req.query.limit ? Number(req.query.limit) : 20 });
      });`;
    assert.deepEqual(capped(code), ['req.query.limit', 'Number(limit)', 'Number(req.query.limit)']);
  });

  test("server action arguments are the client's", () => {
    const code = `
      export async function listPosts(limit: number) {
        'use server';
        return prisma.post.findMany({ take: limit });
      }
      async function helper(limit: number) {
        return prisma.post.findMany({ take: limit });
      }`;
    assert.deepEqual(capped(code), ['limit', '-']);
  });
});

describe('bounded page sizes', () => {
  test('Math.min, %, clamping ternaries and comparisons against a ceiling before the use', () => {
    const code = `
      app.get('/a', async (req, res) => {
        await prisma.a.findMany({ take: Math.min(Number(req.query.limit), 100) });
        await prisma.a.findMany({ take: Number(req.query.limit) % 100 });
        const n = Number(req.query.limit) || 20;
        await prisma.a.findMany({ take: n > 100 ? 100 : n });
        await prisma.a.findMany({ take: 100 < n ? 100 : n });
      });
      app.get('/b', async (req, res) => {
        const limit = Number(req.query.limit);
        if (limit > 100) throw new Error('too many');
        await prisma.b.findMany({ take: limit });
      });
      app.get('/c', async (req, res) => {
        let limit = Number(req.query.limit) || 20;
        limit = Math.min(limit, 100);
        await prisma.c.findMany({ take: limit });
      });`;
    assert.deepEqual(capped(code), ['-', '-', '-', '-', '-', '-']);
  });

  test('floor checks cap nothing', () => {
    const code = `
      app.get('/a', async (req, res) => {
        const limit = Number(req.query.limit);
        if (limit < 1 || limit <= 0 || 0 >= limit) return res.status(400).end();
        await prisma.a.findMany({ take: limit > 0 ? limit : 20 });
      });`;
    assert.deepEqual(capped(code), ['Number(req.query.limit)']);
  });

  test('unknown helpers, validators whose schema is not read, and values the request does not reach', () => {
    const code = `
      import { PageQuery } from './schemas';
      const PAGE = 20;
      app.get('/a', async (req, res) => {
        await prisma.a.findMany({ take: clamp(Number(req.query.limit), 1, 100) });
        await prisma.a.findMany({ take: toPageSize(req.query) });
        await prisma.a.findMany({ take: PageQuery.parse(req.query).limit });
        await prisma.a.findMany({ take: JSON.parse(req.query.page).size });
        await prisma.a.findMany({ take: PAGE });
        await prisma.a.findMany({ take: Number(process.env.PAGE_SIZE) });
        await prisma.a.findMany({ take: req.user.pageSize });
      });`;
    assert.deepEqual(capped(code), ['-', '-', '-', '-', '-', '-', '-']);
  });
});

describe('zod schemas in the file', () => {
  test('a number schema with .max/.lte/.lt is capped; without one it is open; transforms are not read', () => {
    const code = `
      const Capped = z.object({ limit: z.coerce.number().int().positive().max(100).default(20) });
      const Lte = z.object({ limit: z.number().lte(50).optional() });
      const Open = z.object({ limit: z.coerce.number().int().min(1).default(20) });
      const Piped = z.object({ limit: z.string().transform(Number) });
      app.get('/a', async (req, res) => {
        await prisma.a.findMany({ take: Capped.parse(req.query).limit });
        const lte = Lte.safeParse(req.query);
        await prisma.a.findMany({ take: lte.data.limit });
        const { limit } = Open.parse(req.query);
        await prisma.a.findMany({ take: limit });
        await prisma.a.findMany({ take: Piped.parse(req.query).limit });
      });`;
    assert.deepEqual(capped(code), ['-', '-', 'limit', '-']);
  });
});

describe('Supabase range(from, to)', () => {
  test('the size is `to` less `from`: a term of `to` the request picks, or `to` itself from a fixed start', () => {
    const code = `
      app.get('/a', async (req, res) => {
        const page = Number(req.query.page) || 0;
        const size = Number(req.query.size) || 20;
        const capped = Math.min(size, 100);
        await supabase.from('a').select('*').range(page * size, page * size + size - 1);
        await supabase.from('a').select('*').range(page * capped, page * capped + capped - 1);
        await supabase.from('a').select('*').range(0, Number(req.query.limit));
        // the size is capped, but written so that \`from\` is not a term of \`to\`: not read
        await supabase.from('a').select('*').range(page * capped, (page + 1) * capped - 1);
      });`;
    assert.deepEqual(capped(code), ['Number(req.query.size) || 20', '-', 'Number(req.query.limit)', '-']);
  });
});
