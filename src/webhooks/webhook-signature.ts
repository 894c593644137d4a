import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * `X-Hub-Signature` (`delivery-api.md` §15.2): `t=<unix seconds>,v1=<hex HMAC-SHA256(secret,
 * t + "." + raw body)>`. The timestamp is signed with the body so a captured call cannot be
 * replayed later with a fresh `t`.
 */
export function signatureHeader(secret: string, body: string, unixSeconds: number): string {
  return `t=${unixSeconds},v1=${hmacHex(secret, unixSeconds, body)}`;
}

/** Options of {@link verifySignature}. */
export interface VerifyOptions {
  /** Largest accepted distance between `t` and `nowSeconds`; default 300. */
  toleranceSec?: number;
  nowSeconds?: number;
}

/**
 * What a receiver does with the header: recompute the HMAC over `t.body` and compare in constant
 * time with every `v1=` (there are several while a secret is being rotated), and refuse a `t`
 * too far from now.
 */
export function verifySignature(
  header: string, secret: string, body: string, options: VerifyOptions = {},
): boolean {
  const parts = header.split(',').map((part) => part.trim().split('='));
  const t = Number(parts.find(([key]) => key === 't')?.[1]);
  if (!Number.isInteger(t)) return false;

  const now = options.nowSeconds ?? Math.floor(Date.now() / 1000);
  if (Math.abs(now - t) > (options.toleranceSec ?? 300)) return false;

  const expected = Buffer.from(hmacHex(secret, t, body), 'hex');
  return parts.some(([key, value]) => {
    if (key !== 'v1' || !value || !/^[0-9a-f]{64}$/.test(value)) return false;
    return timingSafeEqual(Buffer.from(value, 'hex'), expected);
  });
}

function hmacHex(secret: string, unixSeconds: number, body: string): string {
  return createHmac('sha256', secret).update(`${unixSeconds}.${body}`).digest('hex');
}
