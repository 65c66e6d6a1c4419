// The scorecard webview (bundled to media/scorecard.js for the browser). It
// renders what the extension posts — overall score and grade, the seven
// dimensions, the top risks with jump and fix buttons, the checklist — and posts
// back what the user does. Rules it keeps:
//   - every message in and out is validated against the shared schemas;
//   - every string from the workspace goes in as text (textContent / text nodes),
//     never as HTML: a file named `<img src=x onerror=alert(1)>.ts` is a name;
//   - real buttons and selects in a natural tab order, visible focus, ARIA roles
//     (progressbar with aria-valuenow for the bars), announcements in a live region;
//   - what the user chose (folder, checklist filter, expanded risks, scroll) and
//     the last scorecard survive hide/show through vscode.setState.
import {
  type HostMessage,
  HostMessageSchema,
  type PanelStatus,
  type ScorecardData,
  type WebviewMessage,
  type WebviewState,
  WebviewStateSchema,
  fixKey,
} from '../scorecard/messages';
import { DIMENSION_LABELS } from '../../../server/src/engine/scorecard/model';
import { STATUS_ORDER, checklist as inChecklistOrder } from '../../../server/src/engine/scorecard/model';

interface VsCodeApi {
  postMessage(message: WebviewMessage): void;
  getState(): unknown;
  setState(state: WebviewState): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

type Scorecard = ScorecardData['scorecard'];
type Risk = Scorecard['topRisks'][number];
type Check = Scorecard['checks'][number];
type Fix = ScorecardData['fixes'][number];

const vscode = acquireVsCodeApi();
const app = element('app');
const announcer = element('announcer');

const STATUS_TEXT: Record<PanelStatus, string> = {
  starting: 'Starting the Shipshape server…',
  analyzing: 'Analyzing the workspace…',
  noFolder: 'Open a folder to see its production-readiness scorecard.',
  disabled: 'Shipshape is disabled for this folder (setting shipshape.enable).',
  stopped: 'The Shipshape server is not running. Run "Shipshape: Restart Server".',
  error: 'The scorecard could not be computed. See "Shipshape: Show Output".',
};
const CHECK_STATUS: Record<Check['status'], { label: string; icon: string }> = {
  fail: { label: 'Fail', icon: 'error' },
  unknown: { label: 'Check by hand', icon: 'question' },
  pass: { label: 'Pass', icon: 'pass' },
  'not-applicable': { label: 'N/A', icon: 'circle-slash' },
};
/** Locations shown per risk before "Show all". */
const LOCATIONS_SHOWN = 5;

let state: WebviewState = restoreState();
let status: { status: PanelStatus; detail?: string } | undefined = state.data ? undefined : { status: 'starting' };
const pendingFixes = new Set<string>();

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  const parsed = HostMessageSchema.safeParse(event.data);
  if (!parsed.success) {
    console.warn(`shipshape: ignoring an invalid message: ${parsed.error.message}`);
    return;
  }
  receive(parsed.data);
});
let scrollTimer: number | undefined;
window.addEventListener(
  'scroll',
  () => {
    window.clearTimeout(scrollTimer);
    scrollTimer = window.setTimeout(() => save({ scrollY: window.scrollY }), 200);
  },
  { passive: true },
);

render();
if (state.scrollY > 0) window.scrollTo(0, state.scrollY);
post({ type: 'ready', folder: state.folder });

function receive(message: HostMessage): void {
  switch (message.type) {
    case 'scorecard': {
      const first = state.data === undefined;
      const before = state.data?.scorecard.score;
      status = undefined;
      save({ data: message.data, folder: message.data.folder.uri });
      render();
      const { score, grade } = message.data.scorecard;
      if (first || before !== score) announce(`Production readiness ${score} of 100, grade ${grade}.`);
      break;
    }
    case 'status':
      status = { status: message.status, detail: message.detail };
      render();
      break;
    case 'fixResult':
      pendingFixes.delete(message.key);
      announce(message.applied ? 'Fix applied. The scorecard updates once the file is analyzed again.' : `The fix was not applied: ${message.reason ?? 'unknown reason'}.`);
      render();
      break;
  }
}

// ── rendering ──────────────────────────────────────────────────────────────

