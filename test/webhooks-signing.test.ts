import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { describe, test } from 'node:test';
import { DEFAULT_RETRY_POLICY, afterFailure } from '../src/webhooks/retry-policy.js';
import { signatureHeader, verifySignature } from '../src/webhooks/webhook-signature.js';

describe('webhook signature', () => {
  const body = '{"eventId":"e1","sequence":1}';
  const t = 1_700_000_000;

  test('is HMAC-SHA256 over "t.body" in hex, and verifies', () => {
    const expected = createHmac('sha256', 'sekret').update(`${t}.${body}`).digest('hex');
    const header = signatureHeader('sekret', body, t);
    assert.equal(header, `t=${t},v1=${expected}`);
    assert.ok(verifySignature(header, 'sekret', body, { nowSeconds: t + 10 }));
  });

  test('fails for another body, another secret, an old timestamp or a malformed header', () => {
    const header = signatureHeader('sekret', body, t);
    assert.ok(!verifySignature(header, 'sekret', `${body} `, { nowSeconds: t }));
    assert.ok(!verifySignature(header, 'other', body, { nowSeconds: t }));
    assert.ok(!verifySignature(header, 'sekret', body, { nowSeconds: t + 301 }));
    assert.ok(!verifySignature('v1=abc', 'sekret', body, { nowSeconds: t }));
  });

  test('accepts any of several v1 values (secret rotation)', () => {
    const oldSig = signatureHeader('old', body, t).split(',')[1];
    const header = `${signatureHeader('new', body, t)},${oldSig}`;
    assert.ok(verifySignature(header, 'old', body, { nowSeconds: t }));
    assert.ok(verifySignature(header, 'new', body, { nowSeconds: t }));
  });
});

describe('webhook retry policy', () => {
  const start = Date.parse('2024-03-01T00:00:00Z');
  const delay = (failures: number, random: number) => {
    const decision = afterFailure(DEFAULT_RETRY_POLICY, failures, start, start, () => random);
    assert.equal(decision.kind, 'retry');
    return decision.kind === 'retry' ? decision.at - start : NaN;
  };

  test('starts at a minute and doubles, with jitter of ±20%', () => {
    assert.equal(delay(1, 0.5), 60_000);
    assert.equal(delay(2, 0.5), 120_000);
    assert.equal(delay(3, 0.5), 240_000);
    assert.equal(delay(1, 0), 48_000);
    assert.equal(delay(1, 0.999999), 72_000);
  });

  test('is capped at an hour', () => {
    assert.equal(delay(7, 0.5), 3_600_000);
    assert.equal(delay(30, 0.999), 3_600_000);
    assert.equal(delay(30, 0), 2_880_000);
  });

  test('gives up only on a failure 24 hours or more after the window started', () => {
    const day = 24 * 3_600_000;
    assert.equal(afterFailure(DEFAULT_RETRY_POLICY, 30, start, start + day - 1).kind, 'retry');
    assert.equal(afterFailure(DEFAULT_RETRY_POLICY, 30, start, start + day).kind, 'dead');
  });
});
