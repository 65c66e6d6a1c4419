// The scorecard webview's HTML: a skeleton the script fills in. No vscode import,
// so the browser test renders exactly this page. Everything comes from media/
// (script, stylesheet, codicons) through the webview's resource origin; the CSP
// allows nothing else: no inline script without the nonce, no inline style
// attribute, no network, no frames.
import { randomBytes } from 'node:crypto';

export interface ScorecardHtmlOptions {
  /** `webview.cspSource`: the origin media/ is served from. */
  cspSource: string;
  /** One fresh nonce per page (see `createNonce`). */
  nonce: string;
  /** `asWebviewUri` of media/scorecard.js, media/scorecard.css and media/codicons/codicon.css. */
  scriptUri: string;
  styleUri: string;
  codiconsUri: string;
}

/** 128 random bits from the OS CSPRNG (the samples use Math.random). */
export function createNonce(): string {
  return randomBytes(16).toString('base64');
}

export function scorecardHtml(options: ScorecardHtmlOptions): string {
  const csp = [
    "default-src 'none'",
    `style-src ${options.cspSource}`,
    `font-src ${options.cspSource}`,
    `img-src ${options.cspSource}`,
    `script-src 'nonce-${options.nonce}'`,
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="UTF-8">
  <meta http-equiv="Content-Security-Policy" content="${attribute(csp)}">
  <meta name="viewport" content="width=device-width, initial-scale=1.0">
  <link rel="stylesheet" href="${attribute(options.codiconsUri)}">
  <link rel="stylesheet" href="${attribute(options.styleUri)}">
  <title>Shipshape Scorecard</title>
</head>
<body>
  <main id="app" aria-busy="true" aria-label="Shipshape production-readiness scorecard">
    <p class="empty">Loading the scorecard…</p>
  </main>
  <div id="announcer" class="visually-hidden" role="status" aria-live="polite"></div>
  <script nonce="${attribute(options.nonce)}" src="${attribute(options.scriptUri)}"></script>
</body>
</html>
`;
}

function attribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
