import { randomUUID } from 'node:crypto';
import type { AttrValue, XmlElement } from '../cash/rk7/xml-element.js';
import type { SimLanguage } from './sim-errors.js';
import type { SimState } from './sim-state.js';

/** What the station does when the tendered sum exceeds what is due (§8.4). */
export type OverpayPolicy = 'change-for-cash' | 'reject';

/** Behaviour switches of a simulator instance. */
export interface SimSettings {
  overpayPolicy: OverpayPolicy;
  language: SimLanguage;
}

/** What a command handler sees. */
export interface SimContext {
  readonly state: SimState;
  readonly settings: SimSettings;
  /** Arrival time of the request. */
  readonly now: Date;
  /** The simulator's clock (ms since the epoch), for the reply's DateTime and WorkTime. */
  readonly clock: () => number;
}

/** A handled command: where its data goes on `RK7QueryResult` (or `CommandResult`). */
export interface CommandOutcome {
  status?: 'Ok' | 'No changes';
  attrs?: Record<string, AttrValue>;
  children?: (XmlElement | undefined)[];
  /** Whether the station state changed (and must be saved). */
  changed: boolean;
}

/**
 * Runs one command against the state. Refusals are thrown as `SimCommandError`; a handler checks
 * everything before it changes anything, so a refused command leaves the state as it was.
 */
export type CommandHandler = (command: XmlElement, ctx: SimContext) => CommandOutcome;

/** A new GUID, upper case without braces. */
export function newGuid(): string {
  return randomUUID().toUpperCase();
}
