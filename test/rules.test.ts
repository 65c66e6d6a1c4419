// The fixture harness (DESIGN.md, "A rule"): discovers every rules/<id>/fixtures/
// entry by itself and checks, per fixture,
//  - `ruleid: X` lines produce a finding of X, `ok: X` lines do not,
//    `todoruleid` / `todook` record known gaps (and fail once the gap closes),
//    and no finding lands on a line not annotated `ruleid` / `todook`;
//  - no offered fix failed verification;
//  - applying the preferred fix to every finding yields the `.fixed` golden files
//    exactly, and leaves nothing fixable behind.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { after, describe, test } from 'node:test';
import { RULES } from '../rules/index';
import { KNOWN_RULE_IDS, RULE_META } from '../rules/meta';
import { fixAll } from '../server/src/engine/fixes/fixAll';
import { Workspace } from '../server/src/engine/workspace';
import type { Finding } from '../server/src/engine/types';
import type { Rule } from '../server/src/engine/rule';
import { type Annotation, parseAnnotations } from './support/annotations';

const RULES_DIR = join(__dirname, '..', 'rules');
const temps: string[] = [];
after(() => temps.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** `app.ts` -> `app.fixed.ts`; dotfiles without a further extension: `.env` -> `.env.fixed`. */
export function goldenPath(path: string): string {
  const name = basename(path);
  const dir = dirname(path);
  const dot = name.lastIndexOf('.');
  const golden = dot <= 0 || (name.startsWith('.') && name.indexOf('.', 1) === -1) || name.startsWith('.env') ? `${name}.fixed` : `${name.slice(0, dot)}.fixed${name.slice(dot)}`;
  return dir === '.' ? golden : `${dir}/${golden}`;
}

const isGolden = (name: string): boolean => /\.fixed(\.[^.]+)?$/.test(name);

interface FixtureConfig {
  /** Paths to `git add` in the temp copy, for rules that care whether git tracks a file. */
  gitTracked?: string[];
}

/** Copies a fixture (file or folder) to a temp workspace, without goldens. */
function materialize(fixture: string): string {
  const root = mkdtempSync(join(tmpdir(), 'shipshape-fixture-'));
  temps.push(root);
  if (statSync(fixture).isDirectory()) {
    cpSync(fixture, root, { recursive: true, filter: (source) => !isGolden(basename(source)) && basename(source) !== '.fixture.json' });
    const configPath = join(fixture, '.fixture.json');
    const config: FixtureConfig = existsSync(configPath) ? (JSON.parse(readFileSync(configPath, 'utf8')) as FixtureConfig) : {};
    if (config.gitTracked?.length) {
      execFileSync('git', ['init', '-q'], { cwd: root });
      execFileSync('git', ['add', '-f', ...config.gitTracked], { cwd: root });
    }
  } else {
    cpSync(fixture, join(root, basename(fixture)));
  }
  return root;
}

function goldensOf(fixture: string): Map<string, string> {
  const goldens = new Map<string, string>();
  if (!statSync(fixture).isDirectory()) {
    const golden = join(dirname(fixture), goldenPath(basename(fixture)));
    if (existsSync(golden)) goldens.set(basename(fixture), readFileSync(golden, 'utf8'));
    return goldens;
  }
  const visit = (dir: string): void => {
    for (const entry of readdirSync(join(fixture, dir), { withFileTypes: true })) {
      const path = dir ? `${dir}/${entry.name}` : entry.name;
      if (entry.isDirectory()) visit(path);
      else if (isGolden(entry.name)) goldens.set(sourceOfGolden(path), readFileSync(join(fixture, path), 'utf8'));
    }
  };
  visit('');
  return goldens;
}

function sourceOfGolden(path: string): string {
  return path.replace(/\.fixed(\.[^./]+)?$/, (_match, ext: string | undefined) => ext ?? '');
}

function checkAnnotations(rule: Rule, path: string, text: string, findings: readonly Finding[], annotations: readonly Annotation[]): string[] {
  const problems: string[] = [];
  const ruleFindings = findings.filter((finding) => finding.ruleId === rule.meta.id);
  const linesWithFinding = new Set(ruleFindings.map((finding) => finding.range.start.line));
  const annotated = new Map<number, Set<Annotation['kind']>>();
  for (const annotation of annotations.filter((candidate) => candidate.ruleId === rule.meta.id)) {
    const kinds = annotated.get(annotation.targetLine) ?? new Set();
    kinds.add(annotation.kind);
    annotated.set(annotation.targetLine, kinds);
    const found = linesWithFinding.has(annotation.targetLine);
    const where = `${path}:${annotation.targetLine + 1}`;
    if (annotation.kind === 'ruleid' && !found) problems.push(`${where}: expected ${rule.meta.id}, got nothing`);
    if (annotation.kind === 'ok' && found) problems.push(`${where}: marked ok, but ${rule.meta.id} reported it`);
    if (annotation.kind === 'todoruleid' && found) problems.push(`${where}: todoruleid is now detected; promote it to ruleid`);
    if (annotation.kind === 'todook' && !found) problems.push(`${where}: todook is no longer reported; promote it to ok`);
  }
  for (const finding of ruleFindings) {
    const kinds = annotated.get(finding.range.start.line);
    if (!kinds?.has('ruleid') && !kinds?.has('todook')) {
      problems.push(`${path}:${finding.range.start.line + 1}: unexpected ${rule.meta.id}: ${finding.message}`);
    }
  }
  if (text.length > 0 && annotations.some((annotation) => !KNOWN_RULE_IDS.has(annotation.ruleId))) {
    problems.push(`${path}: annotation names an unknown rule`);
  }
  return problems;
}

const fixtureRules = RULES.filter((rule) => existsSync(join(RULES_DIR, rule.meta.id, 'fixtures')));

describe('every rule has fixtures', () => {
  for (const rule of RULES) {
    test(rule.meta.id, () => {
      assert.ok(fixtureRules.includes(rule), `rules/${rule.meta.id}/fixtures is missing`);
    });
  }
});

// The CLI's main thread lists and describes rules from rules/meta.ts alone: it must be the rules' own meta.
test('rules/meta.ts holds the meta of exactly the registered rules, in order', () => {
  assert.deepEqual(RULE_META.map((meta) => meta.id), RULES.map((rule) => rule.meta.id));
  for (const [index, rule] of RULES.entries()) assert.equal(RULE_META[index], rule.meta, `${rule.meta.id}: rule.ts declares meta other than its meta.ts`);
});

for (const rule of fixtureRules) {
  const fixturesDir = join(RULES_DIR, rule.meta.id, 'fixtures');
  const fixtures = readdirSync(fixturesDir).filter((name) => !isGolden(name)).sort();
  const counts = { ruleid: 0, ok: 0 };

  describe(`rule ${rule.meta.id}`, () => {
    for (const name of fixtures) {
      test(`fixture ${name}`, () => {
        const fixture = join(fixturesDir, name);
        const root = materialize(fixture);
        const workspace = new Workspace(root, { rules: [rule], knownRules: KNOWN_RULE_IDS });
        const paths = workspace.discover();
        const problems: string[] = [];
        let dropped = 0;
        for (const path of paths) {
          const text = readFileSync(join(root, path), 'utf8');
          const annotations = parseAnnotations(text);
          for (const annotation of annotations) {
            if (annotation.ruleId === rule.meta.id && (annotation.kind === 'ruleid' || annotation.kind === 'ok')) counts[annotation.kind]++;
          }
          const result = workspace.analyzeFile(path);
          assert.ok(result, `${path} was not analyzed (${workspace.skipped.find((skip) => skip.path === path)?.reason ?? 'unknown reason'})`);
          assert.deepEqual(result.errors, [], `${path}: internal errors`);
          // Every proposed fix is verified here, not only those fix-all below gets to.
          for (const finding of result.findings) workspace.verifiedFixes(path, finding);
          dropped += result.droppedFixes;
          problems.push(...checkAnnotations(rule, path, text, result.findings, annotations));
        }
        assert.deepEqual(problems, [], problems.join('\n'));
        assert.equal(dropped, 0, 'a fix failed verification (edited text does not parse, or the finding survives it)');

        const goldens = goldensOf(fixture);
        const fixed = fixAll(workspace, { safeOnly: false });
        for (const [path, text] of fixed.files) {
          const golden = goldens.get(path);
          assert.ok(golden !== undefined, `fixes changed ${path} but ${goldenPath(path)} does not exist:\n${text}`);
          assert.equal(text, golden, `${path} after fixes differs from ${goldenPath(path)}`);
        }
        for (const path of goldens.keys()) assert.ok(fixed.files.has(path), `${goldenPath(path)} exists but fixes did not change ${path}`);
        const leftovers = workspace.paths.flatMap((path) => (workspace.analyzeFile(path)?.findings ?? []).filter((finding) => finding.fixes.length > 0));
        assert.deepEqual(leftovers.map((finding) => `${finding.path}:${finding.range.start.line + 1}`), [], 'fixable findings remain after fix-all');
      });
    }

    test('has at least as many safe look-alikes as findings', () => {
      assert.ok(counts.ruleid > 0, 'no ruleid annotations');
      assert.ok(counts.ok >= counts.ruleid, `${counts.ok} ok vs ${counts.ruleid} ruleid`);
    });
  });
}
