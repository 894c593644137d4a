import path from 'node:path';
import { Command } from 'commander';
import { pathId } from '../admin/admin-input.js';
import { type ApplySummary, applyChain } from '../admin/chain-apply.js';
import {
  createConnection, listConnections, requireConnection, rotateSecret, updateConnection,
} from '../admin/connection-admin.js';
import {
  createCorporation, listCorporations, requireCorporation, updateCorporation,
} from '../admin/corporation-admin.js';
import {
  createRestaurant, listRestaurants, requireRestaurantView, updateRestaurant,
} from '../admin/restaurant-admin.js';
import { checkStation } from '../admin/station-check.js';
import {
  CONNECTION_OPTIONS, CORPORATION_OPTIONS, RESTAURANT_OPTIONS, bodyOf, withFieldOptions,
} from './admin-cli-options.js';
import { type AdminCliDeps, CliRefusal, readJson, runAdmin } from './admin-cli-runner.js';
import { registerAdminMenuCommands } from './admin-menu-command.js';

type Opts = Record<string, unknown>;

/**
 * `delivery-hub admin …`: the chain administration from the command line, on the database the
 * hub uses. Every command calls the same code as the admin API (`/admin/api/v1`), so it checks
 * and answers the same way; results are printed as JSON.
 */
export function adminCommand(deps: AdminCliDeps): Command {
  const admin = new Command('admin')
    .description('set up and edit the chain: corporations, restaurants, connections, menus…');

  admin.command('apply')
    .description('create or update everything a chain file declares (idempotent)')
    .argument('<file>', 'chain file (JSON), e.g. examples/chain.example.json')
    .option('--dry-run', 'show what would change, change nothing')
    .option('--json', 'print the summary as JSON')
    .action(async (file: string, opts: { dryRun?: boolean; json?: boolean }) => {
      await runAdmin(deps, (ctx) => applyChain(ctx, readJson(file), {
        dryRun: opts.dryRun === true,
        env: deps.env,
        readJson: (relative) => readJson(path.resolve(path.dirname(file), relative)),
      }), { print: opts.json ? undefined : describeSummary });
    });

  registerCorporationCommands(admin.command('corporations').description('corporations'), deps);
  registerRestaurantCommands(admin.command('restaurants').description('restaurants'), deps);
  registerConnectionCommands(
    admin.command('connections').description('API connections (client id and secret)'), deps);
  registerAdminMenuCommands(admin, deps);
  return admin;
}

function registerCorporationCommands(group: Command, deps: AdminCliDeps): void {
  group.command('list').action(() => runAdmin(deps, (ctx) => listCorporations(ctx.db)));

  group.command('show').argument('<id>')
    .action((id: string) => runAdmin(deps, (ctx) => requireCorporation(ctx.db, pathId(id))));

  withFieldOptions(group.command('create'), CORPORATION_OPTIONS)
    .option('--id <guid>', 'id to give it (default: a new GUID)')
    .action((opts: Opts) => runAdmin(deps, (ctx) => createCorporation(ctx,
      { ...bodyOf(opts, CORPORATION_OPTIONS), ...opts.id === undefined ? {} : { id: opts.id } }),
    { fields: CORPORATION_OPTIONS }));

  withFieldOptions(group.command('update').argument('<id>'), CORPORATION_OPTIONS)
    .action((id: string, opts: Opts) => runAdmin(deps,
      (ctx) => updateCorporation(ctx, pathId(id), bodyOf(opts, CORPORATION_OPTIONS)),
      { fields: CORPORATION_OPTIONS }));
}

