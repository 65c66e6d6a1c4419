// Engine values → the payloads of the custom requests (`shipshape/findings`,
// `shipshape/ruleDocs`). Plain functions: no connection, no state.
import type { Finding, RuleMeta } from '../engine';
import { ruleHelpSections } from '../cli/ruleDocs';
import type { FindingInfo, RuleInfo } from '../protocol';

export function findingInfo(finding: Finding, place: { uri: string; path: string; folder: string }): FindingInfo {
  return {
    ...place,
    ruleId: finding.ruleId,
    severity: finding.severity,
    message: finding.message,
    range: finding.range,
    snippet: finding.snippet,
    fixes: finding.fixes.map((fix) => ({ id: fix.id, title: fix.title, safe: fix.safe, preferred: fix.preferred })),
  };
}

export function ruleInfo(meta: RuleMeta, docsUrl: string): RuleInfo {
  return {
    id: meta.id,
    title: meta.title,
    dimension: meta.dimension,
    defaultSeverity: meta.defaultSeverity,
    docs: { summary: meta.docs.summary, why: meta.docs.why, howToFix: meta.docs.howToFix, references: [...meta.docs.references] },
    fixes: meta.fixes.map((fix) => ({ id: fix.id, title: fix.title, safe: fix.safe })),
    docsUrl,
  };
}

/** A rule's page for the editor, in the same words as SARIF help and the generated reference (cli/ruleDocs). */
export function ruleDocsMarkdown(meta: RuleMeta, docsUrl: string): string {
  return [
    `# ${meta.title}`,
    '',
    `\`${meta.id}\` · ${meta.dimension} · default severity: ${meta.defaultSeverity}`,
    '',
    meta.docs.summary,
    '',
    ...ruleHelpSections(meta, 2),
    `[Documentation online](${docsUrl})`,
    '',
  ].join('\n');
}
