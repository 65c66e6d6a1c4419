// The rule registry, alphabetical. Adding a rule is adding its folder (its meta.ts
// and rule.ts) and one line here and in ./meta.ts; the fixture harness, the README
// table and the editor all read these lists.
import type { Rule } from '../server/src/engine/rule';
import hardcodedSecret from './hardcoded-secret/rule';
import missingAuth from './missing-auth/rule';
import missingIndex from './missing-index/rule';
import missingOwnershipCheck from './missing-ownership-check/rule';
import nPlusOne from './n-plus-one/rule';
import sqlInjection from './sql-injection/rule';
import unboundedQuery from './unbounded-query/rule';

export const RULES: readonly Rule[] = [hardcodedSecret, missingAuth, missingIndex, missingOwnershipCheck, nPlusOne, sqlInjection, unboundedQuery];
