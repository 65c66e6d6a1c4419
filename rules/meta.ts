// Every rule's meta (ids, titles, docs, declared fixes), without the checks. Front
// ends that only name or describe rules read this: the CLI's main thread parses
// arguments and formats reports from it while the analysis, with the compiler, runs
// in a worker, so this module must not import analysis code (a test checks the
// CLI bundle carries no compiler).
import { SUPPRESSION_RULE_META } from '../server/src/engine/suppressions';
import type { RuleMeta } from '../server/src/engine/types';
import { meta as hardcodedSecret } from './hardcoded-secret/meta';
import { meta as missingAuth } from './missing-auth/meta';
import { meta as missingIndex } from './missing-index/meta';
import { meta as missingOwnershipCheck } from './missing-ownership-check/meta';
import { meta as nPlusOne } from './n-plus-one/meta';
import { meta as sqlInjection } from './sql-injection/meta';
import { meta as unboundedQuery } from './unbounded-query/meta';

/** Meta of each rule in rules/index.ts's RULES, in the same order. */
export const RULE_META: readonly RuleMeta[] = [hardcodedSecret, missingAuth, missingIndex, missingOwnershipCheck, nPlusOne, sqlInjection, unboundedQuery];

/** Meta of every rule the engine can report, including engine-reported ones such as invalid suppressions. */
export const ALL_RULE_META: readonly RuleMeta[] = [...RULE_META, SUPPRESSION_RULE_META].sort((a, b) => a.id.localeCompare(b.id));

export const KNOWN_RULE_IDS: ReadonlySet<string> = new Set(ALL_RULE_META.map((meta) => meta.id));

/** Where a rule's documentation lives; diagnostics link here (`codeDescription.href`) and SARIF uses it as `helpUri`. */
export function ruleDocsUrl(id: string): string {
  return `https://github.com/shipshape-dev/shipshape/blob/main/docs/rules/${id}.md`;
}
