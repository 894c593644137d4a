import { createHash, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import { hasC0Controls } from '../text/control-characters.js';

const scryptAsync = promisify(scrypt) as (
  secret: string, salt: Buffer, keylen: number, options: { N: number; r: number; p: number },
) => Promise<Buffer>;

const PARAMS = { N: 16384, r: 8, p: 1 };
const KEY_LENGTH = 32;

/**
 * Hashes a secret for storage (`scrypt$N$r$p$salt$hash`, base64url parts). Secrets may be chosen
 * by people (`DEMO_CLIENT_SECRET`), so a slow, salted hash is used rather than a plain digest.
 */
export async function hashSecret(secret: string): Promise<string> {
  // Such a secret could never be verified: refuse it rather than store a lock-out.
  if (hasC0Controls(secret)) {
    throw new Error('a secret must not contain control characters');
  }

  const salt = randomBytes(16);
  const hash = await limited(() => scryptAsync(secret, salt, KEY_LENGTH, PARAMS));
  return ['scrypt', PARAMS.N, PARAMS.r, PARAMS.p, salt.toString('base64url'),
    hash.toString('base64url')].join('$');
}

/**
 * At most this many scrypt computations run at once. They use libuv's small thread pool, which
 * file and DNS work share: a flood of wrong secrets must queue here, not stall the whole process.
 */
const MAX_CONCURRENT_HASHES = 2;
const VERIFIED_CACHE_SIZE = 1000;

let running = 0;
const waiting: (() => void)[] = [];
/** Digests of (stored hash, secret) pairs already verified, so a good client pays scrypt once. */
const verified = new Set<string>();

/**
 * Compares a presented secret with a stored hash in constant time. A secret with a control
 * character ({@link hasC0Controls}) never matches, whatever was stored.
 */
export async function verifySecret(secret: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, saltText, hashText] = stored.split('$');
  if (scheme !== 'scrypt' || !saltText || !hashText) return false;
  if (hasC0Controls(secret)) return false;

  const cacheKey = createHash('sha256').update(stored).update('\0').update(secret).digest('hex');
  if (verified.has(cacheKey)) return true;

  const expected = Buffer.from(hashText, 'base64url');
  const actual = await limited(() => scryptAsync(secret, Buffer.from(saltText, 'base64url'),
    expected.length, { N: Number(n), r: Number(r), p: Number(p) }));
  const ok = actual.length === expected.length && timingSafeEqual(actual, expected);
  if (ok) remember(cacheKey);
  return ok;
}

function remember(key: string): void {
  if (verified.size >= VERIFIED_CACHE_SIZE) {
    verified.delete(verified.values().next().value as string);
  }
  verified.add(key);
}

async function limited<T>(work: () => Promise<T>): Promise<T> {
  if (running >= MAX_CONCURRENT_HASHES) await new Promise<void>((go) => waiting.push(go));
  running += 1;
  try {
    return await work();
  } finally {
    running -= 1;
    waiting.shift()?.();
  }
}

/** A new random secret for a connection or an admin token (URL-safe, 256 bits). */
export function newSecret(): string {
  return randomBytes(32).toString('base64url');
}
