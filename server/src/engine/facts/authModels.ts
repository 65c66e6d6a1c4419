// What authentication looks like per library: which middleware proves a user, which
// call inside a handler returns the signed-in user, and where that user's id is.
// Data, not logic (auth.ts reads it); a new auth library is new rows here.

/**
 * Where a handler finds the user a middleware established. `{req}`, `{res}` and
 * `{c}` stand for the handler's request, response and (Hono) context parameters.
 */
export type UserIdTemplate = string;

export interface AuthMiddlewareModel {
  /** Packages it comes from. */
  packages: readonly string[];
  /** The imported name, with members for namespaced APIs: `default.authenticate` is `passport.authenticate`. */
  names: readonly string[];
  /** Used as `factory(options)` (true) or passed as is (false). */
  factory: boolean;
  /** Where the user id is afterwards; absent when the middleware proves a caller but names no user (API key, basic auth). */
  userId?: UserIdTemplate;
  evidence: string;
}

export const AUTH_MIDDLEWARE_MODELS: readonly AuthMiddlewareModel[] = [
  { packages: ['passport'], names: ['default.authenticate', 'authenticate'], factory: true, userId: '{req}.user.id', evidence: 'passport.authenticate()' },
  { packages: ['express-jwt'], names: ['expressjwt', 'default', 'jwt'], factory: true, userId: '{req}.auth.sub', evidence: 'express-jwt' },
  { packages: ['express-openid-connect'], names: ['requiresAuth'], factory: true, userId: '{req}.oidc.user.sub', evidence: 'express-openid-connect requiresAuth()' },
  { packages: ['connect-ensure-login'], names: ['ensureLoggedIn', 'default.ensureLoggedIn'], factory: true, userId: '{req}.user.id', evidence: 'ensureLoggedIn()' },
  { packages: ['@clerk/express'], names: ['requireAuth'], factory: true, evidence: 'Clerk requireAuth()' },
  { packages: ['@clerk/clerk-sdk-node'], names: ['ClerkExpressRequireAuth'], factory: true, userId: '{req}.auth.userId', evidence: 'ClerkExpressRequireAuth()' },
  { packages: ['@auth0/nextjs-auth0'], names: ['withApiAuthRequired', 'withPageAuthRequired'], factory: true, evidence: 'Auth0 withApiAuthRequired()' },
  { packages: ['express-basic-auth'], names: ['default'], factory: true, evidence: 'express-basic-auth' },
  { packages: ['hono'], names: ['jwt'], factory: true, userId: "{c}.get('jwtPayload').sub", evidence: 'hono/jwt' },
  { packages: ['hono'], names: ['bearerAuth', 'basicAuth'], factory: true, evidence: 'hono bearer/basic auth' },
];

/**
 * Names that mean "authenticate this request" when the middleware's code cannot be
 * read (a decorator such as `fastify.authenticate`, a package not listed above).
 * Code that can be read is judged by what it does, not by its name.
 */
export const AUTH_MIDDLEWARE_NAME = /^(?:require|ensure|is|check|verify|validate|must|with|jwt|token|session)?_?(?:auth|authed|authenticated?|authentication|authorized|login|loggedin|signedin|user|session|token|jwt|jwtauth|accesstoken|bearer)(?:middleware|required|guard|check)?$|^(?:protect(?:ed)?|authenticate|auth(?:guard|middleware|required|handler)?|requiresignin|loggedin|verifyjwt|checkjwt)$/i;

/** User-id fields a handler may read off the user object, best first. */
export const USER_ID_FIELDS: readonly string[] = ['id', '_id', 'userId', 'sub', 'uid'];

/** Request properties a custom middleware may put the user on, and the id path under each. */
export const REQUEST_USER_PROPERTIES: Readonly<Record<string, string>> = {
  user: '.id',
  currentUser: '.id',
  authUser: '.id',
  account: '.id',
  auth: '.userId',
  userId: '',
  uid: '',
  session: '.userId',
};

/** The shapes identity calls return, as the property path from the returned value to the user id. */
export type IdentityShape = 'session' | 'user' | 'clerk-auth' | 'supabase-user' | 'supabase-claims' | 'jwt-token' | 'firebase-token' | 'lucia' | 'iron-session' | 'user-id';

export const IDENTITY_SHAPE_PATHS: Readonly<Record<IdentityShape, readonly string[]>> = {
  session: ['user', 'id'],
  user: ['id'],
  'clerk-auth': ['userId'],
  'supabase-user': ['data', 'user', 'id'],
  'supabase-claims': ['data', 'claims', 'sub'],
  'jwt-token': ['sub'],
  'firebase-token': ['uid'],
  lucia: ['user', 'id'],
  'iron-session': ['userId'],
  'user-id': [],
};

export interface IdentitySource {
  /** The callee's trailing segments: `getServerSession`, `auth`, `auth.getUser`. */
  callee: string;
  /** Packages the callee must be imported from; absent: any package or a project module. */
  packages?: readonly string[];
  shape: IdentityShape;
  evidence: string;
}

/**
 * Calls that return the signed-in user on the server. Order matters: the first row
 * whose callee and package match wins (Clerk's `auth()` before Auth.js's `auth()`).
 */
