// Every workspace check, by dimension (in the scorecard's order), then as declared.
import type { CheckDefinition } from './check';
import { COMPLIANCE_CHECKS } from './compliance';
import { COST_CHECKS } from './cost';
import { DATA_CHECKS } from './data';
import { DELIVERY_CHECKS } from './delivery';
import { OBSERVABILITY_CHECKS } from './observability';
import { RELIABILITY_CHECKS } from './reliability';
import { SECURITY_CHECKS } from './security';

export type { CheckDefinition, CheckOutcome } from './check';

export const ALL_CHECKS: readonly CheckDefinition[] = [
  ...SECURITY_CHECKS,
  ...DATA_CHECKS,
  ...RELIABILITY_CHECKS,
  ...OBSERVABILITY_CHECKS,
  ...DELIVERY_CHECKS,
  ...COMPLIANCE_CHECKS,
  ...COST_CHECKS,
];
