// sql-injection: SQL text assembled from values that are not provably safe, sent
// to a raw-SQL API. Request input spliced in is an error; any other non-constant
// value is a warning (it is one caller away from request input).
import type { ts } from 'ts-morph';
import type { DataFlow, SqlDriver, SqlSink } from '../../server/src/engine/facts';
import type { SqlLibrary } from '../../server/src/engine/facts/sqlSinkModels';
import { defineRule } from '../../server/src/engine/rule';
import { type FixContext, type FixPlan, planFix, positionRefusal } from './fix';
import { keptFinding, type SinkFinding } from './kept';
import { meta } from './meta';

/** What each library is called in messages when the file imports none of its packages by name. */
const LIBRARY_LABELS: Record<SqlLibrary, string> = {
  pg: 'pg',
  postgres: 'postgres.js',
  mysql2: 'mysql2',
  'better-sqlite3': 'better-sqlite3',
  sqlite3: 'sqlite3',
  sequelize: 'Sequelize',
  prisma: 'Prisma',
  knex: 'knex',
  drizzle: 'Drizzle',
  supabase: 'Supabase',
};

/** The usual remedy per library, for when the value itself is the problem. */
const BIND_ADVICE: Record<SqlLibrary, string> = {
  pg: 'Pass the value as a bound parameter ($1) instead.',
  postgres: 'Pass the value as a bound parameter ($1) instead.',
  mysql2: 'Pass the value as a bound parameter (?) instead.',
  'better-sqlite3': 'Pass the value as a bound parameter (?) instead.',
  sqlite3: 'Pass the value as a bound parameter (?) instead.',
  sequelize: 'Pass the value in `replacements` with a ? placeholder instead.',
  knex: 'Pass the value as a binding (?) instead.',
  prisma: 'Use the tagged template `$queryRaw`, which binds every ${…} value, instead.',
  drizzle: 'Use the sql`…` template, which binds every ${…} value, instead of sql.raw().',
  supabase: 'Write a database function that takes the value as a typed argument instead of sending SQL text.',
};

/** How each library takes a bound value, for advice when the driver is not known for certain. */
const PLACEHOLDER_STYLE: Record<SqlLibrary, string> = {
  pg: '$1 with a values array',
  postgres: '$1 with a values array',
  mysql2: '? with a values array',
  'better-sqlite3': '? with prepare()',
  sqlite3: '? with a values array',
  sequelize: '? with `replacements`',
  knex: '? with a bindings array',
  prisma: 'the tagged `$queryRaw`',
  drizzle: 'the sql`…` template',
  supabase: 'a database function with typed arguments',
};

/** The remedy for raw fragments (models marked `fragment`), which take no bound values. */
const FRAGMENT_ADVICE: Partial<Record<SqlLibrary, string>> = {
  sequelize: 'literal() puts its text into the query as is: move the condition into a `where` object, or quote the value with sequelize.escape() before splicing it.',
  prisma: 'Prisma.raw() puts its text into the query as is: write the fragment as Prisma.sql`…`, which binds every ${…} value, or pick a name from a constant allow-list.',
};

const MAX_NAMED = 40;

export default defineRule({
  meta,

  check(context) {
    const { flow, imports } = context.facts;
    const mustBind = (expression: ts.Expression): boolean => !flow.isInjectionSafe(expression);
    const reported = new Set<ts.Node>();

    for (const sink of context.facts.sqlSinks) {
      // Asked only of sinks with a finding: whether there is one does not depend on the driver.
      let driver: SqlDriver | undefined;
      const driverOf = (): SqlDriver => (driver ??= context.facts.sqlDriver(sink));
      // Judged once and kept while the facts hand out the same sink and driver (kept.ts): after
      // an edit, only the sinks of the edited function are judged again.
      const finding = keptFinding(sink, context.file.path, context.project, driverOf, (project) =>
        judge(sink, driverOf, { mustBind, scopes: flow.scopes, project, path: context.file.path }, flow, imports.packages),
      );
      if (!finding || reported.has(finding.at)) continue;
      reported.add(finding.at); // one finding per SQL text, however many calls send it
      context.report(finding.report);
    }
  },
});

/** The finding for one sink, if it splices a value that must be bound. */
function judge(sink: SqlSink, driverOf: () => SqlDriver, fixContext: FixContext, flow: DataFlow, imported: ReadonlySet<string>): SinkFinding | undefined {
  const { mustBind } = fixContext;
  const texts = sqlTexts(sink);
  const at = texts.find((text) => text.values.some(mustBind))?.node;
  if (!at) return undefined;
  const driver = driverOf();
  const unsafe = texts.flatMap((text) => text.values.filter(mustBind));
  const tainted = unsafe.find((value) => flow.isTainted(value));
  const plan = planFix(sink, driver.model, fixContext);
  const refusal = plan.refusal ?? firstRefusal(sink, driver, fixContext);
  const library = libraryLabel(sink, driver, imported);
  const named = tainted ?? unsafe[0];
  const what = tainted
    ? `SQL built from request input (${quote(named)}) is sent to ${library}: anyone can read or delete any table by crafting the input.`
    : `SQL sent to ${library} splices in ${quote(named)}: the value is not traced to request input here, but the query is still built by string splicing, so whoever controls that value can read or delete any table.`;
  return {
    at,
    report: {
      start: at.getStart(),
      end: at.end,
      message: `${what} ${advice(sink, driver, refusal, named)}`,
      severity: tainted ? undefined : 'warning',
      fixes: plan.fix ? [plan.fix] : undefined,
    },
  };
}

