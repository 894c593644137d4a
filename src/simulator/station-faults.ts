import { attr, child } from '../cash/rk7/xml-element.js';
import type { XmlElement } from '../cash/rk7/xml-element.js';
import type { CommandInfo } from './command-dispatcher.js';
import { appliesTo, matches } from './fault-injector.js';
import type { FaultSpec } from './fault-injector.js';
import { resolveRef } from './request-reading.js';
import type { SimContext } from './sim-command.js';
import { SimCommandError, simErrors } from './sim-errors.js';
import type { SimState } from './sim-state.js';

/**
 * The station-side faults of `rk7-xml.md` §8.7: how each one answers a command of the request
 * that triggered it. Transport faults (hang, drop, HTTP status…) stay in the HTTP server.
 */

const SHIFT_TOO_OLD = 'The common shift was opened too long ago, close it';
const GUESTS_REQUIRED = 'Guest count cannot be zero';
const FILLING_FAILED = 'The order cannot be filled';

/**
 * The refusal a command gets from the triggered faults (or from a shift being closed at the
 * station), or `undefined` when it may run.
 */
export function refusalFor(
  triggered: readonly FaultSpec[], state: SimState, command: XmlElement, info: CommandInfo,
): SimCommandError | undefined {
  if (state.shift.closing) return simErrors.shiftClosing();

  for (const fault of triggered) {
    if (!matches(fault.match, info) || !appliesTo(fault.mode, info.cmd)) continue;
    const refusal = refusalOf(fault, state, command);
    if (refusal !== undefined) return refusal;
  }
  return undefined;
}

function refusalOf(
  fault: FaultSpec, state: SimState, command: XmlElement,
): SimCommandError | undefined {
  switch (fault.mode) {
    case 'decline': {
      const p = fault.params;
      return new SimCommandError(p.status ?? 'Query Executing Error', p.text, p.rk7ErrorN);
    }
    case 'lockedByStation':
      return simErrors.lockedByAnotherKey();
    case 'shiftClosing':
      return simErrors.shiftClosing();
    case 'shiftTooOld':
      return new SimCommandError('Query Executing Error', SHIFT_TOO_OLD, 2133);
    case 'licenceStrict':
      return hasLicence(command) ? undefined : simErrors.badLicence();
    case 'stationOffline':
      return simErrors.stationOffline(offlineStationName(fault.params?.station, state, command));
    case 'fillingFails':
      return new SimCommandError('Query Executing Error', fault.params?.text ?? FILLING_FAILED);
    case 'requireGuests':
      return guestCount(command) > 0
        ? undefined
        : new SimCommandError('Query Executing Error', GUESTS_REQUIRED, 3444);
    default:
      return undefined;
  }
}

/**
 * Runs `work` with the station adjusted for the request: `dishNotFound` hides the dish from the
 * menu, `overpayPolicy` swaps the policy. Command execution is synchronous, so no other request
 * sees the adjustment.
 */
export function withStationFaults<T>(
  triggered: readonly FaultSpec[], ctx: SimContext, work: (ctx: SimContext) => T,
): T {
  const hidden = new Set(triggered.flatMap((f) => (f.mode === 'dishNotFound'
    ? [f.params.code]
    : [])));
  const policy = triggered.find((f) => f.mode === 'overpayPolicy');
  const menu = ctx.state.refs.menu;
  if (hidden.size > 0) ctx.state.refs.menu = menu.filter((item) => !hidden.has(String(item.code)));

  try {
    return work(policy?.mode === 'overpayPolicy'
      ? { ...ctx, settings: { ...ctx.settings, overpayPolicy: policy.params.policy } }
      : ctx);
  } finally {
    ctx.state.refs.menu = menu;
  }
}

/** A `<LicenseInfo anchor="…">` with a non-empty anchor counts as valid. */
function hasLicence(command: XmlElement): boolean {
  const licence = child(command, 'LicenseInfo');
  return licence !== undefined && (attr(licence, 'anchor') ?? '').trim() !== '';
}

function guestCount(command: XmlElement): number {
  const guests = child(child(command, 'Order') ?? command, 'Guests');
  const count = guests === undefined ? undefined : Number(attr(guests, 'count') ?? '0');
  return count !== undefined && Number.isFinite(count) ? count : 0;
}

function offlineStationName(
  ident: number | undefined, state: SimState, command: XmlElement,
): string {
  const stations = state.refs.stations;
  const named = ident === undefined ? undefined : stations.find((s) => s.ident === ident);
  if (named) return named.name;

  const element = child(command, 'Station');
  try {
    return element === undefined ? 'Cash 1' : resolveRef(element, stations, 'Cashes').name;
  } catch {
    return 'Cash 1';
  }
}
