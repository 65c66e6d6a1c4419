// One fingerprint for a finding, shared by SARIF `partialFingerprints` and
// baselines: the rule, the file and the flagged text with whitespace collapsed —
// never the line, so a finding keeps its fingerprint when lines are added or
// removed above it — plus its occurrence number among identical ones in the same
// file, so twins stay distinct.
import { createHash } from 'node:crypto';
import type { Finding } from '../engine';

/** The parts of a finding its fingerprint reads. */
export type FingerprintedFinding = Pick<Finding, 'ruleId' | 'path' | 'snippet'>;

/**
 * `sha256(rule, path, normalized snippet)` (first 32 hex digits) `:` occurrence,
 * for each finding in order. Pass the findings sorted by position (as a scan
 * returns them) so occurrence numbers follow the file. `pathOf` maps a
 * workspace-relative path to the one hashed (SARIF hashes repository-relative paths).
 */
export function fingerprintFindings(findings: readonly FingerprintedFinding[], pathOf: (path: string) => string = (path) => path): string[] {
  const seen = new Map<string, number>();
  return findings.map((finding) => {
    const hash = createHash('sha256')
      .update(`${finding.ruleId}\0${pathOf(finding.path)}\0${finding.snippet.replace(/\s+/g, ' ').trim()}`)
      .digest('hex')
      .slice(0, 32);
    const occurrence = (seen.get(hash) ?? 0) + 1;
    seen.set(hash, occurrence);
    return `${hash}:${occurrence}`;
  });
}
