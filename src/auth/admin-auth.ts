import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest, onRequestAsyncHookHandler } from 'fastify';
import { HubError } from '../errors/hub-error.js';
import type { SettingsRepo } from '../store/settings-repo.js';
import { bearerTokenOf } from './bearer-auth.js';
import { hashSecret, newSecret, verifySecret } from './secret-hash.js';

const ADMIN_TOKEN_SETTING = 'adminTokenHash';

export interface AdminAuthDeps {
  /** scrypt hash of the admin token, as {@link ensureAdminToken} returns it. */
  adminTokenHash: string;
}

/** The admin token hash to check against, and the token itself when it was just generated. */
export interface AdminTokenSetup {
  hash: string;
  /** A newly generated admin token, to be shown to the operator once; never stored in clear. */
  generated?: string;
}

/**
 * The `onRequest` hook of `/admin/api/v1`: `Authorization: Bearer <admin token>` must match the
 * stored scrypt hash; anything else is a 401 `ERR_UNAUTHORIZED` in the error envelope.
 *
 * A token that verified once is remembered (as a SHA-256 digest) so later calls skip the scrypt.
 */
export function adminAuthHook(deps: AdminAuthDeps): onRequestAsyncHookHandler {
  let verifiedDigest: Buffer | undefined;

  return async (request: FastifyRequest, reply: FastifyReply) => {
    const token = bearerTokenOf(request);
    if (token === undefined) {
      throw unauthorized(reply, 'An Authorization header with the admin token is required');
    }

    const digest = createHash('sha256').update(token).digest();
    if (verifiedDigest && timingSafeEqual(digest, verifiedDigest)) return;

    if (!(await verifySecret(token, deps.adminTokenHash))) {
      throw unauthorized(reply, 'The admin token is not valid');
    }
    verifiedDigest = digest;
  };
}

/**
 * Makes sure an admin token hash is stored and returns it.
 *
 * - `configured` set (`ADMIN_TOKEN`): its hash is stored, replacing an older one.
 * - unset, a hash stored: that hash is kept.
 * - unset, nothing stored: a token is generated, its hash stored, and the token returned as
 *   `generated` for the caller to print once. When several instances start together, the first
 *   stored hash wins and the others return it without `generated`.
 */
export async function ensureAdminToken(
  settings: SettingsRepo, configured: string | undefined,
): Promise<AdminTokenSetup> {
  const stored = await settings.get(ADMIN_TOKEN_SETTING);

  if (configured !== undefined) {
    if (stored !== undefined && await verifySecret(configured, stored)) return { hash: stored };

    const hash = await hashSecret(configured);
    await settings.set(ADMIN_TOKEN_SETTING, hash);
    return { hash };
  }

  if (stored !== undefined) return { hash: stored };

  const generated = newSecret();
  const hash = await hashSecret(generated);
  const winner = await settings.getOrCreate(ADMIN_TOKEN_SETTING, () => hash);
  return winner === hash ? { hash, generated } : { hash: winner };
}

function unauthorized(reply: FastifyReply, msg: string): HubError {
  reply.header('www-authenticate', 'Bearer');
  return new HubError('ERR_UNAUTHORIZED', msg);
}
