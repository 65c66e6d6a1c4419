// Rendering a rule's `meta.docs` as Markdown, shared by SARIF (`help.markdown`)
// and the generated rules reference (scripts/gen-docs.ts): one wording everywhere.
import { SUPPRESSION_RULE_ID } from '../engine/suppressions';
import type { FixDeclaration, RuleMeta } from '../engine/types';

/**
 * `CWE-89` becomes a link to MITRE; `Some title — https://…` a titled link; a bare
 * URL a link to itself; anything else stays text.
 */
export function referenceMarkdown(reference: string): string {
  const text = reference.trim();
  const cwe = /^CWE-(\d+)$/i.exec(text);
  if (cwe) return `[CWE-${cwe[1]}](https://cwe.mitre.org/data/definitions/${cwe[1]}.html)`;
  const url = /https?:\/\/\S+/.exec(text)?.[0];
  if (!url) return text;
  const label = text.replace(url, '').replace(/[\s:\u2014\u2013-]+$/, '').trim();
  return label ? `[${label.replace(/[[\]]/g, '\\$&')}](${url})` : `<${url}>`;
}

/** CWE numbers named in a rule's references, e.g. `['89']`. */
export function cweIds(meta: RuleMeta): string[] {
  const ids = meta.docs.references.flatMap((reference) => [...reference.matchAll(/\bCWE-(\d+)\b/gi)].map((match) => match[1] ?? ''));
  return [...new Set(ids.filter(Boolean))];
}

export function fixMarkdown(fix: FixDeclaration): string {
  const safety = fix.safe
    ? 'safe: applied by `shipshape scan --fix`, fix-all and fix-on-save'
    : 'unsafe: offered as a quick fix in the editor only, review the change before keeping it';
  return `**${fix.title}** (\`${fix.id}\`) — ${safety}.`;
}

/** The body shared by SARIF help and the reference page: why, how to fix, fixes, references. */
export function ruleHelpSections(meta: RuleMeta, headingLevel: number): string[] {
  const heading = '#'.repeat(headingLevel);
  const out = [`${heading} Why it breaks in production`, '', meta.docs.why, '', `${heading} How to fix`, '', meta.docs.howToFix, ''];
  out.push(`${heading} Automatic fixes`, '');
  if (meta.fixes.length === 0) out.push('None: this rule reports the problem and explains the fix.', '');
  else out.push(...meta.fixes.map((fix) => `- ${fixMarkdown(fix)}`), '');
  if (meta.id === SUPPRESSION_RULE_ID) {
    out.push(`${heading} Turning it off`, '', `Set \`"${meta.id}": "off"\` under \`rules\` in \`.shipshape.json\`; a suppression comment cannot silence it.`, '');
  } else {
    out.push(
      `${heading} Suppressing`,
      '',
      `\`// shipshape-ignore-next-line ${meta.id} -- why this is safe\` on the line before (\`#\` in .env, YAML and Dockerfiles, \`--\` in SQL), or \`"${meta.id}": "off"\` under \`rules\` in \`.shipshape.json\`.`,
      '',
    );
  }
  if (meta.docs.references.length > 0) out.push(`${heading} References`, '', ...meta.docs.references.map((reference) => `- ${referenceMarkdown(reference)}`), '');
  return out;
}

export function ruleHelpText(meta: RuleMeta): string {
  const fixes = meta.fixes.length === 0 ? 'none' : meta.fixes.map((fix) => `${fix.title} (${fix.safe ? 'safe' : 'unsafe'})`).join('; ');
  const lines = [meta.docs.summary, '', `Why it breaks in production: ${meta.docs.why}`, '', `How to fix: ${meta.docs.howToFix}`, '', `Automatic fixes: ${fixes}`];
  if (meta.docs.references.length > 0) lines.push('', `References: ${meta.docs.references.join(', ')}`);
  return lines.join('\n');
}
