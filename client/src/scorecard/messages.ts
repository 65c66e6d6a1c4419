// The messages between the extension and the scorecard webview, declared once
// and imported by both sides (the extension host and the browser bundle
// media/scorecard.js): each side validates what it receives with these schemas
// and drops anything else. Imports zod and the shared protocol only (no vscode,
// no DOM, no Node), so both bundles can take it.
import { z } from 'zod';
import { ScorecardRequest } from '../../../server/src/protocol';

/** `contributes.views` id of the webview view in the Shipshape activity bar container. */
export const SCORECARD_VIEW_ID = 'shipshape.scorecard';
/** viewType of the editor panel (its serializer and the `onWebviewPanel:` activation event use it). */
export const SCORECARD_PANEL_TYPE = 'shipshape.scorecardPanel';

/** What the panel renders: the server's `shipshape/scorecard` result for one folder. */
export const ScorecardDataSchema = ScorecardRequest.result.unwrap();
export type ScorecardData = z.infer<typeof ScorecardDataSchema>;

/** A folder-relative path as the scorecard spells it: forward slashes, no way out of the folder. */
const RelativePathSchema = z
  .string()
  .min(1)
  .refine((path) => !path.startsWith('/') && !path.includes('\\') && !path.split('/').includes('..'), 'a folder-relative path');
const LineSchema = z.number().int().min(1);

/** Why there is no scorecard to show (yet). */
export const PanelStatusSchema = z.enum(['starting', 'analyzing', 'noFolder', 'disabled', 'stopped', 'error']);
export type PanelStatus = z.infer<typeof PanelStatusSchema>;

/** Extension → webview. */
export const HostMessageSchema = z.discriminatedUnion('type', [
  /** A scorecard to render (replaces the previous one). */
  z.object({ type: z.literal('scorecard'), data: ScorecardDataSchema }).strict(),
  /** No (fresh) scorecard: a status line instead; `detail` says more ("120/5,000 files"). */
  z.object({ type: z.literal('status'), status: PanelStatusSchema, detail: z.string().optional() }).strict(),
  /** The outcome of a `fix` message, keyed as the webview keyed it. */
  z.object({ type: z.literal('fixResult'), key: z.string(), applied: z.boolean(), reason: z.string().optional() }).strict(),
]);
export type HostMessage = z.infer<typeof HostMessageSchema>;

/** Webview → extension. */
export const WebviewMessageSchema = z.discriminatedUnion('type', [
  /** The script is up: send the scorecard of `folder` (the restored choice), or of the default folder. */
  z.object({ type: z.literal('ready'), folder: z.string().optional() }).strict(),
  /** Fetch the scorecard again. */
  z.object({ type: z.literal('refresh') }).strict(),
  /** Show another workspace folder's scorecard. */
  z.object({ type: z.literal('selectFolder'), folder: z.string() }).strict(),
  /** Jump to a file and line of the folder (a risk location or a check's evidence). */
  z.object({ type: z.literal('open'), folder: z.string(), path: RelativePathSchema, line: LineSchema }).strict(),
  /** Apply a top risk's fix (one of the `fixes` the scorecard came with). */
  z.object({ type: z.literal('fix'), key: z.string(), folder: z.string(), path: RelativePathSchema, line: LineSchema, ruleId: z.string(), fixId: z.string() }).strict(),
  /** Show a rule's documentation. */
  z.object({ type: z.literal('showRuleDocs'), ruleId: z.string() }).strict(),
]);
export type WebviewMessage = z.infer<typeof WebviewMessageSchema>;

/** What the webview keeps across hide/show and restarts (`vscode.setState`). */
export const WebviewStateSchema = z.object({
  /** The folder picked in a multi-root workspace. */
  folder: z.string().optional(),
  /** The last scorecard shown, rendered at once when the view comes back. */
  data: ScorecardDataSchema.optional(),
  /** Checklist filter. */
  checklist: z.enum(['attention', 'all']).default('attention'),
  /** Risks whose full location list is expanded. */
  expanded: z.array(z.string()).default([]),
  scrollY: z.number().nonnegative().default(0),
});
export type WebviewState = z.infer<typeof WebviewStateSchema>;

/** The key a webview uses for one fix (and the extension echoes in `fixResult`). */
export function fixKey(fix: { ruleId: string; path: string; line: number; fixId: string }): string {
  return `${fix.ruleId}:${fix.path}:${fix.line}:${fix.fixId}`;
}
