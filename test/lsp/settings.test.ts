// package.json's `contributes` agrees with the code: every setting in the zod
// schema is contributed with the same type, enum, default and bounds (and
// nothing else is); every command the extension registers is contributed; the
// manifest declares what the extension promises (activation, trust).
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { z } from 'zod';
import { SCORECARD_PANEL_TYPE, SCORECARD_VIEW_ID } from '../../client/src/scorecard/messages';
import { ClientCommand } from '../../server/src/protocol';
import { DEFAULT_SETTINGS, SettingsSchema, mergeSettings, parseSettings } from '../../server/src/settings';
import { REPO } from './support';

type Json = Record<string, unknown>;

const manifest = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as Json;
const contributes = manifest.contributes as Json;

/** The schema's settings as flat `shipshape.*` keys; objects with fixed properties nest, records are leaves. */
function schemaSettings(): Map<string, Json> {
  const settings = new Map<string, Json>();
  const visit = (prefix: string, node: Json): void => {
    const properties = node.properties as Record<string, Json> | undefined;
    if (node.type === 'object' && properties) {
      for (const [key, child] of Object.entries(properties)) visit(prefix ? `${prefix}.${key}` : key, child);
      return;
    }
    settings.set(`shipshape.${prefix}`, node);
  };
  visit('', z.toJSONSchema(SettingsSchema, { io: 'input' }) as Json);
  return settings;
}

const COMPARED = ['type', 'enum', 'default', 'minimum', 'maximum', 'items', 'additionalProperties'] as const;

test('contributes.configuration matches the settings schema key by key', () => {
  const contributed = ((contributes.configuration as Json).properties ?? {}) as Record<string, Json>;
  const expected = schemaSettings();
  assert.deepEqual(Object.keys(contributed).sort(), [...expected.keys()].sort());
  for (const [key, schema] of expected) {
    const entry = contributed[key];
    assert.ok(entry);
    for (const field of COMPARED) assert.deepEqual(entry[field], schema[field], `${key}.${field}`);
    assert.ok(typeof entry.markdownDescription === 'string' || typeof entry.description === 'string', `${key} is described`);
  }
});

test('every command the extension registers is contributed under the Shipshape category, and nothing else', () => {
  const commands = contributes.commands as { command: string; title: string; category: string }[];
  assert.deepEqual(commands.map((command) => command.command).sort(), Object.values(ClientCommand).sort());
  for (const command of commands) assert.equal(command.category, 'Shipshape');
  const source = readFileSync(join(REPO, 'client', 'src', 'extension.ts'), 'utf8');
  for (const id of Object.keys(ClientCommand)) assert.match(source, new RegExp(`registerCommand\\(ClientCommand\\.${id}\\b`), `${id} is registered`);
});

test('the manifest activates on JS/TS and package.json workspaces, supports untrusted workspaces, not virtual ones', () => {
  // A restored scorecard panel activates the extension (VS Code does not infer onWebviewPanel events).
  assert.deepEqual(manifest.activationEvents, ['onLanguage:javascript', 'onLanguage:javascriptreact', 'onLanguage:typescript', 'onLanguage:typescriptreact', 'workspaceContains:package.json', `onWebviewPanel:${SCORECARD_PANEL_TYPE}`]);
  assert.deepEqual(manifest.capabilities, { untrustedWorkspaces: { supported: true }, virtualWorkspaces: false });
  assert.equal(manifest.main, './dist/client.js');
  assert.deepEqual(manifest.bin, { shipshape: 'dist/cli.js', 'shipshape-lsp': 'dist/server.js' });
});

test('settings: one invalid key falls back to its default without costing the others; unknown rules are dropped', () => {
  const known = new Set(['sql-injection', 'hardcoded-secret']);
  const { settings, problems } = parseSettings({ enable: 'yes', debounceMs: 40, rules: { 'sql-injection': 'warning', 'no-such-rule': 'off' }, trace: { server: 'loud' } }, known);
  assert.equal(settings.enable, true);
  assert.equal(settings.debounceMs, 40);
  assert.deepEqual(settings.rules, { 'sql-injection': 'warning' });
  assert.equal(settings.trace.server, 'off');
  assert.equal(problems.length, 3, problems.join('\n'));
  assert.deepEqual(parseSettings(undefined).settings, DEFAULT_SETTINGS);
  assert.deepEqual(parseSettings(null).settings, DEFAULT_SETTINGS);
  assert.equal(parseSettings('nonsense').problems.length, 1);
});

test('settings precedence: the repo file is the baseline, user rules override per rule, excludes add up', () => {
  const merged = mergeSettings(
    { rules: { 'sql-injection': 'warning', 'hardcoded-secret': 'off' }, exclude: ['legacy/'], publicRoutes: ['/api/health'] },
    { ...DEFAULT_SETTINGS, rules: { 'sql-injection': 'error' }, exclude: ['scratch/', 'legacy/'] },
  );
  assert.deepEqual(merged, { rules: { 'sql-injection': 'error', 'hardcoded-secret': 'off' }, exclude: ['legacy/', 'scratch/'], publicRoutes: ['/api/health'] });
});

test('the scorecard view lives in a Shipshape activity bar container whose icon ships in media/', () => {
  const containers = (contributes.viewsContainers as { activitybar: { id: string; icon: string }[] }).activitybar;
  const container = containers.find((candidate) => candidate.id === 'shipshape');
  assert.ok(container);
  assert.match(container.icon, /^media\//);
  assert.ok(existsSync(join(REPO, container.icon)), `${container.icon} exists`);
  const views = (contributes.views as Record<string, { id: string; type?: string }[]>).shipshape ?? [];
  assert.deepEqual(views.map((view) => [view.id, view.type]), [[SCORECARD_VIEW_ID, 'webview']]);
  const menus = (contributes.menus as Record<string, { command: string; when?: string }[]>)['view/title'] ?? [];
  assert.ok(menus.some((menu) => menu.command === ClientCommand.openScorecard && menu.when === `view == ${SCORECARD_VIEW_ID}`), 'Open Scorecard is in the view title bar');
});