function render(): void {
  // Re-rendering replaces the DOM: put the focus back on the same control.
  const focusKey = document.activeElement instanceof HTMLElement ? document.activeElement.dataset.focusKey : undefined;
  const data = state.data;
  const children: Node[] = [];
  if (status && (!data || status.status === 'analyzing')) children.push(statusLine(status.status, status.detail, data !== undefined));
  if (data) children.push(header(data), overview(data.scorecard), dimensions(data.scorecard), risks(data), checklist(data));
  app.replaceChildren(...children);
  app.setAttribute('aria-busy', data ? 'false' : 'true');
  if (focusKey !== undefined) {
    const target = [...app.querySelectorAll<HTMLElement>('[data-focus-key]')].find((candidate) => candidate.dataset.focusKey === focusKey);
    target?.focus();
  }
}

function statusLine(panelStatus: PanelStatus, detail: string | undefined, hasData: boolean): HTMLElement {
  const icon = panelStatus === 'starting' || panelStatus === 'analyzing' ? 'loading codicon-modifier-spin' : panelStatus === 'error' || panelStatus === 'stopped' ? 'warning' : 'info';
  const text = hasData && panelStatus === 'analyzing' ? 'Analyzing the workspace… the numbers below update when it is done.' : STATUS_TEXT[panelStatus];
  return h('p', { className: `status-line status-${panelStatus}` }, codicon(icon), h('span', { text: detail ? `${text} (${detail})` : text }));
}

function header(data: ScorecardData): HTMLElement {
  const title = h('h1', { text: 'Production readiness' });
  const tools = h('div', { className: 'toolbar' });
  if (data.folders.length > 1) {
    const select = h('select', { attrs: { 'aria-label': 'Workspace folder' }, focusKey: 'folder' });
    for (const folder of data.folders) {
      const option = h('option', { text: folder.name });
      option.value = folder.uri;
      option.selected = folder.uri === data.folder.uri;
      select.append(option);
    }
    select.addEventListener('change', () => {
      save({ folder: select.value, expanded: [] });
      post({ type: 'selectFolder', folder: select.value });
    });
    tools.append(select);
  } else {
    tools.append(h('span', { className: 'folder-name', text: data.folder.name, attrs: { title: data.folder.uri } }));
  }
  tools.append(iconButton('refresh', 'Refresh the scorecard', 'refresh', () => post({ type: 'refresh' })));
  return h('header', { className: 'panel-header' }, title, tools);
}

function overview(card: Scorecard): HTMLElement {
  const failed = card.checks.filter((check) => check.status === 'fail').length;
  const unknown = card.checks.filter((check) => check.status === 'unknown').length;
  const findings = card.dimensions.reduce((sum, dimension) => sum + dimension.findings, 0);
  const summary = [plural(findings, 'finding'), `${plural(failed, 'failed check')}`, ...(unknown > 0 ? [`${unknown} to check by hand`] : [])].join(' · ');
  const score = h('div', {
    className: `overall level-${level(card.score)}`,
    id: 'overall',
    attrs: { role: 'group', 'aria-label': `Overall score ${card.score} of 100, grade ${card.grade}` },
  });
  score.append(
    h('span', { className: 'overall-score', id: 'overall-score', text: String(card.score), attrs: { 'aria-hidden': 'true' } }),
    h('span', { className: 'overall-max', text: '/100', attrs: { 'aria-hidden': 'true' } }),
    h('span', { className: 'grade', id: 'overall-grade', text: card.grade, attrs: { 'aria-hidden': 'true', title: `Grade ${card.grade}` } }),
  );
  return h('section', { className: 'overview', attrs: { 'aria-label': 'Overall score' } }, score, h('p', { className: 'summary', text: summary }));
}

