import { FieldProblems } from '../errors/hub-error.js';
import { isStatusId } from '../orders/order-status.js';
import { EVENT_TYPES } from './order-event.js';
import type { SubscriptionChanges } from './subscription-repo.js';

/** A create request after reading: everything but the corporation may be left to defaults. */
export interface NewSubscriptionInput extends SubscriptionChanges {
  corporationId: string;
  url: string;
}

/**
 * Reads the body of `POST /admin/api/v1/webhooks` (`partial` false) or of `PATCH …/{id}`
 * (`partial` true). Unknown keys are ignored; every problem is reported at once as a 400
 * `ERR_PARSE_REQUEST`.
 */
export function readSubscriptionInput(body: unknown, partial: false): NewSubscriptionInput;
export function readSubscriptionInput(body: unknown, partial: true): SubscriptionChanges;
export function readSubscriptionInput(
  body: unknown, partial: boolean,
): SubscriptionChanges | NewSubscriptionInput {
  const problems = new FieldProblems();
  const input = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    problems.add('', 'The body must be a JSON object');
  }

  const out: SubscriptionChanges & { corporationId?: string } = {};
  const text = (key: 'title' | 'token' | 'secret' | 'corporationId', required: boolean) => {
    const value = input[key];
    if (value === undefined) {
      if (required) problems.add(key, 'Value is required');
      return;
    }
    if (typeof value !== 'string' || (key !== 'title' && value.trim() === '')) {
      problems.add(key, 'Must be a non-empty string');
      return;
    }
    out[key] = value.trim();
  };
  text('corporationId', !partial);
  text('title', false);
  text('token', false);
  text('secret', false);

  if (input.url !== undefined || !partial) {
    const url = typeof input.url === 'string' ? input.url.trim() : '';
    if (!/^https?:\/\/[^\s]+$/i.test(url) || !URL.canParse(url)) {
      problems.add('url', 'Must be an http:// or https:// URL');
    } else {
      out.url = url;
    }
  }

  if (input.enabledStatusIds !== undefined) {
    const ids = input.enabledStatusIds;
    if (!Array.isArray(ids) || ids.some((id) => typeof id !== 'number' || !isStatusId(id))) {
      problems.add('enabledStatusIds', 'Must be an array of order status ids');
    } else {
      out.enabledStatusIds = [...new Set(ids as number[])];
    }
  }

  if (input.eventTypes !== undefined) {
    const types = input.eventTypes;
    if (!Array.isArray(types) || types.some((t) => !EVENT_TYPES.includes(t as string))) {
      problems.add('eventTypes', `Must be an array of ${EVENT_TYPES.join(', ')}`);
    } else {
      out.eventTypes = [...new Set(types as string[])];
    }
  }

  if (input.active !== undefined) {
    if (typeof input.active !== 'boolean') problems.add('active', 'Must be true or false');
    else out.active = input.active;
  }

  problems.throwIfAny('ERR_PARSE_REQUEST');
  return out;
}
