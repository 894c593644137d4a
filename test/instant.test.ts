import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseInstant, toStationLocal, toWire } from '../src/time/instant.js';

describe('instants', () => {
  test('reads offsets, Z and 0–7 fraction digits', () => {
    assert.equal(parseInstant('2022-04-05T15:12:58.658+03:00', 'UTC')?.instant,
      '2022-04-05T12:12:58.658Z');
    assert.equal(parseInstant('2022-04-05T15:12:58+0300', 'UTC')?.instant,
      '2022-04-05T12:12:58.000Z');
    assert.equal(parseInstant('2022-04-05T12:12:58.6581234Z', 'UTC')?.instant,
      '2022-04-05T12:12:58.658Z');
  });

  test('zone-less input is read in the given zone', () => {
    const parsed = parseInstant('2024-03-01T18:00:00', 'Europe/Moscow');
    assert.equal(parsed?.instant, '2024-03-01T15:00:00.000Z');
    assert.equal(parsed?.hadZone, false);
    assert.equal(parseInstant('2024-03-01', 'Europe/Moscow')?.dateOnly, true);
  });

  test('refuses impossible dates and garbage', () => {
    for (const bad of ['2024-02-30T10:00:00Z', '2024-13-01', 'yesterday', '2024-03-01T25:00Z',
      '2022-04-05T15:12:58+99:00', '2022-04-05T15:12:58+03:75']) {
      assert.equal(parseInstant(bad, 'UTC'), undefined, bad);
    }
  });

  test('writes the wire form and the station form', () => {
    assert.equal(toWire('2021-04-19T11:53:07.508Z'), '2021-04-19T11:53:07.508+00:00');
    assert.equal(toWire('2021-02-24T12:55:00.000Z'), '2021-02-24T12:55:00+00:00');
    assert.equal(toWire(null), null);
    assert.equal(toStationLocal('2022-04-05T12:12:58.658Z', 'Europe/Moscow'),
      '2022-04-05T15:12:58');
  });
});
