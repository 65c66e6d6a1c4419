// Where attacker-controlled data enters a handler, per framework. Data, not logic:
// supporting a new framework should mean adding rows here.

/** Parameter names that conventionally hold the incoming request (Express, Next.js, Fastify, pages router). */
export const REQUEST_PARAMETER_NAMES: ReadonlySet<string> = new Set(['req', 'request']);

/** Parameter type names that mark a parameter as the incoming request whatever it is called. */
export const REQUEST_TYPE_NAMES: ReadonlySet<string> = new Set([
  'Request',
  'NextRequest',
  'NextApiRequest',
  'FastifyRequest',
  'IncomingMessage',
  'HonoRequest',
]);

/** `req.<prop>` that carries client data (Express, Fastify, Next.js, pages router). */
export const REQUEST_INPUT_PROPERTIES: ReadonlySet<string> = new Set([
  'body',
  'query',
  'params',
  'headers',
  'cookies',
  'signedCookies',
  'files',
  'file',
  'url',
  'originalUrl',
  'path',
  'nextUrl',
  'hostname',
]);

/** `req.<method>()` whose result is client data (`await request.json()`, `req.get('X-Header')`, Hono `c.req.query()`). */
export const REQUEST_INPUT_METHODS: ReadonlySet<string> = new Set([
  'json',
  'formData',
  'text',
  'arrayBuffer',
  'blob',
  'get',
  'header',
  'param',
  'query',
  'parseBody',
]);

/** Next.js route handler exports; their second parameter (`{ params }`) comes from the URL. */
export const ROUTE_HANDLER_EXPORTS: ReadonlySet<string> = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS']);

/** Functions whose result cannot carry injected text, whatever goes in. */
export const SANITIZING_FUNCTIONS: ReadonlySet<string> = new Set([
  'Number',
  'parseInt',
  'parseFloat',
  'Boolean',
  'BigInt',
  'isNaN',
  'isFinite',
]);

/** Methods whose result cannot carry injected text even on a tainted receiver. */
export const SANITIZING_METHODS: ReadonlySet<string> = new Set([
  'includes',
  'has',
  'startsWith',
  'endsWith',
  'indexOf',
  'lastIndexOf',
  'test',
  'some',
  'every',
  'findIndex',
  'toFixed',
  'getTime',
  'valueOf',
  'escape',
  'escapeLiteral',
  'escapeIdentifier',
  'escapeId',
]);

/** Driver methods that quote a value or an identifier for splicing (mysql `escape`/`escapeId`, pg `escapeLiteral`/`escapeIdentifier`). */
export const ESCAPING_METHODS: ReadonlySet<string> = new Set(['escape', 'escapeLiteral', 'escapeIdentifier', 'escapeId']);

/**
 * Functions that pass their arguments' content through (`String(x)`, `util.format('%s', x)`,
 * `Object.fromEntries(formData)`, `JSON.parse(body)`, and validators such as zod's
 * `schema.parse(input)`: a validated string is still whatever the client sent).
 */
export const PASS_THROUGH_FUNCTIONS: ReadonlySet<string> = new Set([
  'String',
  'decodeURIComponent',
  'decodeURI',
  'format',
  'stringify',
  'concat',
  'fromEntries',
  'parse',
  'safeParse',
  'parseAsync',
  'safeParseAsync',
]);

/**
 * `x.format(sql, values)` escapes its values for mysql/sqlstring, but `util.format` only splices text.
 * Receivers listed here pass text through; any other `.format` is treated as escaping.
 */
export const SPLICING_FORMAT_RECEIVERS: ReadonlySet<string> = new Set(['util']);
