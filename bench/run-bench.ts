/**
 * `npm run bench [-- <scenario>…]`: the benchmarks of issue #6 against a production build, each
 * beside a raw Fastify baseline measured in the same run; results go to `bench/results.json`
 * and the generated table of `BENCHMARKS.md`.
 *
 * Scenarios: create, get, lifecycle, search, pg-create (all by default). Environment:
 * `BENCH_DURATION_SEC` (default 15), `BENCH_DATABASE_URL` (PostgreSQL admin URL for pg-create;
 * default `$TEST_DATABASE_URL`, then postgres://postgres@127.0.0.1:5432/postgres),
 * `BENCH_WORK_DIR` (default: a temporary directory, removed afterwards), `BENCH_REPORT_DIR`
 * (where `bench/results.json` and `BENCHMARKS.md` are updated; default the current directory —
 * point it elsewhere for trial runs that must not touch the recorded figures),
 * `BENCH_STATION_CONNECTIONS` (the lifecycle's `cashStation.maxConnections`, default 64),
 * `BENCH_HUB_NODE_ARGS` (flags for the hub processes, e.g. `--cpu-prof`).
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os, { tmpdir } from 'node:os';
import path from 'node:path';
import {
  type RecordedResult, describeMachine, mergeResults, writeReport,
} from './bench-report.js';
import { postgresAnswers } from './pg-bench-database.js';
import { type BenchContext, SCENARIOS } from './scenarios.js';

const names = SCENARIOS.map((s) => s.name);
const wanted = process.argv.slice(2);
const unknown = wanted.filter((name) => !names.includes(name));
if (unknown.length > 0) {
  process.stderr.write(`unknown scenario ${unknown.join(', ')}; choose from ${names.join(', ')}\n`);
  process.exit(2);
}

const workDir = process.env.BENCH_WORK_DIR
  ?? await mkdtemp(path.join(tmpdir(), 'delivery-hub-bench-'));
const postgresUrl = process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL
  || 'postgres://postgres@127.0.0.1:5432/postgres';
const ctx: BenchContext = {
  workDir,
  durationSec: Number(process.env.BENCH_DURATION_SEC ?? 15),
  postgresUrl: await postgresAnswers(postgresUrl) ? postgresUrl : undefined,
  log: (line) => process.stdout.write(`${line}\n`),
};
const command = `npm run bench${wanted.length ? ` -- ${wanted.join(' ')}` : ''}`;
const machine = describeMachine(workDir);
const date = new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC';
ctx.log(`${command}\n${machine}`);

const fresh: RecordedResult[] = [];
let failures = 0;
try {
  for (const scenario of SCENARIOS.filter((s) => !wanted.length || wanted.includes(s.name))) {
    ctx.log(`\n== ${scenario.name}`);
    // Other work on the machine skews every number; the 1-minute load average says how much.
    const load = `load average at start ${os.loadavg()[0]?.toFixed(1)} on `
      + `${os.availableParallelism()} cores`;
    try {
      const result = await scenario.run(ctx);
      result.notes.push(load);
      fresh.push({ ...result, command, date, machine });
      ctx.log(`  raw ${result.raw.perSec.toFixed(0)} ${result.unit} (p99 `
        + `${result.raw.p99Ms.toFixed(1)} ms) · hub ${result.hub.perSec.toFixed(0)} ${result.unit} `
        + `(p50 ${result.hub.p50Ms.toFixed(1)} ms, p99 ${result.hub.p99Ms.toFixed(1)} ms, `
        + `failed ${result.hub.failed}, RSS ${result.hubRssMb.toFixed(0)} MB, `
        + `CPU ${result.hubCpuMsPerOp.toFixed(3)} ms/op) · `
        + `${result.met ? 'target met' : 'TARGET MISSED'}`);
    } catch (err) {
      failures += 1;
      ctx.log(`  scenario failed: ${err instanceof Error ? err.stack : String(err)}`);
    }
  }
} finally {
  if (!process.env.BENCH_WORK_DIR) await rm(workDir, { recursive: true, force: true });
}

const root = process.env.BENCH_REPORT_DIR || process.cwd();
await mkdir(path.join(root, 'bench'), { recursive: true });
const merged = mergeResults(path.join(root, 'bench', 'results.json'), fresh, names);
writeReport(path.join(root, 'BENCHMARKS.md'), merged);
ctx.log(`\nwrote BENCHMARKS.md (${fresh.length} scenario(s) measured, ${failures} failed)`);
process.exitCode = failures > 0 ? 1 : 0;
