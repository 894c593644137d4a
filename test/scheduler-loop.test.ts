import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { pino } from 'pino';
import { Scheduler } from '../src/scheduler/scheduler.js';
import type { TimerHandler } from '../src/scheduler/scheduler.js';
import type { TimerRepo } from '../src/scheduler/timer-repo.js';
import type { TimerRow } from '../src/store/schema.js';
import { waitUntil } from './helpers/wait-until.js';

/** The claiming part of the timer table, in memory: what the polling loop relies on. */
class MemoryTimers {
  readonly rows: TimerRow[] = [];
  claims = 0;

  add(orderId: number, kind = 'transfer'): void {
    this.rows.push({
      id: `t${this.rows.length + 1}`, kind, orderId, dueAt: new Date(0).toISOString(),
      lockedUntil: null, lockedBy: null, attempts: 0, lastError: null, createdAt: '',
    });
  }

  async claimDue(_now: string, owner: string, leaseUntil: string, limit: number) {
    this.claims += 1;
    const free = this.rows.filter((r) => r.lockedBy === null).slice(0, limit);
    for (const row of free) Object.assign(row, { lockedBy: owner, lockedUntil: leaseUntil });
    return free.map((row) => ({ ...row }));
  }

  async done(id: string): Promise<void> {
    this.rows.splice(this.rows.findIndex((r) => r.id === id), 1);
  }

  async releaseAll(): Promise<void> {
    for (const row of this.rows) Object.assign(row, { lockedBy: null, lockedUntil: null });
  }
}

function schedulerOf(timers: MemoryTimers, transfer: TimerHandler, capacity?: number) {
  const unused: TimerHandler = async () => undefined;
  return new Scheduler({
    timers: timers as unknown as TimerRepo, clock: Date.now, owner: 'test', leaseMs: 60_000,
    // No tick during the test: whatever is claimed after the start is because places freed up.
    intervalMs: 60_000, logger: pino({ level: 'silent' }), capacity,
    handlers: { transfer, reconcile: unused, 'station-poll': unused },
  });
}

describe('scheduler polling loop', () => {
  test('keeps claiming as places free up, never holding more than its capacity', async () => {
    const timers = new MemoryTimers();
    for (let i = 1; i <= 100; i += 1) timers.add(i);
    let running = 0;
    let most = 0;
    const scheduler = schedulerOf(timers, async () => {
      running += 1;
      most = Math.max(most, running);
      await new Promise((resolve) => setTimeout(resolve, 5));
      running -= 1;
    }, 8);

    scheduler.start();
    try {
      await waitUntil(() => timers.rows.length === 0, 'every timer run');
    } finally {
      await scheduler.stop();
    }
    assert.equal(most, 8);
    assert.ok(timers.claims >= 13, `${timers.claims} claims of at most 8`);
  });

  test('runs the timers of one order one after another, in claim order', async () => {
    const timers = new MemoryTimers();
    timers.add(7);
    timers.add(7, 'reconcile');
    timers.add(7);
    const seen: string[] = [];
    let overlapping = false;
    let busy = false;
    const handler: TimerHandler = async (timer) => {
      overlapping ||= busy;
      busy = true;
      await new Promise((resolve) => setTimeout(resolve, 5));
      seen.push(timer.id);
      busy = false;
    };
    const scheduler = new Scheduler({
      timers: timers as unknown as TimerRepo, clock: Date.now, owner: 'test', leaseMs: 60_000,
      intervalMs: 60_000, logger: pino({ level: 'silent' }),
      handlers: { transfer: handler, reconcile: handler, 'station-poll': handler },
    });

    assert.equal(await scheduler.runDue(), 3);
    await scheduler.stop();
    assert.deepEqual(seen, ['t1', 't2', 't3']);
    assert.equal(overlapping, false);
  });

  test('stop waits for the timers it holds and gives back the claims', async () => {
    const timers = new MemoryTimers();
    timers.add(1);
    timers.add(2);
    let finished = 0;
    const scheduler = schedulerOf(timers, async (timer) => {
      await new Promise((resolve) => setTimeout(resolve, timer.orderId === 1 ? 50 : 500));
      finished += 1;
    });

    scheduler.start();
    await waitUntil(() => timers.claims > 0, 'a claim');
    await scheduler.stop();
    assert.equal(finished, 2);
    assert.equal(timers.rows.length, 0);
  });
});
