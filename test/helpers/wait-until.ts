import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Polls `condition` every `stepMs` until it holds; throws naming `what` after `maxSteps`
 * attempts, so a test that waits for something that never happens fails instead of hanging.
 */
export async function waitUntil(
  condition: () => boolean | Promise<boolean>, what: string, maxSteps = 2000, stepMs = 5,
): Promise<void> {
  for (let step = 0; step < maxSteps; step += 1) {
    if (await condition()) return;
    await sleep(stepMs);
  }
  throw new Error(`gave up waiting for ${what}`);
}
