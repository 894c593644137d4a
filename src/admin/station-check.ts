import { cashErrorToHubError } from '../cash/cash-error-mapping.js';
import { CashStationError } from '../cash/cash-station.js';
import { HubError } from '../errors/hub-error.js';
import { ChainRepo } from '../store/chain-repo.js';
import type { AdminContext } from './admin-context.js';

/** What the station said about itself, set against the restaurant's settings. */
export interface StationCheck {
  restCode: number;
  netName: string;
  serverVersion: string;
  shiftDate: string;
  /** Whether the station's `RestCode` is the restaurant's `objectId`, as `rk7-xml.md` §6.2 asks. */
  objectIdMatches: boolean;
}

/**
 * `POST /restaurants/{id}/station-check`: calls the restaurant's cash station with its stored
 * settings (URL, login, timeout) and reports who answered. A station that cannot be reached or
 * refuses the login answers with the cash-station error codes, as an order call would.
 */
export async function checkStation(ctx: AdminContext, restaurantId: string): Promise<StationCheck> {
  const restaurant = await new ChainRepo(ctx.db).getRestaurant(restaurantId);
  if (!restaurant) {
    throw new HubError('restaurant_not_found', `Restaurant ${restaurantId} not found`);
  }

  try {
    const info = await ctx.stationFor(restaurant).systemInfo();
    return { ...info, objectIdMatches: info.restCode === restaurant.objectId };
  } catch (err) {
    throw err instanceof CashStationError ? cashErrorToHubError(err, 'read') : err;
  }
}