function dimensions(card: Scorecard): HTMLElement {
  const list = h('ul', { className: 'dimensions', attrs: { 'aria-label': 'Dimensions' } });
  for (const dimension of card.dimensions) {
    const label = DIMENSION_LABELS[dimension.dimension];
    const item = h('li', { className: `dimension level-${dimension.applicable ? level(dimension.score) : 'na'}`, attrs: { 'data-dimension': dimension.dimension } });
    const labelId = `dimension-${dimension.dimension}-label`;
    const bar = h('div', {
      className: 'bar',
      attrs: {
        role: 'progressbar',
        'aria-labelledby': labelId,
        'aria-valuemin': '0',
        'aria-valuemax': '100',
        ...(dimension.applicable ? { 'aria-valuenow': String(dimension.score) } : { 'aria-valuetext': 'not applicable' }),
      },
    });
    const fill = h('div', { className: 'bar-fill' });
    // CSSOM, not a style attribute: the CSP forbids inline styles.
    fill.style.width = `${dimension.applicable ? dimension.score : 0}%`;
    bar.append(fill);
    const detail = [
      dimension.findings > 0 ? plural(dimension.findings, 'finding') : undefined,
      dimension.checks.fail > 0 ? plural(dimension.checks.fail, 'failed check') : undefined,
      dimension.checks.unknown > 0 ? `${dimension.checks.unknown} to check by hand` : undefined,
    ].filter((part): part is string => part !== undefined);
    item.append(
      h('span', { className: 'dimension-label', id: labelId, text: label }),
      bar,
      h('span', { className: 'dimension-score', text: dimension.applicable ? String(dimension.score) : 'n/a' }),
      h('span', { className: 'dimension-detail', text: dimension.applicable ? detail.join(' · ') || 'nothing lost' : 'not applicable to this app' }),
    );
    list.append(item);
  }
  return section('Dimensions', 'dimensions-heading', list);
}

function risks(data: ScorecardData): HTMLElement {
  const card = data.scorecard;
  if (card.topRisks.length === 0) return section('Top risks', 'risks-heading', h('p', { className: 'empty', text: 'No findings or failed checks cost points. Ship it.' }));
  const list = h('ol', { className: 'risks' });
  for (const risk of card.topRisks) list.append(riskItem(data, risk));
  return section('Top risks', 'risks-heading', list);
}

function riskItem(data: ScorecardData, risk: Risk): HTMLElement {
  const riskKey = `${risk.kind}:${risk.id}`;
  const item = h('li', { className: `risk risk-${risk.kind}`, attrs: { 'data-risk': risk.id } });
  const icon = risk.kind === 'check' ? 'checklist' : risk.severity === 'error' ? 'error' : risk.severity === 'warning' ? 'warning' : 'info';
  const cost = h('span', { className: 'risk-cost', text: `−${formatPoints(risk.overallPoints)}`, attrs: { title: `${formatPoints(risk.overallPoints)} points lost on the overall score` } });
  item.append(h('div', { className: 'risk-head' }, codicon(icon, risk.severity ?? 'check'), h('span', { className: 'risk-title', text: risk.title }), cost));

  const meta = h('div', { className: 'risk-meta' });
  meta.append(h('code', { text: risk.id }), h('span', { text: `${DIMENSION_LABELS[risk.dimension]} −${risk.points}` }), h('span', { text: risk.kind === 'rule' ? plural(risk.count, 'finding') : 'failed check' }));
  if (risk.kind === 'rule') {
    meta.append(linkButton(`Docs`, `Show the documentation of ${risk.id}`, `docs:${risk.id}`, () => post({ type: 'showRuleDocs', ruleId: risk.id })));
  }
  item.append(meta);
  if (risk.remedy) item.append(h('p', { className: 'remedy' }, codicon('lightbulb'), h('span', { text: risk.remedy })));

  if (risk.locations.length > 0) {
    const expanded = state.expanded.includes(riskKey);
    const shown = expanded ? risk.locations : risk.locations.slice(0, LOCATIONS_SHOWN);
    const locations = h('ul', { className: 'locations', attrs: { 'aria-label': `Where: ${risk.title}` } });
    for (const location of shown) {
      const row = h('li', { className: 'location' });
      const where = `${location.path}:${location.line}`;
      row.append(
        h('button', {
          className: 'risk-open link',
          text: where,
          focusKey: `open:${riskKey}:${where}`,
          attrs: { type: 'button', 'aria-label': `Open ${location.path} at line ${location.line}`, title: `Open ${where}`, 'data-path': location.path, 'data-line': String(location.line) },
          onClick: () => post({ type: 'open', folder: data.folder.uri, path: location.path, line: location.line }),
        }),
      );
      const fix = risk.kind === 'rule' ? data.fixes.find((candidate) => candidate.ruleId === risk.id && candidate.path === location.path && candidate.line === location.line) : undefined;
      if (fix) row.append(fixButton(data, fix));
      locations.append(row);
    }
    item.append(locations);
    if (risk.locations.length > LOCATIONS_SHOWN) {
      const more = risk.locations.length - LOCATIONS_SHOWN;
      item.append(
        linkButton(expanded ? 'Show fewer' : `Show ${more} more`, expanded ? `Show fewer places for ${risk.title}` : `Show ${more} more places for ${risk.title}`, `more:${riskKey}`, () => {
          save({ expanded: expanded ? state.expanded.filter((key) => key !== riskKey) : [...state.expanded, riskKey] });
          render();
        }),
      );
    }
  }
  return item;
}

