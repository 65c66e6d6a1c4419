// Deterministic generator for the benchmark workspace: a large, realistic
// AI-built web app (Express + pg, Next.js app router + Prisma, React) with a
// few planted findings (SQL injection, hardcoded secrets) among many safe
// look-alikes. The same seed and size always produce byte-identical output.
//
// Usage: node --import tsx test/bench/generate.ts --out <dir> [--lines 500000] [--seed 42]

import * as fs from 'node:fs';
import * as path from 'node:path';

// ---------------------------------------------------------------------------
// Seeded PRNG (sfc32, seeded through cyrb128) — never Math.random.

export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number | string) {
    const [a, b, c, d] = cyrb128(String(seed));
    this.a = a;
    this.b = b;
    this.c = c;
    this.d = d;
    for (let i = 0; i < 15; i++) this.next();
  }

  /** Uniform float in [0, 1). */
  next(): number {
    this.a >>>= 0;
    this.b >>>= 0;
    this.c >>>= 0;
    this.d >>>= 0;
    let t = (this.a + this.b) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.d = (this.d + 1) | 0;
    t = (t + this.d) | 0;
    this.c = (this.c + t) | 0;
    return (t >>> 0) / 4294967296;
  }

  /** Integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from an empty list');
    return items[Math.floor(this.next() * items.length)] as T;
  }

  /** k distinct items, in random order. */
  sample<T>(items: readonly T[], k: number): T[] {
    const copy = [...items];
    for (let i = copy.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      const tmp = copy[i] as T;
      copy[i] = copy[j] as T;
      copy[j] = tmp;
    }
    return copy.slice(0, Math.min(k, copy.length));
  }

  chars(alphabet: string, n: number): string {
    let out = '';
    for (let i = 0; i < n; i++) out += alphabet.charAt(Math.floor(this.next() * alphabet.length));
    return out;
  }

  alnum(n: number): string {
    return this.chars('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789', n);
  }
}

function cyrb128(str: string): [number, number, number, number] {
  let h1 = 1779033703;
  let h2 = 3144134277;
  let h3 = 1013904242;
  let h4 = 2773480762;
  for (let i = 0; i < str.length; i++) {
    const k = str.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  h1 ^= h2 ^ h3 ^ h4;
  h2 ^= h1;
  h3 ^= h1;
  h4 ^= h1;
  return [h1 >>> 0, h2 >>> 0, h3 >>> 0, h4 >>> 0];
}

// ---------------------------------------------------------------------------
// Vocabulary.

const DOMAINS = [
  'billing', 'inventory', 'crm', 'support', 'analytics', 'identity', 'catalog', 'logistics',
  'marketing', 'scheduling', 'messaging', 'compliance', 'payroll', 'procurement', 'content',
  'onboarding', 'partners', 'reporting', 'fulfillment', 'subscriptions', 'loyalty', 'warehouse',
  'bookings', 'insurance', 'lending', 'learning', 'clinic', 'fleet', 'events', 'commerce',
] as const;

// No entity may produce a folder that scanners skip by convention (vendor, build, dist, …):
// both tools must see the same files.
const ENTITIES = [
  'account', 'address', 'invoice', 'payment', 'refund', 'order', 'lineItem', 'product', 'variant',
  'category', 'supplier', 'shipment', 'carrier', 'parcel', 'customer', 'contact', 'lead', 'deal',
  'pipeline', 'ticket', 'agent', 'macro', 'article', 'campaign', 'segment', 'audience', 'coupon',
  'voucher', 'subscription', 'plan', 'price', 'taxRate', 'paymentMethod', 'auditLog',
  'webhookEndpoint', 'reservation', 'booking', 'slot', 'room', 'venue', 'event', 'attendee', 'badge',
  'policy', 'claim', 'quote', 'loan', 'payout', 'transfer', 'ledgerEntry', 'budget', 'expense',
  'receipt', 'employee', 'timesheet', 'shift', 'department', 'merchant', 'contract', 'purchaseOrder',
  'requisition', 'asset', 'license', 'document', 'folder', 'comment', 'attachment', 'notification',
  'template', 'message', 'thread', 'channel', 'member', 'team', 'project', 'milestone', 'task',
  'sprint', 'release', 'feature', 'experiment', 'metric', 'dashboard', 'report', 'exportJob',
  'schedule', 'integration', 'partner', 'referral', 'reward', 'tier', 'review', 'survey',
  'surveyResponse', 'question', 'course', 'lesson', 'enrollment', 'certificate', 'patient',
  'appointment', 'prescription', 'provider', 'vehicle', 'driver', 'trip', 'stop', 'zone', 'region',
  'store', 'cart', 'wishlist', 'favorite', 'device', 'location', 'inspection', 'incident', 'alert',
  'approval', 'workflow', 'submission', 'announcement', 'playlist', 'stockLevel', 'batch',
] as const;

const AUTHORS = ['jlee', 'mpatel', 'sgarcia', 'akim', 'tnguyen', 'rsmith', 'lchen', 'dokafor'];

const TODOS = [
  'move this to a background job once volume grows',
  'add pagination cursors instead of offsets',
  'cache this per request',
  'remove after the migration is done',
  'handle partial failures',
  'tighten the types once the API settles',
  'emit an analytics event here',
  'double-check the timezone handling',
];

const NOTES = [
  'keep in sync with the dashboard filters',
  'the mobile app still relies on this shape',
  'values are stored in cents to avoid float rounding',
  'ordering matters here, see the release notes',
  'this runs inside the request, keep it cheap',
];

type FieldKind = 'string' | 'text' | 'email' | 'int' | 'money' | 'float' | 'bool' | 'date' | 'enum' | 'tags' | 'url';

interface FieldDef {
  name: string;
  kind: FieldKind;
  nullable: boolean;
  values?: readonly string[];
}

const ENUMS: Record<string, readonly (readonly string[])[]> = {
  status: [
    ['draft', 'active', 'archived'],
    ['pending', 'approved', 'rejected'],
    ['open', 'in_progress', 'resolved', 'closed'],
    ['scheduled', 'completed', 'cancelled'],
    ['queued', 'running', 'failed', 'succeeded'],
  ],
  kind: [['standard', 'premium', 'internal'], ['manual', 'automatic'], ['inbound', 'outbound']],
  visibility: [['private', 'team', 'public']],
  currency: [['usd', 'eur', 'gbp', 'cad']],
  channel: [['email', 'sms', 'push', 'in_app']],
};

const FIELD_POOL: readonly Omit<FieldDef, 'nullable'>[] = [
  { name: 'title', kind: 'string' }, { name: 'name', kind: 'string' }, { name: 'displayName', kind: 'string' },
  { name: 'label', kind: 'string' }, { name: 'code', kind: 'string' }, { name: 'slug', kind: 'string' },
  { name: 'sku', kind: 'string' }, { name: 'reference', kind: 'string' }, { name: 'email', kind: 'email' },
  { name: 'contactEmail', kind: 'email' }, { name: 'phone', kind: 'string' }, { name: 'description', kind: 'text' },
  { name: 'notes', kind: 'text' }, { name: 'summary', kind: 'text' }, { name: 'body', kind: 'text' },
  { name: 'amountCents', kind: 'money' }, { name: 'totalCents', kind: 'money' }, { name: 'balanceCents', kind: 'money' },
  { name: 'priceCents', kind: 'money' }, { name: 'quantity', kind: 'int' }, { name: 'position', kind: 'int' },
  { name: 'priority', kind: 'int' }, { name: 'capacity', kind: 'int' }, { name: 'durationMinutes', kind: 'int' },
  { name: 'score', kind: 'float' }, { name: 'rating', kind: 'float' }, { name: 'weightKg', kind: 'float' },
  { name: 'isActive', kind: 'bool' }, { name: 'isArchived', kind: 'bool' }, { name: 'isDefault', kind: 'bool' },
  { name: 'requiresApproval', kind: 'bool' }, { name: 'startsAt', kind: 'date' }, { name: 'endsAt', kind: 'date' },
  { name: 'dueDate', kind: 'date' }, { name: 'publishedAt', kind: 'date' }, { name: 'expiresAt', kind: 'date' },
  { name: 'lastSeenAt', kind: 'date' }, { name: 'status', kind: 'enum' }, { name: 'kind', kind: 'enum' },
  { name: 'visibility', kind: 'enum' }, { name: 'currency', kind: 'enum' }, { name: 'channel', kind: 'enum' },
  { name: 'tags', kind: 'tags' }, { name: 'websiteUrl', kind: 'url' }, { name: 'avatarUrl', kind: 'url' },
  { name: 'externalId', kind: 'string' }, { name: 'timezone', kind: 'string' }, { name: 'locale', kind: 'string' },
  { name: 'country', kind: 'string' },
];

// ---------------------------------------------------------------------------
// Naming helpers.

const cap = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);
const snake = (s: string): string => s.replace(/[A-Z]/g, (m) => `_${m.toLowerCase()}`);
const kebab = (s: string): string => s.replace(/[A-Z]/g, (m) => `-${m.toLowerCase()}`);
const words = (s: string): string => s.replace(/[A-Z]/g, (m) => ` ${m.toLowerCase()}`);

function plural(s: string): string {
  if (/[^aeiou]y$/.test(s)) return `${s.slice(0, -1)}ies`;
  if (/(s|x|ch|sh)$/.test(s)) return `${s}es`;
  return `${s}s`;
}

/** Optional capabilities, decided once per entity so the service, routes and UI agree. */
interface Features {
  events: boolean;
  transitions: boolean;
  exportCsv: boolean;
  duplicate: boolean;
  stats: boolean;
  details: boolean;
}

interface Entity {
  domain: string;
  name: string; // camelCase singular, globally unique
  Name: string; // PascalCase
  names: string; // camelCase plural
  Names: string;
  file: string; // kebab singular, for server module files
  urlSegment: string; // kebab plural
  table: string; // snake plural
  human: string;
  humans: string;
  fields: FieldDef[];
  parent: Entity | undefined;
  features: Features;
  dir: string; // server module dir
}

function tsType(f: FieldDef): string {
  let t: string;
  switch (f.kind) {
    case 'int': case 'money': case 'float': t = 'number'; break;
    case 'bool': t = 'boolean'; break;
    case 'date': t = 'Date'; break;
    case 'enum': t = (f.values ?? []).map((v) => `'${v}'`).join(' | '); break;
    case 'tags': t = 'string[]'; break;
    default: t = 'string';
  }
  return f.nullable ? `${t} | null` : t;
}

function zodType(f: FieldDef): string {
  let z: string;
  switch (f.kind) {
    case 'email': z = 'z.string().email()'; break;
    case 'url': z = 'z.string().url()'; break;
    case 'text': z = 'z.string().max(5000)'; break;
    case 'int': z = 'z.number().int()'; break;
    case 'money': z = 'z.number().int().nonnegative()'; break;
    case 'float': z = 'z.number()'; break;
    case 'bool': z = 'z.boolean()'; break;
    case 'date': z = 'z.coerce.date()'; break;
    case 'enum': z = `z.enum([${(f.values ?? []).map((v) => `'${v}'`).join(', ')}])`; break;
    case 'tags': z = 'z.array(z.string().min(1).max(40)).max(20)'; break;
    default: z = 'z.string().min(1).max(200)';
  }
  return f.nullable ? `${z}.nullable()` : z;
}

function prismaType(f: FieldDef): string {
  let t: string;
  switch (f.kind) {
    case 'int': case 'money': t = 'Int'; break;
    case 'float': t = 'Float'; break;
    case 'bool': t = 'Boolean'; break;
    case 'date': t = 'DateTime'; break;
    case 'tags': return 'String[]';
    default: t = 'String';
  }
  return f.nullable ? `${t}?` : t;
}

function sqlType(f: FieldDef): string {
  switch (f.kind) {
    case 'int': case 'money': return 'integer';
    case 'float': return 'double precision';
    case 'bool': return 'boolean';
    case 'date': return 'timestamptz';
    case 'tags': return 'text[]';
    default: return 'text';
  }
}

function sampleValue(f: FieldDef, rng: Rng): string {
  switch (f.kind) {
    case 'int': return String(rng.int(0, 50));
    case 'money': return String(rng.int(1, 5000) * 100);
    case 'float': return `${rng.int(0, 9)}.${rng.int(0, 9)}`;
    case 'bool': return rng.chance(0.5) ? 'true' : 'false';
    case 'date': return `new Date('2024-${String(rng.int(1, 12)).padStart(2, '0')}-${String(rng.int(1, 28)).padStart(2, '0')}')`;
    case 'enum': return `'${rng.pick(f.values ?? ['x'])}'`;
    case 'tags': return `['${rng.pick(['beta', 'vip', 'legacy', 'eu', 'priority'])}']`;
    case 'email': return `'${rng.pick(['ana', 'ben', 'chloe', 'dev', 'ops'])}@example.com'`;
    case 'url': return `'https://example.com/${rng.alnum(6).toLowerCase()}'`;
    default: return `'${rng.pick(['Alpha', 'Northwind', 'Acme', 'Globex', 'Initech', 'Umbrella'])} ${rng.int(1, 99)}'`;
  }
}

// ---------------------------------------------------------------------------
// Output bookkeeping.

export interface PlantedFinding {
  file: string;
  line: number;
  kind: 'sql-injection' | 'hardcoded-secret';
  variant: string;
}

export interface GenerateOptions {
  lines: number;
  seed: number | string;
}

export interface GeneratedWorkspace {
  files: number;
  lines: number;
  /** Files and lines ESLint lints (*.ts, *.tsx, *.js, *.jsx). */
  codeFiles: number;
  codeLines: number;
  planted: PlantedFinding[];
}

const CODE_EXT = /\.(ts|tsx|js|jsx)$/;

class Writer {
  files = 0;
  lines = 0;
  codeFiles = 0;
  codeLines = 0;
  planted: PlantedFinding[] = [];
  private readonly madeDirs = new Set<string>();

  constructor(private readonly root: string) {}

  write(rel: string, content: string[], plants: { needle: string; kind: PlantedFinding['kind']; variant: string }[] = []): void {
    const text = `${content.join('\n')}\n`;
    const abs = path.join(this.root, rel);
    const dir = path.dirname(abs);
    if (!this.madeDirs.has(dir)) {
      fs.mkdirSync(dir, { recursive: true });
      this.madeDirs.add(dir);
    }
    fs.writeFileSync(abs, text);
    const n = content.length;
    this.files++;
    this.lines += n;
    if (CODE_EXT.test(rel)) {
      this.codeFiles++;
      this.codeLines += n;
    }
    for (const plant of plants) {
      const idx = content.findIndex((l) => l.includes(plant.needle));
      if (idx < 0) throw new Error(`planted needle not found in ${rel}: ${plant.needle}`);
      this.planted.push({ file: rel, line: idx + 1, kind: plant.kind, variant: plant.variant });
    }
  }
}

