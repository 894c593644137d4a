import type { Db } from './database.js';

/** Hub-wide key/value settings kept in the database (signing keys, admin token hash). */
export class SettingsRepo {
  readonly #db: Db;

  constructor(db: Db) {
    this.#db = db;
  }

  async get(key: string): Promise<string | undefined> {
    const row = await this.#db.selectFrom('hubSettings').select('value')
      .where('key', '=', key).executeTakeFirst();
    return row?.value;
  }

  async set(key: string, value: string): Promise<void> {
    await this.#db.insertInto('hubSettings').values({ key, value })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value }))
      .execute();
  }

  /**
   * Returns the stored value, or stores `create()` and returns it. Safe when several instances
   * start at once: the first insert wins and everyone reads the winner.
   */
  async getOrCreate(key: string, create: () => string): Promise<string> {
    const existing = await this.get(key);
    if (existing !== undefined) return existing;

    await this.#db.insertInto('hubSettings').values({ key, value: create() })
      .onConflict((oc) => oc.column('key').doNothing())
      .execute();
    return (await this.get(key)) as string;
  }
}
