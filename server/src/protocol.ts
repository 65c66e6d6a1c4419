// Everything the Shipshape server and its clients say to each other beyond plain
// LSP, declared once: method names, command ids and zod schemas. The server
// validates what it sends and receives with these schemas, and so does the
// extension, so a mismatch is a logged validation error, never a silent
// `undefined` in a panel. Imports zod only: both bundles can take it.
import { z } from 'zod';
import { GradeSchema, ScorecardSchema } from './engine/scorecard/schema';

/** `Diagnostic.source` of everything the server publishes. */
export const DIAGNOSTIC_SOURCE = 'shipshape';
/** `Diagnostic.code` of problems in `.shipshape.json` itself. */
export const CONFIG_DIAGNOSTIC_CODE = 'invalid-config';
/** The code action kind that `editor.codeActionsOnSave` asks for. */
export const FIX_ALL_KIND = 'source.fixAll.shipshape';

const SeveritySchema = z.enum(['error', 'warning', 'info']);
const PositionSchema = z.object({ line: z.number().int().nonnegative(), character: z.number().int().nonnegative() });
const RangeSchema = z.object({ start: PositionSchema, end: PositionSchema });
const CountsSchema = z.object({ error: z.number().int().nonnegative(), warning: z.number().int().nonnegative(), info: z.number().int().nonnegative() });

/** What each published diagnostic carries in `data`, so a code action finds its fix without re-analysis. */
export const DiagnosticDataSchema = z.object({
  ruleId: z.string(),
  /** Index of the finding in the file's last published analysis. */
  index: z.number().int().nonnegative(),
  /** The document version analyzed; null for files not open in the editor. */
  documentVersion: z.number().int().nullable(),
});
export type DiagnosticData = z.infer<typeof DiagnosticDataSchema>;

/** Server → client after analyses: what a status bar needs. */
export const StatusNotification = {
  method: 'shipshape/status',
  schema: z.object({
    state: z.enum(['analyzing', 'idle', 'disabled']),
    /** Files with a current analysis result (open or from the background scan). */
    filesAnalyzed: z.number().int().nonnegative(),
    /** Files the workspace holds (the scan's denominator). */
    filesTotal: z.number().int().nonnegative(),
    findings: CountsSchema,
    /** Engine time of the most recent single-file analysis, ms. */
    lastAnalysisMs: z.number().nonnegative(),
    /** Wall time of the last complete workspace scan, ms; null before the first one ends. */
    lastScanMs: z.number().nonnegative().nullable(),
    /** Per-file time above which the editor feels slow. */
    budgetMs: z.number().nonnegative(),
    /** The last analysis took longer than `budgetMs`, or a rule was skipped for time. */
    overBudget: z.boolean(),
    /** Rules that crashed or ran out of time since the last scan; details go to the server log. */
    internalErrors: z.number().int().nonnegative(),
  }),
} as const;
export type StatusParams = z.infer<typeof StatusNotification.schema>;

const FixSummarySchema = z.object({ id: z.string(), title: z.string(), safe: z.boolean(), preferred: z.boolean() });

export const RuleInfoSchema = z.object({
  id: z.string(),
  title: z.string(),
  dimension: z.enum(['security', 'data', 'reliability', 'observability', 'delivery', 'compliance', 'cost']),
  defaultSeverity: SeveritySchema,
  docs: z.object({ summary: z.string(), why: z.string(), howToFix: z.string(), references: z.array(z.string()) }),
  fixes: z.array(z.object({ id: z.string(), title: z.string(), safe: z.boolean() })),
  docsUrl: z.string(),
});
export type RuleInfo = z.infer<typeof RuleInfoSchema>;

export const FindingInfoSchema = z.object({
  uri: z.string(),
  /** Workspace-folder-relative path with forward slashes. */
  path: z.string(),
  /** URI of the workspace folder the finding belongs to. */
  folder: z.string(),
  ruleId: z.string(),
  severity: SeveritySchema,
  message: z.string(),
  range: RangeSchema,
  /** The flagged source, secrets redacted. */
  snippet: z.string(),
  fixes: z.array(FixSummarySchema),
});
export type FindingInfo = z.infer<typeof FindingInfoSchema>;

/** Client → server: every current finding in the workspace, with rule meta (the scorecard's input). */
export const FindingsRequest = {
  method: 'shipshape/findings',
  params: z.object({}).strict().optional(),
  result: z.object({
    /** False while a workspace scan is still running: findings are partial. */
    complete: z.boolean(),
    folders: z.array(
      z.object({
        uri: z.string(),
        enabled: z.boolean(),
        filesAnalyzed: z.number().int().nonnegative(),
        skipped: z.array(z.object({ path: z.string(), reason: z.string() })),
        configProblems: z.array(z.object({ path: z.string(), message: z.string() })),
      }),
    ),
    findings: z.array(FindingInfoSchema),
    internalErrors: z.array(z.object({ ruleId: z.string(), path: z.string(), message: z.string() })),
    rules: z.array(RuleInfoSchema),
  }),
} as const;
export type FindingsResult = z.infer<typeof FindingsRequest.result>;

