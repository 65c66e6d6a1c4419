// The status bar item: finding counts and analysis time from `shipshape/status`,
// warning-coloured when analysis runs over its time budget. Clicking it opens the
// Problems view (VS Code has no command to preset the view's filter text). The
// production-readiness score has its own item beside this one (scorecard/panel.ts).
import * as vscode from 'vscode';
import { ClientCommand, type StatusParams } from '../../server/src/protocol';

export class StatusItem implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('shipshape.status', vscode.StatusBarAlignment.Right, 100);
  private last: StatusParams | undefined;
  private state: 'starting' | 'running' | 'stopped' = 'starting';
  /** The score item ("$(shield) 72 C") stands next to this one: no second shield. */
  private scoreShown = false;

  constructor() {
    this.item.name = 'Shipshape';
    this.render('starting');
    this.item.show();
  }

  update(status: StatusParams): void {
    this.last = status;
    this.render((this.state = 'running'));
  }

  serverState(state: 'starting' | 'running' | 'stopped'): void {
    this.render((this.state = state));
  }

  setScoreShown(shown: boolean): void {
    if (shown === this.scoreShown) return;
    this.scoreShown = shown;
    this.render(this.state);
  }

  dispose(): void {
    this.item.dispose();
  }

  private render(state: 'starting' | 'running' | 'stopped'): void {
    const item = this.item;
    item.backgroundColor = undefined;
    if (state === 'stopped') {
      item.text = '$(error) Shipshape';
      item.tooltip = 'The Shipshape server is not running. Click to show its output.';
      item.backgroundColor = new vscode.ThemeColor('statusBarItem.errorBackground');
      item.command = ClientCommand.showOutput;
      return;
    }
    const status = this.last;
    item.command = { title: 'Show Problems', command: 'workbench.actions.view.problems' };
    if (!status || state === 'starting') {
      item.text = '$(sync~spin) Shipshape';
      item.tooltip = 'Shipshape is starting';
      return;
    }
    if (status.state === 'disabled') {
      item.text = '$(circle-slash) Shipshape';
      item.tooltip = 'Shipshape is disabled (setting shipshape.enable)';
      return;
    }
    const { error, warning, info } = status.findings;
    const counts = `$(error) ${error} $(warning) ${warning}${info > 0 ? ` $(info) ${info}` : ''}`;
    item.text = status.state === 'analyzing' ? `$(sync~spin) Shipshape ${status.filesAnalyzed}/${status.filesTotal}` : this.scoreShown ? counts : `$(shield) ${counts}`;
    if (status.overBudget) {
      item.text = `$(watch) ${item.text}`;
      item.backgroundColor = new vscode.ThemeColor('statusBarItem.warningBackground');
    }
    const tooltip = new vscode.MarkdownString(undefined, true);
    tooltip.appendMarkdown(`**Shipshape** — ${error} errors, ${warning} warnings, ${info} infos\n\n`);
    tooltip.appendMarkdown(`${status.filesAnalyzed.toLocaleString()} of ${status.filesTotal.toLocaleString()} files analyzed`);
    if (status.lastScanMs !== null) tooltip.appendMarkdown(` (workspace scan ${status.lastScanMs.toLocaleString()} ms)`);
    tooltip.appendMarkdown(`\n\nLast file analysis: ${status.lastAnalysisMs} ms (budget ${status.budgetMs} ms)`);
    if (status.overBudget) tooltip.appendMarkdown(' — **over budget**: typing may feel slow in this file');
    if (status.internalErrors > 0) tooltip.appendMarkdown(`\n\n${status.internalErrors} rule error(s): see "Shipshape: Show Output"`);
    tooltip.appendMarkdown('\n\nClick to open the Problems view.');
    item.tooltip = tooltip;
  }
}