type Plants = { needle: string; kind: PlantedFinding['kind']; variant: string }[];

/** Planting budget: every generated file adds to the debt, capable files pay it off (~1 finding per 50 files). */
class Budget {
  sql = 0;
  secret = 0;
  tick(): void {
    this.sql += 1 / 80;
    this.secret += 1 / 130;
  }
  takeSql(): boolean {
    if (this.sql < 1) return false;
    this.sql -= 1;
    return true;
  }
  takeSecret(): boolean {
    if (this.secret < 1) return false;
    this.secret -= 1;
    return true;
  }
}

// ---------------------------------------------------------------------------
// Commentary: AI-written code explains nearly every step. A post-pass adds
// such comments and blank lines before recognizable statements. It only
// triggers on lines that start a statement (never inside multi-line template
// literals, whose continuation lines start with SQL keywords or text).

const COMMENTARY: readonly [RegExp, readonly string[]][] = [
  [/^const session = await getSession/, ['Make sure the user is signed in', 'Auth check', 'Only signed-in users can access this']],
  [/^const parsed = /, ['Validate the input', 'Validate the request body with zod', 'Parse and validate']],
  [/^const \{ rows \} = await/, ['Query the database', 'Fetch matching rows', 'Run the query']],
  [/^const \{ searchParams \}/, ['Read the query string', 'Parse search params']],
  [/^const (created|updated|copy) = await/, ['Persist the changes', 'Save to the database', 'Write it']],
  [/^if \(!session\)/, ['Reject anonymous requests']],
  [/^if \(!(found|item|existing|row)\)/, ['Handle the not-found case', 'Nothing found: bail out early']],
  [/^return NextResponse\.json/, ['Send the response', 'Return JSON to the client']],
  [/^logger\./, ['Log for observability', 'Audit log']],
  [/^await publish/, ['Notify subscribers', 'Emit a domain event']],
  [/^for \(/, ['Process each item', 'Iterate over the results']],
  [/^try \{/, ['Wrap in try/catch so errors reach the error handler']],
  [/^const (\[\w+, set\w+\]) = useState/, ['Local state', 'Form state']],
  [/^useEffect\(/, ['Fetch on mount and whenever the inputs change', 'Side effect: load data']],
  [/^params\.push\(/, ['Add the parameter (never interpolate user input)']],
  [/^const \{ id \} = (await )?params/, ['Grab the id from the route params', 'Route params']],
  [/^const page = /, ['Pagination', 'Work out which page to load']],
  [/^res\.(json|status|send)/, ['Respond', 'Send the result back']],
  [/^setLoading\(true\)/, ['Show the spinner while loading']],
  [/^(async )?function \w+/, ['Handlers', 'Helper']],
  [/^const \w+ = (useMemo|useCallback)\(/, ['Memoized so it only recomputes when its inputs change', 'Derived state']],
  [/^const (result|response|countResult) = await/, ['Call out', 'Do the request']],
  [/^const \w+ = await this\.\w+/, ['Load it first', 'Look it up']],
  [/^if \(/, ['Guard clause', 'Early return if the check fails', 'Edge case']],
];

function fileHeader(rng: Rng, rel: string, e: Entity): string[] {
  if (!rng.chance(0.55)) return [];
  const what = rel.includes('/api/') ? `API route handlers for ${e.humans}` : rel.endsWith('.tsx') ? `UI for ${e.humans}` : `${cap(e.human)} ${path.basename(rel).split('.').slice(-2, -1).join('') || 'module'}`;
  const lines = ['/**', ` * ${what}.`];
  if (rng.chance(0.6)) lines.push(' *', ` * Part of the ${e.domain} module. ${rng.pick(NOTES).replace(/^./, (c) => c.toUpperCase())}.`);
  if (rng.chance(0.3)) lines.push(` * @see docs/${e.domain}.md`);
  lines.push(' */');
  return lines;
}

function annotate(lines: string[], rng: Rng): string[] {
  const out: string[] = [];
  const lastUse = new Map<RegExp, number>();
  let previous = '';
  for (const line of lines) {
    const trimmed = line.trimStart();
    const indent = line.slice(0, line.length - trimmed.length);
    if (indent.length >= 2) {
      const rule = COMMENTARY.find(([re]) => re.test(trimmed));
      const prevTrim = previous.trim();
      const opensBlock = prevTrim.endsWith('{') || prevTrim.endsWith('(') || prevTrim.endsWith('[') || prevTrim === '';
      const recent = rule !== undefined && out.length - (lastUse.get(rule[0]) ?? -100) < 12;
      if (rule && !recent && rng.chance(0.6)) {
        lastUse.set(rule[0], out.length);
        if (!opensBlock && rng.chance(0.5)) out.push('');
        out.push(`${indent}// ${rng.pick(rule[1])}`);
      } else if (/^return\b/.test(trimmed) && !opensBlock && rng.chance(0.5)) {
        out.push('');
      }
    }
    out.push(line);
    previous = line;
  }
  return out;
}

// ---------------------------------------------------------------------------
// Templates. Each returns the file's lines.

function jsdoc(rng: Rng, indent: string, text: string): string[] {
  if (rng.chance(0.35)) return [];
  if (rng.chance(0.4)) return [`${indent}// ${text}`];
  return [`${indent}/**`, `${indent} * ${text}`, `${indent} */`];
}

function maybeTodo(rng: Rng, indent: string): string[] {
  if (!rng.chance(0.18)) return [];
  return rng.chance(0.6)
    ? [`${indent}// TODO(${rng.pick(AUTHORS)}): ${rng.pick(TODOS)}`]
    : [`${indent}// NOTE: ${rng.pick(NOTES)}`];
}

function typesFile(e: Entity, rng: Rng): string[] {
  const out: string[] = [];
  out.push(`import { z } from 'zod';`);
  if (e.parent) out.push(`import type { ${e.parent.Name} } from '../${e.parent.file}/${e.parent.file}.types';`);
  out.push('');
  for (const f of e.fields) {
    if (f.kind === 'enum') {
      const constName = `${e.Name}${cap(f.name)}Values`;
      out.push(`export const ${constName} = [${(f.values ?? []).map((v) => `'${v}'`).join(', ')}] as const;`);
      out.push(`export type ${e.Name}${cap(f.name)} = (typeof ${constName})[number];`, '');
    }
  }
  out.push(...jsdoc(rng, '', `A ${e.human} as returned by the API.`));
  out.push(`export interface ${e.Name} {`, '  id: string;', '  organizationId: string;');
  if (e.parent) out.push(`  ${e.parent.name}Id: string;`);
  for (const f of e.fields) out.push(`  ${f.name}: ${tsType(f)};`);
  out.push('  createdAt: Date;', '  updatedAt: Date;', '}', '');
  if (e.parent) {
    out.push(`export interface ${e.Name}With${e.parent.Name} extends ${e.Name} {`, `  ${e.parent.name}: Pick<${e.parent.Name}, 'id' | 'createdAt'>;`, '}', '');
  }
  out.push(`export const create${e.Name}Schema = z.object({`);
  if (e.parent) out.push(`  ${e.parent.name}Id: z.string().uuid(),`);
  for (const f of e.fields) out.push(`  ${f.name}: ${zodType(f)}${f.nullable ? '.optional()' : ''},`);
  out.push('});', '');
  out.push(`export const update${e.Name}Schema = create${e.Name}Schema.partial();`, '');
  out.push(`export type Create${e.Name}Input = z.infer<typeof create${e.Name}Schema>;`);
  out.push(`export type Update${e.Name}Input = z.infer<typeof update${e.Name}Schema>;`, '');
  out.push(`export const ${e.name}ListQuerySchema = z.object({`);
  out.push('  limit: z.coerce.number().int().min(1).max(100).default(25),');
  out.push('  offset: z.coerce.number().int().min(0).default(0),');
  const enumField = e.fields.find((f) => f.kind === 'enum');
  if (enumField) out.push(`  ${enumField.name}: ${zodType({ ...enumField, nullable: false })}.optional(),`);
  out.push('  q: z.string().max(100).optional(),');
  out.push('});', '');
  out.push(`export type ${e.Name}ListQuery = z.infer<typeof ${e.name}ListQuerySchema>;`, '');
  out.push(`export interface ${e.Name}Page {`, `  items: ${e.Name}[];`, '  total: number;', '  limit: number;', '  offset: number;', '}');
  return out;
}

function mapperFile(e: Entity, rng: Rng): string[] {
  const out: string[] = [];
  out.push(`import type { ${e.Name} } from './${e.file}.types';`, '');
  out.push(...jsdoc(rng, '', `Row shape of the \`${e.table}\` table.`));
  out.push(`export interface ${e.Name}Row {`, '  id: string;', '  organization_id: string;');
  if (e.parent) out.push(`  ${snake(e.parent.name)}_id: string;`);
  for (const f of e.fields) out.push(`  ${snake(f.name)}: ${tsType(f)};`);
  out.push('  created_at: Date;', '  updated_at: Date;', '  deleted_at: Date | null;', '}', '');
  out.push(`export function map${e.Name}Row(row: ${e.Name}Row): ${e.Name} {`, '  return {', '    id: row.id,', '    organizationId: row.organization_id,');
  if (e.parent) out.push(`    ${e.parent.name}Id: row.${snake(e.parent.name)}_id,`);
  for (const f of e.fields) {
    if (f.kind === 'tags') out.push(`    ${f.name}: row.${snake(f.name)} ?? [],`);
    else out.push(`    ${f.name}: row.${snake(f.name)},`);
  }
  out.push('    createdAt: row.created_at,', '    updatedAt: row.updated_at,', '  };', '}', '');
  out.push(`export const ${e.name}ColumnMap: Record<string, string> = {`);
  for (const f of e.fields) out.push(`  ${f.name}: '${snake(f.name)}',`);
  out.push('};', '');
  out.push(`export function to${e.Name}Json(item: ${e.Name}): Record<string, unknown> {`);
  out.push('  return {', '    ...item,');
  for (const f of e.fields.filter((x) => x.kind === 'date')) {
    out.push(`    ${f.name}: item.${f.name}${f.nullable ? '?.toISOString() ?? null' : '.toISOString()'},`);
  }
  out.push('    createdAt: item.createdAt.toISOString(),', '    updatedAt: item.updatedAt.toISOString(),', '  };', '}');
  return out;
}

function repositoryFile(e: Entity, rng: Rng): string[] {
  const out: string[] = [];
  const cols = ['id', 'organization_id', ...(e.parent ? [`${snake(e.parent.name)}_id`] : []), ...e.fields.map((f) => snake(f.name)), 'created_at', 'updated_at'];
  const dbName = rng.pick(['pool', 'db']);
  out.push(`import type { Pool, PoolClient } from 'pg';`);
  out.push(`import { ${dbName === 'pool' ? 'pool' : 'pool as db'} } from '../../../lib/db';`);
  out.push(`import type { ${e.Name}, Create${e.Name}Input, Update${e.Name}Input, ${e.Name}ListQuery, ${e.Name}Page } from './${e.file}.types';`);
  out.push(`import { map${e.Name}Row, ${e.name}ColumnMap, type ${e.Name}Row } from './${e.file}.mapper';`, '');
  out.push(`const TABLE = '${e.table}';`);
  out.push(`const COLUMNS = [${cols.map((c) => `'${c}'`).join(', ')}].join(', ');`, '');
  out.push(...maybeTodo(rng, ''));
  out.push(`export class ${e.Name}Repository {`);
  out.push(`  constructor(private readonly db: Pool = ${dbName}) {}`, '');
  out.push(...jsdoc(rng, '  ', `Loads one ${e.human} scoped to the organization, or null.`));
  out.push(`  async findById(organizationId: string, id: string): Promise<${e.Name} | null> {`);
  out.push(`    const { rows } = await this.db.query<${e.Name}Row>(`);
  out.push(`      \`SELECT \${COLUMNS} FROM \${TABLE} WHERE organization_id = $1 AND id = $2 AND deleted_at IS NULL\`,`);
  out.push('      [organizationId, id],');
  out.push('    );');
  out.push(`    const row = rows[0];`, `    return row ? map${e.Name}Row(row) : null;`, '  }', '');
  out.push(...jsdoc(rng, '  ', `Lists ${e.humans} with optional filters; always parameterized.`));
  out.push(`  async list(organizationId: string, query: ${e.Name}ListQuery): Promise<${e.Name}Page> {`);
  out.push(`    const conditions: string[] = ['organization_id = $1', 'deleted_at IS NULL'];`);
  out.push('    const params: unknown[] = [organizationId];');
  const enumField = e.fields.find((f) => f.kind === 'enum');
  if (enumField) {
    out.push(`    if (query.${enumField.name}) {`, `      params.push(query.${enumField.name});`, `      conditions.push(\`${snake(enumField.name)} = $\${params.length}\`);`, '    }');
  }
  const textField = e.fields.find((f) => f.kind === 'string' || f.kind === 'email');
  if (textField) {
    out.push('    if (query.q) {', '      params.push(`%${query.q}%`);', `      conditions.push(\`${snake(textField.name)} ILIKE $\${params.length}\`);`, '    }');
  }
  out.push(`    const where = conditions.join(' AND ');`);
  out.push(`    const countResult = await this.db.query<{ count: string }>(\`SELECT count(*) FROM \${TABLE} WHERE \${where}\`, params);`);
  out.push('    params.push(query.limit, query.offset);');
  out.push(`    const { rows } = await this.db.query<${e.Name}Row>(`);
  out.push(`      \`SELECT \${COLUMNS} FROM \${TABLE} WHERE \${where} ORDER BY created_at DESC LIMIT $\${params.length - 1} OFFSET $\${params.length}\`,`);
  out.push('      params,', '    );');
  out.push('    return {', `      items: rows.map(map${e.Name}Row),`, `      total: Number(countResult.rows[0]?.count ?? 0),`, '      limit: query.limit,', '      offset: query.offset,', '    };', '  }', '');
  // create
  const insertCols = ['organization_id', ...(e.parent ? [`${snake(e.parent.name)}_id`] : []), ...e.fields.map((f) => snake(f.name))];
  out.push(`  async create(organizationId: string, input: Create${e.Name}Input): Promise<${e.Name}> {`);
  out.push(`    const { rows } = await this.db.query<${e.Name}Row>(`);
  out.push(`      \`INSERT INTO \${TABLE} (${insertCols.join(', ')})`);
  out.push(`       VALUES (${insertCols.map((_, i) => `$${i + 1}`).join(', ')})`);
  out.push('       RETURNING ${COLUMNS}`,');
  out.push('      [');
  out.push('        organizationId,');
  if (e.parent) out.push(`        input.${e.parent.name}Id,`);
  for (const f of e.fields) out.push(`        input.${f.name}${f.nullable ? ' ?? null' : ''},`);
  out.push('      ],', '    );');
  out.push(`    const row = rows[0];`, `    if (!row) throw new Error('insert into ${e.table} returned no row');`, `    return map${e.Name}Row(row);`, '  }', '');
  // update
  out.push(`  async update(organizationId: string, id: string, patch: Update${e.Name}Input): Promise<${e.Name} | null> {`);
  out.push('    const sets: string[] = [];', '    const params: unknown[] = [organizationId, id];');
  out.push('    for (const [key, value] of Object.entries(patch)) {');
  out.push(`      const column = ${e.name}ColumnMap[key];`, '      if (!column || value === undefined) continue;');
  out.push('      params.push(value);', '      sets.push(`${column} = $${params.length}`);', '    }');
  out.push('    if (sets.length === 0) return this.findById(organizationId, id);');
  out.push(`    const { rows } = await this.db.query<${e.Name}Row>(`);
  out.push(`      \`UPDATE \${TABLE} SET \${sets.join(', ')}, updated_at = now() WHERE organization_id = $1 AND id = $2 RETURNING \${COLUMNS}\`,`);
  out.push('      params,', '    );');
  out.push(`    const row = rows[0];`, `    return row ? map${e.Name}Row(row) : null;`, '  }', '');
  out.push('  async softDelete(organizationId: string, id: string): Promise<boolean> {');
  out.push(`    const result = await this.db.query(\`UPDATE \${TABLE} SET deleted_at = now() WHERE organization_id = $1 AND id = $2\`, [organizationId, id]);`);
  out.push('    return (result.rowCount ?? 0) > 0;', '  }');
  // a few finders
  const finders = rng.sample(e.fields.filter((f) => ['string', 'email', 'enum', 'bool'].includes(f.kind)), rng.int(1, 3));
  for (const f of finders) {
    out.push('');
    out.push(`  async findBy${cap(f.name)}(organizationId: string, value: ${tsType({ ...f, nullable: false })}): Promise<${e.Name}[]> {`);
    out.push(`    const { rows } = await this.db.query<${e.Name}Row>(`);
    out.push(`      \`SELECT \${COLUMNS} FROM \${TABLE} WHERE organization_id = $1 AND ${snake(f.name)} = $2 AND deleted_at IS NULL ORDER BY created_at DESC LIMIT 500\`,`);
    out.push('      [organizationId, value],', '    );', `    return rows.map(map${e.Name}Row);`, '  }');
  }
  if (e.parent) {
    out.push('');
    out.push(`  async countBy${e.parent.Name}(organizationId: string, ${e.parent.name}Id: string): Promise<number> {`);
    out.push(`    const { rows } = await this.db.query<{ count: string }>(`);
    out.push(`      'SELECT count(*) FROM ${e.table} WHERE organization_id = $1 AND ${snake(e.parent.name)}_id = $2 AND deleted_at IS NULL',`);
    out.push(`      [organizationId, ${e.parent.name}Id],`, '    );', '    return Number(rows[0]?.count ?? 0);', '  }');
  }
  const moneyField = e.fields.find((f) => f.kind === 'money');
  if (moneyField) {
    out.push('');
    out.push(`  async sum${cap(moneyField.name)}(organizationId: string, since: Date): Promise<number> {`);
    out.push(`    const sql = \`SELECT coalesce(sum(${snake(moneyField.name)}), 0) AS total FROM \${TABLE} WHERE organization_id = $1 AND created_at >= $2\`;`);
    out.push(`    const { rows } = await this.db.query<{ total: string }>(sql, [organizationId, since]);`, '    return Number(rows[0]?.total ?? 0);', '  }');
  }
  if (rng.chance(0.5)) {
    out.push('');
    out.push(`  async withTransaction<T>(fn: (client: PoolClient) => Promise<T>): Promise<T> {`);
    out.push(`    const client = await ${dbName}.connect();`, '    try {', `      await client.query('BEGIN');`, '      const result = await fn(client);');
    out.push(`      await client.query('COMMIT');`, '      return result;', '    } catch (error) {', `      await client.query('ROLLBACK');`, '      throw error;', '    } finally {', '      client.release();', '    }', '  }');
  }
  out.push('}', '');
  out.push(`export const ${e.name}Repository = new ${e.Name}Repository();`);
  return out;
}

function serviceFile(e: Entity, rng: Rng): string[] {
  const out: string[] = [];
  out.push(`import { ${e.name}Repository, type ${e.Name}Repository } from './${e.file}.repository';`);
  if (e.parent) out.push(`import { ${e.parent.name}Repository, type ${e.parent.Name}Repository } from '../${e.parent.file}/${e.parent.file}.repository';`);
  out.push(`import { NotFoundError, ValidationError } from '../../../lib/errors';`);
  out.push(`import { logger } from '../../../lib/logger';`);
  out.push(`import { create${e.Name}Schema, update${e.Name}Schema, ${e.name}ListQuerySchema, type ${e.Name}, type ${e.Name}Page } from './${e.file}.types';`);
  const withEvents = e.features.events;
  if (withEvents) out.push(`import { publish } from '../../../lib/events';`);
  out.push('');
  out.push(...maybeTodo(rng, ''));
  out.push(...jsdoc(rng, '', `Business rules for ${e.humans}. Routes stay thin and call into this.`));
  out.push(`export class ${e.Name}Service {`);
  out.push('  constructor(');
  out.push(`    private readonly repo: ${e.Name}Repository = ${e.name}Repository,`);
  if (e.parent) out.push(`    private readonly ${e.parent.names}: ${e.parent.Name}Repository = ${e.parent.name}Repository,`);
  out.push('  ) {}', '');
  out.push(`  async get(organizationId: string, id: string): Promise<${e.Name}> {`);
  out.push(`    const found = await this.repo.findById(organizationId, id);`);
  out.push(`    if (!found) throw new NotFoundError('${e.human}', id);`, '    return found;', '  }', '');
  out.push(`  async list(organizationId: string, rawQuery: unknown): Promise<${e.Name}Page> {`);
  out.push(`    const query = ${e.name}ListQuerySchema.parse(rawQuery);`, '    return this.repo.list(organizationId, query);', '  }', '');
  out.push(`  async create(organizationId: string, actorId: string, raw: unknown): Promise<${e.Name}> {`);
  out.push(`    const parsed = create${e.Name}Schema.safeParse(raw);`);
  out.push(`    if (!parsed.success) throw new ValidationError(parsed.error.issues);`);
  if (e.parent) {
    out.push(`    const ${e.parent.name} = await this.${e.parent.names}.findById(organizationId, parsed.data.${e.parent.name}Id);`);
    out.push(`    if (!${e.parent.name}) throw new NotFoundError('${e.parent.human}', parsed.data.${e.parent.name}Id);`);
  }
  for (const f of e.fields.filter((x) => x.kind === 'date' && /ends|expires|due/i.test(x.name)).slice(0, 1)) {
    out.push(`    if (parsed.data.${f.name} && parsed.data.${f.name}.getTime() < Date.now()) {`);
    out.push(`      throw new ValidationError([{ path: ['${f.name}'], message: '${f.name} must be in the future' }]);`, '    }');
  }
  out.push(`    const created = await this.repo.create(organizationId, parsed.data);`);
  out.push(`    logger.info({ organizationId, actorId, ${e.name}Id: created.id }, '${e.human} created');`);
  if (withEvents) out.push(`    await publish('${e.domain}.${e.name}.created', { id: created.id, organizationId });`);
  out.push('    return created;', '  }', '');
  out.push(`  async update(organizationId: string, actorId: string, id: string, raw: unknown): Promise<${e.Name}> {`);
  out.push(`    const patch = update${e.Name}Schema.parse(raw);`);
  out.push(`    const updated = await this.repo.update(organizationId, id, patch);`);
  out.push(`    if (!updated) throw new NotFoundError('${e.human}', id);`);
  out.push(`    logger.info({ organizationId, actorId, ${e.name}Id: id, fields: Object.keys(patch) }, '${e.human} updated');`);
  if (withEvents) out.push(`    await publish('${e.domain}.${e.name}.updated', { id, organizationId });`);
  out.push('    return updated;', '  }', '');
  out.push('  async remove(organizationId: string, actorId: string, id: string): Promise<void> {');
  out.push('    const removed = await this.repo.softDelete(organizationId, id);');
  out.push(`    if (!removed) throw new NotFoundError('${e.human}', id);`);
  out.push(`    logger.warn({ organizationId, actorId, ${e.name}Id: id }, '${e.human} deleted');`, '  }');
  const enumField = e.fields.find((f) => f.kind === 'enum');
  if (enumField && e.features.transitions) {
    const values = enumField.values ?? [];
    out.push('');
    out.push(`  canTransition(from: ${e.Name}['${enumField.name}'], to: ${e.Name}['${enumField.name}']): boolean {`);
    out.push(`    const allowed: Record<string, string[]> = {`);
    values.forEach((v, i) => out.push(`      ${v}: [${values.slice(i + 1).map((x) => `'${x}'`).join(', ')}],`));
    out.push('    };', '    return allowed[from]?.includes(to) ?? false;', '  }', '');
    out.push(`  async bulkSet${cap(enumField.name)}(organizationId: string, actorId: string, ids: string[], value: ${e.Name}['${enumField.name}']): Promise<number> {`);
    out.push('    let changed = 0;', '    for (const id of ids) {', '      const current = await this.repo.findById(organizationId, id);', '      if (!current) continue;');
    out.push(`      if (!this.canTransition(current.${enumField.name}, value)) {`);
    out.push(`        logger.debug({ id, from: current.${enumField.name}, to: value }, 'skipping invalid transition');`, '        continue;', '      }');
    out.push(`      await this.repo.update(organizationId, id, { ${enumField.name}: value });`, '      changed++;', '    }');
    out.push(`    logger.info({ organizationId, actorId, changed }, 'bulk ${enumField.name} update');`, '    return changed;', '  }');
  }
  if (e.features.duplicate) {
    const copyable = e.fields.filter((f) => !/^(slug|code|sku|externalId|reference)$/.test(f.name));
    out.push('');
    out.push(...jsdoc(rng, '  ', `Copies a ${e.human}; unique identifiers are not copied.`));
    out.push(`  async duplicate(organizationId: string, actorId: string, id: string): Promise<${e.Name}> {`);
    out.push('    const source = await this.get(organizationId, id);');
    out.push('    const copy = await this.repo.create(organizationId, {');
    if (e.parent) out.push(`      ${e.parent.name}Id: source.${e.parent.name}Id,`);
    for (const f of e.fields) {
      if (copyable.includes(f)) out.push(`      ${f.name}: ${f.kind === 'string' && /title|name|label/i.test(f.name) ? `\`\${source.${f.name}} (copy)\`` : `source.${f.name}`},`);
      else out.push(`      ${f.name}: ${f.kind === 'string' ? `\`\${source.${f.name}}-\${Date.now().toString(36)}\`` : `source.${f.name}`},`);
    }
    out.push('    });');
    out.push(`    logger.info({ organizationId, actorId, from: id, to: copy.id }, '${e.human} duplicated');`, '    return copy;', '  }');
  }
  const statsEnum = e.fields.find((f) => f.kind === 'enum');
  if (e.features.stats) {
    const money = e.fields.find((f) => f.kind === 'money');
    out.push('');
    out.push(`  async stats(organizationId: string): Promise<{ total: number; ${statsEnum ? 'byValue: Record<string, number>; ' : ''}${money ? 'sumCents: number; ' : ''}newestAt: Date | null }> {`);
    out.push('    const page = await this.repo.list(organizationId, { limit: 100, offset: 0 });');
    if (statsEnum) {
      out.push('    const byValue: Record<string, number> = {};');
      out.push(`    for (const item of page.items) byValue[item.${statsEnum.name}] = (byValue[item.${statsEnum.name}] ?? 0) + 1;`);
    }
    if (money) out.push(`    const sumCents = page.items.reduce((sum, item) => sum + (item.${money.name} ?? 0), 0);`);
    out.push('    const newest = page.items[0];');
    out.push(`    return { total: page.total, ${statsEnum ? 'byValue, ' : ''}${money ? 'sumCents, ' : ''}newestAt: newest ? newest.createdAt : null };`, '  }');
  }
  if (e.features.exportCsv) {
    const shown = e.fields.filter((f) => f.kind !== 'tags').slice(0, 6);
    out.push('');
    out.push(...jsdoc(rng, '  ', 'CSV export used by the admin dashboard.'));
    out.push(`  async exportCsv(organizationId: string): Promise<string> {`);
    out.push('    const page = await this.repo.list(organizationId, { limit: 100, offset: 0 });');
    out.push(`    const header = [${['id', ...shown.map((f) => f.name)].map((c) => `'${c}'`).join(', ')}].join(',');`);
    out.push('    const escape = (value: unknown): string => {');
    out.push(`      const text = value instanceof Date ? value.toISOString() : String(value ?? '');`);
    out.push(`      return /[",\\n]/.test(text) ? \`"\${text.replace(/"/g, '""')}"\` : text;`, '    };');
    out.push(`    const lines = page.items.map((item) => [item.id, ${shown.map((f) => `item.${f.name}`).join(', ')}].map(escape).join(','));`);
    out.push(`    return [header, ...lines].join('\\n');`, '  }');
  }
  out.push('}', '', `export const ${e.name}Service = new ${e.Name}Service();`);
  return out;
}

function expressRoutesFile(e: Entity, rng: Rng, budget: Budget): { lines: string[]; plants: Plants } {
  const out: string[] = [];
  const plants: Plants = [];
  const vulnerable = budget.takeSql();
  const inline = vulnerable || rng.chance(0.45);
  out.push(`import { Router, type Request, type Response, type NextFunction } from 'express';`);
  out.push(`import { ${e.name}Service } from './${e.file}.service';`);
  out.push(`import { requireAuth, requireRole } from '../../../middleware/auth';`);
  out.push(`import { asyncHandler } from '../../../lib/async-handler';`);
  if (inline) out.push(`import { pool } from '../../../lib/db';`);
  out.push('');
  out.push(`export const ${e.name}Router = Router();`, '');
  out.push(`${e.name}Router.use(requireAuth);`, '');
  const style = rng.pick(['asyncHandler', 'tryCatch'] as const);
  const handler = (method: string, route: string, body: string[], extra = ''): void => {
    if (style === 'asyncHandler') {
      out.push(`${e.name}Router.${method}('${route}',${extra} asyncHandler(async (req: Request, res: Response) => {`);
      out.push(...body.map((l) => `  ${l}`));
      out.push('}));', '');
    } else {
      out.push(`${e.name}Router.${method}('${route}',${extra} async (req: Request, res: Response, next: NextFunction) => {`);
      out.push('  try {');
      out.push(...body.map((l) => `    ${l}`));
      out.push('  } catch (error) {', '    next(error);', '  }', '});', '');
    }
  };
  out.push(...jsdoc(rng, '', `GET /${e.urlSegment}: paginated list for the current organization.`));
  handler('get', '/', [`const page = await ${e.name}Service.list(req.user.organizationId, req.query);`, 'res.json(page);']);
  handler('get', '/:id', [`const item = await ${e.name}Service.get(req.user.organizationId, req.params.id);`, 'res.json(item);']);
  handler('post', '/', [`const created = await ${e.name}Service.create(req.user.organizationId, req.user.id, req.body);`, 'res.status(201).json(created);']);
  handler('patch', '/:id', [`const updated = await ${e.name}Service.update(req.user.organizationId, req.user.id, req.params.id, req.body);`, 'res.json(updated);']);
  handler('delete', '/:id', [`await ${e.name}Service.remove(req.user.organizationId, req.user.id, req.params.id);`, 'res.status(204).end();'], ` requireRole('admin'),`);
  const transitionField = e.fields.find((f) => f.kind === 'enum');
  if (e.features.transitions && transitionField) {
    handler('post', `/bulk/${kebab(transitionField.name)}`, [
      'const { ids, value } = req.body as { ids?: unknown; value?: unknown };',
      `if (!Array.isArray(ids) || ids.some((id) => typeof id !== 'string') || typeof value !== 'string') {`,
      `  return res.status(400).json({ error: 'ids (string[]) and value (string) are required' });`,
      '}',
      `const allowed: readonly string[] = [${(transitionField.values ?? []).map((v) => `'${v}'`).join(', ')}];`,
      `if (!allowed.includes(value)) return res.status(400).json({ error: \`unknown ${transitionField.name} \${value}\` });`,
      `const changed = await ${e.name}Service.bulkSet${cap(transitionField.name)}(req.user.organizationId, req.user.id, ids as string[], value as never);`,
      'res.json({ changed });',
    ]);
  }
  if (e.features.duplicate) {
    handler('post', '/:id/duplicate', [`const copy = await ${e.name}Service.duplicate(req.user.organizationId, req.user.id, req.params.id);`, 'res.status(201).json(copy);']);
  }
  if (e.features.stats) {
    handler('get', '/stats/summary', [`const stats = await ${e.name}Service.stats(req.user.organizationId);`, `res.set('Cache-Control', 'private, max-age=30');`, 'res.json(stats);']);
  }
  if (e.features.exportCsv) {
    handler('get', '/export/csv', [
      `const csv = await ${e.name}Service.exportCsv(req.user.organizationId);`,
      `res.setHeader('Content-Type', 'text/csv; charset=utf-8');`,
      `res.setHeader('Content-Disposition', 'attachment; filename="${e.urlSegment}.csv"');`,
      'res.send(csv);',
    ], ` requireRole('admin'),`);
  }
  if (inline) {
    const variant = vulnerable ? rng.pick(['template-id', 'concat', 'order-by'] as const) : rng.pick(['param', 'param-list', 'allowlist'] as const);
    const textField = e.fields.find((f) => f.kind === 'string' || f.kind === 'email');
    const col = textField ? snake(textField.name) : 'id';
    out.push(...maybeTodo(rng, ''));
    out.push(...jsdoc(rng, '', 'Quick lookup used by the admin search box; bypasses the service for speed.'));
    switch (variant) {
      case 'template-id': {
        const needle = `WHERE organization_id = '\${req.user.organizationId}' AND id = \${req.params.id}`;
        handler('get', '/:id/raw', [
          `const { rows } = await pool.query(\`SELECT * FROM ${e.table} ${needle}\`);`,
          `if (rows.length === 0) return res.status(404).json({ error: '${e.human} not found' });`,
          'res.json(rows[0]);',
        ]);
        plants.push({ needle, kind: 'sql-injection', variant: 'express-template' });
        break;
      }
      case 'concat': {
        const needle = `"SELECT id, ${col} FROM ${e.table} WHERE ${col} = '" + req.query.${textField ? textField.name : 'id'} + "'"`;
        handler('get', '/search/by-value', [
          `const sql = ${needle} + ' ORDER BY created_at DESC LIMIT 50';`,
          'const result = await pool.query(sql);',
          'res.json({ items: result.rows });',
        ]);
        plants.push({ needle, kind: 'sql-injection', variant: 'express-concat' });
        break;
      }
      case 'order-by': {
        const needle = `ORDER BY \${sort} \${direction}`;
        handler('get', '/export/sorted', [
          `const sort = String(req.query.sort ?? 'created_at');`,
          `const direction = req.query.dir === 'asc' ? 'ASC' : 'DESC';`,
          `const { rows } = await pool.query(\`SELECT id, ${col}, created_at FROM ${e.table} WHERE organization_id = $1 ${needle} LIMIT 1000\`, [req.user.organizationId]);`,
          'res.json(rows);',
        ]);
        plants.push({ needle, kind: 'sql-injection', variant: 'express-order-by' });
        break;
      }
      case 'param':
        handler('get', '/:id/raw', [
          `const { rows } = await pool.query('SELECT * FROM ${e.table} WHERE organization_id = $1 AND id = $2', [req.user.organizationId, req.params.id]);`,
          `if (rows.length === 0) return res.status(404).json({ error: '${e.human} not found' });`,
          'res.json(rows[0]);',
        ]);
        break;
      case 'param-list':
        handler('get', '/search/by-value', [
          `const value = String(req.query.value ?? '');`,
          `const result = await pool.query(\`SELECT id, ${col} FROM ${e.table} WHERE organization_id = $1 AND ${col} = $2 ORDER BY created_at DESC LIMIT 50\`, [req.user.organizationId, value]);`,
          'res.json({ items: result.rows });',
        ]);
        break;
      case 'allowlist':
        handler('get', '/export/sorted', [
          `const SORTABLE = ['created_at', 'updated_at', '${col}'] as const;`,
          `const requested = String(req.query.sort ?? 'created_at');`,
          `const sort = SORTABLE.find((c) => c === requested) ?? 'created_at';`,
          `const direction = req.query.dir === 'asc' ? 'ASC' : 'DESC';`,
          `const { rows } = await pool.query(\`SELECT id, ${col}, created_at FROM ${e.table} WHERE organization_id = $1 ORDER BY \${sort} \${direction} LIMIT 1000\`, [req.user.organizationId]);`,
          'res.json(rows);',
        ]);
        break;
    }
  }
  return { lines: out, plants };
}

function prismaWhereFilter(e: Entity): string[] {
  const enumField = e.fields.find((f) => f.kind === 'enum');
  const textField = e.fields.find((f) => f.kind === 'string');
  const out: string[] = ['organizationId: session.organizationId,'];
  if (enumField) out.push(`...(searchParams.get('${enumField.name}') ? { ${enumField.name}: searchParams.get('${enumField.name}') as ${e.Name}${cap(enumField.name)} } : {}),`);
  if (textField) out.push(`...(q ? { ${textField.name}: { contains: q, mode: 'insensitive' as const } } : {}),`);
  return out;
}

function nextListRouteFile(e: Entity, rng: Rng, budget: Budget): { lines: string[]; plants: Plants } {
  const out: string[] = [];
  const plants: Plants = [];
  const vulnerable = budget.takeSql();
  const raw = vulnerable || rng.chance(0.35);
  const enumField = e.fields.find((f) => f.kind === 'enum');
  out.push(`import { NextResponse, type NextRequest } from 'next/server';`);
  out.push(`import { prisma } from '@/lib/prisma';`);
  out.push(`import { getSession } from '@/lib/auth';`);
  out.push(`import { create${e.Name}Schema${enumField ? `, type ${e.Name}${cap(enumField.name)}` : ''} } from '@/src/server/modules/${e.domain}/${e.file}/${e.file}.types';`);
  out.push('');
  out.push(`export const dynamic = 'force-dynamic';`, '');
  out.push(`const PAGE_SIZE = ${rng.pick([20, 25, 50])};`, '');
  out.push(...jsdoc(rng, '', `GET /api/${e.domain}/${e.urlSegment}`));
  out.push('export async function GET(request: NextRequest) {');
  out.push('  const session = await getSession();');
  out.push(`  if (!session) return NextResponse.json({ error: 'Unauthorized' }, { status: 401 });`);
  out.push('  const { searchParams } = new URL(request.url);');
  out.push(`  const page = Math.max(1, Number(searchParams.get('page') ?? '1'));`);
  out.push(`  const q = searchParams.get('q')?.trim();`);
  out.push('  const [items, total] = await Promise.all([');
  out.push(`    prisma.${e.name}.findMany({`, '      where: {', ...prismaWhereFilter(e).map((l) => `        ${l}`), '      },');
  out.push(`      orderBy: { createdAt: 'desc' },`, '      skip: (page - 1) * PAGE_SIZE,', '      take: PAGE_SIZE,', '    }),');
  out.push(`    prisma.${e.name}.count({ where: { organizationId: session.organizationId } }),`, '  ]);');
  out.push('  return NextResponse.json({ items, total, page, pageSize: PAGE_SIZE });', '}', '');
  out.push(...jsdoc(rng, '', `POST /api/${e.domain}/${e.urlSegment}`));
  out.push('export async function POST(request: NextRequest) {');
  out.push('  const session = await getSession();');
  out.push(`  if (!session) return NextResponse.json({ error: 'Unauthorized' }, { status: 401 });`);
  out.push('  const body = await request.json();');
  out.push(`  const parsed = create${e.Name}Schema.safeParse(body);`);
  out.push('  if (!parsed.success) {', `    return NextResponse.json({ error: 'Invalid input', issues: parsed.error.issues }, { status: 400 });`, '  }');
  out.push(`  const created = await prisma.${e.name}.create({`, '    data: { ...parsed.data, organizationId: session.organizationId, createdById: session.userId },', '  });');
  out.push('  return NextResponse.json(created, { status: 201 });', '}');
  if (raw) {
    const textField = e.fields.find((f) => f.kind === 'string' || f.kind === 'email');
    const col = textField ? textField.name : 'id';
    out.push('');
    out.push(...maybeTodo(rng, ''));
    out.push(...jsdoc(rng, '', 'Full-text-ish search; Prisma cannot express this query.'));
    out.push('export async function PUT(request: NextRequest) {');
    out.push('  const session = await getSession();');
    out.push(`  if (!session) return NextResponse.json({ error: 'Unauthorized' }, { status: 401 });`);
    out.push('  const { searchParams } = new URL(request.url);');
    out.push(`  const term = searchParams.get('term') ?? '';`);
    const variant = vulnerable ? rng.pick(['raw-unsafe-template', 'raw-unsafe-concat'] as const) : rng.pick(['raw-tagged', 'raw-unsafe-param'] as const);
    switch (variant) {
      case 'raw-unsafe-template': {
        const needle = `WHERE "organizationId" = '\${session.organizationId}' AND "${col}" ILIKE '%\${term}%'`;
        out.push(`  const rows = await prisma.$queryRawUnsafe(\`SELECT * FROM "${e.Name}" ${needle} LIMIT 50\`);`);
        plants.push({ needle, kind: 'sql-injection', variant: 'prisma-raw-unsafe-template' });
        break;
      }
      case 'raw-unsafe-concat': {
        const needle = `'SELECT id, "${col}" FROM "${e.Name}" WHERE "${col}" = \\'' + term + '\\''`;
        out.push(`  const rows = await prisma.$queryRawUnsafe(${needle});`);
        plants.push({ needle, kind: 'sql-injection', variant: 'prisma-raw-unsafe-concat' });
        break;
      }
      case 'raw-tagged':
        out.push(`  const pattern = \`%\${term}%\`;`);
        out.push(`  const rows = await prisma.$queryRaw\`SELECT * FROM "${e.Name}" WHERE "organizationId" = \${session.organizationId} AND "${col}" ILIKE \${pattern} LIMIT 50\`;`);
        break;
      case 'raw-unsafe-param':
        out.push(`  const rows = await prisma.$queryRawUnsafe('SELECT * FROM "${e.Name}" WHERE "organizationId" = $1 AND "${col}" ILIKE $2 LIMIT 50', session.organizationId, \`%\${term}%\`);`);
        break;
    }
    out.push('  return NextResponse.json({ items: rows });', '}');
  }
  return { lines: out, plants };
}

function nextItemRouteFile(e: Entity, rng: Rng): string[] {
  const out: string[] = [];
  const next15 = rng.chance(0.6);
  const ctxType = next15 ? '{ params }: { params: Promise<{ id: string }> }' : '{ params }: { params: { id: string } }';
  const getId = next15 ? '  const { id } = await params;' : '  const { id } = params;';
  out.push(`import { NextResponse } from 'next/server';`);
  out.push(`import { prisma } from '@/lib/prisma';`);
  out.push(`import { getSession } from '@/lib/auth';`);
  out.push(`import { update${e.Name}Schema } from '@/src/server/modules/${e.domain}/${e.file}/${e.file}.types';`, '');
  out.push(`async function load${e.Name}(organizationId: string, id: string) {`);
  out.push(`  return prisma.${e.name}.findFirst({ where: { id, organizationId }${e.parent ? `, include: { ${e.parent.name}: { select: { id: true, createdAt: true } } }` : ''} });`, '}', '');
  out.push(`export async function GET(_request: Request, ${ctxType}) {`);
  out.push(getId, '  const session = await getSession();', `  if (!session) return NextResponse.json({ error: 'Unauthorized' }, { status: 401 });`);
  out.push(`  const item = await load${e.Name}(session.organizationId, id);`);
  out.push(`  if (!item) return NextResponse.json({ error: 'Not found' }, { status: 404 });`, '  return NextResponse.json(item);', '}', '');
  out.push(`export async function PATCH(request: Request, ${ctxType}) {`);
  out.push(getId, '  const session = await getSession();', `  if (!session) return NextResponse.json({ error: 'Unauthorized' }, { status: 401 });`);
  out.push(`  const parsed = update${e.Name}Schema.safeParse(await request.json());`);
  out.push(`  if (!parsed.success) return NextResponse.json({ error: parsed.error.flatten() }, { status: 400 });`);
  out.push(`  const existing = await load${e.Name}(session.organizationId, id);`);
  out.push(`  if (!existing) return NextResponse.json({ error: 'Not found' }, { status: 404 });`);
  out.push(`  const updated = await prisma.${e.name}.update({ where: { id: existing.id }, data: parsed.data });`);
  out.push('  return NextResponse.json(updated);', '}', '');
  out.push(`export async function DELETE(_request: Request, ${ctxType}) {`);
  out.push(getId, '  const session = await getSession();', `  if (!session) return NextResponse.json({ error: 'Unauthorized' }, { status: 401 });`);
  out.push(`  if (session.role !== 'admin') return NextResponse.json({ error: 'Forbidden' }, { status: 403 });`);
  out.push(`  const result = await prisma.${e.name}.deleteMany({ where: { id, organizationId: session.organizationId } });`);
  out.push(`  if (result.count === 0) return NextResponse.json({ error: 'Not found' }, { status: 404 });`);
  out.push('  return new NextResponse(null, { status: 204 });', '}');
  return out;
}

function pageFile(e: Entity, rng: Rng): string[] {
  const out: string[] = [];
  const cols = e.fields.filter((f) => f.kind !== 'text' && f.kind !== 'tags').slice(0, 5);
  const pageSize = rng.pick([20, 25, 50]);
  const subtitle = rng.pick([`Manage ${e.humans} for your organization.`, `All ${e.humans}, newest first.`, `Everything your team tracks as ${e.humans}.`]);
  out.push(`import Link from 'next/link';`);
  out.push(`import { redirect } from 'next/navigation';`);
  out.push(`import { prisma } from '@/lib/prisma';`);
  out.push(`import { getSession } from '@/lib/auth';`);
  out.push(`import { ${e.Name}Table } from '@/components/${e.domain}/${e.Name}Table';`, '');
  out.push(`export const metadata = { title: '${cap(e.humans)}' };`, '');
  out.push(...jsdoc(rng, '', `Server component: lists ${e.humans} straight from the database.`));
  out.push(`export default async function ${e.Names}Page({ searchParams }: { searchParams: Promise<{ q?: string; page?: string }> }) {`);
  out.push('  const session = await getSession();', `  if (!session) redirect('/login');`);
  out.push('  const { q, page } = await searchParams;', `  const current = Math.max(1, Number(page ?? '1'));`);
  out.push(`  const ${e.names} = await prisma.${e.name}.findMany({`);
  out.push('    where: { organizationId: session.organizationId },', `    orderBy: { createdAt: 'desc' },`, `    skip: (current - 1) * ${pageSize},`, `    take: ${pageSize},`, '  });');
  out.push('  return (');
  out.push('    <main className="mx-auto max-w-6xl space-y-6 p-6">');
  out.push('      <header className="flex items-center justify-between">');
  out.push('        <div>');
  out.push(`          <h1 className="text-2xl font-semibold tracking-tight">${cap(e.humans)}</h1>`);
  out.push(`          <p className="text-sm text-muted-foreground">${subtitle}</p>`);
  out.push('        </div>');
  out.push(`        <Link href="/${e.domain}/${e.urlSegment}/new" className="rounded-md bg-primary px-3 py-2 text-sm text-primary-foreground">`);
  out.push(`          New ${e.human}`, '        </Link>', '      </header>');
  out.push(`      {${e.names}.length === 0 ? (`);
  out.push('        <div className="rounded-lg border border-dashed p-10 text-center text-sm text-muted-foreground">');
  out.push(`          {q ? \`No ${e.humans} match "\${q}".\` : 'Nothing here yet.'}`, '        </div>', '      ) : (');
  out.push(`        <${e.Name}Table initialItems={${e.names}} columns={[${cols.map((c) => `'${c.name}'`).join(', ')}]} />`, '      )}');
  out.push('      <nav className="flex justify-end gap-2 text-sm">');
  out.push(`        {current > 1 && <Link href={\`?page=\${current - 1}\`}>Previous</Link>}`);
  out.push(`        {${e.names}.length === ${pageSize} && <Link href={\`?page=\${current + 1}\`}>Next</Link>}`);
  out.push('      </nav>', '    </main>', '  );', '}');
  return out;
}

function tableComponentFile(e: Entity, rng: Rng): string[] {
  const out: string[] = [];
  const cols = e.fields.filter((f) => f.kind !== 'text').slice(0, rng.int(3, 7));
  out.push(`'use client';`, '');
  out.push(`import { useMemo, useState } from 'react';`);
  out.push(`import type { ${e.Name} } from '@/src/server/modules/${e.domain}/${e.file}/${e.file}.types';`);
  out.push(`import { Button } from '@/components/ui/Button';`);
  out.push(`import { Input } from '@/components/ui/Input';`);
  out.push(`import { format${e.Name}Cell } from '@/lib/${e.domain}/${e.file}-format';`, '');
  out.push(`type SortKey = ${['createdAt', ...cols.map((c) => c.name)].map((c) => `'${c}'`).join(' | ')};`, '');
  out.push(`interface ${e.Name}TableProps {`, `  initialItems: ${e.Name}[];`, '  columns?: string[];', `  onSelect?: (item: ${e.Name}) => void;`, '}', '');
  out.push(...jsdoc(rng, '', `Client-side sortable, filterable table of ${e.humans}.`));
  out.push(`export function ${e.Name}Table({ initialItems, columns, onSelect }: ${e.Name}TableProps) {`);
  out.push(`  const [items, setItems] = useState<${e.Name}[]>(initialItems);`);
  out.push(`  const [filter, setFilter] = useState('');`);
  out.push(`  const [sortKey, setSortKey] = useState<SortKey>('createdAt');`);
  out.push(`  const [descending, setDescending] = useState(true);`);
  out.push('  const [selected, setSelected] = useState<Set<string>>(new Set());', '');
  out.push('  const visible = useMemo(() => {', '    const needle = filter.trim().toLowerCase();');
  out.push('    const filtered = needle');
  out.push(`      ? items.filter((item) => [${cols.map((c) => `item.${c.name}`).join(', ')}].some((v) => String(v ?? '').toLowerCase().includes(needle)))`);
  out.push('      : items;');
  out.push('    return [...filtered].sort((a, b) => {');
  out.push('      const av = a[sortKey];', '      const bv = b[sortKey];', '      if (av === bv) return 0;', '      if (av === null || av === undefined) return 1;', '      if (bv === null || bv === undefined) return -1;');
  out.push('      const cmp = av < bv ? -1 : 1;', '      return descending ? -cmp : cmp;', '    });', '  }, [items, filter, sortKey, descending]);', '');
  out.push('  function toggleSort(key: SortKey) {', '    if (key === sortKey) setDescending((d) => !d);', '    else {', '      setSortKey(key);', '      setDescending(false);', '    }', '  }', '');
  out.push('  async function removeSelected() {');
  out.push(`    if (!confirm(\`Delete \${selected.size} ${e.humans}?\`)) return;`);
  out.push('    await Promise.all(');
  out.push(`      [...selected].map((id) => fetch(\`/api/${e.domain}/${e.urlSegment}/\${id}\`, { method: 'DELETE' })),`, '    );');
  out.push('    setItems((prev) => prev.filter((item) => !selected.has(item.id)));', '    setSelected(new Set());', '  }', '');
  out.push('  return (', '    <div className="space-y-3">', '      <div className="flex items-center gap-2">');
  out.push(`        <Input placeholder="Filter ${e.humans}…" value={filter} onChange={(event) => setFilter(event.target.value)} />`);
  out.push('        <Button variant="destructive" disabled={selected.size === 0} onClick={removeSelected}>', '          Delete selected', '        </Button>', '      </div>');
  out.push('      <table className="w-full text-sm">', '        <thead>', '          <tr>', '            <th className="w-8" />');
  for (const c of cols) {
    out.push(`            {(!columns || columns.includes('${c.name}')) && (`);
    out.push(`              <th className="cursor-pointer text-left" onClick={() => toggleSort('${c.name}')}>`);
    out.push(`                ${cap(words(c.name))}{sortKey === '${c.name}' ? (descending ? ' ↓' : ' ↑') : ''}`, '              </th>', '            )}');
  }
  out.push(`            <th className="cursor-pointer text-left" onClick={() => toggleSort('createdAt')}>Created</th>`, '          </tr>', '        </thead>', '        <tbody>');
  out.push('          {visible.map((item) => (');
  out.push('            <tr key={item.id} className="border-t hover:bg-muted/50" onClick={() => onSelect?.(item)}>');
  out.push('              <td>', '                <input', '                  type="checkbox"', '                  checked={selected.has(item.id)}');
  out.push('                  onChange={(event) => {', '                    const next = new Set(selected);', '                    if (event.target.checked) next.add(item.id);', '                    else next.delete(item.id);', '                    setSelected(next);', '                  }}', '                />', '              </td>');
  for (const c of cols) {
    out.push(`              {(!columns || columns.includes('${c.name}')) && <td>{format${e.Name}Cell('${c.name}', item.${c.name})}</td>}`);
  }
  out.push('              <td>{new Date(item.createdAt).toLocaleDateString()}</td>', '            </tr>', '          ))}', '        </tbody>', '      </table>', '    </div>', '  );', '}');
  return out;
}

function formComponentFile(e: Entity, rng: Rng): string[] {
  const out: string[] = [];
  const fields = e.fields.filter((f) => f.kind !== 'tags');
  out.push(`'use client';`, '');
  out.push(`import { useState, type FormEvent } from 'react';`);
  out.push(`import { useRouter } from 'next/navigation';`);
  out.push(`import type { ${e.Name} } from '@/src/server/modules/${e.domain}/${e.file}/${e.file}.types';`);
  out.push(`import { Button } from '@/components/ui/Button';`);
  out.push(`import { Input } from '@/components/ui/Input';`, '');
  out.push(`interface ${e.Name}FormProps {`, `  initial?: Partial<${e.Name}>;`, `  onSaved?: (item: ${e.Name}) => void;`, '}', '');
  out.push(...jsdoc(rng, '', `Create / edit form for a ${e.human}.`));
  out.push(`export function ${e.Name}Form({ initial, onSaved }: ${e.Name}FormProps) {`);
  out.push('  const router = useRouter();');
  for (const f of fields) {
    const init = f.kind === 'bool' ? 'false' : f.kind === 'int' || f.kind === 'money' || f.kind === 'float' ? '0' : `''`;
    const from = f.kind === 'date' ? `initial?.${f.name} ? new Date(initial.${f.name}).toISOString().slice(0, 10) : ''` : `initial?.${f.name} ?? ${init}`;
    const t = f.kind === 'bool' ? 'boolean' : f.kind === 'int' || f.kind === 'money' || f.kind === 'float' ? 'number' : 'string';
    out.push(`  const [${f.name}, set${cap(f.name)}] = useState<${t}>(${from});`);
  }
  out.push('  const [saving, setSaving] = useState(false);', '  const [error, setError] = useState<string | null>(null);', '');
  out.push('  async function handleSubmit(event: FormEvent<HTMLFormElement>) {', '    event.preventDefault();', '    setSaving(true);', '    setError(null);', '    try {');
  out.push(`      const url = initial?.id ? \`/api/${e.domain}/${e.urlSegment}/\${initial.id}\` : '/api/${e.domain}/${e.urlSegment}';`);
  out.push('      const response = await fetch(url, {', `        method: initial?.id ? 'PATCH' : 'POST',`, `        headers: { 'Content-Type': 'application/json' },`);
  out.push(`        body: JSON.stringify({ ${fields.map((f) => f.name).join(', ')} }),`, '      });');
  out.push('      if (!response.ok) {', '        const payload = (await response.json().catch(() => ({}))) as { error?: string };', `        throw new Error(payload.error ?? \`Request failed with \${response.status}\`);`, '      }');
  out.push(`      const saved = (await response.json()) as ${e.Name};`, '      onSaved?.(saved);', `      router.push('/${e.domain}/${e.urlSegment}');`, '      router.refresh();');
  out.push('    } catch (err) {', `      setError(err instanceof Error ? err.message : 'Something went wrong');`, '    } finally {', '      setSaving(false);', '    }', '  }', '');
  out.push('  return (', '    <form onSubmit={handleSubmit} className="grid max-w-xl gap-4">');
  for (const f of fields) {
    const label = cap(words(f.name));
    out.push(`      <label className="grid gap-1 text-sm">`, `        <span>${label}</span>`);
    if (f.kind === 'bool') {
      out.push(`        <input type="checkbox" checked={${f.name}} onChange={(event) => set${cap(f.name)}(event.target.checked)} />`);
    } else if (f.kind === 'enum') {
      out.push(`        <select value={${f.name}} onChange={(event) => set${cap(f.name)}(event.target.value)} className="rounded-md border px-2 py-1">`);
      for (const v of f.values ?? []) out.push(`          <option value="${v}">${cap(v.replace(/_/g, ' '))}</option>`);
      out.push('        </select>');
    } else if (f.kind === 'text') {
      out.push(`        <textarea rows={4} value={${f.name}} onChange={(event) => set${cap(f.name)}(event.target.value)} className="rounded-md border p-2" />`);
    } else if (f.kind === 'int' || f.kind === 'money' || f.kind === 'float') {
      out.push(`        <Input type="number" value={${f.name}} onChange={(event) => set${cap(f.name)}(Number(event.target.value))} />`);
    } else {
      const type = f.kind === 'email' ? 'email' : f.kind === 'url' ? 'url' : f.kind === 'date' ? 'date' : 'text';
      out.push(`        <Input type="${type}" value={${f.name}} onChange={(event) => set${cap(f.name)}(event.target.value)}${f.nullable ? '' : ' required'} />`);
    }
    out.push('      </label>');
  }
  out.push('      {error && <p className="text-sm text-red-600">{error}</p>}');
  out.push('      <div className="flex gap-2">', `        <Button type="submit" disabled={saving}>{saving ? 'Saving…' : 'Save'}</Button>`);
  out.push('        <Button type="button" variant="ghost" onClick={() => router.back()}>', '          Cancel', '        </Button>', '      </div>', '    </form>', '  );', '}');
  return out;
}

function detailsComponentFile(e: Entity, rng: Rng): string[] {
  const out: string[] = [];
  out.push(`'use client';`, '');
  out.push(`import { useState } from 'react';`);
  out.push(`import type { ${e.Name} } from '@/src/server/modules/${e.domain}/${e.file}/${e.file}.types';`);
  out.push(`import { Button } from '@/components/ui/Button';`);
  out.push(`import { Modal } from '@/components/ui/Modal';`);
  out.push(`import { ${e.Name}Form } from './${e.Name}Form';`);
  out.push(`import { format${e.Name}Cell } from '@/lib/${e.domain}/${e.file}-format';`, '');
  out.push(...jsdoc(rng, '', `Read-only view of a ${e.human} with an edit dialog.`));
  out.push(`export function ${e.Name}Details({ item, canEdit = false }: { item: ${e.Name}; canEdit?: boolean }) {`);
  out.push('  const [editing, setEditing] = useState(false);', `  const [current, setCurrent] = useState<${e.Name}>(item);`, '');
  out.push('  return (', '    <section className="space-y-4 rounded-lg border p-6">', '      <div className="flex items-start justify-between">');
  const title = e.fields.find((f) => f.kind === 'string');
  out.push(`        <h2 className="text-xl font-semibold">{${title ? `current.${title.name}${title.nullable ? ` ?? current.id` : ''}` : 'current.id'}}</h2>`);
  out.push('        {canEdit && (', '          <Button variant="ghost" onClick={() => setEditing(true)}>', '            Edit', '          </Button>', '        )}', '      </div>');
  out.push('      <dl className="grid grid-cols-[max-content_1fr] gap-x-6 gap-y-2 text-sm">');
  for (const f of e.fields) {
    out.push(`        <dt className="text-muted-foreground">${cap(words(f.name))}</dt>`);
    if (f.kind === 'text') out.push(`        <dd className="whitespace-pre-wrap">{current.${f.name} ?? '—'}</dd>`);
    else if (f.kind === 'url') out.push(`        <dd>{current.${f.name} ? <a href={current.${f.name}} rel="noopener noreferrer" target="_blank" className="underline">{current.${f.name}}</a> : '—'}</dd>`);
    else if (f.kind === 'tags') out.push(`        <dd className="flex flex-wrap gap-1">{current.${f.name}.map((tag) => <span key={tag} className="rounded bg-muted px-1.5 py-0.5 text-xs">{tag}</span>)}</dd>`);
    else out.push(`        <dd>{format${e.Name}Cell('${f.name}', current.${f.name})}</dd>`);
  }
  out.push('        <dt className="text-muted-foreground">Created</dt>', '        <dd>{new Date(current.createdAt).toLocaleString()}</dd>', '      </dl>');
  out.push(`      <Modal open={editing} onClose={() => setEditing(false)} title="Edit ${e.human}">`);
  out.push(`        <${e.Name}Form`, '          initial={current}', '          onSaved={(saved) => {', '            setCurrent(saved);', '            setEditing(false);', '          }}', '        />');
  out.push('      </Modal>', '    </section>', '  );', '}');
  return out;
}

function hookFile(e: Entity, rng: Rng): string[] {
  const out: string[] = [];
  out.push(`'use client';`, '');
  out.push(`import { useCallback, useEffect, useState } from 'react';`);
  out.push(`import type { ${e.Name} } from '@/src/server/modules/${e.domain}/${e.file}/${e.file}.types';`, '');
  out.push(`interface Use${e.Names}Options {`, '  page?: number;', '  q?: string;', '  enabled?: boolean;', '}', '');
  out.push(...jsdoc(rng, '', `Fetches ${e.humans} from the API route; refetches when options change.`));
  out.push(`export function use${e.Names}({ page = 1, q = '', enabled = true }: Use${e.Names}Options = {}) {`);
  out.push(`  const [data, setData] = useState<${e.Name}[]>([]);`, '  const [total, setTotal] = useState(0);', '  const [loading, setLoading] = useState(false);', '  const [error, setError] = useState<Error | null>(null);', '  const [version, setVersion] = useState(0);', '');
  out.push('  useEffect(() => {', '    if (!enabled) return;', '    const controller = new AbortController();', '    setLoading(true);');
  out.push('    const params = new URLSearchParams({ page: String(page) });', `    if (q) params.set('q', q);`);
  out.push(`    fetch(\`/api/${e.domain}/${e.urlSegment}?\${params.toString()}\`, { signal: controller.signal })`);
  out.push('      .then(async (response) => {', `        if (!response.ok) throw new Error(\`Failed to load ${e.humans}: \${response.status}\`);`);
  out.push(`        const body = (await response.json()) as { items: ${e.Name}[]; total: number };`, '        setData(body.items);', '        setTotal(body.total);', '        setError(null);', '      })');
  out.push('      .catch((err: unknown) => {', `        if (err instanceof DOMException && err.name === 'AbortError') return;`, '        setError(err instanceof Error ? err : new Error(String(err)));', '      })');
  out.push('      .finally(() => setLoading(false));', '    return () => controller.abort();', '  }, [page, q, enabled, version]);', '');
  out.push('  const refetch = useCallback(() => setVersion((v) => v + 1), []);', '');
  out.push('  return { data, total, loading, error, refetch };', '}');
  return out;
}

function formatFile(e: Entity, rng: Rng): string[] {
  const out: string[] = [];
  out.push(`import type { ${e.Name} } from '@/src/server/modules/${e.domain}/${e.file}/${e.file}.types';`, '');
  const money = e.fields.filter((f) => f.kind === 'money');
  if (money.length > 0) {
    const currency = e.fields.some((f) => f.name === 'currency');
    out.push(`const moneyFormatter = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });`, '');
    out.push(`export function formatCents(cents: number${currency ? ', currency = \'usd\'' : ''}): string {`);
    if (currency) out.push(`  if (currency !== 'usd') return new Intl.NumberFormat('en-US', { style: 'currency', currency: currency.toUpperCase() }).format(cents / 100);`);
    out.push('  return moneyFormatter.format(cents / 100);', '}', '');
  }
  out.push(...jsdoc(rng, '', `Formats one cell of the ${e.human} table.`));
  out.push(`export function format${e.Name}Cell(column: string, value: unknown): string {`);
  out.push('  if (value === null || value === undefined) return \'—\';');
  out.push('  switch (column) {');
  for (const f of e.fields) {
    switch (f.kind) {
      case 'money': out.push(`    case '${f.name}':`, '      return formatCents(Number(value));'); break;
      case 'date': out.push(`    case '${f.name}':`, `      return new Date(String(value)).toLocaleDateString('en-US', { month: 'short', day: 'numeric', year: 'numeric' });`); break;
      case 'bool': out.push(`    case '${f.name}':`, `      return value ? 'Yes' : 'No';`); break;
      case 'enum': out.push(`    case '${f.name}':`, `      return String(value).replace(/_/g, ' ').replace(/^./, (c) => c.toUpperCase());`); break;
      case 'tags': out.push(`    case '${f.name}':`, `      return Array.isArray(value) ? value.join(', ') : String(value);`); break;
      case 'float': out.push(`    case '${f.name}':`, '      return Number(value).toFixed(1);'); break;
      default: break;
    }
  }
  out.push('    default:', '      return String(value);', '  }', '}', '');
  const enumField = e.fields.find((f) => f.kind === 'enum');
  if (enumField) {
    out.push(`export const ${e.name}${cap(enumField.name)}Colors: Record<string, string> = {`);
    const colors = ['bg-gray-100 text-gray-700', 'bg-blue-100 text-blue-700', 'bg-green-100 text-green-700', 'bg-amber-100 text-amber-700', 'bg-red-100 text-red-700'];
    (enumField.values ?? []).forEach((v, i) => out.push(`  ${v}: '${colors[i % colors.length] ?? ''}',`));
    out.push('};', '');
  }
  out.push(`export function group${e.Names}ByMonth(items: ${e.Name}[]): Map<string, ${e.Name}[]> {`);
  out.push(`  const groups = new Map<string, ${e.Name}[]>();`, '  for (const item of items) {');
  out.push(`    const key = new Date(item.createdAt).toISOString().slice(0, 7);`, '    const bucket = groups.get(key);', '    if (bucket) bucket.push(item);', '    else groups.set(key, [item]);', '  }', '  return groups;', '}');
  const titleField = e.fields.find((f) => f.kind === 'string');
  if (titleField) {
    out.push('', `export function ${e.name}Label(item: Pick<${e.Name}, 'id' | '${titleField.name}'>): string {`);
    out.push(`  const base = item.${titleField.name}${titleField.nullable ? ` ?? ''` : ''};`, `  return base.length > 48 ? \`\${base.slice(0, 47)}…\` : base || item.id.slice(0, 8);`, '}');
  }
  return out;
}

type SecretKind = 'stripe' | 'aws' | 'openai' | 'github';

function integrationFile(e: Entity, rng: Rng, budget: Budget): { lines: string[]; plants: Plants } {
  const out: string[] = [];
  const plants: Plants = [];
  const planted = budget.takeSecret();
  const kind: SecretKind = planted ? rng.pick(['stripe', 'stripe', 'stripe', 'aws', 'openai', 'github'] as const) : rng.pick(['stripe', 'aws', 'openai', 'github'] as const);
  out.push(`import { logger } from '../../../lib/logger';`);
  out.push(`import type { ${e.Name} } from './${e.file}.types';`);
  switch (kind) {
    case 'stripe': {
      const key = `sk_live_${rng.alnum(40)}`;
      out.push(`import Stripe from 'stripe';`, '');
      out.push(...maybeTodo(rng, ''));
      if (planted) {
        out.push(`const stripe = new Stripe('${key}', { apiVersion: '2024-06-20' });`);
        plants.push({ needle: key, kind: 'hardcoded-secret', variant: 'stripe-live-key' });
      } else if (rng.chance(0.5)) {
        out.push(`const stripe = new Stripe(process.env.STRIPE_SECRET_KEY ?? '', { apiVersion: '2024-06-20' });`);
      } else {
        out.push('const secretKey = process.env.STRIPE_SECRET_KEY;', `if (!secretKey) throw new Error('STRIPE_SECRET_KEY is not set');`);
        out.push(`if (process.env.NODE_ENV !== 'production' && secretKey.startsWith('sk_live_')) {`, `  logger.warn('using a live Stripe key outside production');`, '}');
        out.push(`const stripe = new Stripe(secretKey, { apiVersion: '2024-06-20' });`);
      }
      out.push('');
      out.push(`export async function charge${e.Name}(item: ${e.Name}, customerId: string, amountCents: number): Promise<string> {`);
      out.push('  const intent = await stripe.paymentIntents.create({', '    amount: amountCents,', `    currency: 'usd',`, '    customer: customerId,', `    metadata: { ${e.name}Id: item.id, organizationId: item.organizationId },`, '  });');
      out.push(`  logger.info({ ${e.name}Id: item.id, intent: intent.id }, 'payment intent created');`, `  return intent.client_secret ?? '';`, '}', '');
      out.push(`export async function refund${e.Name}(paymentIntentId: string): Promise<void> {`, '  await stripe.refunds.create({ payment_intent: paymentIntentId });', '}');
      break;
    }
    case 'aws': {
      const keyId = `AKIA${rng.chars('ABCDEFGHIJKLMNOPQRSTUVWXYZ234567', 16)}`;
      const secret = rng.chars('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/', 40);
      out.push(`import { S3Client, PutObjectCommand } from '@aws-sdk/client-s3';`, '');
      out.push(`const BUCKET = process.env.UPLOADS_BUCKET ?? '${e.domain}-uploads';`, '');
      if (planted) {
        out.push('const s3 = new S3Client({', `  region: 'us-east-1',`, '  credentials: {', `    accessKeyId: '${keyId}',`, `    secretAccessKey: '${secret}',`, '  },', '});');
        plants.push({ needle: keyId, kind: 'hardcoded-secret', variant: 'aws-access-key' });
      } else {
        out.push(`const s3 = new S3Client({ region: process.env.AWS_REGION ?? 'us-east-1' });`);
      }
      out.push('');
      out.push(`export async function upload${e.Name}Attachment(item: ${e.Name}, fileName: string, body: Buffer): Promise<string> {`);
      out.push(`  const key = \`${e.urlSegment}/\${item.organizationId}/\${item.id}/\${encodeURIComponent(fileName)}\`;`);
      out.push(`  await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: body }));`, `  logger.info({ key }, 'attachment uploaded');`, '  return key;', '}');
      break;
    }
    case 'openai': {
      const key = `sk-proj-${rng.alnum(48)}`;
      out.push(`import OpenAI from 'openai';`, '');
      if (planted) {
        out.push(`const openai = new OpenAI({ apiKey: '${key}' });`);
        plants.push({ needle: key, kind: 'hardcoded-secret', variant: 'openai-key' });
      } else {
        out.push('const openai = new OpenAI({ apiKey: process.env.OPENAI_API_KEY });');
      }
      out.push('');
      out.push(`export async function summarize${e.Name}(item: ${e.Name}): Promise<string> {`);
      out.push('  const completion = await openai.chat.completions.create({', `    model: 'gpt-4o-mini',`, '    messages: [');
      out.push(`      { role: 'system', content: 'Summarize the ${e.human} in two sentences for a busy manager.' },`, '      { role: \'user\', content: JSON.stringify(item) },', '    ],', '  });');
      out.push(`  return completion.choices[0]?.message.content ?? '';`, '}');
      break;
    }
    case 'github': {
      const token = `ghp_${rng.alnum(36)}`;
      out.push('');
      if (planted) {
        out.push(`const GITHUB_TOKEN = '${token}';`);
        plants.push({ needle: token, kind: 'hardcoded-secret', variant: 'github-token' });
      } else {
        out.push(`const GITHUB_TOKEN = process.env.GITHUB_TOKEN ?? '';`);
      }
      out.push('');
      out.push(`export async function open${e.Name}Issue(item: ${e.Name}, repo: string): Promise<number> {`);
      out.push(`  const response = await fetch(\`https://api.github.com/repos/\${repo}/issues\`, {`, `    method: 'POST',`);
      out.push(`    headers: { Authorization: \`Bearer \${GITHUB_TOKEN}\`, Accept: 'application/vnd.github+json' },`);
      out.push(`    body: JSON.stringify({ title: \`${cap(e.human)} \${item.id} needs attention\`, body: JSON.stringify(item, null, 2) }),`, '  });');
      out.push(`  if (!response.ok) throw new Error(\`GitHub responded \${response.status}\`);`, '  const issue = (await response.json()) as { number: number };', '  return issue.number;', '}');
      break;
    }
  }
  return { lines: out, plants };
}

function seedScriptFile(e: Entity, rng: Rng): string[] {
  const out: string[] = [];
  const cols = ['organization_id', ...e.fields.map((f) => snake(f.name))];
  out.push(`// Seeds a handful of ${e.humans} for local development. Run with: node scripts/seed/${e.file}.js`);
  out.push(`const { Pool } = require('pg');`, '');
  out.push('const pool = new Pool({ connectionString: process.env.DATABASE_URL });', '');
  out.push('async function main() {', `  const organizationId = process.argv[2] || '00000000-0000-0000-0000-000000000001';`);
  const n = rng.int(2, 5);
  for (let i = 0; i < n; i++) {
    out.push('  await pool.query(');
    out.push(`    'INSERT INTO ${e.table} (${cols.join(', ')}) VALUES (${cols.map((_, j) => `$${j + 1}`).join(', ')})',`);
    out.push(`    [organizationId, ${e.fields.map((f) => (f.kind === 'date' ? `'2024-0${rng.int(1, 9)}-1${rng.int(0, 9)}'` : sampleValue(f, rng))).join(', ')}],`, '  );');
  }
  out.push(`  console.log('seeded ${n} ${e.humans}');`, '}', '');
  out.push('main()', '  .catch((error) => {', '    console.error(error);', '    process.exitCode = 1;', '  })', '  .finally(() => pool.end());');
  return out;
}

// ---------------------------------------------------------------------------
// Shared / global files.

function sharedFiles(w: Writer): void {
  w.write('src/server/lib/db.ts', [
    `import { Pool } from 'pg';`, '',
    'export const pool = new Pool({',
    '  connectionString: process.env.DATABASE_URL,',
    `  max: Number(process.env.PG_POOL_SIZE ?? 10),`,
    `  ssl: process.env.NODE_ENV === 'production' ? { rejectUnauthorized: true } : undefined,`,
    '});', '',
    `pool.on('error', (error) => {`, `  console.error('unexpected idle client error', error);`, '});',
  ]);
  w.write('src/server/lib/logger.ts', [
    `type Level = 'debug' | 'info' | 'warn' | 'error';`, '',
    `const order: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };`,
    `const threshold = order[(process.env.LOG_LEVEL as Level | undefined) ?? 'info'];`, '',
    'function log(level: Level, fieldsOrMessage: Record<string, unknown> | string, message?: string): void {',
    '  if (order[level] < threshold) return;',
    `  const fields = typeof fieldsOrMessage === 'string' ? {} : fieldsOrMessage;`,
    `  const msg = typeof fieldsOrMessage === 'string' ? fieldsOrMessage : message ?? '';`,
    '  process.stdout.write(`${JSON.stringify({ level, time: new Date().toISOString(), msg, ...fields })}\\n`);',
    '}', '',
    'export const logger = {',
    `  debug: (f: Record<string, unknown> | string, m?: string) => log('debug', f, m),`,
    `  info: (f: Record<string, unknown> | string, m?: string) => log('info', f, m),`,
    `  warn: (f: Record<string, unknown> | string, m?: string) => log('warn', f, m),`,
    `  error: (f: Record<string, unknown> | string, m?: string) => log('error', f, m),`,
    '};',
  ]);
  w.write('src/server/lib/errors.ts', [
    'export class HttpError extends Error {',
    '  constructor(readonly status: number, message: string) {', '    super(message);', '  }', '}', '',
    'export class NotFoundError extends HttpError {',
    '  constructor(resource: string, id: string) {', '    super(404, `${resource} ${id} not found`);', '  }', '}', '',
    'export class ValidationError extends HttpError {',
    '  constructor(readonly issues: unknown[]) {', `    super(400, 'Validation failed');`, '  }', '}', '',
    'export class ForbiddenError extends HttpError {',
    `  constructor(message = 'Forbidden') {`, '    super(403, message);', '  }', '}',
  ]);
  w.write('src/server/lib/async-handler.ts', [
    `import type { NextFunction, Request, RequestHandler, Response } from 'express';`, '',
    'export function asyncHandler(fn: (req: Request, res: Response, next: NextFunction) => Promise<unknown>): RequestHandler {',
    '  return (req, res, next) => {', '    fn(req, res, next).catch(next);', '  };', '}',
  ]);
  w.write('src/server/lib/events.ts', [
    `import { EventEmitter } from 'node:events';`, `import { logger } from './logger';`, '',
    'const bus = new EventEmitter();', '',
    'export async function publish(topic: string, payload: Record<string, unknown>): Promise<void> {',
    `  logger.debug({ topic }, 'event published');`, '  bus.emit(topic, payload);', '}', '',
    'export function subscribe(topic: string, handler: (payload: Record<string, unknown>) => void): () => void {',
    '  bus.on(topic, handler);', '  return () => bus.off(topic, handler);', '}',
  ]);
  w.write('src/server/middleware/auth.ts', [
    `import type { NextFunction, Request, Response } from 'express';`,
    `import jwt from 'jsonwebtoken';`, '',
    'export interface AuthUser {', '  id: string;', '  organizationId: string;', `  role: 'admin' | 'member';`, '}', '',
    'declare global {', '  namespace Express {', '    interface Request {', '      user: AuthUser;', '    }', '  }', '}', '',
    'const secret = process.env.JWT_SECRET;', '',
    'export function requireAuth(req: Request, res: Response, next: NextFunction): void {',
    `  const header = req.headers.authorization ?? '';`,
    `  const token = header.startsWith('Bearer ') ? header.slice(7) : undefined;`,
    `  if (!token || !secret) {`, `    res.status(401).json({ error: 'Unauthorized' });`, '    return;', '  }',
    '  try {', `    req.user = jwt.verify(token, secret, { algorithms: ['HS256'] }) as AuthUser;`, '    next();',
    '  } catch {', `    res.status(401).json({ error: 'Invalid token' });`, '  }', '}', '',
    `export function requireRole(role: AuthUser['role']) {`,
    '  return (req: Request, res: Response, next: NextFunction): void => {',
    `    if (req.user.role !== role) {`, `      res.status(403).json({ error: 'Forbidden' });`, '      return;', '    }', '    next();', '  };', '}',
  ]);
  w.write('lib/prisma.ts', [
    `import { PrismaClient } from '@prisma/client';`, '',
    'const globalForPrisma = globalThis as unknown as { prisma?: PrismaClient };', '',
    `export const prisma = globalForPrisma.prisma ?? new PrismaClient({ log: ['warn', 'error'] });`, '',
    `if (process.env.NODE_ENV !== 'production') globalForPrisma.prisma = prisma;`,
  ]);
  w.write('lib/auth.ts', [
    `import { cookies } from 'next/headers';`, `import jwt from 'jsonwebtoken';`, '',
    'export interface Session {', '  userId: string;', '  organizationId: string;', `  role: 'admin' | 'member';`, '}', '',
    'export async function getSession(): Promise<Session | null> {',
    `  const token = (await cookies()).get('session')?.value;`,
    '  const secret = process.env.SESSION_SECRET;', '  if (!token || !secret) return null;',
    '  try {', `    return jwt.verify(token, secret, { algorithms: ['HS256'] }) as Session;`, '  } catch {', '    return null;', '  }', '}',
  ]);
  w.write('lib/stripe.ts', [
    `import Stripe from 'stripe';`, '',
    '// Server-only. The publishable key (pk_live_…/pk_test_…) is the only Stripe key allowed in client code.',
    `export const stripe = new Stripe(process.env.STRIPE_SECRET_KEY ?? '', { apiVersion: '2024-06-20' });`, '',
    `export const publishableKey = process.env.NEXT_PUBLIC_STRIPE_PUBLISHABLE_KEY ?? 'pk_test_placeholder';`,
  ]);
  const ui: [string, string[]][] = [
    ['Button', [
      `import type { ButtonHTMLAttributes } from 'react';`, '',
      `type Variant = 'default' | 'destructive' | 'ghost';`, '',
      'const styles: Record<Variant, string> = {',
      `  default: 'bg-primary text-primary-foreground hover:bg-primary/90',`,
      `  destructive: 'bg-red-600 text-white hover:bg-red-700',`, `  ghost: 'hover:bg-muted',`, '};', '',
      'export function Button({ variant = \'default\', className = \'\', ...props }: ButtonHTMLAttributes<HTMLButtonElement> & { variant?: Variant }) {',
      '  return <button className={`rounded-md px-3 py-2 text-sm disabled:opacity-50 ${styles[variant]} ${className}`} {...props} />;', '}',
    ]],
    ['Input', [
      `import { forwardRef, type InputHTMLAttributes } from 'react';`, '',
      'export const Input = forwardRef<HTMLInputElement, InputHTMLAttributes<HTMLInputElement>>(function Input({ className = \'\', ...props }, ref) {',
      '  return <input ref={ref} className={`w-full rounded-md border px-2 py-1 ${className}`} {...props} />;', '});',
    ]],
    ['Modal', [
      `'use client';`, '', `import { useEffect, type ReactNode } from 'react';`, '',
      'export function Modal({ open, onClose, title, children }: { open: boolean; onClose: () => void; title: string; children: ReactNode }) {',
      '  useEffect(() => {', '    const onKey = (event: KeyboardEvent) => {', `      if (event.key === 'Escape') onClose();`, '    };',
      `    window.addEventListener('keydown', onKey);`, `    return () => window.removeEventListener('keydown', onKey);`, '  }, [onClose]);',
      '  if (!open) return null;', '  return (', '    <div role="dialog" aria-modal="true" aria-label={title} className="fixed inset-0 grid place-items-center bg-black/40">',
      '      <div className="w-full max-w-lg rounded-lg bg-background p-6 shadow-xl">', '        <h2 className="mb-4 text-lg font-semibold">{title}</h2>', '        {children}', '      </div>', '    </div>', '  );', '}',
    ]],
  ];
  for (const [name, content] of ui) w.write(`components/ui/${name}.tsx`, content);
}

function prismaSchema(entities: Entity[]): string[] {
  const out = ['generator client {', '  provider = "prisma-client-js"', '}', '', 'datasource db {', '  provider = "postgresql"', '  url      = env("DATABASE_URL")', '}'];
  for (const e of entities) {
    out.push('', `model ${e.Name} {`, '  id             String   @id @default(uuid())', '  organizationId String', '  createdById    String?');
    if (e.parent) out.push(`  ${e.parent.name}Id String`, `  ${e.parent.name} ${e.parent.Name} @relation(fields: [${e.parent.name}Id], references: [id])`);
    for (const child of entities.filter((c) => c.parent === e)) out.push(`  ${child.names} ${child.Name}[]`);
    for (const f of e.fields) out.push(`  ${f.name} ${prismaType(f)}`);
    out.push('  createdAt      DateTime @default(now())', '  updatedAt      DateTime @updatedAt', '', '  @@index([organizationId])', `  @@map("${e.table}")`, '}');
  }
  return out;
}

function migrationSql(e: Entity): string[] {
  const out = [`CREATE TABLE IF NOT EXISTS ${e.table} (`, '  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),', '  organization_id uuid NOT NULL,'];
  if (e.parent) out.push(`  ${snake(e.parent.name)}_id uuid NOT NULL REFERENCES ${e.parent.table}(id),`);
  for (const f of e.fields) out.push(`  ${snake(f.name)} ${sqlType(f)}${f.nullable ? '' : ' NOT NULL'},`);
  out.push('  created_at timestamptz NOT NULL DEFAULT now(),', '  updated_at timestamptz NOT NULL DEFAULT now(),', '  deleted_at timestamptz', ');', '');
  out.push(`CREATE INDEX IF NOT EXISTS ${e.table}_organization_id_idx ON ${e.table} (organization_id);`);
  return out;
}

// ---------------------------------------------------------------------------
// Driver.

function makeEntity(rng: Rng, domain: string, base: string, used: Set<string>, siblings: Entity[]): Entity {
  const name = used.has(base) ? `${domain}${cap(base)}` : base;
  used.add(name);
  const picked = rng.sample(FIELD_POOL, rng.int(5, 15));
  const fields: FieldDef[] = picked.map((f) => {
    const def: FieldDef = { ...f, nullable: f.kind === 'text' || f.kind === 'url' || (f.kind === 'date' && rng.chance(0.5)) || rng.chance(0.1) };
    if (f.kind === 'enum') def.values = rng.pick(ENUMS[f.name] ?? [['a', 'b']]);
    if (f.kind === 'enum' || f.kind === 'tags' || f.kind === 'bool') def.nullable = false;
    return def;
  });
  const parent = siblings.length > 0 && rng.chance(0.45) ? rng.pick(siblings) : undefined;
  return {
    domain,
    name,
    Name: cap(name),
    names: plural(name),
    Names: cap(plural(name)),
    file: kebab(name),
    urlSegment: kebab(plural(name)),
    table: snake(plural(name)),
    human: words(name),
    humans: words(plural(name)),
    fields,
    parent,
    features: {
      events: rng.chance(0.4),
      transitions: rng.chance(0.7),
      exportCsv: rng.chance(0.5),
      duplicate: rng.chance(0.4),
      stats: rng.chance(0.5),
      details: rng.chance(0.6),
    },
    dir: `src/server/modules/${domain}/${kebab(name)}`,
  };
}

function writeEntity(w: Writer, e: Entity, rng: Rng, budget: Budget): void {
  const file = (rel: string, content: string[] | { lines: string[]; plants: Plants }): void => {
    budget.tick();
    const lines = Array.isArray(content) ? content : content.lines;
    const plants = Array.isArray(content) ? [] : content.plants;
    const header = fileHeader(rng, rel, e);
    // Directives ('use client') must stay the first statement; comments above them are fine.
    w.write(rel, [...header, ...annotate(lines, rng)], plants);
  };
  file(`${e.dir}/${e.file}.types.ts`, typesFile(e, rng));
  file(`${e.dir}/${e.file}.mapper.ts`, mapperFile(e, rng));
  file(`${e.dir}/${e.file}.repository.ts`, repositoryFile(e, rng));
  file(`${e.dir}/${e.file}.service.ts`, serviceFile(e, rng));
  file(`${e.dir}/${e.file}.routes.ts`, expressRoutesFile(e, rng, budget));
  if (budget.secret >= 1 || rng.chance(0.3)) file(`${e.dir}/${e.file}.integrations.ts`, integrationFile(e, rng, budget));
  file(`app/api/${e.domain}/${e.urlSegment}/route.ts`, nextListRouteFile(e, rng, budget));
  file(`app/api/${e.domain}/${e.urlSegment}/[id]/route.ts`, nextItemRouteFile(e, rng));
  file(`app/(dashboard)/${e.domain}/${e.urlSegment}/page.tsx`, pageFile(e, rng));
  file(`components/${e.domain}/${e.Name}Table.tsx`, tableComponentFile(e, rng));
  file(`components/${e.domain}/${e.Name}Form.tsx`, formComponentFile(e, rng));
  if (e.features.details) file(`components/${e.domain}/${e.Name}Details.tsx`, detailsComponentFile(e, rng));
  file(`hooks/${e.domain}/use${e.Names}.ts`, hookFile(e, rng));
  file(`lib/${e.domain}/${e.file}-format.ts`, formatFile(e, rng));
  if (rng.chance(0.25)) file(`scripts/seed/${e.file}.js`, seedScriptFile(e, rng));
  w.write(`db/migrations/${String(w.files).padStart(5, '0')}_${e.table}.sql`, migrationSql(e));
}

/** Writes the workspace into `dir` (which should be empty or absent). Deterministic for a given seed and size. */
export function generateWorkspace(dir: string, options: GenerateOptions): GeneratedWorkspace {
  const rng = new Rng(options.seed);
  const w = new Writer(dir);
  const budget = new Budget();
  fs.mkdirSync(dir, { recursive: true });

  const deps = {
    '@aws-sdk/client-s3': '^3.600.0', '@prisma/client': '^5.16.0', express: '^4.19.2', jsonwebtoken: '^9.0.2', next: '^15.0.3',
    openai: '^4.52.0', pg: '^8.12.0', react: '^19.0.0', 'react-dom': '^19.0.0', stripe: '^16.2.0', zod: '^3.23.8',
  };
  const devDeps = { '@types/express': '^4.17.21', '@types/jsonwebtoken': '^9.0.6', '@types/node': '^20.14.9', '@types/pg': '^8.11.6', '@types/react': '^19.0.0', prisma: '^5.16.0', typescript: '^5.5.3' };
  w.write('package.json', JSON.stringify({
    name: 'acme-ops-platform', version: '0.1.0', private: true,
    scripts: { dev: 'next dev', build: 'next build', start: 'next start', api: 'tsx src/server/index.ts', 'db:migrate': 'prisma migrate deploy' },
    dependencies: deps, devDependencies: devDeps,
  }, null, 2).split('\n'));
  w.write('.gitignore', ['node_modules/', '.next/', 'dist/', '.env', '.env.local', 'coverage/', '*.log']);
  w.write('.env.example', ['DATABASE_URL=postgres://localhost:5432/acme', 'STRIPE_SECRET_KEY=', 'NEXT_PUBLIC_STRIPE_PUBLISHABLE_KEY=', 'JWT_SECRET=', 'SESSION_SECRET=', 'OPENAI_API_KEY=', 'GITHUB_TOKEN=']);
  w.write('tsconfig.json', JSON.stringify({
    compilerOptions: { target: 'ES2022', lib: ['dom', 'dom.iterable', 'ES2022'], module: 'esnext', moduleResolution: 'bundler', jsx: 'preserve', strict: true, noEmit: true, paths: { '@/*': ['./*'] } },
    include: ['**/*.ts', '**/*.tsx'], exclude: ['node_modules'],
  }, null, 2).split('\n'));
  w.write('next.config.js', ['/** @type {import(\'next\').NextConfig} */', 'const nextConfig = {', '  reactStrictMode: true,', '  poweredByHeader: false,', '};', '', 'module.exports = nextConfig;']);
  sharedFiles(w);

  const used = new Set<string>();
  const byDomain = new Map<string, Entity[]>();
  const remaining = new Map<string, string[]>(DOMAINS.map((d) => [d, rng.sample(ENTITIES, ENTITIES.length)]));
  const all: Entity[] = [];
  let round = 0;
  while (w.lines < options.lines) {
    const domain = DOMAINS[round % DOMAINS.length] as string;
    round++;
    const pool = remaining.get(domain) ?? [];
    const base = pool.shift();
    if (base === undefined) {
      if ([...remaining.values()].every((p) => p.length === 0)) throw new Error(`vocabulary exhausted at ${w.lines} lines`);
      continue;
    }
    const siblings = byDomain.get(domain) ?? [];
    const entity = makeEntity(rng, domain, base, used, siblings);
    siblings.push(entity);
    byDomain.set(domain, siblings);
    all.push(entity);
    writeEntity(w, entity, rng, budget);
  }

  for (const [domain, entities] of byDomain) {
    const lines = [`import { Router } from 'express';`];
    for (const e of entities) lines.push(`import { ${e.name}Router } from './${e.file}/${e.file}.routes';`);
    lines.push('', `export const ${domain}Router = Router();`, '');
    for (const e of entities) lines.push(`${domain}Router.use('/${e.urlSegment}', ${e.name}Router);`);
    w.write(`src/server/modules/${domain}/index.ts`, lines);
  }
  const app = [`import express from 'express';`, `import { HttpError } from './lib/errors';`, `import { logger } from './lib/logger';`];
  for (const domain of byDomain.keys()) app.push(`import { ${domain}Router } from './modules/${domain}';`);
  app.push('', 'export const app = express();', '', `app.disable('x-powered-by');`, `app.use(express.json({ limit: '1mb' }));`, '');
  for (const domain of byDomain.keys()) app.push(`app.use('/api/v1/${domain}', ${domain}Router);`);
  app.push('', 'app.use((error: unknown, _req: express.Request, res: express.Response, _next: express.NextFunction) => {');
  app.push('  if (error instanceof HttpError) {', '    res.status(error.status).json({ error: error.message });', '    return;', '  }');
  app.push(`  logger.error({ error: String(error) }, 'unhandled error');`, `  res.status(500).json({ error: 'Internal Server Error' });`, '});');
  w.write('src/server/app.ts', app);
  w.write('src/server/index.ts', [`import { app } from './app';`, `import { logger } from './lib/logger';`, '', 'const port = Number(process.env.PORT ?? 4000);', '', 'app.listen(port, () => {', `  logger.info({ port }, 'api listening');`, '});']);
  w.write('prisma/schema.prisma', prismaSchema(all));

  return { files: w.files, lines: w.lines, codeFiles: w.codeFiles, codeLines: w.codeLines, planted: w.planted };
}

// ---------------------------------------------------------------------------
// One large module (the edit-latency benchmark's input).

export interface RouterModuleOptions {
  /** Stop adding entities once the module has this many lines. */
  lines: number;
  seed: number | string;
  /** Entities whose routes get an injectable raw query, spread evenly through the file. */
  injectable: number;
}

export interface GeneratedModule {
  /** The module's text, newline-terminated. */
  text: string;
  lines: number;
  entities: number;
  /** Lines are 1-based, as in the workspace's plants; `file` is empty (the caller places the module). */
  planted: PlantedFinding[];
}

/**
 * One Express router module of the kind an assistant grows over weeks: for
 * each entity its data access (pg, parameterized SQL) and its route handlers
 * (the workspace's templates, commentary included), all in one file, behind a
 * hardcoded Stripe live key and a checkout handler. Imports are merged and
 * rewritten as if the file lived in `src/server/routes/`. Deterministic for a
 * given seed and size.
 */
export function generateRouterModule(options: RouterModuleOptions): GeneratedModule {
  const rng = new Rng(`router-module:${options.seed}`);
  const imports = new Set<string>([
    `import { Router, type Request, type Response, type NextFunction } from 'express';`,
    `import Stripe from 'stripe';`,
    `import { logger } from '../lib/logger';`,
  ]);
  const stripeKey = `sk_live_${rng.alnum(40)}`;
  const head: string[] = [
    '',
    '// Payments are wired here until the billing service exists.',
    `const stripe = new Stripe('${stripeKey}', { apiVersion: '2024-06-20' });`,
    '',
    'export const paymentsRouter = Router();',
    '',
    'paymentsRouter.use(requireAuth);',
    '',
    `paymentsRouter.post('/checkout', asyncHandler(async (req: Request, res: Response) => {`,
    '  const { amountCents, customerId } = req.body as { amountCents: number; customerId: string };',
    `  const intent = await stripe.paymentIntents.create({ amount: amountCents, currency: 'usd', customer: customerId });`,
    `  logger.info({ intent: intent.id, organizationId: req.user.organizationId }, 'checkout started');`,
    '  res.json({ clientSecret: intent.client_secret });',
    '}));',
  ];
  const tail = ['', 'export const apiRouter = Router();', '', `apiRouter.use('/payments', paymentsRouter);`];
  const body: string[] = [];
  const mounts: string[] = [];
  /** SQL plants, with the body line their entity's routes start at (needles repeat in safe variants). */
  const sqlPlants: { needle: string; variant: string; from: number }[] = [];
  const used = new Set<string>();
  const siblings = new Map<string, Entity[]>();
  const pools = new Map<string, string[]>(DOMAINS.map((d) => [d, rng.sample(ENTITIES, ENTITIES.length)]));
  const budget = new Budget();
  const size = (): number => imports.size + head.length + body.length + tail.length + mounts.length;
  let round = 0;
  for (;;) {
    const domain = DOMAINS[round % DOMAINS.length] as string;
    round++;
    const base = pools.get(domain)?.shift();
    if (base === undefined) {
      if ([...pools.values()].every((p) => p.length === 0)) throw new Error(`vocabulary exhausted at ${size()} lines`);
      continue;
    }
    const domainEntities = siblings.get(domain) ?? [];
    const e = makeEntity(rng, domain, base, used, domainEntities);
    // The k-th injectable query goes in once (k + 1/2) / n of the target size is written.
    const due = sqlPlants.length < options.injectable && size() >= ((sqlPlants.length + 0.5) / options.injectable) * options.lines;
    budget.sql = due ? 1 : 0;
    const routes = expressRoutesFile(e, rng, budget);
    const constName = snake(e.name).toUpperCase();
    const rewrite = (line: string): string => line.replace(/'\.\.\/\.\.\/\.\.\//g, `'../`).replace(/'\.\//g, `'../modules/${e.domain}/${e.file}/`);
    const newImports: string[] = [];
    const split = (lines: string[]): string[] =>
      lines.filter((line) => {
        if (!line.startsWith('import ')) return true;
        if (!imports.has(rewrite(line))) newImports.push(rewrite(line));
        return false;
      });
    const repository = split(repositoryFile(e, rng)).map((line) => line.replace(/\bTABLE\b/g, `${constName}_TABLE`).replace(/\bCOLUMNS\b/g, `${constName}_COLUMNS`));
    const block = ['', `// ── ${e.domain} / ${e.humans} ${'─'.repeat(Math.max(4, 60 - e.domain.length - e.humans.length))}`, ...annotate(repository, rng)];
    const routesFrom = block.length;
    block.push(...annotate(split(routes.lines), rng));
    const added = block.length + new Set(newImports).size + 1;
    // Stop at the entity that lands closest to the target size.
    if (size() + added - options.lines > options.lines - size() && mounts.length > 0) break;
    domainEntities.push(e);
    siblings.set(domain, domainEntities);
    for (const plant of routes.plants) sqlPlants.push({ needle: plant.needle, variant: plant.variant, from: body.length + routesFrom });
    for (const line of newImports) imports.add(line);
    body.push(...block);
    mounts.push(`apiRouter.use('/${e.domain}/${e.urlSegment}', ${e.name}Router);`);
    if (size() >= options.lines) break;
  }
  const bodyStart = imports.size + head.length;
  const lines = [...imports, ...head, ...body, ...tail, ...mounts];
  const planted: PlantedFinding[] = [];
  const plant = (needle: string, kind: PlantedFinding['kind'], variant: string, from: number): void => {
    let index = from;
    while (index < lines.length && !(lines[index] as string).includes(needle)) index++;
    if (index >= lines.length) throw new Error(`planted needle not found in the router module: ${needle}`);
    planted.push({ file: '', line: index + 1, kind, variant });
  };
  plant(stripeKey, 'hardcoded-secret', 'stripe-live-key', 0);
  for (const { needle, variant, from } of sqlPlants) plant(needle, 'sql-injection', variant, bodyStart + from);
  return { text: `${lines.join('\n')}\n`, lines: lines.length, entities: mounts.length, planted };
}

// ---------------------------------------------------------------------------
// CLI.

function parseCli(argv: string[]): { out: string; lines: number; seed: string } {
  let out = '';
  let lines = 500_000;
  let seed = '42';
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = argv[i + 1];
    if ((arg === '--out' || arg === '--lines' || arg === '--seed') && value === undefined) throw new Error(`${arg} needs a value`);
    if (arg === '--out') out = value ?? '';
    else if (arg === '--lines') lines = Number(value);
    else if (arg === '--seed') seed = value ?? seed;
    else throw new Error(`unknown argument: ${arg}`);
    i++;
  }
  if (!out) throw new Error('usage: generate.ts --out <dir> [--lines 500000] [--seed 42]');
  if (!Number.isFinite(lines) || lines <= 0) throw new Error('--lines must be a positive number');
  return { out, lines, seed };
}

if (require.main === module) {
  try {
    const args = parseCli(process.argv.slice(2));
    if (fs.existsSync(args.out) && fs.readdirSync(args.out).length > 0) throw new Error(`${args.out} is not empty`);
    const started = Date.now();
    const result = generateWorkspace(args.out, { lines: args.lines, seed: args.seed });
    const byKind = new Map<string, number>();
    for (const p of result.planted) byKind.set(p.kind, (byKind.get(p.kind) ?? 0) + 1);
    console.log(`wrote ${result.files} files, ${result.lines} lines (${result.codeFiles} code files, ${result.codeLines} code lines) to ${args.out} in ${Date.now() - started} ms`);
    console.log(`planted: ${[...byKind].map(([k, n]) => `${n} ${k}`).join(', ') || 'none'}`);
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  }
}
