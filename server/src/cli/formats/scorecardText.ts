// `shipshape scorecard` as text: the overall score and grade, a bar per dimension,
// the top risks with `path:line` to jump to, and the checklist with what to do.
import type { CheckResult, DimensionScore, Scorecard } from '../../engine/scorecard/index';
import type { Style } from './ansi';
import { bar, checklist, count, DIMENSION_LABEL, dimensionScore, minusOverall, riskCost, STATUS_LABEL, statusCounts } from './scorecardCommon';

export interface ScorecardTextOptions {
  style: Style;
  /** How to show a root-relative path (relative to the working directory, so terminals can open it). */
  displayPath: (path: string) => string;
}

const BAR_WIDTH = 20;
/** Locations listed per risk; the rest are counted. */
const MAX_LOCATIONS = 5;

const STATUS_MARK: Readonly<Record<CheckResult['status'], string>> = { pass: '✔', fail: '✖', unknown: '?', 'not-applicable': '–' };

export function formatScorecardText(scorecard: Scorecard, options: ScorecardTextOptions): string {
  const { style } = options;
  const out: string[] = [];
  out.push(style.bold(`Production readiness: ${scoreColor(scorecard.score, style)(`${scorecard.score}/100 (${scorecard.grade})`)}`), '');

  const labelWidth = Math.max(...scorecard.dimensions.map((dimension) => DIMENSION_LABEL[dimension.dimension].length));
  for (const dimension of scorecard.dimensions) {
    const label = DIMENSION_LABEL[dimension.dimension].padEnd(labelWidth);
    const shown = dimension.applicable ? scoreColor(dimension.score, style)(bar(dimension.score, BAR_WIDTH)) : style.dim('·'.repeat(BAR_WIDTH));
    out.push(`  ${label}  ${shown}  ${dimensionScore(dimension).padStart(3)}  ${style.dim(dimensionDetail(dimension))}`);
  }

  out.push('', style.bold('Top risks'));
  if (scorecard.topRisks.length === 0) out.push(style.green('  None: no finding or failed check costs points.'));
  const numberWidth = String(scorecard.topRisks.length).length;
  const costWidth = Math.max(0, ...scorecard.topRisks.map((risk) => minusOverall(risk.overallPoints).length));
  const indent = ' '.repeat(2 + numberWidth + 2 + costWidth + 2);
  for (const [index, risk] of scorecard.topRisks.entries()) {
    const title = risk.kind === 'check' ? `${style.red('✖')} ${risk.title}` : risk.title;
    out.push(`  ${String(index + 1).padStart(numberWidth)}  ${style.red(minusOverall(risk.overallPoints).padStart(costWidth))}  ${style.bold(risk.id)}  ${title}  ${style.dim(`(${riskCost(risk)})`)}`);
    for (const location of risk.locations.slice(0, MAX_LOCATIONS)) out.push(`${indent}${options.displayPath(location.path)}:${location.line}`);
    const hidden = risk.locations.length - MAX_LOCATIONS;
    if (hidden > 0) out.push(`${indent}${style.dim(risk.kind === 'rule' ? `… ${count(risk.count, 'finding')} in all` : `… and ${hidden} more`)}`);
    if (risk.remedy) out.push(`${indent}→ ${oneLine(risk.remedy)}`);
  }
  if (scorecard.topRisks.length > 0) out.push(style.dim(`  (points lost on the overall score; the dimension's own loss in parentheses)`));

  out.push('', style.bold(`Checklist (${statusCounts(scorecard)})`));
  let dimension: string | undefined;
  const statusWidth = Math.max(...Object.values(STATUS_LABEL).map((label) => label.length));
  const checkIndent = ' '.repeat(4 + 2 + statusWidth + 2);
  for (const check of checklist(scorecard)) {
    if (check.dimension !== dimension) {
      dimension = check.dimension;
      out.push(`  ${DIMENSION_LABEL[check.dimension]}`);
    }
    const color = statusColor(check.status, style);
    out.push(`    ${color(`${STATUS_MARK[check.status]} ${STATUS_LABEL[check.status].padEnd(statusWidth)}`)}  ${check.title} ${style.dim(`(${check.id})`)}`);
    out.push(`${checkIndent}${style.dim(oneLine(check.summary))}`);
    if (check.status === 'fail' || check.status === 'unknown') out.push(`${checkIndent}→ ${oneLine(check.remedy)}`);
  }
  if (scorecard.unscoredFindings > 0) out.push('', style.yellow(`${count(scorecard.unscoredFindings, 'finding')} from rules without metadata ${scorecard.unscoredFindings === 1 ? 'is' : 'are'} not scored.`));
  return `${out.join('\n')}\n`;
}

function dimensionDetail(dimension: DimensionScore): string {
  if (!dimension.applicable) return 'not applicable to this app';
  const parts: string[] = [];
  if (dimension.findings > 0) parts.push(count(dimension.findings, 'finding'));
  if (dimension.checks.fail > 0) parts.push(count(dimension.checks.fail, 'failed check'));
  if (dimension.checks.unknown > 0) parts.push(`${dimension.checks.unknown} to check by hand`);
  return parts.length > 0 ? parts.join(', ') : 'nothing found';
}

function scoreColor(score: number, style: Style): (text: string) => string {
  return score >= 80 ? style.green : score >= 60 ? style.yellow : style.red;
}

function statusColor(status: CheckResult['status'], style: Style): (text: string) => string {
  return status === 'fail' ? style.red : status === 'pass' ? style.green : status === 'unknown' ? style.yellow : style.dim;
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
