/**
 * `npm run chaos`: the chaos run of issue #4 (see `scripts/chaos/chaos-run.ts`).
 *
 * Usage: node dist/scripts/chaos.js [--lifecycles N] [--kills K] [--concurrency C]
 *          [--database-url postgres://…/postgres] [--seed S] [--cash-timeout-ms T]
 *          [--report file.json] [--keep]
 * Defaults: 10000 lifecycles, 25 kills, 16 at once, SQLite, a random seed, 1000 ms.
 * Exits 0 when every count of the comparison is 0, 1 otherwise.
 */
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { runChaos } from './chaos/chaos-run.js';

const { values } = parseArgs({
  options: {
    lifecycles: { type: 'string', default: '10000' },
    kills: { type: 'string', default: '25' },
    concurrency: { type: 'string', default: '16' },
    'database-url': { type: 'string' },
    seed: { type: 'string' },
    'cash-timeout-ms': { type: 'string', default: '1000' },
    report: { type: 'string' },
    keep: { type: 'boolean', default: false },
  },
});

const report = await runChaos({
  lifecycles: count(values.lifecycles, 'lifecycles'),
  kills: count(values.kills, 'kills'),
  concurrency: count(values.concurrency, 'concurrency'),
  databaseUrl: values['database-url'] ?? process.env.CHAOS_DATABASE_URL,
  seed: values.seed === undefined ? undefined : count(values.seed, 'seed'),
  cashTimeoutMs: count(values['cash-timeout-ms'], 'cash-timeout-ms'),
  keepData: values.keep,
  log: (line) => process.stderr.write(`${new Date().toISOString()} ${line}\n`),
});

const lines = [
  `storage            ${report.storage}`,
  `seed               ${report.seed}`,
  `lifecycles         ${report.completed} of ${report.lifecycles} completed`,
  `kills (SIGKILL)    ${report.kills} (hub started ${report.hubStarts} times)`,
  `faults injected    ${report.faultsInjected}`,
  `duration           ${(report.durationMs / 1000).toFixed(1)} s`,
  `HTTP requests      ${report.wire.requests} (network errors ${report.wire.networkErrors}, `
    + `retryable answers ${report.wire.retryable}, ERR_INTERNAL ${report.wire.internalErrors})`,
  ...Object.entries(report.counts).map(([name, n]) => `${name.padEnd(19)}${n}`),
  ...report.problems.map((p) => `  ! ${p}`),
  ...(report.dataDir ? [`data kept in ${report.dataDir}`] : []),
];
process.stdout.write(`${lines.join('\n')}\n`);
if (values.report) await writeFile(values.report, `${JSON.stringify(report, null, 2)}\n`);
process.exitCode = Object.values(report.counts).every((n) => n === 0) ? 0 : 1;

function count(text: string | undefined, name: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0) throw new Error(`--${name} must be an integer`);
  return value;
}
