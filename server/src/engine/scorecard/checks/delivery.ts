// Delivery: CI, tests, containers, lockfile, runtime version, config via env.
import { parseEnvFile } from '../../files/env';
import type { CheckContext, WorkspaceFile } from '../context';
import { LOCKFILES, PLATFORM_ENV } from '../knowledge';
import type { Evidence } from '../schema';
import { type CheckDefinition, at, defineChecks, fail, lookedFor, notApplicable, oneLine, pass, plural, unknown } from './check';
import { finalStage, readCiConfigs, runsTests } from './ci';

const TEST_FILE = /(^|\/)(__tests__|tests?|spec|e2e|cypress)\/.+\.[cm]?[jt]sx?$|[._-](test|spec)\.[cm]?[jt]sx?$/;
const NPM_PLACEHOLDER = /no test specified/;
const EXAMPLE_ENV_NAME = /(^|\/)(\.env(\.[\w-]+)*\.(example|sample|template|dist|defaults|schema)|example\.env)$/;
const EXAMPLE_ENV_PROBES = ['.env.example', '.env.sample', '.env.template', '.env.dist', '.env.defaults', '.env.local.example', 'example.env'];
const ENV_PROBES = ['.env', '.env.local', '.env.production', '.env.development', '.env.production.local'];

const ORCHESTRATOR_PROBE = /^[\s-]*(healthcheck|livenessProbe|readinessProbe|startupProbe)\s*:/gm;
const TOOL_VERSIONS_NODE = /^nodejs\s+\S+/gm;
const DOCUMENTED_ENV_KEY = /^[#\s]*([A-Za-z_][A-Za-z0-9_]*)\s*=/gm;
const ENV_READS: readonly RegExp[] = [
  /\bprocess\.env\.([A-Za-z_][A-Za-z0-9_]*)/g,
  /\bprocess\.env\[\s*['"`]([A-Za-z_][A-Za-z0-9_]*)['"`]\s*\]/g,
  /\bimport\.meta\.env\.([A-Za-z_][A-Za-z0-9_]*)/g,
  /\bBun\.env\.([A-Za-z_][A-Za-z0-9_]*)/g,
];
const ENV_DESTRUCTURE = /\{([^{}]*)\}\s*=\s*process\.env\b/g;
const PRISMA_ENV = /\benv\(\s*"([A-Za-z_][A-Za-z0-9_]*)"\s*\)/g;
const VITE_BUILTINS = new Set(['MODE', 'DEV', 'PROD', 'SSR', 'BASE_URL']);

/** Environment variables production code reads, each with where it is first read. */
export function envReads(ctx: CheckContext): Map<string, Evidence> {
  const names = new Map<string, Evidence>();
  const add = (file: WorkspaceFile, name: string, index: number, line: number): void => {
    const lineStart = file.text.lastIndexOf('\n', index - 1) + 1;
    if (/^\s*(\/\/|\*|\/\*)/.test(file.text.slice(lineStart, index))) return;
    if (!names.has(name)) names.set(name, at(file.path, line, `reads ${name}`));
  };
  for (const file of ctx.code) {
    if (!file.text.includes('env')) continue;
    for (const pattern of ENV_READS) {
      for (const match of file.matches(pattern)) {
        const name = match.groups[0];
        if (name && !(pattern.source.includes('meta') && VITE_BUILTINS.has(name))) add(file, name, match.index, match.line);
      }
    }
    for (const match of file.matches(ENV_DESTRUCTURE)) {
      for (const part of (match.groups[0] ?? '').split(',')) {
        const name = /^\s*([A-Za-z_][A-Za-z0-9_]*)/.exec(part)?.[1];
        if (name) add(file, name, match.index, match.line);
      }
    }
  }
  for (const file of ctx.app.prismaSchemas) for (const match of file.matches(PRISMA_ENV)) if (match.groups[0]) add(file, match.groups[0], match.index, match.line);
  return new Map([...names].filter(([name]) => !PLATFORM_ENV.test(name)).sort(([a], [b]) => a.localeCompare(b)));
}

function testFiles(ctx: CheckContext): string[] {
  return ctx.files.filter((path) => TEST_FILE.test(path) && !/(^|\/)(fixtures?|examples?|samples?)\//.test(path));
}

function envFiles(ctx: CheckContext): string[] {
  const listed = ctx.files.filter((path) => /(^|\/)\.env(\.[\w.-]+)?$/.test(path));
  return [...new Set([...listed, ...ENV_PROBES.filter((path) => ctx.exists(path))])].filter((path) => !EXAMPLE_ENV_NAME.test(path) && !ctx.file(path)?.isTest).sort();
}

function exampleEnvFiles(ctx: CheckContext): WorkspaceFile[] {
  const paths = new Set([...ctx.files.filter((path) => EXAMPLE_ENV_NAME.test(path)), ...EXAMPLE_ENV_PROBES.filter((path) => ctx.exists(path))]);
  return [...paths].sort().flatMap((path) => ctx.file(path) ?? []).filter((file) => !file.isTest);
}

export const DELIVERY_CHECKS = defineChecks([
  {
    id: 'ci-runs-tests',
    dimension: 'delivery',
    title: 'CI runs the tests on every push',
    weight: 15,
    remedy: 'Add .github/workflows/ci.yml that installs with `npm ci` and runs `npm test` on push and pull_request.',
    evaluate(ctx) {
      const configs = readCiConfigs(ctx);
      if (configs.length === 0) return fail('No CI configuration found.', lookedFor('.github/workflows/*.yml, .gitlab-ci.yml, .circleci/config.yml, Jenkinsfile, …'));
      const scripts = ctx.packageJson?.scripts ?? {};
      for (const config of configs) {
        const step = config.commands.find((candidate) => runsTests(candidate.command, scripts));
        if (step) return pass(`${config.path} runs the tests.`, at(config.path, step.line, oneLine(step.command)));
      }
      const evidence = configs.map((config) => at(config.path, undefined, config.problem ?? `${plural(config.commands.length, 'command')}, none runs the tests`));
      return fail(`CI is configured but never runs the tests (${configs.map((config) => config.path).join(', ')}).`, ...evidence);
    },
  },
  {
    id: 'tests-present',
    dimension: 'delivery',
    title: 'There are tests and a test script that runs them',
    weight: 12,
    remedy: 'Add tests for the money and auth paths and a `test` script in package.json that runs them (vitest, jest or node --test).',
    evaluate(ctx) {
      if (!ctx.packageJson) return notApplicable('No package.json.', lookedFor('package.json'));
      const script = ctx.packageJson.scripts.test;
      const files = testFiles(ctx);
      const filesEvidence = files.length > 0 ? [at(files[0] ?? '', undefined, `${plural(files.length, 'test file')}`)] : [lookedFor('*.test.*, *.spec.*, __tests__/, test/, tests/')];
      if (script === undefined) return fail(files.length > 0 ? `${plural(files.length, 'test file')} but no \`test\` script to run them.` : 'No tests and no `test` script.', at('package.json', undefined, 'no scripts.test'), ...filesEvidence);
      if (NPM_PLACEHOLDER.test(script)) return fail('The `test` script is the npm placeholder that always fails.', at('package.json', undefined, `scripts.test: ${oneLine(script)}`), ...filesEvidence);
      if (files.length === 0) return fail(`The \`test\` script runs \`${oneLine(script, 60)}\` but there are no test files.`, at('package.json', undefined, `scripts.test: ${oneLine(script)}`), ...filesEvidence);
      return pass(`${plural(files.length, 'test file')}; \`npm test\` runs \`${oneLine(script, 60)}\`.`, at('package.json', undefined, `scripts.test: ${oneLine(script)}`), ...filesEvidence);
    },
  },
  {
    id: 'deploy-config',
    dimension: 'delivery',
    title: 'How the app is deployed is in the repo (Dockerfile or platform config)',
    weight: 8,
    remedy: 'Add a Dockerfile (multi-stage, `npm ci --omit=dev`, non-root USER) or your platform\'s config (fly.toml, render.yaml, vercel.json).',
    evaluate(ctx) {
      const docker = ctx.app.dockerfiles[0];
      if (docker) return pass(`${docker.path} builds the app's image.`, at(docker.path, undefined, 'Dockerfile'));
      const platform = ctx.app.platformConfig;
      if (platform) return pass(`Deployed with ${platform}.`, at(platform, undefined, 'platform config'));
      const server = ctx.app.server;
      if (server.kind === 'node') return fail('A Node server with no Dockerfile or platform config: how it is built and run lives only in someone\'s head.', server.evidence, lookedFor('Dockerfile, vercel.json, fly.toml, render.yaml, Procfile, …'));
      if (server.kind === 'none' && ctx.code.length === 0) return notApplicable('No application code.', lookedFor('code files'));
      return unknown('No Dockerfile or platform config; zero-config hosts (Vercel, Netlify) need none. Confirm how it deploys.', server.evidence, lookedFor('Dockerfile, vercel.json, netlify.toml, fly.toml, …'));
    },
  },
  {
    id: 'container-non-root',
    dimension: 'delivery',
    title: 'The container does not run as root',
    weight: 6,
    remedy: 'Add `USER node` (official Node images) after installing dependencies in the final stage of the Dockerfile.',
    evaluate(ctx) {
      const dockerfiles = ctx.app.dockerfiles;
      if (dockerfiles.length === 0) return notApplicable('No Dockerfile.', lookedFor('Dockerfile'));
      const failing: Evidence[] = [];
      const passing: Evidence[] = [];
      for (const file of dockerfiles) {
        const stage = finalStage(file);
        const from = stage.find((step) => step.instruction === 'FROM');
        const user = stage.filter((step) => step.instruction === 'USER').at(-1);
        if (user && !/^(root|0)(:|\s|$)/.test(user.args)) passing.push(at(file.path, user.line, `USER ${user.args}`));
        else if (!user && from && /(:|-)nonroot\b|cgr\.dev\/chainguard\//.test(from.args)) passing.push(at(file.path, from.line, `FROM ${from.args} runs as non-root`));
        else failing.push(user ? at(file.path, user.line, `USER ${user.args}`) : at(file.path, from?.line, 'no USER in the final stage: runs as root'));
      }
      if (failing.length > 0) return fail('The container runs as root: a code-execution bug owns the whole container.', ...failing);
      return pass('Every image switches to a non-root user.', ...passing);
    },
  },
  {
    id: 'container-healthcheck',
    dimension: 'delivery',
    title: 'The container can be health-checked',
    weight: 4,
    remedy: 'Add `HEALTHCHECK CMD wget -qO- http://localhost:$PORT/health || exit 1` to the Dockerfile, or point the orchestrator\'s probe at a /health route.',
    evaluate(ctx) {
      const dockerfiles = ctx.app.dockerfiles;
      if (dockerfiles.length === 0) return notApplicable('No Dockerfile.', lookedFor('Dockerfile'));
      for (const file of dockerfiles) {
        const check = finalStage(file).find((step) => step.instruction === 'HEALTHCHECK' && !/^NONE\b/i.test(step.args));
        if (check) return pass(`${file.path} declares a HEALTHCHECK.`, at(file.path, check.line, oneLine(`HEALTHCHECK ${check.args}`)));
      }
      const probe = ctx.first(ORCHESTRATOR_PROBE, ctx.filesMatching(/\.ya?ml$/));
      if (probe) return pass('The orchestrator config declares a health probe.', at(probe.file.path, probe.line, oneLine(probe.text)));
      const route = ctx.app.healthRoute;
      if (route) return pass('No HEALTHCHECK, but the app has a health route an orchestrator can probe.', route);
      return fail('No HEALTHCHECK and no health route: a hung container keeps receiving traffic.', ...dockerfiles.map((file) => at(file.path, undefined, 'no HEALTHCHECK')));
    },
  },
  {
    id: 'lockfile-committed',
    dimension: 'delivery',
    title: 'A lockfile is committed',
    weight: 8,
    remedy: 'Run `npm install` and commit package-lock.json (or your package manager\'s lockfile) so every install gets the same versions.',
    evaluate(ctx) {
      if (!ctx.packageJson) return notApplicable('No package.json.', lookedFor('package.json'));
      const lockfile = LOCKFILES.find((path) => ctx.exists(path));
      if (!lockfile) return fail('No lockfile: every install resolves dependency versions anew, so production can run code nobody tested.', lookedFor(LOCKFILES.join(', ')));
      if (ctx.project.isTracked(lockfile)) return pass(`${lockfile} is committed.`, at(lockfile, undefined, 'tracked by git'));
      if (ctx.project.isIgnored(lockfile)) return fail(`${lockfile} is ignored by .gitignore, so it is never committed.`, at(lockfile, undefined, 'ignored by .gitignore'));
      return pass(ctx.gitKnown ? `${lockfile} is present (not committed yet).` : `${lockfile} is present.`, at(lockfile, undefined, 'present'));
    },
  },
  {
    id: 'node-version-pinned',
    dimension: 'delivery',
    title: 'The Node.js version is pinned',
    weight: 4,
    remedy: 'Add `"engines": { "node": ">=20 <21" }` to package.json or a .nvmrc, so CI, laptops and production run the same Node.',
    evaluate(ctx) {
      const pkg = ctx.packageJson;
      if (!pkg) return notApplicable('No package.json.', lookedFor('package.json'));
      const engines = pkg.engines.node;
      if (engines && engines.trim() !== '*') return pass(`package.json engines.node is ${engines}.`, at('package.json', undefined, `engines.node: ${engines}`));
      if (pkg.voltaNode) return pass(`Volta pins Node ${pkg.voltaNode}.`, at('package.json', undefined, `volta.node: ${pkg.voltaNode}`));
      for (const path of ['.nvmrc', '.node-version']) {
        const text = ctx.file(path)?.text.trim();
        if (text) return pass(`${path} pins Node ${oneLine(text, 20)}.`, at(path, 1, text));
      }
      const toolVersions = ctx.file('.tool-versions')?.matches(TOOL_VERSIONS_NODE)[0];
      if (toolVersions) return pass('.tool-versions pins Node.', at('.tool-versions', toolVersions.line, toolVersions.text));
      for (const file of ctx.app.dockerfiles) {
        const from = finalStage(file).find((step) => step.instruction === 'FROM' && /\bnode:\d/.test(step.args));
        if (from) return pass(`${file.path} pins the Node image.`, at(file.path, from.line, `FROM ${from.args}`));
      }
      return fail('The Node.js version is not pinned: production may run a different major than CI and laptops.', lookedFor('engines.node, .nvmrc, .node-version, .tool-versions, volta.node, FROM node:<version>'));
    },
  },
  {
    id: 'env-not-committed',
    dimension: 'delivery',
    title: '.env files are gitignored and none is committed',
    weight: 10,
    remedy: 'Add `.env*` (with `!.env.example`) to .gitignore; if one was committed, run `git rm --cached .env` and rotate every secret it held.',
    evaluate(ctx) {
      const files = envFiles(ctx);
      const tracked = files.filter((path) => ctx.project.isTracked(path));
      const unignored = files.filter((path) => !tracked.includes(path) && !ctx.project.isIgnored(path));
      if (tracked.length > 0 || unignored.length > 0) {
        const evidence = [...tracked.map((path) => at(path, undefined, 'tracked by git')), ...unignored.map((path) => at(path, undefined, 'not ignored by .gitignore: the next `git add .` commits it'))];
        return fail(tracked.length > 0 ? `${tracked.join(', ')} ${tracked.length === 1 ? 'is' : 'are'} committed: every clone has its secrets.` : `${unignored.join(', ')} ${unignored.length === 1 ? 'is' : 'are'} not ignored by .gitignore.`, ...evidence);
      }
      if (files.length > 0) return pass(`${plural(files.length, '.env file')}, all ignored and untracked.`, ...files.map((path) => at(path, undefined, 'ignored')));
      if (ctx.project.isIgnored('.env')) return pass('No .env file in the repository, and .gitignore covers one.', lookedFor('.env, .env.local, .env.production, …'));
      const reads = envReads(ctx);
      if (reads.size === 0) return pass('No .env file, and the code reads no environment variables.', lookedFor('.env files; reads of process.env'));
      return fail(`.gitignore does not cover .env, yet the code reads ${plural(reads.size, 'environment variable')}: the first \`git add .\` after creating one commits its secrets.`, at(ctx.exists('.gitignore') ? '.gitignore' : 'package.json', undefined, ctx.exists('.gitignore') ? 'no pattern matches .env' : 'no .gitignore'));
    },
  },
  {
    id: 'env-example-complete',
    dimension: 'delivery',
    title: '.env.example documents every variable the code reads',
    weight: 8,
    remedy: 'Add every variable the code reads to .env.example with a placeholder value, so a new deploy fails loudly instead of running half-configured.',
    evaluate(ctx) {
      const reads = envReads(ctx);
      if (reads.size === 0) return notApplicable('The code reads no environment variables.', lookedFor('reads of process.env and import.meta.env, env() in schema.prisma'));
      const examples = exampleEnvFiles(ctx);
      const names = [...reads.keys()];
      if (examples.length === 0) return fail(`No .env.example; ${plural(names.length, 'variable')} the code reads ${names.length === 1 ? 'is' : 'are'} documented nowhere: ${names.join(', ')}.`, lookedFor('.env.example, .env.sample, .env.template'), ...reads.values());
      const documented = new Set<string>();
      for (const file of examples) {
        for (const entry of parseEnvFile(file.text)) documented.add(entry.key);
        for (const match of file.matches(DOCUMENTED_ENV_KEY)) if (match.groups[0]) documented.add(match.groups[0]);
      }
      const missing = names.filter((name) => !documented.has(name));
      const where = examples.map((file) => file.path).join(', ');
      if (missing.length > 0) return fail(`${where} lacks ${plural(missing.length, 'variable')} the code reads: ${missing.join(', ')}.`, ...missing.map((name) => reads.get(name) ?? lookedFor(name)));
      return pass(`${where} documents all ${plural(names.length, 'variable')} the code reads.`, ...examples.map((file) => at(file.path, undefined, 'example env file')));
    },
  },
] satisfies CheckDefinition[]);
