import type { WriteOutcome } from './admin-input.js';

/** How many things of one kind a write created, updated, found unchanged or deleted. */
export interface KindCount {
  created: number;
  updated: number;
  unchanged: number;
  deleted: number;
}

/**
 * Counts write outcomes per kind (`corporations`, `menuProducts`…), for the summaries of
 * `admin apply` and the menu imports.
 */
export class WriteTally {
  readonly #counts = new Map<string, KindCount>();

  add(kind: string, outcome: WriteOutcome): WriteOutcome {
    const count = this.#counts.get(kind) ?? { created: 0, updated: 0, unchanged: 0, deleted: 0 };
    count[outcome] += 1;
    this.#counts.set(kind, count);
    return outcome;
  }

  /** Whether anything was created, updated or deleted. */
  get changed(): boolean {
    return [...this.#counts.values()].some((c) => c.created + c.updated + c.deleted > 0);
  }

  toJSON(): Record<string, KindCount> {
    return Object.fromEntries(this.#counts);
  }
}

/** Whether every key of `wanted` has the same value in `existing`. */
export function sameValues(existing: object, wanted: object): boolean {
  const stored = existing as Record<string, unknown>;
  return Object.entries(wanted).every(([key, value]) => stored[key] === value);
}
