// No output ever carries a full secret: the sample app's Stripe, SendGrid and JWT
// secrets must not appear in any format, on stdout or stderr, nor in --output files.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { makeWorkspace, runCli, SHOP, SHOP_SECRETS } from './support';

function assertNoSecret(output: string, where: string): void {
  for (const secret of SHOP_SECRETS) assert.ok(!output.includes(secret), `${where} contains the secret ${secret.slice(0, 6)}…`);
}

for (const format of ['text', 'json', 'sarif']) {
  test(`--format ${format} never prints a secret in full`, () => {
    const run = runCli(['scan', SHOP, '--format', format, '--verbose']);
    assert.equal(run.status, 1, run.stderr);
    assert.ok(run.stdout.includes('hardcoded-secret'), 'the secrets are reported');
    assertNoSecret(run.stdout, 'stdout');
    assertNoSecret(run.stderr, 'stderr');
  });
}

test('--output files never contain a secret in full either', () => {
  const out = makeWorkspace({});
  for (const format of ['text', 'json', 'sarif']) {
    const file = join(out, `report.${format}`);
    runCli(['scan', SHOP, '--format', format, '--output', file]);
    assertNoSecret(readFileSync(file, 'utf8'), file);
  }
});
