import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runDemo } from '../src/demo/run-demo.js';
import { createTestEnv, startTestHub } from './helpers/test-hub.js';

test('the demo plays the whole story against a hub with automatic transfer', async () => {
  const env = await createTestEnv();
  const t = await startTestHub(env, { transferDelaySec: 1, schedulerRunning: true });
  const lines: string[] = [];
  try {
    const ok = await runDemo({
      baseUrl: t.baseUrl, clientId: t.clientId, clientSecret: t.clientSecret,
      waitTransferSec: 20, log: (line) => lines.push(line),
    });

    assert.equal(ok, true, lines.join('\n'));
    assert.ok(lines.some((l) => l.includes('[3373]')), 'the short payment was shown');
    assert.ok(lines.some((l) => l.includes('[3071]')), 'the refused close was shown');
    assert.equal(t.hub.simulator?.commandCount('PayOrder'), 3, 'short, close attempt, payment');
  } finally {
    await t.close();
    await env.dispose();
  }
});

test('the demo reports failure when the credentials are wrong', async () => {
  const env = await createTestEnv();
  const t = await startTestHub(env);
  try {
    const ok = await runDemo({
      baseUrl: t.baseUrl, clientId: t.clientId, clientSecret: 'wrong', log: () => undefined,
    });
    assert.equal(ok, false);
  } finally {
    await t.close();
    await env.dispose();
  }
});
