// hardcoded-secret: a live credential written into code, or into a .env file that
// git tracks or is about to. Once pushed it is in every clone and in history
// forever; whoever reads it can spend money, read data or act as the app.
import { GITIGNORE_FILE, appendLine, moveLiteralToEnv, secretIsWholeLiteral } from '../../server/src/engine/fixes/moveToEnv';
import { type LiteralInContext, LiteralJudgement, type StringLiteralFact } from '../../server/src/engine/facts';
import { basename } from '../../server/src/engine/facts/modules';
import { parseEnvFile } from '../../server/src/engine/files/env';
import { type RuleContext, defineRule } from '../../server/src/engine/rule';
import type { ProjectView, RuleFix } from '../../server/src/engine/types';
import { type SecretMatch, type ValueContext, findNamedSecret, findProviderSecret, mayBeNamedSecret, mayHoldProviderSecret } from './detect';
import { MIN_SECRET_LENGTH } from './entropy';
import { envNameFor, literalName } from './naming';
import { EXAMPLE_ENV_FILE, TEST_FILE } from './patterns';
import { meta } from './meta';

export default defineRule({
  meta,
  check(context) {
    if (context.file.kind === 'env') checkEnvFile(context);
    else checkCode(context);
  },
});

// What a literal holds is judged on its text and names alone, so the judgement is kept
// across edits with the statement holding it (facts/strings.ts); the finding and its
// fix, which read offsets and other files (.env, .gitignore), are built on each version.
// Test files are judged by their own standard, so each standard has its judgement.
const SECRET_IN_CODE = new LiteralJudgement((literal) => findSecret(literal, false));
const SECRET_IN_TESTS = new LiteralJudgement((literal) => findSecret(literal, true));

function checkCode(context: RuleContext): void {
  const { file, project } = context;
  const judgement = TEST_FILE.test(file.path) ? SECRET_IN_TESTS : SECRET_IN_CODE;
  for (const { literal, value: found } of context.facts.judgedStrings(judgement)) {
    const { match, segment } = found;
    const whole = secretIsWholeLiteral(literal, segment, match.secret);
    const moved = moveLiteralToEnv({ project, path: file.path, text: file.text, literal, segment, start: match.start, end: match.end, name: envNameFor(literal, match.providerEnvName, whole) });
    context.report({
      start: literal.node.getStart(),
      end: literal.node.end,
      message: `${upperFirst(match.label)} (${match.redacted}) is hardcoded in source. Anyone who can read the repository, its history or a build can ${match.impact}. Move it to an environment variable and rotate it.`,
      severity: match.severity,
      snippet: redactedSnippet(file.text, literal, match),
      fixes: moved ? [{ id: 'move-secret-to-env', title: `Move secret to env as ${moved.name}`, changes: moved.changes }] : [],
    });
  }
}

/** Provider keys in any piece of the literal; otherwise a generated-looking value under a secret-like name. */
function findSecret(literal: LiteralInContext, inTests: boolean): { match: SecretMatch; segment: number } | undefined {
  const texts = literal.texts;
  let context: LiteralContext | undefined;
  for (const [segment, text] of texts.entries()) {
    // every secret is at least this long, and most strings hold no provider prefix: both tests are cheap
    if (text.length < MIN_SECRET_LENGTH || !mayHoldProviderSecret(text)) continue;
    const match = findProviderSecret(text, (context ??= new LiteralContext(literal)));
    if (match?.publicByDesign) return undefined;
    // test-mode keys are expected in tests; live keys leak from a test file all the same
    if (match && !(inTests && match.severity)) return { match, segment };
  }
  const only = texts.length === 1 ? texts[0] : undefined;
  if (inTests || only === undefined || only.length < MIN_SECRET_LENGTH || !mayBeNamedSecret(only)) return undefined;
  const name = literalName(literal);
  if (name === undefined) return undefined;
  const label = literal.boundName === undefined && literal.argumentOf ? `the secret passed to \`${literal.argumentOf.callee}()\`` : undefined;
  const match = findNamedSecret(only, name, label);
  return match && { match, segment: 0 };
}

/** What the code says about a literal, worked out only when a pattern asks. */
class LiteralContext implements ValueContext {
  constructor(private readonly literal: LiteralInContext) {}

  get name(): string | undefined {
    return literalName(this.literal);
  }

  get siblingKeys(): ReadonlySet<string> | undefined {
    return this.literal.container?.keys;
  }
}

function checkEnvFile(context: RuleContext): void {
  const { file, project } = context;
  const tracked = project.isTracked(file.path);
  if (!tracked && project.isIgnored(file.path)) return;
  // `.env.example` documents variables and is meant to be committed: only real provider keys in it are a leak.
  const example = EXAMPLE_ENV_FILE.test(file.path);
  for (const entry of parseEnvFile(file.text)) {
    const provider = findProviderSecret(entry.value, { name: entry.key });
    const match = provider ?? (example ? undefined : findNamedSecret(entry.value, entry.key));
    if (!match || match.publicByDesign) continue;
    const held = `${match.label} (${match.redacted})`;
    let message: string;
    let fixes: RuleFix[] = [];
    if (example) {
      message = `${file.path} is meant to be committed but holds a real ${held}. Anyone with access to the repository can ${match.impact}. Replace the value with a placeholder and rotate the key.`;
    } else if (tracked) {
      message = `${file.path} is committed to git and holds ${held}. Anyone with access to the repository or its history can ${match.impact}. Run \`git rm --cached ${file.path}\`, add it to .gitignore, and rotate the secret.`;
    } else {
      message = `${file.path} is not ignored by git and holds ${held}. The next \`git add .\` commits it, and then anyone with access to the repository can ${match.impact}. Add ${basename(file.path)} to .gitignore.`;
      fixes = [ignoreEnvFileFix(project, file.path)];
    }
    context.report({ start: entry.valueStart, end: entry.valueEnd, message, severity: match.severity, snippet: `${entry.key}=${match.redacted}`, fixes });
  }
}

function ignoreEnvFileFix(project: ProjectView, path: string): RuleFix {
  const name = basename(path);
  return {
    id: 'ignore-env-file',
    title: `Add ${name} to .gitignore`,
    // a bare name matches at every depth, as `.gitignore` files usually list `.env`
    changes: [appendLine(project, GITIGNORE_FILE, name, path)],
  };
}

/** The literal as written, first line only, with the secret replaced by its redacted form. */
function redactedSnippet(text: string, literal: StringLiteralFact, match: SecretMatch): string {
  const source = text.slice(literal.node.getStart(), literal.node.end);
  if (!source.includes(match.secret)) return match.redacted;
  const shown = source.split(match.secret).join(match.redacted);
  return (shown.split(/\r?\n/)[0] ?? '').slice(0, 200);
}

function upperFirst(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