/** Each piece of SQL text the sink sends, with the values spliced into it. */
function sqlTexts(sink: SqlSink): { node: ts.Expression; values: ts.Expression[] }[] {
  const valuesOf = (splice: SqlSink['splice']): ts.Expression[] =>
    (splice?.pieces ?? []).flatMap((piece) => (piece.kind === 'value' ? [piece.expression] : []));
  // `Prisma.raw(sort)`: a fragment's whole text may be one value, judged where it is used (after any allow-list guard)
  const whole = !sink.splice && sink.model?.fragment ? sink.argument : undefined;
  return [
    whole ? { node: whole, values: [whole] } : { node: sink.built, values: valuesOf(sink.splice) },
    // `sql += x`: the appended value is itself spliced into the text
    ...sink.appended.map((part, index) => {
      const splice = sink.appendedSplices[index];
      return { node: part, values: splice ? valuesOf(splice) : [part] };
    }),
  ];
}

function firstRefusal(sink: SqlSink, driver: SqlDriver, fixContext: FixContext): FixPlan['refusal'] {
  for (const splice of [sink.splice, ...sink.appendedSplices]) {
    const refusal = splice ? positionRefusal(splice, fixContext, driver.model?.library) : undefined;
    if (refusal) return refusal;
  }
  return undefined;
}

function advice(sink: SqlSink, driver: SqlDriver, refusal: FixPlan['refusal'], named: ts.Expression | undefined): string {
  if (refusal?.reason === 'identifier') {
    const also = named && refusal.value !== named ? ` Bind ${quote(named)} as a parameter.` : '';
    return `Check ${quote(refusal.value)} against a constant allow-list of names (\`if (!ALLOWED.includes(x)) return …\`) or pick it from a constant object: placeholders cannot stand for table or column names.${also}`;
  }
  if (refusal?.reason === 'number') return `Convert ${quote(refusal.value)} with Number() before splicing it: LIMIT and OFFSET take a number, and a number cannot carry SQL.`;
  // Sequelize literal(), Prisma.raw(): no values travel with a fragment, so neither placeholders nor a values list apply
  const fragmentAdvice = driver.model?.fragment ? FRAGMENT_ADVICE[driver.model.library] : undefined;
  if (fragmentAdvice) return fragmentAdvice;
  if (refusal?.reason === 'fragment') {
    return `Write placeholders into the SQL pieces and pass the values alongside (\`status = ${driver.model?.placeholder === 'question' ? '?' : '$1'}\` plus the value) instead of splicing ${quote(refusal.value)} as text.`;
  }
  if (refusal?.reason === 'list') return 'Bind the list items as parameters (one placeholder per item, or `= ANY($1)` with an array in Postgres) instead.';
  const model = driver.model;
  if (sink.config && model?.binding === 'values-array') {
    return `Write ${model.placeholder === 'dollar' ? '$1' : '?'} in the SQL and pass the value in the config's \`values: [...]\` instead.`;
  }
  if (!model && driver.possible.length > 1) {
    const styles = driver.possible.map((library) => `${LIBRARY_LABELS[library]}: ${PLACEHOLDER_STYLE[library]}`).join('; ');
    return `Pass the value as a bound parameter in the style of the driver that runs this query (${styles}): ${driver.possible.length === 2 ? 'either' : 'any of them'} could, and nothing here says which, so no automatic fix is offered.`;
  }
  if (!model) return sink.method === 'rpc' ? BIND_ADVICE.supabase : 'Pass the value as a bound parameter instead.';
  if (model.binding === 'none') return `${sink.method}() cannot bind values: use prepare(sql) with ? placeholders and pass the values to run()/all()/get() instead.`;
  return BIND_ADVICE[model.library];
}

/**
 * Drivers are named by the package the receiver was created from or the file imports
 * (`@neondatabase/serverless`, `@vercel/postgres`); ORMs by name; an undecided driver by
 * the libraries it could be.
 */
function libraryLabel(sink: SqlSink, driver: SqlDriver, imported: ReadonlySet<string>): string {
  if (sink.method === 'rpc') return 'a Supabase database function';
  const { library } = driver;
  if (!library) {
    if (driver.possible.length > 0) return driver.possible.map((possible) => LIBRARY_LABELS[possible]).join(' or ');
    return driver.package ?? 'the database';
  }
  const packages = driver.model?.packages ?? [];
  const driverPackage = library === 'pg' || library === 'mysql2' ? (driver.package ?? packages.find((pkg) => imported.has(pkg))) : undefined;
  return driverPackage ?? LIBRARY_LABELS[library];
}

/** Short source text in backticks, whitespace collapsed. */
function quote(expression: ts.Expression | undefined): string {
  if (!expression) return 'a value';
  const text = expression.getText().replace(/\s+/g, ' ');
  return `\`${text.length > MAX_NAMED ? `${text.slice(0, MAX_NAMED - 1)}…` : text}\``;
}
