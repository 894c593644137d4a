#!/usr/bin/env node
/**
 * What `npm test` runs after `npm run build`: Node's built-in test runner over every compiled
 * test file (`*.test.js` under dist/test), on SQLite by default or on PostgreSQL when
 * `TEST_DATABASE_URL` names an admin database (`postgres://…`; the test harness creates one
 * throw-away database per suite there, see test/helpers/pg-database.ts).
 *
 * Usage: node scripts/run-tests.mjs [node test options…] [file filter…]
 *   node scripts/run-tests.mjs                        every compiled test file
 *   node scripts/run-tests.mjs pay-order              files whose path contains "pay-order"
 *   node scripts/run-tests.mjs --test-name-pattern=close
 *
 * Environment: TEST_DATABASE_URL, TEST_CONCURRENCY (files run at once, default: the number of
 * cores), TEST_FILE_TIMEOUT_MS (bound of one test file, default 600000).
 *
 * The output is the runner's own reporter (spec on a terminal, TAP otherwise), so its closing
 * lines (`# pass N`, `# fail N`) are the last thing printed; the exit code is the runner's.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const compiledTests = path.join(root, 'dist', 'test');

const args = process.argv.slice(2);
const nodeOptions = args.filter((arg) => arg.startsWith('--'));
const filters = args.filter((arg) => !arg.startsWith('--'));

const storage = await describeStorage(process.env.TEST_DATABASE_URL);
if (!storage.ok) fail(storage.line);
console.log(storage.line);

const files = selectTestFiles();
const concurrency = positiveInt('TEST_CONCURRENCY', availableParallelism());
const fileTimeoutMs = positiveInt('TEST_FILE_TIMEOUT_MS', 600_000);

// Node 20 takes no globs after --test, hence the explicit file list. Its --test-timeout bounds
// each test file as a whole, which is what keeps a file that never exits (a leaked server or
// pool) from holding CI until its 90-minute limit.
const child = spawn(process.execPath, [
  '--test',
  `--test-concurrency=${concurrency}`,
  `--test-timeout=${fileTimeoutMs}`,
  ...nodeOptions,
  ...files,
], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, NODE_OPTIONS: withSourceMaps(process.env.NODE_OPTIONS) },
});

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => child.kill(signal));
}
child.on('error', (err) => fail(`could not start the test runner: ${err.message}`));
child.on('exit', (code, signal) => {
  if (signal) console.error(`# test runner ended by ${signal}`);
  process.exit(code ?? 1);
});

/** Which storage the suites will use, checked up front so a dead server fails once, clearly. */
async function describeStorage(url) {
  if (url === undefined || url === '') {
    return { ok: true, line: '# storage: SQLite (TEST_DATABASE_URL=postgres://… for PostgreSQL)' };
  }
  if (!/^postgres(ql)?:\/\//.test(url)) {
    return { ok: false, line: `TEST_DATABASE_URL must be a postgres:// URL, got "${redact(url)}"` };
  }

  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  try {
    await client.connect();
    const { rows } = await client.query('SHOW server_version');
    return { ok: true, line: `# storage: PostgreSQL ${rows[0].server_version} at ${redact(url)}` };
  } catch (err) {
    return { ok: false, line: `cannot connect to ${redact(url)}: ${err.message}` };
  } finally {
    await client.end().catch(() => {});
  }
}

/** Compiled test files whose TypeScript source still exists, narrowed by the filters. */
function selectTestFiles() {
  if (!existsSync(compiledTests)) fail(`no ${rel(compiledTests)}: run "npm run build" first`);

  const all = walk(compiledTests).filter((file) => file.endsWith('.test.js')).sort();
  // tsc never deletes outputs, so a removed or renamed test would otherwise live on in dist/.
  const current = all.filter((file) => {
    const source = path.join(root, path.relative(path.join(root, 'dist'), file))
      .replace(/\.js$/, '.ts');
    if (existsSync(source)) return true;
    console.log(`# skipping ${rel(file)}: its source ${rel(source)} is gone`);
    return false;
  });

  const chosen = filters.length === 0
    ? current
    : current.filter((file) => filters.some((filter) => rel(file).includes(filter)));
  if (chosen.length === 0) {
    fail(filters.length === 0
      ? `no compiled test files under ${rel(compiledTests)}`
      : `no test file matches ${filters.map((f) => `"${f}"`).join(', ')}`);
  }
  return chosen.map(rel);
}

function walk(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? walk(full) : [full];
  });
}

function positiveInt(name, fallback) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) {
    fail(`${name} must be a positive integer, got "${raw}"`);
  }
  return value;
}

function withSourceMaps(options = '') {
  if (options.includes('--enable-source-maps')) return options;
  return `${options} --enable-source-maps`.trim();
}

function redact(url) {
  return url.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');
}

function rel(file) {
  return path.relative(root, file) || '.';
}

function fail(message) {
  console.error(`run-tests: ${message}`);
  process.exit(1);
}
