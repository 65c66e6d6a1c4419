// The editor's `shipshape.*` settings: one zod schema, composed from the engine's
// `.shipshape.json` schema so a rule setting means the same thing in both places.
// package.json `contributes.configuration` must match it (test/lsp/settings.test.ts).
//
// Precedence: the repo's `.shipshape.json` is the team's baseline; a user's
// `shipshape.rules` entry overrides it rule by rule (someone can silence a rule
// locally or raise one to an error without editing the shared file), and
// `shipshape.exclude` adds to the repo's excludes rather than replacing them.
import { z } from 'zod';
import { type Config, ConfigSchema } from './engine/config';

export const TRACE_LEVELS = ['off', 'messages', 'verbose'] as const;

export const SettingsSchema = z.object({
  enable: z.boolean().default(true).describe('Analyze JavaScript/TypeScript workspaces with Shipshape.'),
  rules: ConfigSchema.shape.rules.describe(
    'Per-rule severity (`off`, `info`, `warning`, `error`), e.g. `{ "console-logging": "off" }`. Overrides the same rule in the repository\'s `.shipshape.json`.',
  ),
  exclude: ConfigSchema.shape.exclude.describe('Extra glob patterns (gitignore syntax) to leave out of analysis, added to the excludes in `.shipshape.json`.'),
  trace: z
    .object({
      server: z.enum(TRACE_LEVELS).default('off').describe('Traces the communication between VS Code and the Shipshape language server.'),
    })
    .default({ server: 'off' }),
  debounceMs: z.number().int().min(0).max(5000).default(150).describe('Delay after the last keystroke before a file is analyzed again, in milliseconds.'),
});

export type Settings = z.infer<typeof SettingsSchema>;

export const DEFAULT_SETTINGS: Settings = SettingsSchema.parse({});

export interface SettingsResult {
  settings: Settings;
  /** Human-readable problems; each invalid key falls back to its default. */
  problems: string[];
}

/**
 * Validates raw settings (from `workspace/configuration` or initializationOptions).
 * One bad key never costs the others: it is reported and replaced by its default.
 */
export function parseSettings(raw: unknown, knownRules?: ReadonlySet<string>): SettingsResult {
  const problems: string[] = [];
  const input = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>) : {};
  if (raw !== undefined && raw !== null && input !== raw) problems.push('shipshape: settings must be an object; using the defaults');
  const whole = SettingsSchema.safeParse(input);
  let settings: Settings;
  if (whole.success) {
    settings = whole.data;
  } else {
    const picked: Record<string, unknown> = {};
    for (const key of Object.keys(SettingsSchema.shape) as (keyof Settings)[]) {
      const field = SettingsSchema.shape[key].safeParse(input[key]);
      if (field.success) picked[key] = field.data;
      else problems.push(`shipshape.${key}: ${field.error.issues.map((issue) => `${issue.path.length > 0 ? `${issue.path.join('.')}: ` : ''}${issue.message}`).join('; ')}; using the default`);
    }
    settings = SettingsSchema.parse(picked);
  }
  if (knownRules) {
    const unknown = Object.keys(settings.rules).filter((id) => !knownRules.has(id));
    for (const id of unknown) problems.push(`shipshape.rules: unknown rule "${id}" is ignored`);
    if (unknown.length > 0) settings = { ...settings, rules: Object.fromEntries(Object.entries(settings.rules).filter(([id]) => knownRules.has(id))) };
  }
  return { settings, problems };
}

/** The repo's config with the user's settings layered on top (see the precedence note above). */
export function mergeSettings(repo: Config, settings: Settings): Config {
  return {
    ...repo,
    rules: { ...repo.rules, ...settings.rules },
    exclude: [...new Set([...repo.exclude, ...settings.exclude])],
  };
}
