// `--format sarif`: SARIF 2.1.0 as GitHub code scanning ingests it. Locations are
// relative to `%SRCROOT%`, the repository root, so alerts land on the right file
// even when a subfolder was scanned; fingerprints hash the rule, the path and the
// normalized flagged text (never line numbers), so an alert survives unrelated
// edits above it.
import { existsSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Log, Notification, ReportingDescriptor, Result } from 'sarif';
import { CONFIG_FILE } from '../../engine/config';
import type { RuleMeta, Severity } from '../../engine/types';
import { ruleDocsUrl } from '../../../../rules/meta';
import { fingerprintFindings } from '../fingerprint';
import { cweIds, ruleHelpSections, ruleHelpText } from '../ruleDocs';
import type { ScanResult } from '../scanResult';
import { INFORMATION_URI, TOOL_VERSION } from '../version';

export const SRCROOT = '%SRCROOT%';
export const FINGERPRINT_KEY = 'shipshapeFingerprint/v1';

const LEVEL: Record<Severity, Result.level> = { error: 'error', warning: 'warning', info: 'note' };

/** GitHub's scale: ≥9 critical, ≥7 high, ≥4 medium, else low. Rule meta has no finer score yet. */
const SECURITY_SEVERITY: Record<Severity, string> = { error: '8.0', warning: '5.0', info: '3.0' };

/** The nearest folder at or above `root` holding `.git` (a folder, or a file in worktrees); else `root`. */
export function findRepositoryRoot(root: string): string {
  for (let dir = root; ; dir = dirname(dir)) {
    if (existsSync(join(dir, '.git'))) return dir;
    if (dirname(dir) === dir) return root;
  }
}

export function buildSarif(result: ScanResult, srcRoot: string): Log {
  const rules = result.rules.map(describeRule);
  const ruleIndex = new Map(result.rules.map((meta, index) => [meta.id, index]));
  const repoPath = (path: string): string => relative(srcRoot, join(result.root, path)).split(sep).join('/');
  // Fingerprint every finding, baselined ones included, so occurrence numbers do not shift when a baseline hides some.
  const all = result.baseline?.all ?? result.findings;
  const fingerprints = new Map(fingerprintFindings(all, repoPath).map((fingerprint, index) => [all[index], fingerprint]));

  const results: Result[] = result.findings.map((finding) => ({
    ruleId: finding.ruleId,
    ruleIndex: ruleIndex.get(finding.ruleId),
    level: LEVEL[finding.severity],
    message: { text: finding.message },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: toUri(repoPath(finding.path)), uriBaseId: SRCROOT },
          region: {
            startLine: finding.range.start.line + 1,
            startColumn: finding.range.start.character + 1,
            endLine: finding.range.end.line + 1,
            endColumn: finding.range.end.character + 1,
          },
        },
      },
    ],
    partialFingerprints: { [FINGERPRINT_KEY]: fingerprints.get(finding) ?? '' },
    ...(result.baseline ? { baselineState: 'new' as const } : {}),
  }));

  const executionNotifications: Notification[] = result.errors.map((error) => ({
    level: 'error',
    message: { text: `${error.ruleId}: ${error.message}` },
    associatedRule: { id: error.ruleId, index: ruleIndex.get(error.ruleId) },
    locations: [{ physicalLocation: { artifactLocation: { uri: toUri(repoPath(error.path)), uriBaseId: SRCROOT } } }],
  }));
  const configNotifications: Notification[] = result.configProblems.map((problem) => ({
    level: 'warning',
    message: { text: `${problem.path ? `${problem.path}: ` : ''}${problem.message}` },
    locations: [{ physicalLocation: { artifactLocation: { uri: toUri(repoPath(CONFIG_FILE)), uriBaseId: SRCROOT } } }],
  }));

  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'Shipshape', version: TOOL_VERSION, semanticVersion: TOOL_VERSION, informationUri: INFORMATION_URI, rules } },
        originalUriBaseIds: { [SRCROOT]: { uri: pathToFileURL(srcRoot.endsWith(sep) ? srcRoot : srcRoot + sep).href } },
        columnKind: 'utf16CodeUnits',
        invocations: [
          {
            executionSuccessful: result.errors.length === 0,
            ...(executionNotifications.length > 0 ? { toolExecutionNotifications: executionNotifications } : {}),
            ...(configNotifications.length > 0 ? { toolConfigurationNotifications: configNotifications } : {}),
          },
        ],
        results,
      },
    ],
  };
}

export function formatSarif(result: ScanResult, srcRoot: string): string {
  return `${JSON.stringify(buildSarif(result, srcRoot), null, 2)}\n`;
}

function describeRule(meta: RuleMeta): ReportingDescriptor {
  const security = meta.dimension === 'security';
  const tags = [...new Set([meta.dimension, ...(security ? ['security'] : []), ...cweIds(meta).map((id) => `external/cwe/cwe-${id}`)])];
  return {
    id: meta.id,
    name: pascalCase(meta.id),
    shortDescription: { text: meta.title },
    fullDescription: { text: meta.docs.summary },
    help: { text: ruleHelpText(meta), markdown: [meta.docs.summary, '', ...ruleHelpSections(meta, 2)].join('\n').trimEnd() },
    helpUri: ruleDocsUrl(meta.id),
    defaultConfiguration: { level: LEVEL[meta.defaultSeverity] },
    properties: { tags, ...(security ? { 'security-severity': SECURITY_SEVERITY[meta.defaultSeverity] } : {}) },
  };
}

/** A relative URI reference: each path segment percent-encoded (`[id]` → `%5Bid%5D`). */
function toUri(path: string): string {
  return path
    .split('/')
    .map((segment) => encodeURIComponent(segment).replace(/%40/g, '@'))
    .join('/');
}

function pascalCase(id: string): string {
  return id
    .split(/[^a-zA-Z0-9]+/)
    .filter(Boolean)
    .map((part) => part[0]?.toUpperCase() + part.slice(1))
    .join('');
}
