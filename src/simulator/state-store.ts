import { appendFileSync, closeSync, openSync } from 'node:fs';
import { readdir, readFile, rename, rm, writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { takeChangedOrders } from './sim-state.js';
import type { RkOrder, RkVisit, SimState } from './sim-state.js';

/** Version of the state file's layout; a file of another version is refused, never guessed at. */
const FORMAT_VERSION = 1;

/** The journal is folded into a new snapshot once it is this large and larger than… */
const COMPACT_MIN_BYTES = 8 * 1024 * 1024;
/** …this many times the snapshot, so each order is rewritten a bounded number of times. */
const COMPACT_RATIO = 4;

/** Everything of the state but its visits and orders (small: counters, shift, references). */
type StateHead = Omit<SimState, 'visits' | 'orders'>;

interface StateFile extends StateHead {
  formatVersion: number;
  /** Names the journal that continues this snapshot (`<file>.<n>.journal`); 0 when absent. */
  journalSequence?: number;
  visits: RkVisit[];
  orders: RkOrder[];
}

/** One journal line: the head as it is now, and the orders changed (with their visits). */
interface JournalRecord {
  head: StateHead;
  visits: RkVisit[];
  orders: RkOrder[];
}

/**
 * Keeps the simulator's state on disk so an embedded or standalone simulator keeps its orders
 * across restarts: a JSON snapshot (`file`) and a journal beside it (`<file>.<n>.journal`, one
 * JSON line per save holding the orders changed since the previous one). A save appends one
 * line, so its cost follows what changed, not how many orders the station holds; the journal is
 * folded into a new snapshot when it outgrows it, at start and at close. Snapshots are written
 * to a temporary file and renamed over the old one, and each names its journal, so a crash
 * leaves a snapshot and the journal that continues it, never half of either. A save resolves
 * once its change has been written to the file (a killed process loses nothing acknowledged).
 */
export class StateStore {
  readonly #file: string;
  #writes: Promise<void> = Promise.resolve();
  /** The write waiting behind the running one, shared by every save made meanwhile. */
  #queued: Promise<void> | undefined;
  /** The state saved last; another state object (a reset) is written whole. */
  #state: SimState | undefined;
  #sequence = 0;
  #snapshotBytes = 0;
  /** The open journal's file descriptor. */
  #journal: number | undefined;
  #journalBytes = 0;
  #tempSequence = 0;

  constructor(file: string) {
    this.#file = path.resolve(file);
  }

  /** The saved state, or `undefined` when there is no file yet. */
  async load(): Promise<SimState | undefined> {
    const text = await readIfExists(this.#file);
    if (text === undefined) return undefined;

    const data = JSON.parse(text) as Partial<StateFile>;
    if (data.formatVersion !== FORMAT_VERSION) {
      throw new Error(`simulator state file ${this.#file} has format `
        + `${String(data.formatVersion)}, expected ${FORMAT_VERSION}`);
    }
    const {
      formatVersion: _version, journalSequence = 0, visits = [], orders = [], ...head
    } = data as StateFile;
    this.#sequence = journalSequence;
    const state: SimState = {
      ...head,
      visits: new Map(visits.map((v) => [v.visit, v])),
      orders: new Map(orders.map((o) => [o.guid, o])),
    };
    return this.#replay(state, await readIfExists(this.#journalPath(journalSequence)));
  }

  /**
   * Writes what changed since the last save; resolves once a write that began after this call
   * is done. Saves made while a write runs share the one queued behind it.
   */
  save(state: SimState): Promise<void> {
    if (state !== this.#state) {
      this.#state = state;
      this.#snapshotBytes = -1;
    }
    if (this.#queued) return this.#queued;

    const write = this.#writes.then(() => {
      this.#queued = undefined;
      return this.#flush();
    });
    this.#queued = write;
    this.#writes = write.catch(() => undefined);
    return write;
  }

  /** Folds the journal into the snapshot and closes it (the simulator is stopping). */
  async close(): Promise<void> {
    const write = this.#writes.then(async () => {
      try {
        if (this.#state !== undefined && this.#journalBytes > 0) await this.#snapshot();
      } finally {
        this.#closeJournal();
      }
    });
    this.#writes = write.catch(() => undefined);
    await write;
  }

  async #flush(): Promise<void> {
    const state = this.#state as SimState;
    const due = this.#snapshotBytes < 0 || (this.#journalBytes > COMPACT_MIN_BYTES
      && this.#journalBytes > COMPACT_RATIO * this.#snapshotBytes);
    if (due) return this.#snapshot();

    const orders = takeChangedOrders(state);
    const visits = new Set(orders.map((o) => o.visit));
    const record: JournalRecord = {
      head: headOf(state),
      visits: [...visits].flatMap((visit) => state.visits.get(visit) ?? []),
      orders,
    };
    const line = `${JSON.stringify(record)}\n`;
    try {
      // Written at once: a line of a few KB costs microseconds in the page cache, while an
      // asynchronous append waits for the thread pool and then a turn of a busy event loop
      // (≈ 10 ms under load), and every changing command's reply waits for its save.
      this.#journal ??= openSync(this.#journalPath(this.#sequence), 'a');
      appendFileSync(this.#journal, line, 'utf8');
    } catch (err) {
      // The changes taken for this line are on no disk: the next save writes everything.
      this.#snapshotBytes = -1;
      throw err;
    }
    this.#journalBytes += Buffer.byteLength(line);
  }

  /** Writes the whole state as a new snapshot, with a new (empty) journal after it. */
  async #snapshot(): Promise<void> {
    const state = this.#state as SimState;
    takeChangedOrders(state);
    const previous = this.#sequence;
    const next = previous + 1;
    const text = serialize(state, next);

    const temp = `${this.#file}.${process.pid}.${++this.#tempSequence}.tmp`;
    await mkdir(path.dirname(this.#file), { recursive: true });
    try {
      await writeFile(temp, text, 'utf8');
      await rename(temp, this.#file);
    } catch (err) {
      await rm(temp, { force: true });
      throw err;
    }

    this.#sequence = next;
    this.#snapshotBytes = Buffer.byteLength(text);
    this.#closeJournal();
    this.#journalBytes = 0;
    await this.#removeJournals();
  }

  /** Applies the journal's lines in order; a torn last line (a write cut short) is ignored. */
  #replay(state: SimState, journal: string | undefined): SimState {
    const lines = (journal ?? '').split('\n').filter((line) => line.length > 0);
    lines.forEach((line, index) => {
      let record: JournalRecord;
      try {
        record = JSON.parse(line) as JournalRecord;
      } catch (err) {
        if (index === lines.length - 1) return;
        throw new Error(`simulator journal ${this.#journalPath(this.#sequence)} is damaged at `
          + `line ${index + 1}`, { cause: err });
      }
      Object.assign(state, record.head);
      for (const visit of record.visits) state.visits.set(visit.visit, visit);
      for (const order of record.orders) state.orders.set(order.guid, order);
    });
    return state;
  }

  /** Deletes every journal but the current one (the folded one, and any left by a crash). */
  async #removeJournals(): Promise<void> {
    const dir = path.dirname(this.#file);
    const base = path.basename(this.#file);
    const keep = path.basename(this.#journalPath(this.#sequence));
    const names = await readdir(dir);
    await Promise.all(names
      .filter((name) => name !== keep && name.startsWith(`${base}.`) && name.endsWith('.journal'))
      .map((name) => rm(path.join(dir, name), { force: true })));
  }

  #closeJournal(): void {
    const fd = this.#journal;
    // Forgotten first: a failed close(2) still frees the number, which may be reused at once.
    this.#journal = undefined;
    if (fd !== undefined) closeSync(fd);
  }

  #journalPath(sequence: number): string {
    return `${this.#file}.${sequence}.journal`;
  }
}

async function readIfExists(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

function headOf(state: SimState): StateHead {
  const { visits: _visits, orders: _orders, ...head } = state;
  return head;
}

function serialize(state: SimState, journalSequence: number): string {
  const file: StateFile = {
    formatVersion: FORMAT_VERSION,
    journalSequence,
    ...headOf(state),
    visits: [...state.visits.values()],
    orders: [...state.orders.values()],
  };
  return JSON.stringify(file);
}
