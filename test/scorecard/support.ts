// Small workspaces for the check tests. `project()` is in memory (a map of paths to
// text, a set of tracked paths) and lists files the way the walker does (only
// kinds the engine classifies: README.md and .nvmrc are readable but not listed);
// `onDisk()` writes a temp folder and opens it with the real Workspace.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after } from 'node:test';
import { classifyFile } from '../../server/src/engine/files/kinds';
import { createProjectView } from '../../server/src/engine/project';
import { type CheckResult, runChecks } from '../../server/src/engine/scorecard/index';
import type { Finding, ProjectView } from '../../server/src/engine/types';
import { Workspace } from '../../server/src/engine/workspace';

export interface Sample {
  project: ProjectView;
  files: string[];
}

export function project(files: Record<string, string>, options: { tracked?: readonly string[] } = {}): Sample {
  const tracked = new Set(options.tracked ?? []);
  const listed = Object.keys(files).filter((path) => classifyFile(path) !== undefined);
  return { project: createProjectView('/virtual', (path) => files[path], (path) => tracked.has(path), () => listed), files: listed };
}

const roots: string[] = [];
after(() => roots.forEach((root) => rmSync(root, { recursive: true, force: true })));

export function onDisk(files: Record<string, string>): Sample {
  const root = mkdtempSync(join(tmpdir(), 'shipshape-scorecard-'));
  roots.push(root);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  const workspace = new Workspace(root, { rules: [], knownRules: new Set() });
  return { project: workspace.project, files: workspace.discover() };
}

/** Runs every check over a sample and returns the one asked for. */
export function check(id: string, sample: Sample, findings: readonly Finding[] = []): CheckResult {
  const result = runChecks(sample.project, sample.files, findings).find((candidate) => candidate.id === id);
  assert.ok(result, `no check ${id}`);
  return result;
}

/** Asserts a check's status, showing its summary and evidence when it differs. */
export function expectStatus(result: CheckResult, status: CheckResult['status'], summary?: RegExp): void {
  assert.equal(result.status, status, `${result.id}: ${result.summary}\n${JSON.stringify(result.evidence, null, 2)}`);
  if (summary) assert.match(result.summary, summary);
}

/** Evidence rendered as `path:line detail` lines, for matching. */
export function evidenceText(result: CheckResult): string {
  return result.evidence.map((evidence) => `${evidence.path ?? ''}${evidence.line ? `:${evidence.line}` : ''} ${evidence.detail}`).join('\n');
}

export const pkg = (value: Record<string, unknown>): string => JSON.stringify(value, null, 2);

/** package.json of an Express app with these extra dependencies. */
export function expressPkg(extra: Record<string, unknown> = {}, dependencies: Record<string, string> = {}): string {
  return pkg({ name: 'app', scripts: { start: 'node dist/server.js' }, dependencies: { express: '^4.19.2', ...dependencies }, ...extra });
}

export function finding(ruleId: string, path: string, line: number, severity: Finding['severity'] = 'error'): Finding {
  return {
    ruleId,
    severity,
    message: `${ruleId} at ${path}:${line}`,
    path,
    range: { start: { line, character: 0 }, end: { line, character: 1 } },
    offset: { start: 0, end: 1 },
    snippet: 'x',
    fixes: [],
  };
}