export const IDENTITY_SOURCES: readonly IdentitySource[] = [
  { callee: 'auth', packages: ['@clerk/nextjs', '@clerk/nextjs/server', '@clerk/remix', '@clerk/astro'], shape: 'clerk-auth', evidence: 'Clerk auth()' },
  { callee: 'getAuth', packages: ['@clerk/nextjs', '@clerk/nextjs/server', '@clerk/express', '@clerk/fastify', '@hono/clerk-auth', '@clerk/remix/ssr.server'], shape: 'clerk-auth', evidence: 'Clerk getAuth()' },
  { callee: 'currentUser', packages: ['@clerk/nextjs', '@clerk/nextjs/server'], shape: 'user', evidence: 'Clerk currentUser()' },
  { callee: 'getServerSession', shape: 'session', evidence: 'getServerSession()' },
  { callee: 'getSession', packages: ['next-auth/react', 'next-auth/client'], shape: 'session', evidence: 'next-auth getSession()' },
  { callee: 'getToken', packages: ['next-auth/jwt'], shape: 'jwt-token', evidence: 'next-auth getToken()' },
  // Auth.js v5: `export const { auth } = NextAuth(…)` in the project's own auth module.
  { callee: 'auth', shape: 'session', evidence: 'auth()' },
  { callee: 'auth.getUser', shape: 'supabase-user', evidence: 'supabase.auth.getUser()' },
  { callee: 'auth.getClaims', shape: 'supabase-claims', evidence: 'supabase.auth.getClaims()' },
  { callee: 'validateRequest', shape: 'lucia', evidence: 'validateRequest()' },
  { callee: 'validateSession', shape: 'lucia', evidence: 'lucia.validateSession()' },
  { callee: 'validateSessionToken', shape: 'lucia', evidence: 'validateSessionToken()' },
  { callee: 'getIronSession', shape: 'iron-session', evidence: 'getIronSession()' },
  { callee: 'verifyIdToken', shape: 'firebase-token', evidence: 'verifyIdToken()' },
];

/**
 * Calls that look like identity but are not proof of it on the server. Supabase's
 * `auth.getSession()` reads the session from the cookie without revalidating the JWT,
 * so a forged cookie passes; only `getUser()`/`getClaims()` verify it.
 */
export const NOT_IDENTITY_PROOF: readonly string[] = ['auth.getSession'];

/** Names of project helpers that return the signed-in user, used only when their code cannot be read. */
export const USER_HELPER_NAME = /^(?:get|require|fetch|load|ensure)(?:Current|Authed|Authenticated|Signed[Ii]n|Logged[Ii]n)?(?:User|Session|Viewer|Me|Account)(?:OrThrow|OrRedirect)?$/;
/** Helper names that promise to throw or redirect when nobody is signed in. */
export const ENFORCING_HELPER_NAME = /^(?:require|ensure|assert|protect|must)|OrThrow$|OrRedirect$/;

/** Checks on the request itself that prove a user (`req.isAuthenticated()`, `if (!req.user)`). */
export const REQUEST_IDENTITY_METHODS: ReadonlySet<string> = new Set(['isAuthenticated', 'jwtVerify']);

/** HTTP statuses that reject an unauthenticated or unauthorized caller. */
export const REJECTING_STATUSES: ReadonlySet<number> = new Set([401, 403]);
/** Error classes thrown to reject a caller. */
export const REJECTING_ERROR = /unauthori[sz]ed|unauthenticated|forbidden|auth(?:entication)?error|notloggedin|permission/i;
/** Where rejected callers are sent. */
export const LOGIN_PATH = /^\/?(?:api\/auth\/signin|auth\b|login|log-in|signin|sign-in|account\/login|sso)/i;
/** Next.js functions that end the request for a signed-out caller. */
export const REJECTING_CALLS: ReadonlySet<string> = new Set(['redirect', 'permanentRedirect', 'unauthorized', 'forbidden', 'notFound', 'redirectToSignIn']);

/** Role and permission checks: properties on the user, and helper names. */
export const ROLE_PROPERTIES: ReadonlySet<string> = new Set(['role', 'roles', 'isAdmin', 'admin', 'isSuperAdmin', 'isStaff', 'permissions', 'scopes', 'is_admin']);
export const ROLE_CHECK_NAME = /^(?:is|require|check|ensure|has|assert|verify|only)_?(?:admin|admins|role|roles|permission|permissions|superadmin|superuser|staff|scope|scopes)$|^(?:authorize|authorise|can|checkPermission|restrictTo|permit|allowRoles|adminOnly|requirePermission)$/i;
/** Role names compared against in checks (`role === 'admin'`). */
export const PRIVILEGED_ROLES = /^(?:admin|administrator|superadmin|super_admin|owner|staff|moderator)$/i;

/** Names a middleware reads when it checks a credential: headers, cookies, tokens, sessions. */
export const CREDENTIAL_NAME = /^(?:authorization|x-api-key|api[-_]?key|apikey|token|access_?token|accessToken|idToken|jwt|bearer|session|sessionId|session_id|cookies?|signedCookies)$/i;
/** Tokens that guard against forgery, not strangers. */
export const NOT_AUTH_CREDENTIAL = /csrf|xsrf/i;

/**
 * Calls that verify a webhook's signature: Stripe `webhooks.constructEvent`, Clerk/Svix
 * `verifyWebhook`, an HMAC compared in constant time, GitHub/Shopify-style helpers.
 */
export const WEBHOOK_VERIFIERS: ReadonlySet<string> = new Set([
  'constructEvent',
  'constructEventAsync',
  'verifyWebhook',
  'verifySignature',
  'verifyWebhookSignature',
  'validateWebhookSignature',
  'timingSafeEqual',
  'validateRequest',
  'verifyRequestSignature',
]);
/** `wh.verify(payload, headers)` on a Svix / Standard Webhooks / Octokit verifier. */
export const WEBHOOK_VERIFIER_RECEIVER = /^(?:wh|webhook|webhooks|svix|hook|verifier)$/i;
