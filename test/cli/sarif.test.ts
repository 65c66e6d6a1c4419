// SARIF 2.1.0 as GitHub code scanning needs it: checked structurally, and
// fingerprints that survive an unrelated edit above a finding.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import type { Log, ReportingDescriptor, Result, Run } from 'sarif';
import { ALL_RULE_META, ruleDocsUrl } from '../../rules/meta';
import { JsonReportSchema } from '../../server/src/cli/jsonReport';
import { copyShop, EXPECTED, makeWorkspace, runCli, SHOP, WARNING_ONLY } from './support';

function sarifOf(args: readonly string[]): { log: Log; run: Run } {
  const result = runCli(['scan', ...args, '--format', 'sarif']);
  assert.ok(result.status === 0 || result.status === 1, `exit ${result.status}: ${result.stderr}`);
  const log = JSON.parse(result.stdout) as Log;
  const run = log.runs[0];
  assert.ok(run, 'one run');
  return { log, run };
}

const LEVELS = new Set(['error', 'warning', 'note']);

test('log, tool and rules carry what GitHub code scanning reads', () => {
  const { log, run } = sarifOf([SHOP]);
  assert.equal(log.version, '2.1.0');
  assert.match(log.$schema ?? '', /sarif-2\.1\.0/);
  assert.equal(log.runs.length, 1);
  const driver = run.tool.driver;
  assert.equal(driver.name, 'Shipshape');
  assert.match(driver.version ?? '', /^\d+\.\d+\.\d+/);
  assert.match(driver.informationUri ?? '', /^https:\/\//);
  const rules = driver.rules ?? [];
  assert.deepEqual(rules.map((rule) => rule.id), ALL_RULE_META.map((meta) => meta.id), 'one rule per rule meta');
  for (const rule of rules) {
    const meta = ALL_RULE_META.find((candidate) => candidate.id === rule.id);
    assert.ok(meta);
    assert.match(rule.name ?? '', /^[A-Z][A-Za-z0-9]*$/, `${rule.id} name`);
    assert.equal(rule.shortDescription?.text, meta.title);
    assert.equal(rule.fullDescription?.text, meta.docs.summary);
    assert.ok(rule.help?.text.includes(meta.docs.why), `${rule.id} help.text`);
    assert.ok(rule.help?.markdown?.includes(meta.docs.howToFix), `${rule.id} help.markdown`);
    assert.equal(rule.helpUri, ruleDocsUrl(meta.id));
    assert.ok(LEVELS.has(rule.defaultConfiguration?.level ?? ''), `${rule.id} level`);
    const tags = rule.properties?.tags ?? [];
    assert.ok(tags.includes(meta.dimension), `${rule.id} tags include its dimension`);
    const securitySeverity = rule.properties?.['security-severity'];
    if (meta.dimension === 'security') {
      assert.ok(tags.includes('security'), `${rule.id} tagged security`);
      assert.equal(typeof securitySeverity, 'string');
      const score = Number(securitySeverity);
      assert.ok(score > 0 && score <= 10, `${rule.id} security-severity ${String(securitySeverity)}`);
    } else {
      assert.equal(securitySeverity, undefined);
    }
  }
});

test('results: ruleIndex names the right rule, levels, relative %SRCROOT% locations, 1-based regions, fingerprints', () => {
  const { run } = sarifOf([SHOP]);
  const rules: ReportingDescriptor[] = run.tool.driver.rules ?? [];
  const results: Result[] = run.results ?? [];
  assert.ok(results.length >= EXPECTED.length, `${results.length} results, ${EXPECTED.length} expected at least`);
  const severityLevel = { error: 'error', warning: 'warning', info: 'note' } as const;
  for (const result of results) {
    assert.ok(result.ruleId);
    assert.equal(typeof result.ruleIndex, 'number');
    assert.equal(rules[result.ruleIndex ?? -1]?.id, result.ruleId, 'ruleIndex points at the rule');
    assert.ok(LEVELS.has(result.level ?? ''), `level ${result.level}`);
    assert.ok(result.message.text && result.message.text.length > 0);
    const location = result.locations?.[0]?.physicalLocation;
    assert.equal(location?.artifactLocation?.uriBaseId, '%SRCROOT%');
    const uri = location?.artifactLocation?.uri ?? '';
    assert.ok(uri.length > 0 && !uri.startsWith('/') && !/^[a-z]+:/i.test(uri), `relative uri: ${uri}`);
    const region = location?.region;
    assert.ok(region?.startLine && region.startLine >= 1, 'startLine');
    assert.ok(region.startColumn && region.startColumn >= 1, 'startColumn');
    assert.ok(region.endLine && region.endLine >= region.startLine, 'endLine');
    assert.ok(region.endColumn && (region.endLine > region.startLine || region.endColumn >= region.startColumn), 'endColumn');
    assert.ok(Object.values(result.partialFingerprints ?? {}).every((value) => value.length > 0));
    assert.equal(Object.keys(result.partialFingerprints ?? {}).length, 1);
  }
  // Same findings, same order as the JSON report: levels follow severities, regions follow positions.
  const report = JsonReportSchema.parse(JSON.parse(runCli(['scan', SHOP, '--format', 'json']).stdout));
  assert.equal(results.length, report.findings.length);
  for (const [index, finding] of report.findings.entries()) {
    const result = results[index];
    assert.equal(result?.ruleId, finding.ruleId);
    assert.equal(result?.level, severityLevel[finding.severity], `${finding.path}:${finding.line} level`);
    assert.deepEqual(result?.locations?.[0]?.physicalLocation?.region, { startLine: finding.line, startColumn: finding.column, endLine: finding.endLine, endColumn: finding.endColumn });
  }
  const fingerprints = results.map((result) => Object.values(result.partialFingerprints ?? {})[0]);
  assert.equal(new Set(fingerprints).size, fingerprints.length, 'fingerprints are unique within a run');
});

test('a warning is level "warning"; --rule limits the rules array and keeps ruleIndex right', () => {
  const root = makeWorkspace(WARNING_ONLY);
  const { run } = sarifOf([root, '--rule', 'invalid-suppression']);
  assert.deepEqual(run.tool.driver.rules?.map((rule) => rule.id), ['invalid-suppression']);
  const [result] = run.results ?? [];
  assert.equal(result?.ruleId, 'invalid-suppression');
  assert.equal(result?.ruleIndex, 0);
  assert.equal(result?.level, 'warning');
  assert.equal(result?.locations?.[0]?.physicalLocation?.artifactLocation?.uri, 'src/util.ts');
  assert.deepEqual(result?.locations?.[0]?.physicalLocation?.region, { startLine: 1, startColumn: 1, endLine: 1, endColumn: '// shipshape-ignore-next-line sql-injection'.length + 1 });
});

test('fingerprints do not change when an unrelated line is inserted above the findings', () => {
  const root = copyShop();
  const fingerprintsByFile = (): Map<string, { fingerprint: string; line: number }[]> => {
    const byFile = new Map<string, { fingerprint: string; line: number }[]>();
    for (const result of sarifOf([root]).run.results ?? []) {
      const location = result.locations?.[0]?.physicalLocation;
      const uri = location?.artifactLocation?.uri ?? '';
      const entry = { fingerprint: Object.values(result.partialFingerprints ?? {})[0] ?? '', line: location?.region?.startLine ?? 0 };
      byFile.set(uri, [...(byFile.get(uri) ?? []), entry]);
    }
    return byFile;
  };
  const before = fingerprintsByFile();
  const edited = [...new Set(EXPECTED.map((row) => row.path))];
  for (const path of edited) {
    const absolute = join(root, path);
    writeFileSync(absolute, `// Reviewed for launch.\n${readFileSync(absolute, 'utf8')}`);
  }
  const after = fingerprintsByFile();
  assert.deepEqual([...after.keys()].sort(), [...before.keys()].sort());
  assert.ok(edited.some((path) => (before.get(path) ?? []).length > 0), 'the edited files have findings');
  for (const path of edited) {
    const was = before.get(path) ?? [];
    const now = after.get(path) ?? [];
    assert.deepEqual(now.map((entry) => entry.fingerprint), was.map((entry) => entry.fingerprint), `${path} fingerprints`);
    assert.deepEqual(now.map((entry) => entry.line), was.map((entry) => entry.line + 1), `${path} lines moved down by one`);
  }
});

test('uris are relative to the repository root when a subfolder of a git repository is scanned', () => {
  const root = makeWorkspace({ '.git/HEAD': 'ref: refs/heads/main\n', 'apps/web/src/util.ts': WARNING_ONLY['src/util.ts'] });
  const { run } = sarifOf([join(root, 'apps', 'web')]);
  assert.equal(run.results?.[0]?.locations?.[0]?.physicalLocation?.artifactLocation?.uri, 'apps/web/src/util.ts');
  assert.equal(run.originalUriBaseIds?.['%SRCROOT%']?.uri, pathToFileURL(`${root}/`).href);
});
