import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { hashSecret, verifySecret } from '../auth/secret-hash.js';
import type { Db } from '../store/database.js';

/** What a console account may do; see {@link ROLE_ACTIONS}. */
export type ConsoleRole = 'operator' | 'manager' | 'admin';

export const CONSOLE_ROLES: readonly ConsoleRole[] = ['operator', 'manager', 'admin'];

/** A signed-in person as the console routes see them. */
export interface ConsoleUser {
  id: string;
  username: string;
  displayName: string;
  role: ConsoleRole;
  /** The one corporation whose restaurants and orders this account sees. */
  corporationId: string;
}

/** A new session: the cookie value, shown to the browser only. */
export interface NewSession {
  token: string;
  expiresAt: string;
}

const SESSION_MS = 12 * 3_600_000;

/**
 * Console accounts and their sessions. Passwords are scrypt-hashed like API secrets; a session
 * is a random token of which only a SHA-256 digest is stored, so a database leak yields no
 * usable cookie.
 */
export class ConsoleUserRepo {
  readonly #db: Db;

  constructor(db: Db) {
    this.#db = db;
  }

  async add(input: Omit<ConsoleUser, 'id'> & { password: string }, now: string): Promise<string> {
    const id = randomUUID();
    await this.#db.insertInto('consoleUsers').values({
      id, username: input.username.trim().toLowerCase(), displayName: input.displayName,
      passwordHash: await hashSecret(input.password), role: input.role,
      corporationId: input.corporationId, active: 1, createdAt: now,
    }).execute();
    return id;
  }

  async list(): Promise<(ConsoleUser & { active: boolean })[]> {
    const rows = await this.#db.selectFrom('consoleUsers').selectAll().orderBy('username')
      .execute();
    return rows.map((row) => ({ ...toUser(row), active: row.active === 1 }));
  }

  /** The account when the password matches an active one; otherwise undefined. */
  async verify(username: string, password: string): Promise<ConsoleUser | undefined> {
    const row = await this.#db.selectFrom('consoleUsers').selectAll()
      .where('username', '=', username.trim().toLowerCase()).where('active', '=', 1)
      .executeTakeFirst();
    // Hash even for an unknown name, so the answer time does not tell which names exist.
    const ok = await verifySecret(password, row?.passwordHash ?? DUMMY_HASH);
    return row && ok ? toUser(row) : undefined;
  }

  async startSession(userId: string, now: number): Promise<NewSession> {
    const token = randomBytes(32).toString('base64url');
    const expiresAt = new Date(now + SESSION_MS).toISOString();
    await this.#db.insertInto('consoleSessions').values({
      id: digest(token), userId, createdAt: new Date(now).toISOString(), expiresAt,
    }).execute();
    return { token, expiresAt };
  }

  async userOfSession(token: string, now: number): Promise<ConsoleUser | undefined> {
    const row = await this.#db.selectFrom('consoleSessions as s')
      .innerJoin('consoleUsers as u', 'u.id', 's.userId')
      .selectAll('u')
      .where('s.id', '=', digest(token)).where('s.expiresAt', '>', new Date(now).toISOString())
      .where('u.active', '=', 1)
      .executeTakeFirst();
    return row && toUser(row);
  }

  async endSession(token: string): Promise<void> {
    await this.#db.deleteFrom('consoleSessions').where('id', '=', digest(token)).execute();
  }
}

const DUMMY_HASH = 'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA$'
  + 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';

function digest(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

function toUser(row: { id: string; username: string; displayName: string; role: string;
  corporationId: string }): ConsoleUser {
  const role = CONSOLE_ROLES.find((r) => r === row.role) ?? 'operator';
  return { id: row.id, username: row.username, displayName: row.displayName, role,
    corporationId: row.corporationId };
}