function registerRestaurantCommands(group: Command, deps: AdminCliDeps): void {
  group.command('list').option('--corporation <id>', 'only this corporation\'s')
    .action((opts: { corporation?: string }) => runAdmin(deps,
      (ctx) => listRestaurants(ctx.db, opts.corporation && pathId(opts.corporation))));

  group.command('show').argument('<id>')
    .action((id: string) => runAdmin(deps, (ctx) => requireRestaurantView(ctx.db, pathId(id))));

  group.command('check-station').argument('<id>')
    .description('call the restaurant\'s cash station with its settings; show who answers')
    .action((id: string) => runAdmin(deps, (ctx) => checkStation(ctx, pathId(id))));

  const passwordEnv = '--station-password-env <variable>';
  withFieldOptions(group.command('create'), RESTAURANT_OPTIONS)
    .requiredOption('--corporation <id>', 'the corporation it belongs to')
    .option('--id <guid>', 'id to give it (default: a new GUID)')
    .option(passwordEnv, 'environment variable holding the HTTP password')
    .action((opts: Opts) => runAdmin(deps, (ctx) => createRestaurant(ctx, {
      ...restaurantBody(opts, deps), corporationId: opts.corporation,
      ...opts.id === undefined ? {} : { id: opts.id },
    }), { fields: RESTAURANT_OPTIONS }));

  withFieldOptions(group.command('update').argument('<id>'), RESTAURANT_OPTIONS)
    .option(passwordEnv, 'environment variable holding the HTTP password')
    .action((id: string, opts: Opts) => runAdmin(deps,
      (ctx) => updateRestaurant(ctx, pathId(id), restaurantBody(opts, deps)),
      { fields: RESTAURANT_OPTIONS }));
}

function registerConnectionCommands(group: Command, deps: AdminCliDeps): void {
  group.command('list').option('--corporation <id>', 'only this corporation\'s')
    .action((opts: { corporation?: string }) => runAdmin(deps,
      (ctx) => listConnections(ctx.db, opts.corporation && pathId(opts.corporation))));

  group.command('show').argument('<clientId>')
    .action((id: string) => runAdmin(deps, (ctx) => requireConnection(ctx.db, pathId(id))));

  withFieldOptions(group.command('create'), CONNECTION_OPTIONS)
    .requiredOption('--corporation <id>', 'the corporation whose orders it places')
    .option('--client-id <guid>', 'client id to give it (default: a new GUID)')
    .description('create a connection; its secret is printed once and stored hashed')
    .action((opts: Opts) => runAdmin(deps, (ctx) => createConnection(ctx, {
      ...bodyOf(opts, CONNECTION_OPTIONS), corporationId: opts.corporation,
      ...opts.clientId === undefined ? {} : { clientId: opts.clientId },
    }), { fields: CONNECTION_OPTIONS }));

  withFieldOptions(group.command('update').argument('<clientId>'), CONNECTION_OPTIONS)
    .action((id: string, opts: Opts) => runAdmin(deps,
      (ctx) => updateConnection(ctx, pathId(id), bodyOf(opts, CONNECTION_OPTIONS)),
      { fields: CONNECTION_OPTIONS }));

  for (const [name, enabled] of [['enable', true], ['disable', false]] as const) {
    group.command(name).argument('<clientId>')
      .description(enabled ? 'let it get tokens again' : 'stop it: no tokens, its tokens refused')
      .action((id: string) =>
        runAdmin(deps, (ctx) => updateConnection(ctx, pathId(id), { enabled })));
  }

  group.command('rotate-secret').argument('<clientId>')
    .description('replace the secret (printed once); the old one stops working at once')
    .action((id: string) => runAdmin(deps, (ctx) => rotateSecret(ctx, pathId(id))));
}

function restaurantBody(opts: Opts, deps: AdminCliDeps): Record<string, unknown> {
  const body = bodyOf(opts, RESTAURANT_OPTIONS);
  const variable = opts.stationPasswordEnv as string | undefined;
  if (variable === undefined) return body;

  if (opts.stationPassword !== undefined) {
    throw new CliRefusal('give either --station-password or --station-password-env, not both');
  }
  const password = deps.env[variable];
  if (password === undefined || password === '') {
    throw new CliRefusal(`environment variable ${variable} is not set`);
  }
  const station = (body.cashStation ?? {}) as Record<string, unknown>;
  return { ...body, cashStation: { ...station, password } };
}

function describeSummary(summary: ApplySummary): string[] {
  const lines = [summary.dryRun ? 'dry run: nothing was written' : summary.changed
    ? 'applied' : 'nothing to change: the database already is as the file declares'];
  for (const [kind, c] of Object.entries(summary.counts)) {
    lines.push(`  ${kind}: ${c.created} created, ${c.updated} updated, `
      + `${c.unchanged} unchanged${c.deleted > 0 ? `, ${c.deleted} deleted` : ''}`);
  }
  for (const s of summary.newSecrets) {
    lines.push(`new connection "${s.name}": client_id=${s.clientId} `
      + `client_secret=${s.clientSecret} (shown once, stored hashed)`);
  }
  return lines;
}
