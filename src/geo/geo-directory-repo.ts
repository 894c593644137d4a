import type { Insertable } from 'kysely';
import type { Db } from '../store/database.js';
import type { AddressesTable } from '../store/schema.js';
import { addressSearchText, searchWords } from './address-search.js';

/** A slice of a directory and how many items there are in all (`delivery-api.md` §5.3). */
export interface Page<T> {
  total: number;
  offset: number;
  limit: number;
  items: T[];
}

export interface PageRequest {
  offset: number;
  limit: number;
}

export interface NamedItem {
  id: string;
  name: string;
}

/** A stored address with its city and country, as the suggestions show it. */
export interface AddressMatch {
  country: string;
  city: string;
  street: string;
  house: string;
  building: string;
  postalCode: string;
  lat: number;
  lon: number;
}

/** An address to store: `searchText` is derived by {@link newAddressRow}. */
export type AddressInput = Omit<Insertable<AddressesTable>, 'searchText'> & { city: string };

/** Most suggestions one search returns. */
export const MAX_SUGGESTIONS = 20;

/**
 * The hub's own geography: countries, their cities and the addresses behind the suggestions.
 * Shared by every corporation; nothing here comes from an outside geocoder.
 */
export class GeoDirectoryRepo {
  readonly #db: Db;

  constructor(db: Db) {
    this.#db = db;
  }

  async countries(page: PageRequest): Promise<Page<NamedItem>> {
    const [count, items] = await Promise.all([
      this.#db.selectFrom('countries').select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow(),
      this.#db.selectFrom('countries').select(['id', 'name'])
        .orderBy('name').orderBy('id').offset(page.offset).limit(page.limit).execute(),
    ]);
    return { total: Number(count.n), ...page, items };
  }

  /** The country's id as stored, or undefined; ids compare case-insensitively. */
  async findCountry(id: string): Promise<string | undefined> {
    const row = await this.#db.selectFrom('countries').select('id')
      .where((eb) => eb(eb.fn('lower', ['id']), '=', id.toLowerCase())).executeTakeFirst();
    return row?.id;
  }

  async cities(countryId: string, page: PageRequest): Promise<Page<NamedItem>> {
    const [count, items] = await Promise.all([
      this.#db.selectFrom('cities').select((eb) => eb.fn.countAll<number>().as('n'))
        .where('countryId', '=', countryId).executeTakeFirstOrThrow(),
      this.#db.selectFrom('cities').select(['id', 'name']).where('countryId', '=', countryId)
        .orderBy('name').orderBy('id').offset(page.offset).limit(page.limit).execute(),
    ]);
    return { total: Number(count.n), ...page, items };
  }

  /**
   * Addresses whose words start with every word of the search (in any order), e.g. "гоголя 13"
   * finds "улица Гоголя, 13" and "улица Гоголя, 130". Case-insensitive, Cyrillic included.
   */
  async suggestions(search: string): Promise<AddressMatch[]> {
    const words = searchWords(search);
    if (words.length === 0) return [];

    let query = this.#db.selectFrom('addresses')
      .innerJoin('cities', 'cities.id', 'addresses.cityId')
      .innerJoin('countries', 'countries.id', 'cities.countryId')
      .select([
        'countries.name as country', 'cities.name as city', 'addresses.street',
        'addresses.house', 'addresses.building', 'addresses.postalCode', 'addresses.lat',
        'addresses.lon',
      ]);
    for (const word of words) query = query.where('addresses.searchText', 'like', `% ${word}%`);

    const rows = await query.orderBy('cities.name').orderBy('addresses.street')
      .orderBy((eb) => eb.fn('length', ['addresses.house'])).orderBy('addresses.house')
      .orderBy('addresses.id').limit(MAX_SUGGESTIONS).execute();
    return rows.map((row) => ({ ...row, lat: Number(row.lat), lon: Number(row.lon) }));
  }
}

/** An address row with its search text; `city` is the city's name, for the search text. */
export function newAddressRow(input: AddressInput): Insertable<AddressesTable> {
  const { city, ...row } = input;
  return {
    ...row,
    searchText: addressSearchText([city, row.street, row.house, row.building ?? '',
      row.postalCode]),
  };
}
