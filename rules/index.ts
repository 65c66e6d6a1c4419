// The rule registry, alphabetical. Adding a rule is adding its folder and one line
// here; the fixture harness, the README table and the editor all read this list.
import type { Rule } from '../server/src/engine/rule';
import { SUPPRESSION_RULE_META } from '../server/src/engine/suppressions';
import type { RuleMeta } from '../server/src/engine/types';
import hardcodedSecret from './hardcoded-secret/rule';
import missingAuth from './missing-auth/rule';
import missingIndex from './missing-index/rule';
import missingOwnershipCheck from './missing-ownership-check/rule';
import nPlusOne from './n-plus-one/rule';
import sqlInjection from './sql-injection/rule';
import unboundedQuery from './unbounded-query/rule';

export const RULES: readonly Rule[] = [hardcodedSecret, missingAuth, missingIndex, missingOwnershipCheck, nPlusOne, sqlInjection, unboundedQuery];

/** Meta of every rule the engine can report, including engine-reported ones such as invalid suppressions. */
export const ALL_RULE_META: readonly RuleMeta[] = [...RULES.map((rule) => rule.meta), SUPPRESSION_RULE_META].sort((a, b) => a.id.localeCompare(b.id));

export const KNOWN_RULE_IDS: ReadonlySet<string> = new Set(ALL_RULE_META.map((meta) => meta.id));

/** Where a rule's documentation lives; diagnostics link here (`codeDescription.href`) and SARIF uses it as `helpUri`. */
export function ruleDocsUrl(id: string): string {
  return `https://github.com/shipshape-dev/shipshape/blob/main/docs/rules/${id}.md`;
}
