import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { ERROR_CATALOGUE } from '../src/errors/error-catalogue.js';
import { repoRoot } from './helpers/repo-files.js';

/** The README's reference tables must not fall behind the code they describe. */

function readmeSection(heading: string): string {
  const readme = readFileSync(path.join(repoRoot(), 'README.md'), 'utf8');
  const start = readme.indexOf(`\n## ${heading}\n`);
  assert.ok(start >= 0, `README has a "${heading}" section`);
  const end = readme.indexOf('\n## ', start + 1);
  return readme.slice(start, end < 0 ? undefined : end);
}

/** The cells of each table row whose first cell is a code span: name → other cells. */
function tableRows(section: string): Map<string, string[]> {
  const rows = new Map<string, string[]>();
  for (const line of section.split('\n')) {
    const match = /^\| `([^`]+)` \|(.*)\|$/.exec(line);
    if (match) rows.set(match[1] as string, (match[2] as string).split(' | ').map((c) => c.trim()));
  }
  return rows;
}

test('every error code of the catalogue has a README row with its status and retry', () => {
  const rows = tableRows(readmeSection('Error codes'));

  for (const [code, spec] of Object.entries(ERROR_CATALOGUE)) {
    const cells = rows.get(code);
    assert.ok(cells, `README lists ${code}`);
    assert.equal(cells[0], String(spec.status), `${code}: HTTP status`);
    assert.equal(cells[1], spec.retryable ? 'yes' : 'no', `${code}: retry`);
  }
  assert.deepEqual([...rows.keys()].filter((code) => !(code in ERROR_CATALOGUE)), [],
    'no row for a code the hub does not answer with');
});

test('every environment variable the configuration reads has a README row', () => {
  const source = readFileSync(path.join(repoRoot(), 'src/config/hub-config.ts'), 'utf8');
  const names = new Set([...source.matchAll(/env\.([A-Z_]+)|\(env, '([A-Z_]+)'/g)]
    .map((match) => (match[1] ?? match[2]) as string));
  const rows = tableRows(readmeSection('Configuration'));

  assert.ok(names.has('REQUEST_TIMEOUT_MS'));
  assert.deepEqual([...names].filter((name) => !rows.has(name)), []);
});