function fixButton(data: ScorecardData, fix: Fix): HTMLElement {
  const key = fixKey(fix);
  const pending = pendingFixes.has(key);
  const button = h('button', {
    className: 'risk-fix',
    focusKey: `fix:${key}`,
    attrs: {
      type: 'button',
      'aria-label': `${fix.title} at ${fix.path} line ${fix.line}${fix.safe ? '' : ' (review the change)'}`,
      title: fix.safe ? `${fix.title} (a verified, safe fix)` : `${fix.title} (verified; review the change before keeping it)`,
    },
    onClick: () => {
      pendingFixes.add(key);
      render();
      post({ type: 'fix', key, folder: data.folder.uri, path: fix.path, line: fix.line, ruleId: fix.ruleId, fixId: fix.fixId });
    },
  });
  // The long label ("Fix: Parameterize query") gives way to "Fix" in a narrow side bar (CSS); the aria-label says it all.
  const label = pending ? h('span', { className: 'fix-label', text: 'Fixing…' }) : h('span', { className: 'fix-label' }, h('span', { text: 'Fix' }), h('span', { className: 'fix-title', text: `: ${fix.title}` }));
  button.append(codicon(pending ? 'loading codicon-modifier-spin' : 'wand'), label);
  button.disabled = pending;
  return button;
}

function checklist(data: ScorecardData): HTMLElement {
  const card = data.scorecard;
  // The order `shipshape scorecard` prints: by dimension, then fail, check by hand, pass, n/a.
  const ordered = inChecklistOrder(card);
  const attention = ordered.filter((check) => check.status === 'fail' || check.status === 'unknown');
  const shown = state.checklist === 'all' ? ordered : attention;
  const filter = h('div', { className: 'segmented', attrs: { role: 'group', 'aria-label': 'Which checks to show' } });
  const choice = (value: WebviewState['checklist'], text: string): HTMLElement =>
    h('button', {
      className: 'segment',
      text,
      focusKey: `filter:${value}`,
      attrs: { type: 'button', 'aria-pressed': String(state.checklist === value) },
      onClick: () => {
        save({ checklist: value });
        render();
      },
    });
  filter.append(choice('attention', `Needs attention (${attention.length})`), choice('all', `All (${card.checks.length})`));

  const groups = h('div', { className: 'checklist' });
  for (const dimension of card.dimensions) {
    const checks = shown.filter((check) => check.dimension === dimension.dimension);
    if (checks.length === 0) continue;
    const headingId = `checks-${dimension.dimension}`;
    const list = h('ul', { className: 'checks', attrs: { 'aria-labelledby': headingId } });
    for (const check of checks) list.append(checkItem(data, check));
    groups.append(h('h3', { id: headingId, text: DIMENSION_LABELS[dimension.dimension] }), list);
  }
  if (shown.length === 0) groups.append(h('p', { className: 'empty', text: 'Every check passes or does not apply.' }));
  const counts = STATUS_ORDER.map((value) => `${card.checks.filter((check) => check.status === value).length} ${CHECK_STATUS[value].label.toLowerCase()}`);
  return section('Checklist', 'checklist-heading', h('p', { className: 'summary', text: counts.join(' · ') }), filter, groups);
}

