import {
  type Compilable, type CompiledQuery, type DialectAdapter, type Kysely, PostgresAdapter,
  type QueryResult,
} from 'kysely';
import { readNow } from './direct-read.js';
import type { Database } from './schema.js';

type Executor = Kysely<Database>;

/**
 * Where a parameter goes while a query is compiled once (see {@link PreparedQuery}); `read`
 * takes its value out of the parameters of a run.
 */
class Slot {
  constructor(readonly read: (params: never) => unknown) {}
}

/**
 * A query built and compiled by Kysely once per database, then run many times with other
 * parameter values.
 *
 * Building and compiling a query (operation-node trees, freezing, the camel-case transform) cost
 * more CPU than SQLite spent running the statements of the hot paths. `build` receives the
 * executor and stand-ins for the parameters; each stand-in must be used as a plain value
 * (`where(col, '=', p.id)`, `values({ col: p.x })`) — not as a list for `in`, nor looked at by
 * the builder. The SQL is compiled with the executor's dialect and plugins on first use (a
 * transaction shares its database's), and results still pass through the plugins.
 */
export class PreparedQuery<P extends object, O> {
  readonly #build: (db: Executor, params: P) => Compilable<O>;
  readonly #stand: () => P;
  readonly #compiled = new WeakMap<DialectAdapter, CompiledQuery<O>>();

  /** `stand`: the stand-ins `build` receives (named parameters unless given). */
  constructor(build: (db: Executor, params: P) => Compilable<O>, stand: () => P = namedSlots<P>) {
    this.#build = build;
    this.#stand = stand;
  }

  /** Runs the query with `params` on `executor` (the database or a transaction). */
  execute(executor: Executor, params: P): Promise<QueryResult<O>> {
    return executor.executeQuery(this.#bind(executor, params));
  }

  /** The rows of the query. */
  async rows(executor: Executor, params: P): Promise<O[]> {
    return (await this.execute(executor, params)).rows;
  }

  /** The first row, or undefined. */
  async first(executor: Executor, params: P): Promise<O | undefined> {
    return (await this.execute(executor, params)).rows[0];
  }

  /**
   * The rows at once, read without Kysely's connection handling where the database allows it
   * (`direct-read.ts`: SQLite, outside transactions, connection free); else undefined, and the
   * caller uses {@link rows}. For a read-only query.
   */
  rowsNow(executor: Executor, params: P): O[] | undefined {
    if (executor.isTransaction) return undefined;
    return readNow(executor, this.#bind(executor, params));
  }

  #bind(executor: Executor, params: P): CompiledQuery<O> {
    const adapter = executor.getExecutor().adapter;
    let compiled = this.#compiled.get(adapter);
    if (!compiled) {
      compiled = this.#build(executor, this.#stand()).compile();
      this.#compiled.set(adapter, compiled);
    }

    // A plain loop: this runs for every statement of the hot paths.
    const template = compiled.parameters;
    const parameters = new Array<unknown>(template.length);
    for (let i = 0; i < template.length; i++) {
      const v = template[i];
      // Kysely leaves out a column whose value is undefined; here the column is fixed: null.
      parameters[i] = v instanceof Slot ? (v.read as (p: P) => unknown)(params) ?? null : v;
    }
    return { ...compiled, parameters };
  }
}

/**
 * A multi-row query (an insert of `n` rows) prepared once per number of rows. `columns` names
 * the keys every row has; `build` receives rows whose values are stand-ins.
 */
export class PreparedRows<R extends object, O> {
  readonly #columns: readonly (keyof R & string)[];
  readonly #build: (db: Executor, rows: R[]) => Compilable<O>;
  readonly #bySize = new Map<number, PreparedQuery<readonly R[], O>>();

  constructor(
    columns: readonly (keyof R & string)[], build: (db: Executor, rows: R[]) => Compilable<O>,
  ) {
    this.#columns = columns;
    this.#build = build;
  }

  /** Runs the query for `rows` (at least one). */
  execute(executor: Executor, rows: readonly R[]): Promise<QueryResult<O>> {
    const size = rows.length;
    let query = this.#bySize.get(size);
    if (!query) {
      const stand = () => Array.from({ length: size }, (_, i) => Object.fromEntries(
        this.#columns.map((c) => [c, new Slot((all: readonly R[]) => all[i]?.[c])])) as R);
      query = new PreparedQuery<readonly R[], O>((db, slotRows) => this.#build(db, [...slotRows]),
        stand);
      this.#bySize.set(size, query);
    }

    return query.execute(executor, rows);
  }
}

/** Whether `executor` talks to PostgreSQL (else SQLite). */
export function isPostgres(executor: Executor): boolean {
  return executor.getExecutor().adapter instanceof PostgresAdapter;
}

function namedSlots<P>(): P {
  return new Proxy({}, {
    get: (_target, name) => new Slot((params: Record<string | symbol, unknown>) => params[name]),
  }) as P;
}
