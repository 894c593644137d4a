import type { HubConfig } from '../config/hub-config.js';
import { CONSOLE_ROLES, type ConsoleRole, ConsoleUserRepo } from '../console/console-users.js';
import { openStore } from '../store/database.js';
import { type CommandOutput, commandLogger } from './command-output.js';

export interface AddUserOptions {
  username: string;
  password: string;
  role: string;
  /** Defaults to the only corporation when there is exactly one. */
  corporationId?: string;
  displayName?: string;
}

const MIN_PASSWORD = 10;

/** `delivery-hub users add …`: creates an operator console account. Returns the exit code. */
export async function runAddUser(
  config: Pick<HubConfig, 'dataDir' | 'databaseUrl'>, options: AddUserOptions, io: CommandOutput,
): Promise<number> {
  const role = CONSOLE_ROLES.find((r) => r === options.role);
  if (!role) {
    io.err(`unknown role "${options.role}"; use one of ${CONSOLE_ROLES.join(', ')}`);
    return 2;
  }
  if (options.password.length < MIN_PASSWORD) {
    io.err(`the password must have at least ${MIN_PASSWORD} characters`);
    return 2;
  }

  const store = await openStore({
    databaseUrl: config.databaseUrl, dataDir: config.dataDir, logger: commandLogger(),
  });
  try {
    const corporations = await store.db.selectFrom('corporations').select('id').execute();
    const corporationId = options.corporationId
      ?? (corporations.length === 1 ? corporations[0]?.id : undefined);
    if (!corporationId || !corporations.some((c) => c.id === corporationId)) {
      io.err(options.corporationId ? `corporation ${options.corporationId} not found`
        : 'several corporations exist: name one with --corporation <id>');
      return 1;
    }
    const users = new ConsoleUserRepo(store.db);
    const taken = (await users.list()).some((u) => u.username === options.username.toLowerCase());
    if (taken) {
      io.err(`user ${options.username} exists already`);
      return 1;
    }

    const id = await users.add({
      username: options.username, password: options.password, role: role as ConsoleRole,
      corporationId, displayName: options.displayName ?? options.username,
    }, new Date().toISOString());
    io.out(`console user ${options.username.toLowerCase()} (${role}) created: ${id}`);
    return 0;
  } finally {
    await store.close();
  }
}

/** `delivery-hub users list`. */
export async function runListUsers(
  config: Pick<HubConfig, 'dataDir' | 'databaseUrl'>, io: CommandOutput,
): Promise<number> {
  const store = await openStore({
    databaseUrl: config.databaseUrl, dataDir: config.dataDir, logger: commandLogger(),
  });
  try {
    for (const user of await new ConsoleUserRepo(store.db).list()) {
      io.out([user.username, user.role, user.corporationId, user.active ? 'active' : 'disabled',
        user.displayName].join('\t'));
    }
    return 0;
  } finally {
    await store.close();
  }
}

/** Reads a password piped on standard input (`echo … | delivery-hub users add …`). */
export async function readPasswordFromStdin(): Promise<string> {
  if (process.stdin.isTTY) throw new Error('pipe the password on standard input, or --password');
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}
