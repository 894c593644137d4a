import { CashStationError } from '../cash-station.js';
import type { Rk7Client } from './rk7-client.js';
import { readRefItems } from './rk7-replies.js';
import { getRefDataRequest } from './rk7-requests.js';

/**
 * Currency idents → GUIDs, read once from the station's `CURRENCIES` reference. Payment lines of
 * an order name their currency by ident; the hub speaks currency GUIDs.
 */
export interface CurrencyDirectory {
  /** GUID (upper case, no braces) of the currency with this ident. */
  guidOf(ident: number): Promise<string>;
}

/** A directory that loads `CURRENCIES` on first use and again for an ident it lacks. */
export function createCurrencyDirectory(client: Rk7Client): CurrencyDirectory {
  let byIdent: Map<number, string> | undefined;

  async function load(): Promise<Map<number, string>> {
    const req = getRefDataRequest('CURRENCIES', {
      propMask: 'items.(Ident,Code,Name,GUIDString,Status)',
    });
    const reply = await client.call(req);
    const entries = client.decode(req, () => readRefItems(reply)).flatMap((item) =>
      item.guid === undefined ? [] : [[item.ident, item.guid] as const]);
    return new Map(entries);
  }

  return {
    async guidOf(ident) {
      // A currency added at the station after the first load is picked up by one reload.
      if (byIdent?.has(ident) !== true) byIdent = await load();

      const guid = byIdent.get(ident);
      if (guid === undefined) {
        throw new CashStationError('config',
          `Currency ${ident} of a payment line is missing from the station's CURRENCIES`);
      }
      return guid;
    },
  };
}
