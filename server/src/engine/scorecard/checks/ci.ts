// Reading CI configs and Dockerfiles: just enough structure for the delivery checks.
import { parseDocument } from 'yaml';
import type { CheckContext, WorkspaceFile } from '../context';
import { OTHER_CI_FILES } from '../knowledge';

/** A command that runs a test suite, directly or through a package-manager script called `test…`. */
const TEST_COMMAND =
  /(?:^|[\s;&|(])(?:(?:npm|pnpm|yarn|bun)\s+(?:(?:run|-r|--recursive|-w|--workspaces|--if-present)\s+)*(?:test|t)\b|(?:npx|pnpm\s+exec|yarn|bunx)?\s*(?:vitest|jest|mocha|ava|tap|uvu|playwright\s+test|cypress\s+run)(?![\w.-])|node\s+(?:(?:--[\w-]+|-r)(?:=\S+|\s+(?!-)\S+)?\s+)*--test\b|(?:turbo|nx)\s+(?:run\s+|run-many\s+(?:\S+\s+)*?-t\s+|affected\s+(?:\S+\s+)*?-t\s+)?test\b)/m;
const SCRIPT_CALL = /(?:^|[\s;&|(])(?:npm\s+run|pnpm\s+(?:run\s+)?|yarn\s+(?:run\s+)?|bun\s+run)\s*([\w:.-]+)/g;

/** Whether a shell command runs tests, following `npm run <script>` through package.json up to three levels. */
export function runsTests(command: string, scripts: Readonly<Record<string, string>>, depth = 0): boolean {
  if (TEST_COMMAND.test(command)) return true;
  if (depth >= 3) return false;
  for (const match of command.matchAll(SCRIPT_CALL)) {
    const script = match[1] ? scripts[match[1]] : undefined;
    if (script !== undefined && runsTests(script, scripts, depth + 1)) return true;
  }
  return false;
}

export interface CiConfig {
  path: string;
  /** Shell commands the config runs, with the line each starts on (1-based) when known. */
  commands: { command: string; line?: number }[];
  /** Set when the file could not be read as YAML. */
  problem?: string;
}

/** GitHub Actions workflows, GitLab CI, and other CI systems' files (commands found by text search). */
export function readCiConfigs(ctx: CheckContext): CiConfig[] {
  const configs: CiConfig[] = [];
  for (const file of ctx.filesMatching(/^\.github\/workflows\/[^/]+\.ya?ml$/)) configs.push(file.memo('ci:github', () => readGithubWorkflow(file)));
  const gitlab = ctx.file('.gitlab-ci.yml');
  if (gitlab) configs.push(gitlab.memo('ci:gitlab', () => readGitlab(gitlab)));
  for (const path of OTHER_CI_FILES) {
    const file = ctx.file(path);
    if (file) configs.push({ path, commands: file.text.split(/\r?\n/).map((command, index) => ({ command, line: index + 1 })) });
  }
  return configs;
}

function readGithubWorkflow(file: WorkspaceFile): CiConfig {
  const doc = parseDocument(file.text, { prettyErrors: false });
  if (doc.errors.length > 0) return { path: file.path, commands: [], problem: `not valid YAML: ${doc.errors[0]?.message.split('\n')[0] ?? ''}` };
  const root: unknown = doc.toJS();
  const commands: CiConfig['commands'] = [];
  const jobs = field(root, 'jobs');
  if (isRecord(jobs)) {
    for (const job of Object.values(jobs)) {
      const steps = field(job, 'steps');
      if (!Array.isArray(steps)) continue;
      for (const step of steps) {
        const run = field(step, 'run');
        if (typeof run === 'string') commands.push({ command: run, line: lineOf(file, run) });
      }
    }
  }
  return { path: file.path, commands };
}

const GITLAB_KEYWORDS = new Set(['stages', 'variables', 'include', 'default', 'workflow', 'image', 'services', 'cache', 'before_script', 'after_script']);

function readGitlab(file: WorkspaceFile): CiConfig {
  const doc = parseDocument(file.text, { prettyErrors: false });
  if (doc.errors.length > 0) return { path: file.path, commands: [], problem: `not valid YAML: ${doc.errors[0]?.message.split('\n')[0] ?? ''}` };
  const root: unknown = doc.toJS();
  const commands: CiConfig['commands'] = [];
  const add = (value: unknown): void => {
    const lines = typeof value === 'string' ? [value] : Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
    for (const command of lines) commands.push({ command, line: lineOf(file, command) });
  };
  if (isRecord(root)) {
    add(field(root, 'before_script'));
    for (const [name, job] of Object.entries(root)) {
      if (GITLAB_KEYWORDS.has(name) || !isRecord(job)) continue;
      add(field(job, 'before_script'));
      add(field(job, 'script'));
    }
  }
  return { path: file.path, commands };
}

function lineOf(file: WorkspaceFile, command: string): number | undefined {
  const first = command.split('\n')[0]?.trim();
  if (!first) return undefined;
  const index = file.text.indexOf(first);
  return index < 0 ? undefined : file.line(index);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function field(value: unknown, key: string): unknown {
  return isRecord(value) ? value[key] : undefined;
}

export interface DockerInstruction {
  instruction: string;
  args: string;
  line: number;
}

/** The instructions of a Dockerfile's last stage (what the image runs), continuation lines joined. */
export function finalStage(file: WorkspaceFile): DockerInstruction[] {
  return file.memo('docker:final', () => {
    const instructions: DockerInstruction[] = [];
    const lines = file.text.split(/\r?\n/);
    for (let index = 0; index < lines.length; index++) {
      const start = index;
      let text = lines[index] ?? '';
      while (/\\\s*$/.test(text) && index + 1 < lines.length) text = text.replace(/\\\s*$/, ' ') + (lines[++index] ?? '');
      const match = /^\s*([A-Za-z]+)\s+(.*)$/.exec(text);
      if (!match?.[1] || text.trimStart().startsWith('#')) continue;
      const instruction = match[1].toUpperCase();
      if (instruction === 'FROM') instructions.length = 0;
      instructions.push({ instruction, args: (match[2] ?? '').trim(), line: start + 1 });
    }
    return instructions;
  });
}