/** Client → server: one rule's documentation as Markdown, rendered from `meta.docs`. */
export const RuleDocsRequest = {
  method: 'shipshape/ruleDocs',
  params: z.object({ ruleId: z.string() }),
  result: z.object({ ruleId: z.string(), title: z.string(), markdown: z.string(), docsUrl: z.string() }).nullable(),
} as const;
export type RuleDocsResult = z.infer<typeof RuleDocsRequest.result>;

const FolderSchema = z.object({ uri: z.string(), name: z.string() });

/** A fix the scorecard can apply from a top risk: the preferred fix of the finding at `path`:`line`. */
export const ScorecardFixSchema = z.object({
  ruleId: z.string(),
  /** Workspace-folder-relative path with forward slashes (as in the scorecard). */
  path: z.string(),
  /** 1-based, as in the scorecard's risk locations. */
  line: z.number().int().min(1),
  fixId: z.string(),
  title: z.string(),
  safe: z.boolean(),
});
export type ScorecardFix = z.infer<typeof ScorecardFixSchema>;

/**
 * Client → server: the production-readiness scorecard of one workspace folder
 * (`folder`, a folder URI; the first folder when omitted). Computed by the
 * engine's `scorecardForWorkspace` — the function `shipshape scorecard` calls —
 * over the folder's files and current findings (open buffers included), and
 * cached until a file of the folder changes. Waits for a running workspace scan
 * to finish. Null when there is no such folder or Shipshape is disabled for it.
 */
export const ScorecardRequest = {
  method: 'shipshape/scorecard',
  params: z.object({ folder: z.string().optional() }).strict().optional(),
  result: z
    .object({
      folder: FolderSchema,
      /** Every folder the server analyzes, for a folder picker. */
      folders: z.array(FolderSchema),
      /** Increases whenever the folder's scorecard is recomputed with different content. */
      revision: z.number().int().nonnegative(),
      scorecard: ScorecardSchema,
      /** Fixes for the top risks' locations, where the finding there has one. */
      fixes: z.array(ScorecardFixSchema),
    })
    .nullable(),
} as const;
export type ScorecardResult = z.infer<typeof ScorecardRequest.result>;

/**
 * Server → client when a folder's scorecard changed (after the workspace scan,
 * then debounced after edits, fixes and file changes): enough for a status bar;
 * a panel asks `shipshape/scorecard` for the rest (the server has it cached).
 */
export const ScorecardChangedNotification = {
  method: 'shipshape/scorecardChanged',
  schema: z.object({
    folder: z.string(),
    revision: z.number().int().nonnegative(),
    score: z.number().int().min(0).max(100),
    grade: GradeSchema,
  }),
} as const;
export type ScorecardChangedParams = z.infer<typeof ScorecardChangedNotification.schema>;

/** Commands the server executes (`workspace/executeCommand`); any LSP client can call them. */
export const ServerCommand = {
  /** Re-discover and re-analyze every workspace folder. No arguments. */
  analyzeWorkspace: 'shipshape.server.analyzeWorkspace',
  /** Apply every safe fix in one document via `workspace/applyEdit`. */
  fixAll: 'shipshape.server.fixAll',
  /** Move the cursor after a suppression was inserted (clients without snippet edits). */
  placeCursor: 'shipshape.server.placeCursor',
  /** Open a rule's documentation URL (clients without the extension's docs view). */
  openRuleDocs: 'shipshape.server.openRuleDocs',
  /** Apply one finding's fix (from the scorecard's top risks) via `workspace/applyEdit`. Returns `{ applied: boolean }`. */
  applyFix: 'shipshape.server.applyFix',
} as const;

export const FixAllArgsSchema = z.tuple([z.object({ uri: z.string(), version: z.number().int().optional() })]);
export const PlaceCursorArgsSchema = z.tuple([z.object({ uri: z.string(), position: PositionSchema })]);
export const OpenRuleDocsArgsSchema = z.tuple([z.string()]);
/** Which fix: the folder, the finding's place and rule (as in `ScorecardFix`), and the fix id. */
export const ApplyFixArgsSchema = z.tuple([z.object({ folder: z.string(), path: z.string(), line: z.number().int().min(1), ruleId: z.string(), fixId: z.string() })]);
export const ApplyFixResultSchema = z.object({ applied: z.boolean(), reason: z.string().optional() });

/** Commands the VS Code extension contributes. */
export const ClientCommand = {
  analyzeWorkspace: 'shipshape.analyzeWorkspace',
  fixAll: 'shipshape.fixAll',
  restartServer: 'shipshape.restartServer',
  showOutput: 'shipshape.showOutput',
  showRuleDocs: 'shipshape.showRuleDocs',
  openScorecard: 'shipshape.openScorecard',
} as const;

/**
 * `initializationOptions` a client may send. The extension says it renders rule
 * docs itself; other clients get a server command that opens the docs URL.
 * Clients without `workspace/configuration` may pass their settings here.
 */
export const InitializationOptionsSchema = z.object({
  showRuleDocsCommand: z.boolean().default(false),
  settings: z.unknown().optional(),
});
export type InitializationOptions = z.infer<typeof InitializationOptionsSchema>;
