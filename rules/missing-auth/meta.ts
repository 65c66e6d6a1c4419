// missing-auth: what the rule is called, what it explains and which fixes it declares. Kept apart
// from the check so front ends that only list rules (the CLI's main thread) load no analysis code.
import type { RuleMeta } from '../../server/src/engine/types';

export const meta: RuleMeta = {
  id: 'missing-auth',
  title: 'Data-changing route without authentication',
  dimension: 'security',
  defaultSeverity: 'error',
  fileKinds: ['ts', 'tsx', 'js', 'jsx'],
  docs: {
    summary:
      'A POST/PUT/PATCH/DELETE route or a server action that creates, updates or deletes records (or touches a model that has owners) with no authentication in its middleware chain, its router, its handler or the Next.js middleware.',
    why:
      'Anyone on the internet can call it: bots find unauthenticated write endpoints within hours and fill tables with spam, delete records or change other people\'s data. ' +
      'Next.js server actions are public POST endpoints even when only a signed-in page renders the form, so each action must check the session itself. ' +
      'Authentication is looked for everywhere a request passes: route and router middleware (also when defined or mounted in other files, and recognized by what it does: rejecting with 401/403 or redirecting to a login page when no token or user is present), ' +
      'session checks in the handler (getServerSession, auth(), Clerk, supabase.auth.getUser(), Lucia, iron-session, `if (!req.user)`), auth wrappers, and Next.js middleware whose matcher covers the path. ' +
      'Note that Supabase\'s `auth.getSession()` is not counted: on the server it trusts the cookie without verifying it; use `auth.getUser()`.',
    howToFix:
      'Put your authentication middleware in front of the route (`router.post(\'/x\', requireAuth, handler)` or `router.use(requireAuth)` before it), or check the session at the top of the handler and return 401 when there is none ' +
      '(`const session = await auth(); if (!session) return new Response(null, { status: 401 })`). For webhooks, verify the provider\'s signature (`stripe.webhooks.constructEvent`, svix `verify`). ' +
      'If the route is public on purpose, list its path in `publicRoutes` in `.shipshape.json` (globs such as `/api/public/**`). There is no automatic fix: how a route should authenticate is a decision for a person.',
    references: [
      'CWE-306',
      'CWE-862',
      'https://owasp.org/API-Security/editions/2023/en/0xa5-broken-function-level-authorization/',
      'https://owasp.org/API-Security/editions/2023/en/0xa2-broken-authentication/',
      'https://nextjs.org/docs/app/building-your-application/authentication#authorization',
    ],
  },
  fixes: [],
};
