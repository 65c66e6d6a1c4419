// Rule documentation as a read-only virtual Markdown document
// (`shipshape-docs:/sql-injection.md`), rendered by the server from the rule's
// `meta.docs`, so the editor shows the same words as the CLI and the docs site.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { RuleDocsRequest } from '../../server/src/protocol';

export const RULE_DOCS_SCHEME = 'shipshape-docs';

export function ruleDocsUri(ruleId: string): vscode.Uri {
  return vscode.Uri.from({ scheme: RULE_DOCS_SCHEME, path: `/${ruleId}.md` });
}

export class RuleDocsProvider implements vscode.TextDocumentContentProvider {
  constructor(private readonly client: () => LanguageClient | undefined) {}

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const ruleId = uri.path.replace(/^\//, '').replace(/\.md$/, '');
    const client = this.client();
    if (!client?.isRunning()) return `# ${ruleId}\n\nThe Shipshape server is not running: run "Shipshape: Restart Server".\n`;
    const raw: unknown = await client.sendRequest(RuleDocsRequest.method, RuleDocsRequest.params.parse({ ruleId }));
    const parsed = RuleDocsRequest.result.safeParse(raw);
    if (!parsed.success) return `# ${ruleId}\n\nThe server sent documentation this extension cannot read: ${parsed.error.message}\n`;
    return parsed.data?.markdown ?? `# ${ruleId}\n\nShipshape has no rule with this id.\n`;
  }
}
