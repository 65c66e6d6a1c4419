// Compliance: people can delete their account and export their data; personal data
// stays out of logs.
import { ts } from '../../ts';
import type { CheckContext, WorkspaceFile } from '../context';
import type { Evidence } from '../schema';
import { type CheckDefinition, at, defineChecks, fail, fromHit, lookedFor, notApplicable, pass, plural, unknown } from './check';

const ROUTE_FILE = /(^|\/)(app|pages)\/.+\.[cm]?[jt]sx?$/;

const DELETE_ROUTE = /\.(?:delete|del)\s*\(\s*['"`]((?:\/[^'"`/]+)*\/(?:me|account|accounts|profile|user|users)(?:\/[^'"`]*)?)['"`]/gi;
const NEXT_DELETE_HANDLER = /\bexport\s+(?:async\s+)?function\s+DELETE\b|\bexport\s+const\s+DELETE\b/g;
const ACCOUNT_PATH = /(^|\/)(account|accounts|user|users|me|profile)(\/|$)/;
const DELETE_FUNCTION = /\b(?:delete|remove|destroy|erase)(?:My|Own|Current)?(?:Account|User|Profile)(?:Account|Data|ById)?\s*[(=:]/g;
const DELETE_USER_ROW = /\bprisma\s*\.\s*(?:user|account|profile|customer)\s*\.\s*delete(?:Many)?\s*\(|\bdelete\s+from\s+"?(?:public\.)?"?(?:users|accounts|profiles|customers)\b|\.delete\s*\(\s*(?:users|accounts|profiles|customers)\s*\)|\.from\s*\(\s*['"`](?:users|accounts|profiles|customers)['"`]\s*\)\s*\.\s*delete\s*\(/gi;

const EXPORT_ROUTE = /\.(?:get|post)\s*\(\s*['"`]((?:\/[^'"`/]+)*\/(?:export|data-export|export-data|download-data|my-data|takeout|gdpr)(?:\/[^'"`]*)?)['"`]/gi;
const EXPORT_ROUTE_FILE = /(^|\/)(app|pages)\/(.+\/)?(export|data-export|export-data|download-data|my-data|takeout)(\/route|\/index)?\.[cm]?[jt]sx?$/;
const EXPORT_FUNCTION = /\b(?:export|download|get)(?:My|User|Account|Personal)(?:Data|Account)\w*\s*[(=:]|\bexportData\s*[(=:]/g;

const LOG_CALL_HINT = /\b(?:console|logger|log)\s*\.\s*(?:log|info|warn|error|debug|trace|fatal)\s*\(|\.log\s*\.\s*(?:info|warn|error|debug|trace|fatal)\s*\(/;
const LOG_LEVELS = new Set(['log', 'info', 'warn', 'error', 'debug', 'trace', 'fatal']);
const SENSITIVE_LAST_WORD = new Set(['email', 'emails', 'password', 'passwords', 'passwd', 'pwd', 'ssn', 'phone', 'token', 'jwt', 'cvv', 'cvc', 'dob', 'birthdate', 'birthday', 'iban']);
const SENSITIVE_WHOLE = new Set(['cardnumber', 'creditcard', 'creditcardnumber', 'socialsecuritynumber', 'dateofbirth', 'phonenumber', 'emailaddress', 'mobilenumber']);

function firstHit(ctx: CheckContext, patterns: readonly RegExp[], detail: string): Evidence | undefined {
  for (const pattern of patterns) {
    const hit = ctx.first(pattern, ctx.serverCode);
    if (hit) return fromHit(hit, `${detail}: ${hit.text.replace(/\s*[(=:]$/, '')}`);
  }
  return undefined;
}

function accountDeletion(ctx: CheckContext): Evidence | undefined {
  const route = ctx.first(DELETE_ROUTE, ctx.serverCode);
  if (route) return fromHit(route, `DELETE ${route.groups[0] ?? ''}`);
  for (const file of ctx.serverCode) {
    if (!ROUTE_FILE.test(file.path) || !ACCOUNT_PATH.test(file.path.replace(/^(src\/)?(app|pages)\/(api\/)?/, ''))) continue;
    const handler = file.matches(NEXT_DELETE_HANDLER)[0];
    if (handler) return at(file.path, handler.line, 'DELETE handler');
  }
  return firstHit(ctx, [DELETE_FUNCTION, DELETE_USER_ROW], 'deletes accounts');
}

function dataExport(ctx: CheckContext): Evidence | undefined {
  const route = ctx.first(EXPORT_ROUTE, ctx.serverCode);
  if (route) return fromHit(route, `route ${route.groups[0] ?? ''}`);
  const file = ctx.serverCode.find((candidate) => EXPORT_ROUTE_FILE.test(candidate.path));
  if (file) return at(file.path, 1, 'export route file');
  return firstHit(ctx, [EXPORT_FUNCTION], 'exports user data');
}

/** `userEmail` → ['user', 'email']; `access_token` → ['access', 'token']. */
function words(identifier: string): string[] {
  return identifier
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[_$-]+/g, ' ')
    .toLowerCase()
    .split(/\s+/)
    .filter(Boolean);
}

export function isSensitiveName(identifier: string): boolean {
  const parts = words(identifier);
  const last = parts.at(-1);
  return (last !== undefined && SENSITIVE_LAST_WORD.has(last)) || SENSITIVE_WHOLE.has(parts.join(''));
}

/** A log call and the personal data it names. */
export interface PiiLog {
  line: number;
  call: string;
  names: string[];
}

function isLogCall(callee: ts.Expression): string | undefined {
  if (!ts.isPropertyAccessExpression(callee) || !LOG_LEVELS.has(callee.name.text)) return undefined;
  const receiver = callee.expression;
  const name = ts.isIdentifier(receiver) ? receiver.text : ts.isPropertyAccessExpression(receiver) ? receiver.name.text : undefined;
  if (name === undefined) return undefined;
  if (name === 'console' || name === 'log' || /logger$/i.test(name)) return `${name}.${callee.name.text}`;
  return undefined;
}

export function piiLogs(file: WorkspaceFile): readonly PiiLog[] {
  return file.memo('piiLogs', () => {
    if (!LOG_CALL_HINT.test(file.text)) return [];
    const found: PiiLog[] = [];
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node)) {
        const call = isLogCall(node.expression);
        if (call) {
          const names = new Set<string>();
          for (const arg of node.arguments) collectSensitive(arg, names);
          if (names.size > 0) found.push({ line: file.line(node.getStart(file.ast)), call, names: [...names] });
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(file.ast);
    return found;
  });
}

function collectSensitive(node: ts.Node, names: Set<string>): void {
  // A whole request body carries passwords and emails.
  if (ts.isPropertyAccessExpression(node) && node.name.text === 'body' && ts.isIdentifier(node.expression) && /^(req|request|ctx|c)$/.test(node.expression.text)) {
    const parent = node.parent;
    if (!(ts.isPropertyAccessExpression(parent) || ts.isElementAccessExpression(parent)) || parent.expression !== node) names.add(`${node.expression.text}.body`);
  }
  if (ts.isCallExpression(node)) {
    // The callee's name is what is done, not what is logged (`hashPassword(x)` logs a hash).
    for (const arg of node.arguments) collectSensitive(arg, names);
    if (ts.isPropertyAccessExpression(node.expression)) collectSensitive(node.expression.expression, names);
    return;
  }
  if ((ts.isIdentifier(node) || ts.isPrivateIdentifier(node)) && isSensitiveName(node.text)) names.add(node.text);
  ts.forEachChild(node, (child) => collectSensitive(child, names));
}

export const COMPLIANCE_CHECKS = defineChecks([
  {
    id: 'account-deletion',
    dimension: 'compliance',
    title: 'People can delete their account',
    weight: 12,
    remedy: 'Add `DELETE /api/users/me` (behind auth) that deletes or anonymizes the user and their data; GDPR, CCPA and the app stores require it.',
    evaluate(ctx) {
      const accounts = ctx.app.userAccounts;
      if (!accounts) return notApplicable('The app stores no user accounts.', lookedFor('a User model or users table, password hashing, an auth library'));
      const evidence = accountDeletion(ctx);
      if (evidence) return pass('Accounts can be deleted.', evidence);
      if (accounts.hostedOnly) return unknown('Accounts live with a hosted provider that may offer deletion; confirm the app\'s own data is deleted too.', accounts.evidence);
      return fail('User accounts are stored but nothing deletes one: a deletion request means hand-written SQL under a legal deadline.', accounts.evidence, lookedFor('DELETE /users/me or /account, a DELETE handler in app/api/account/route.ts, deleteAccount()'));
    },
  },
  {
    id: 'data-export',
    dimension: 'compliance',
    title: 'People can export their data',
    weight: 8,
    remedy: 'Add `GET /api/users/me/export` (behind auth) that returns the user\'s records as JSON; GDPR gives every user this right.',
    evaluate(ctx) {
      const accounts = ctx.app.userAccounts;
      if (!accounts) return notApplicable('The app stores no user accounts.', lookedFor('a User model or users table, password hashing, an auth library'));
      const evidence = dataExport(ctx);
      if (evidence) return pass('Users can export their data.', evidence);
      if (accounts.hostedOnly) return unknown('Accounts live with a hosted provider; confirm users can get a copy of the app\'s data about them.', accounts.evidence);
      return fail('User accounts are stored but there is no data export.', accounts.evidence, lookedFor('/export, /data-export routes, exportUserData()'));
    },
  },
  {
    id: 'no-pii-in-logs',
    dimension: 'compliance',
    title: 'Personal data and credentials stay out of logs',
    weight: 12,
    remedy: 'Log ids, not emails, passwords, tokens or request bodies; with pino, add `redact: [\'req.body.password\', \'*.email\']`.',
    evaluate(ctx) {
      if (ctx.serverCode.length === 0) return notApplicable('No server code.', lookedFor('code files'));
      const logs = ctx.serverCode.flatMap((file) => piiLogs(file).map((log) => ({ file, log })));
      if (logs.length > 0) return fail(`${plural(logs.length, 'log call')} write${logs.length === 1 ? 's' : ''} personal data or credentials to the logs.`, ...logs.map(({ file, log }) => at(file.path, log.line, `${log.call}(…) logs ${log.names.join(', ')}`)));
      return pass('No log call names emails, passwords, tokens or request bodies.', lookedFor('console/logger calls with email, password, token, ssn, phone, req.body'));
    },
  },
] satisfies CheckDefinition[]);