function checkItem(data: ScorecardData, check: Check): HTMLElement {
  const { label, icon } = CHECK_STATUS[check.status];
  const item = h('li', { className: `check check-${check.status}`, attrs: { 'data-check': check.id, 'data-status': check.status } });
  item.append(
    h('div', { className: 'check-head' }, codicon(icon, check.status), h('span', { className: 'check-status', text: label }), h('span', { className: 'check-title', text: check.title })),
    h('p', { className: 'check-summary', text: check.summary }),
  );
  if (check.evidence.length > 0) {
    const evidence = h('ul', { className: 'evidence', attrs: { 'aria-label': `Evidence: ${check.title}` } });
    for (const entry of check.evidence) {
      const row = h('li');
      if (entry.path !== undefined) {
        const path = entry.path;
        const line = entry.line ?? 1;
        const where = entry.line === undefined ? path : `${path}:${line}`;
        row.append(
          h('button', {
            className: 'evidence-open link',
            text: where,
            focusKey: `evidence:${check.id}:${where}`,
            attrs: { type: 'button', 'aria-label': `Open ${path}${entry.line === undefined ? '' : ` at line ${line}`}`, 'data-path': path, 'data-line': String(line) },
            onClick: () => post({ type: 'open', folder: data.folder.uri, path, line }),
          }),
          document.createTextNode(' '),
        );
      }
      row.append(h('span', { className: 'evidence-detail', text: entry.detail }));
      evidence.append(row);
    }
    item.append(evidence);
  }
  if (check.status === 'fail' || check.status === 'unknown') item.append(h('p', { className: 'remedy' }, codicon('lightbulb'), h('span', { text: check.remedy })));
  return item;
}

// ── helpers ────────────────────────────────────────────────────────────────

interface Props {
  className?: string;
  id?: string;
  /** Set as a text node: never parsed as HTML. */
  text?: string;
  attrs?: Record<string, string>;
  /** Identifies the control across re-renders so focus can return to it. */
  focusKey?: string;
  onClick?: () => void;
}

function h<K extends keyof HTMLElementTagNameMap>(tag: K, props: Props = {}, ...children: Node[]): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (props.className) node.className = props.className;
  if (props.id) node.id = props.id;
  if (props.text !== undefined) node.textContent = props.text;
  for (const [name, value] of Object.entries(props.attrs ?? {})) node.setAttribute(name, value);
  if (props.focusKey !== undefined) node.dataset.focusKey = props.focusKey;
  if (props.onClick) node.addEventListener('click', props.onClick);
  node.append(...children);
  return node;
}

function section(title: string, id: string, ...children: Node[]): HTMLElement {
  return h('section', { className: 'card', attrs: { 'aria-labelledby': id } }, h('h2', { id, text: title }), ...children);
}

function codicon(name: string, label?: string): HTMLElement {
  return h('span', { className: `codicon codicon-${name}${label ? ` icon-${label}` : ''}`, attrs: { 'aria-hidden': 'true' } });
}

function iconButton(icon: string, label: string, focusKey: string, onClick: () => void): HTMLElement {
  return h('button', { className: 'icon-button', focusKey, attrs: { type: 'button', 'aria-label': label, title: label }, onClick }, codicon(icon));
}

function linkButton(text: string, label: string, focusKey: string, onClick: () => void): HTMLElement {
  return h('button', { className: 'link', text, focusKey, attrs: { type: 'button', 'aria-label': label }, onClick });
}

function level(score: number): 'good' | 'fair' | 'poor' {
  return score >= 80 ? 'good' : score >= 60 ? 'fair' : 'poor';
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

/** Overall points as the CLI prints them: one decimal. */
function formatPoints(points: number): string {
  return points.toFixed(1);
}

function announce(text: string): void {
  announcer.textContent = text;
}

function element(id: string): HTMLElement {
  const found = document.getElementById(id);
  if (!found) throw new Error(`#${id} is missing from the page`);
  return found;
}

function post(message: WebviewMessage): void {
  vscode.postMessage(message);
}

function restoreState(): WebviewState {
  const parsed = WebviewStateSchema.safeParse(vscode.getState() ?? {});
  return parsed.success ? parsed.data : WebviewStateSchema.parse({});
}

function save(patch: Partial<WebviewState>): void {
  state = { ...state, ...patch };
  vscode.setState(state);
}
