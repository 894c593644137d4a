#!/usr/bin/env node
import { Command, InvalidArgumentError } from 'commander';
import { pino } from 'pino';
import { createHub } from './app/create-hub.js';
import { readConfig } from './config/hub-config.js';
import { demoCommand } from './demo/demo-command.js';
import { adminCommand } from './cli/admin-command.js';
import { runOperatorCommand } from './cli/operator-command.js';
import { STDIO } from './cli/command-output.js';
import { readPasswordFromStdin, runAddUser, runListUsers } from './cli/users-command.js';
import { runWebhooksReplay, runWebhooksResume } from './cli/webhooks-command.js';
import { runStandaloneSimulator } from './simulator/start-simulator.js';

const program = new Command()
  .name('delivery-hub')
  .description('Restaurant delivery order hub, r_k Delivery API compatible, for r_keeper 7');

program.command('start')
  .description('run the hub (embedded defaults: SQLite in ./data, simulator, demo data)')
  .action(async () => {
    const config = readConfig();
    const logger = pino({ level: config.logLevel });
    const hub = await createHub(config, { logger });
    const url = await hub.listen();
    printBanner(url, hub.notices);

    const stop = async (signal: string) => {
      logger.info({ signal }, 'shutting down');
      await hub.close();
      process.exit(0);
    };
    process.once('SIGINT', () => void stop('SIGINT'));
    process.once('SIGTERM', () => void stop('SIGTERM'));
  });

program.command('simulator')
  .description('run the r_keeper 7 cash-station simulator on its own (XML interface over HTTP)')
  .option('--port <n>', 'port to listen on', toPort, 8090)
  .option('--host <host>', 'address to listen on', '127.0.0.1')
  .option('--username <name>', 'HTTP Basic user', process.env.SIM_USERNAME ?? 'cashier')
  .option('--password <secret>', 'HTTP Basic password', process.env.SIM_PASSWORD ?? 'cashier')
  .option('--state-file <path>', 'keep the station state in this JSON file')
  .option('--control', 'serve the /_sim/… control API (tests and demos only)', false)
  .action(async (opts: { port: number; host: string; username: string; password: string;
    stateFile?: string; control: boolean }) => {
    await runStandaloneSimulator(opts);
  });

program.command('demo')
  .description('play the paying-and-closing story against a running hub')
  .option('--url <url>', 'base URL of the hub (default http://127.0.0.1:$PORT)')
  .option('--client-id <id>', 'API connection client id (default $DEMO_CLIENT_ID or the demo one)')
  .option('--client-secret <secret>', 'its secret (default $DEMO_CLIENT_SECRET or the demo one)')
  .action(async (opts: { url?: string; clientId?: string; clientSecret?: string }) => {
    process.exitCode = await demoCommand(opts);
  });

program.command('orders')
  .description('operator actions on an order waiting for a person')
  .argument('<action>', 'confirm | accept | transfer')
  .argument('<orderId>', 'hub order number')
  .action(async (action: string, orderId: string) => {
    process.exitCode = await runOperatorCommand(readConfig(), action, orderId);
  });

const users = program.command('users').description('operator console accounts');
users.command('add')
  .description('create a console account (password on standard input, or --password)')
  .argument('<username>', 'sign-in name')
  .requiredOption('--role <role>', 'operator | manager | admin')
  .option('--corporation <id>', 'corporation whose orders the account sees (default: the only one)')
  .option('--name <displayName>', 'name shown in the console')
  .option('--password <password>', 'the password (prefer standard input: shells keep history)')
  .action(async (username: string, opts: { role: string; corporation?: string; name?: string;
    password?: string }) => {
    const password = opts.password ?? await readPasswordFromStdin();
    process.exitCode = await runAddUser(readConfig(), {
      username, password, role: opts.role, corporationId: opts.corporation,
      displayName: opts.name,
    }, STDIO);
  });
users.command('list')
  .description('list console accounts')
  .action(async () => {
    process.exitCode = await runListUsers(readConfig(), STDIO);
  });

program.addCommand(adminCommand({
  config: readConfig, io: STDIO, env: process.env,
  setExitCode: (code) => {
    process.exitCode = code;
  },
}));

const webhooks = program.command('webhooks').description('webhook outbox maintenance');
webhooks.command('replay')
  .description('send a webhook event (to every subscriber) or one delivery again')
  .argument('<id>', 'an eventId or a deliveryId')
  .action(async (id: string) => {
    process.exitCode = await runWebhooksReplay(readConfig(), id);
  });
webhooks.command('resume')
  .description('resume a webhook subscription the hub paused after failed deliveries')
  .argument('<subscriptionId>', 'the subscription id')
  .action(async (id: string) => {
    process.exitCode = await runWebhooksResume(readConfig(), id);
  });

function toPort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new InvalidArgumentError('must be a port number');
  }
  return port;
}

function printBanner(url: string, notices: Awaited<ReturnType<typeof createHub>>['notices']) {
  const lines = [`delivery-hub listening on ${url}`];
  if (notices.demoClientId && notices.demoClientSecret) {
    lines.push(`demo API connection: client_id=${notices.demoClientId} `
      + `client_secret=${notices.demoClientSecret} (public demo default; set DEMO_CLIENT_SECRET `
      + 'or SEED_DEMO=false for real use)');
  } else if (notices.demoClientId) {
    lines.push(`demo API connection: client_id=${notices.demoClientId} `
      + '(client_secret as set in DEMO_CLIENT_SECRET)');
  }
  if (notices.generatedAdminToken) {
    lines.push(`admin token (shown once, stored hashed): ${notices.generatedAdminToken}`);
  }
  if (notices.simulatorUrl) lines.push(`embedded r_keeper 7 simulator: ${notices.simulatorUrl}`);
  if (notices.demoClientId) lines.push('next: npm run demo (in another terminal)');
  process.stderr.write(`\n${lines.map((l) => `  ${l}`).join('\n')}\n\n`);
}

program.parseAsync().catch((err: unknown) => {
  process.stderr.write(`delivery-hub: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
