// The repo's `.shipshape.json` (and the editor's `shipshape.*` settings): one zod
// schema, so every front end validates the same way and reports the same errors.
import { z } from 'zod';

export const RuleSettingSchema = z.enum(['off', 'info', 'warning', 'error']);
export type RuleSetting = z.infer<typeof RuleSettingSchema>;

export const ConfigSchema = z
  .object({
    /** Per-rule override: turn a rule off or change its severity. */
    rules: z.record(z.string(), RuleSettingSchema).default({}),
    /** Extra glob patterns (gitignore syntax) to leave out of analysis. */
    exclude: z.array(z.string()).default([]),
    /**
     * Route paths that are public on purpose (`/api/contact`, `/api/public/**`), matched
     * as globs against the route's path; rules such as missing-auth skip them.
     * Optional so configs built elsewhere (editor settings) stay valid without it.
     */
    publicRoutes: z.array(z.string()).optional(),
  })
  .strict();
export type Config = z.infer<typeof ConfigSchema>;

export const DEFAULT_CONFIG: Config = { rules: {}, exclude: [] };

export const CONFIG_FILE = '.shipshape.json';

export interface ConfigProblem {
  message: string;
  /** JSON path of the offending value, e.g. `rules.sql-injection`. */
  path: string;
}

export type ConfigResult = { ok: true; config: Config } | { ok: false; config: Config; problems: ConfigProblem[] };

/**
 * Parses config text. A broken file yields precise problems and the defaults,
 * never an exception: analysis keeps working while the user fixes the file.
 */
export function parseConfig(text: string, knownRules: ReadonlySet<string>): ConfigResult {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    return { ok: false, config: DEFAULT_CONFIG, problems: [{ path: '', message: `not valid JSON: ${(error as Error).message}` }] };
  }
  const parsed = ConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
    return { ok: false, config: DEFAULT_CONFIG, problems };
  }
  const unknown = Object.keys(parsed.data.rules).filter((id) => !knownRules.has(id));
  if (unknown.length > 0) {
    const problems = unknown.map((id) => ({ path: `rules.${id}`, message: `unknown rule "${id}"` }));
    return { ok: false, config: parsed.data, problems };
  }
  return { ok: true, config: parsed.data };
}

/** What a workspace runs with: the config in `.shipshape.json` (`text`; undefined when there is none), or the defaults while it has problems that make it unusable. */
export function configFromFile(text: string | undefined, knownRules: ReadonlySet<string>): { config: Config; problems: ConfigProblem[] } {
  if (text === undefined) return { config: DEFAULT_CONFIG, problems: [] };
  const parsed = parseConfig(text, knownRules);
  return parsed.ok ? { config: parsed.config, problems: [] } : { config: parsed.config, problems: parsed.problems };
}
