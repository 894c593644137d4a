/** A random source: a uniform number in [0, 1). */
export type Random = () => number;

/** mulberry32: a small seeded generator, so a run can be repeated with its seed. */
export function seededRandom(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** A fault as the simulator's control API takes it (`POST /_sim/faults`). */
export interface FaultRequest {
  mode: string;
  match?: { cmd?: string };
  times: number;
  params?: Record<string, unknown>;
}

const CHANGES = ['CreateOrder', 'SaveOrder', 'PayOrder'];
const EVERY_CMD = [...CHANGES, 'GetOrder', 'GetOrderList'];

/**
 * Picks one fault of `rk7-xml.md` §8.7 that a station may really show and that passes: lost
 * answers after a commit, 5xx and garbled replies (committed or not), hangs longer than the
 * hub's timeout, slow replies, a POS lock, a shift being closed. Each affects one request.
 */
export function randomFault(random: Random, hangMs: number): FaultRequest {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const commit = random() < 0.5;

  switch (pick(['drop', 'http', 'garbled', 'hang', 'slow', 'locked', 'shift'] as const)) {
    case 'drop':
      return { mode: 'dropAfterCommit', match: { cmd: pick(CHANGES) }, times: 1 };
    case 'http':
      return { mode: 'httpStatus', match: { cmd: pick(EVERY_CMD) }, times: 1,
        params: { code: pick([500, 502, 503]), commit } };
    case 'garbled':
      return { mode: 'malformedXml', match: { cmd: pick(EVERY_CMD) }, times: 1,
        params: { commit } };
    case 'hang':
      return { mode: 'hang', match: { cmd: pick(EVERY_CMD) }, times: 1,
        params: { ms: hangMs, commit } };
    case 'slow':
      return { mode: 'latency', match: { cmd: pick(EVERY_CMD) }, times: 1,
        params: { ms: 50 + Math.floor(random() * 400) } };
    case 'locked':
      return { mode: 'lockedByStation', match: { cmd: 'PayOrder' }, times: 1 };
    case 'shift':
      return { mode: 'shiftClosing', times: 1 };
  }
}
