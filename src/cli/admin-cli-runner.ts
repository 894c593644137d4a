import { readFileSync } from 'node:fs';
import type { AdminContext } from '../admin/admin-context.js';
import { CashStationRegistry, EMBEDDED_STATION_URL } from '../app/cash-station-registry.js';
import type { HubConfig } from '../config/hub-config.js';
import { HubError } from '../errors/hub-error.js';
import { openStore } from '../store/database.js';
import { type FieldOption, flagOf } from './admin-cli-options.js';
import { type CommandOutput, commandLogger } from './command-output.js';

/** What the `admin` commands need from the process; tests pass their own. */
export interface AdminCliDeps {
  config(): Pick<HubConfig, 'dataDir' | 'databaseUrl' | 'cashTimeoutMs'>;
  io: CommandOutput;
  /** Environment for `--station-password-env` and a chain file's `passwordEnv`. */
  env: Readonly<Record<string, string | undefined>>;
  setExitCode(code: number): void;
}

/** A refusal of the CLI itself, printed as is (exit code 1). */
export class CliRefusal extends Error {}

/**
 * Runs one admin command against the hub's database (`DATA_DIR` / `DATABASE_URL`, the same the
 * hub uses), the way the admin API would: `work` gets an {@link AdminContext}; its result is
 * printed by `print` (JSON by default). A refused input prints its code and every field,
 * named by its option where there is one, and exits with 1.
 */
export async function runAdmin<T>(
  deps: AdminCliDeps,
  work: (ctx: AdminContext) => Promise<T>,
  options: { fields?: readonly FieldOption[]; print?: (result: T) => string[] } = {},
): Promise<void> {
  const config = deps.config();
  const logger = commandLogger();
  const store = await openStore({
    databaseUrl: config.databaseUrl, dataDir: config.dataDir, logger,
  });
  const stations = new CashStationRegistry({
    logger, defaultTimeoutMs: config.cashTimeoutMs,
  });
  const ctx: AdminContext = {
    db: store.db,
    clock: Date.now,
    stationFor(restaurant) {
      if (restaurant.cashStation.url === EMBEDDED_STATION_URL) {
        throw new CliRefusal(`restaurant ${restaurant.id} uses the embedded cash station, which `
          + 'runs inside the hub process; while the hub runs, reach it through the admin API '
          + `(/admin/api/v1/restaurants/${restaurant.id}/menu/import-from-station, `
          + '…/station-check)');
      }
      return stations.forRestaurant(restaurant);
    },
  };

  try {
    const result = await work(ctx);
    const lines = options.print ? options.print(result) : [JSON.stringify(result, null, 2)];
    for (const line of lines) deps.io.out(line);
    deps.setExitCode(0);
  } catch (err) {
    if (err instanceof CliRefusal) {
      deps.io.err(err.message);
    } else if (err instanceof HubError) {
      deps.io.err(`${err.code}: ${err.message}`);
      for (const [path, problems] of Object.entries(err.errors ?? {})) {
        const flag = options.fields && flagOf(path, options.fields);
        deps.io.err(`  ${flag ? `${flag} (${path})` : path || '(input)'}: ${problems.join('; ')}`);
      }
    } else {
      throw err;
    }
    deps.setExitCode(1);
  } finally {
    await stations.close();
    await store.close();
  }
}

/** Reads a JSON file; an unreadable or malformed one is a refusal naming the file. */
export function readJson(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new CliRefusal(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? err}`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new CliRefusal(`${file} is not valid JSON: ${(err as Error).message}`);
  }
}
