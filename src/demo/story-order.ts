import { type DemoClient, asObject } from './demo-client.js';
import type { DemoReport } from './demo-report.js';

/** The story's order total in roubles: 400 + 290 + 2 × 144. */
export const STORY_TOTAL = 978;

/** The story's order once it is at the cash station. */
export interface StoryOrder {
  orderId: string;
  /** The cash-station order name (`posOrderName`), e.g. `1.73`; named in close errors. */
  posOrderName: string;
}

/** `GET /orders/{id}` → its `result`, or undefined after reporting what differed. */
export async function readOrder(
  client: DemoClient, report: DemoReport, orderId: string,
): Promise<Record<string, unknown> | undefined> {
  const reply = await client.run((hub) => hub.getOrder(orderId));
  if (!report.expectStatus(`GET /orders/${orderId}`, reply, 200)) return undefined;
  return asObject(asObject(reply.body).result);
}
