import { randomBytes } from 'node:crypto';
import { jwtVerify, SignJWT } from 'jose';
import type { SettingsRepo } from '../store/settings-repo.js';

const SIGNING_KEY_SETTING = 'jwtSigningKey';
const ISSUER = 'delivery-hub';
const AUDIENCE = 'orders';
const SCOPE = 'orders';
const TOKEN_TYPE = 'at+jwt';
/** Longer strings are refused before any parsing; real tokens are a few hundred characters. */
const MAX_TOKEN_LENGTH = 4096;
/** Verified tokens remembered at most; the oldest is forgotten first. */
const VERIFIED_CACHE_SIZE = 10_000;

export interface TokenServiceDeps {
  /** Where the signing key is kept, shared by every hub instance on the same database. */
  settings: SettingsRepo;
  /** Lifetime of an issued token, seconds. */
  lifetimeSec: number;
  /** Current time in milliseconds since the epoch; `Date.now` by default. */
  clock?: () => number;
}

/** An access token as the token endpoint answers it. */
export interface IssuedToken {
  accessToken: string;
  /** Seconds until the token expires. */
  expiresIn: number;
}

/**
 * Issues and verifies the bearer tokens of the compatible API (`delivery-api.md` §3): HS256 JWTs
 * with header `typ: at+jwt` and the claims `iss`, `aud`, `client_id`, `scope`, `nbf`, `iat`, `exp`.
 *
 * The signing key is 32 random bytes created once and kept in the hub settings, so every instance
 * on one database accepts the tokens of every other; it is read lazily, once per process.
 */
export class TokenService {
  readonly #settings: SettingsRepo;
  readonly #lifetimeSec: number;
  readonly #clock: () => number;
  #key: Promise<Uint8Array> | undefined;
  /** Tokens whose signature and claims checked out, with the window in which they are valid. */
  readonly #verified = new Map<string, { clientId: string; nbf: number; exp: number }>();

  constructor(deps: TokenServiceDeps) {
    this.#settings = deps.settings;
    this.#lifetimeSec = deps.lifetimeSec;
    this.#clock = deps.clock ?? Date.now;
  }

  /** Signs a new access token for the API connection `clientId`. */
  async issue(clientId: string): Promise<IssuedToken> {
    const key = await this.#signingKey();
    const now = Math.floor(this.#clock() / 1000);

    const accessToken = await new SignJWT({ client_id: clientId, scope: SCOPE })
      .setProtectedHeader({ alg: 'HS256', typ: TOKEN_TYPE })
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setNotBefore(now)
      .setIssuedAt(now)
      .setExpirationTime(now + this.#lifetimeSec)
      .sign(key);
    return { accessToken, expiresIn: this.#lifetimeSec };
  }

  /**
   * The client id a token was issued to, or undefined when the token is malformed, forged,
   * expired, not yet valid, or meant for another audience or scope.
   *
   * A token that verified once is remembered until it expires, so a client making many calls
   * with one token costs one signature check, not one per request; its time window (`nbf`,
   * `exp`, in whole seconds as the JWT check reads them) is still checked on every call.
   */
  async verify(token: string): Promise<string | undefined> {
    const known = this.verifyKnown(token);
    if (known !== undefined) return known ?? undefined;

    const key = await this.#signingKey();
    try {
      const { payload } = await jwtVerify(token, key, {
        algorithms: ['HS256'],
        typ: TOKEN_TYPE,
        issuer: ISSUER,
        audience: AUDIENCE,
        requiredClaims: ['exp', 'nbf', 'client_id'],
        currentDate: new Date(this.#clock()),
      });
      const clientId = payload.client_id;
      if (typeof clientId !== 'string' || clientId === '' || payload.scope !== SCOPE) {
        return undefined;
      }
      this.#remember(token, clientId, payload.nbf as number, payload.exp as number);
      return clientId;
    } catch {
      return undefined;
    }
  }

  /**
   * What {@link verify} answers, without a promise, when that needs no signature check: the
   * client id of a remembered token in its time window, null for a malformed token or a
   * remembered one outside its window; undefined when the token must be verified.
   */
  verifyKnown(token: string): string | null | undefined {
    if (token.length === 0 || token.length > MAX_TOKEN_LENGTH) return null;

    const known = this.#verified.get(token);
    if (!known) return undefined;
    const nowSec = Math.floor(this.#clock() / 1000);
    if (known.nbf <= nowSec && nowSec < known.exp) return known.clientId;
    if (nowSec >= known.exp) this.#verified.delete(token);
    return null;
  }

  #remember(token: string, clientId: string, nbf: number, exp: number): void {
    if (this.#verified.size >= VERIFIED_CACHE_SIZE) {
      this.#verified.delete(this.#verified.keys().next().value as string);
    }
    this.#verified.set(token, { clientId, nbf, exp });
  }

  #signingKey(): Promise<Uint8Array> {
    this.#key ??= this.#loadKey().catch((error: unknown) => {
      // A database hiccup at the first request must not disable tokens for the process' life.
      this.#key = undefined;
      throw error;
    });
    return this.#key;
  }

  async #loadKey(): Promise<Uint8Array> {
    const encoded = await this.#settings.getOrCreate(
      SIGNING_KEY_SETTING, () => randomBytes(32).toString('base64url'));
    return new Uint8Array(Buffer.from(encoded, 'base64url'));
  }
}
