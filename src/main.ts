#!/usr/bin/env node
import { Command, InvalidArgumentError } from 'commander';
import { pino } from 'pino';
import { createHub } from './app/create-hub.js';
import { readConfig } from './config/hub-config.js';
import { demoCommand } from './demo/demo-command.js';
import { runOperatorCommand } from './cli/operator-command.js';
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
  .action(async (opts: { port: number; host: string; username: string; password: string;
    stateFile?: string }) => {
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

function toPort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new InvalidArgumentError('must be a port number');
  }
  return port;
}

function printBanner(url: string, notices: Awaited<ReturnType<typeof createHub>>['notices']) {
  const lines = [`delivery-hub listening on ${url}`];
  if (notices.demoClientId) {
    lines.push(`demo API connection: client_id=${notices.demoClientId} `
      + `client_secret=${notices.demoClientSecret} (demo data; set DEMO_CLIENT_SECRET or `
      + 'SEED_DEMO=false for real use)');
  }
  if (notices.generatedAdminToken) {
    lines.push(`admin token (shown once, stored hashed): ${notices.generatedAdminToken}`);
  }
  if (notices.simulatorUrl) lines.push(`embedded r_keeper 7 simulator: ${notices.simulatorUrl}`);
  lines.push('next: npm run demo (in another terminal)');
  process.stderr.write(`\n${lines.map((l) => `  ${l}`).join('\n')}\n\n`);
}

program.parseAsync().catch((err: unknown) => {
  process.stderr.write(`delivery-hub: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
