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
  /** Where JSON.parse stopped, for text that is not JSON: the offset into the text. */
  offset?: number;
}

export type ConfigResult = { ok: true; config: Config } | { ok: false; config: Config; problems: ConfigProblem[] };

/**
 * Parses config text. A broken file yields precise problems, never an exception:
 * each invalid entry is reported and left out, and the rest of the file applies
 * (one bad severity does not throw away the excludes beside it). Only text that
 * is not a JSON object leaves nothing to use: then the defaults apply.
 */
export function parseConfig(text: string, knownRules: ReadonlySet<string>): ConfigResult {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    return { ok: false, config: DEFAULT_CONFIG, problems: [jsonSyntaxProblem(text, error as Error)] };
  }
  const parsed = ConfigSchema.safeParse(raw);
  const problems: ConfigProblem[] = [];
  let config: Config;
  if (parsed.success) config = parsed.data;
  else if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return { ok: false, config: DEFAULT_CONFIG, problems: [{ path: '', message: 'expected a JSON object' }] };
  else config = salvage(raw as Record<string, unknown>, problems);
  for (const id of Object.keys(config.rules)) {
    if (knownRules.has(id)) continue;
    problems.push({ path: `rules.${id}`, message: `unknown rule "${id}"` });
    const { [id]: _unknown, ...known } = config.rules;
    config = { ...config, rules: known };
  }
  return problems.length === 0 ? { ok: true, config } : { ok: false, config, problems };
}

/** The valid entries of an object the schema rejected as a whole; each invalid one goes to `problems`. */
function salvage(raw: Record<string, unknown>, problems: ConfigProblem[]): Config {
  const config: Config = { rules: {}, exclude: [] };
  for (const [key, value] of Object.entries(raw)) {
    if (key === 'rules') {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) problems.push({ path: 'rules', message: 'expected an object of rule ids to "off", "info", "warning" or "error"' });
      else {
        for (const [id, setting] of Object.entries(value)) {
          const checked = RuleSettingSchema.safeParse(setting);
          if (checked.success) config.rules[id] = checked.data;
          else problems.push({ path: `rules.${id}`, message: checked.error.issues[0]?.message ?? 'invalid setting' });
        }
      }
    } else if (key === 'exclude' || key === 'publicRoutes') {
      const checked = z.array(z.string()).safeParse(value);
      if (checked.success) config[key] = checked.data;
      else if (Array.isArray(value)) {
        config[key] = value.filter((item): item is string => typeof item === 'string');
        for (const [index, item] of value.entries()) if (typeof item !== 'string') problems.push({ path: `${key}.${index}`, message: 'expected a string (a glob pattern)' });
      } else problems.push({ path: key, message: 'expected an array of glob patterns' });
    } else {
      problems.push({ path: key, message: `unknown key "${key}" (expected rules, exclude or publicRoutes)` });
    }
  }
  return config;
}

/** JSON.parse's complaint, with the line and column of the offset it names (people read lines, not offsets). */
function jsonSyntaxProblem(text: string, error: Error): ConfigProblem {
  const position = /position (\d+)/.exec(error.message)?.[1];
  if (position === undefined) return { path: '', message: `not valid JSON: ${error.message}` };
  const offset = Number(position);
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - before.lastIndexOf('\n');
  return { path: '', message: `not valid JSON: ${error.message.replace(/ in JSON at position \d+.*$/, '')} at line ${line}, column ${column}`, offset };
}

/** What a workspace runs with: the config in `.shipshape.json` (`text`; undefined when there is none) without its invalid entries, or the defaults when no part of it is usable. */
export function configFromFile(text: string | undefined, knownRules: ReadonlySet<string>): { config: Config; problems: ConfigProblem[] } {
  if (text === undefined) return { config: DEFAULT_CONFIG, problems: [] };
  const parsed = parseConfig(text, knownRules);
  return parsed.ok ? { config: parsed.config, problems: [] } : { config: parsed.config, problems: parsed.problems };
}
