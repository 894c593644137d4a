import { adminObject, finishInput } from '../admin/admin-input.js';
import { isStatusId } from '../orders/order-status.js';
import { hasControlCharacters } from '../text/control-characters.js';
import { EVENT_TYPES } from './order-event.js';
import type { SubscriptionChanges } from './subscription-repo.js';

/** A create request after reading: everything but the corporation may be left to defaults. */
export interface NewSubscriptionInput extends SubscriptionChanges {
  corporationId: string;
  url: string;
}

/** Keys of a subscription in admin input; `corporationId` only when creating. */
const SUBSCRIPTION_KEYS = [
  'title', 'url', 'token', 'secret', 'enabledStatusIds', 'eventTypes', 'active',
] as const;

type TextKey = 'title' | 'token' | 'secret' | 'corporationId';

/**
 * Reads the body of `POST /admin/api/v1/webhooks` (`partial` false) or of `PATCH …/{id}`
 * (`partial` true). Keys match case-insensitively, as in the other admin resources; an unknown
 * key is refused, since a misspelt `enabledStatusIds` would otherwise subscribe to every event.
 * Every problem is reported at once as a 400 `ERR_PARSE_REQUEST`.
 */
export function readSubscriptionInput(body: unknown, partial: false): NewSubscriptionInput;
export function readSubscriptionInput(body: unknown, partial: true): SubscriptionChanges;
export function readSubscriptionInput(
  body: unknown, partial: boolean,
): SubscriptionChanges | NewSubscriptionInput {
  const known = partial ? SUBSCRIPTION_KEYS : ['corporationId', ...SUBSCRIPTION_KEYS];
  const { root, problems } = adminObject(body, known);
  const out: SubscriptionChanges & { corporationId?: string } = {};

  const text = (key: TextKey, required: boolean) => {
    const field = root.field(key);
    if (field.absent) {
      if (required) field.problem('Value is required');
      return;
    }
    const value = field.value;
    if (typeof value !== 'string' || (key !== 'title' && value.trim() === '')) {
      field.problem('Must be a non-empty string');
      return;
    }
    if (hasControlCharacters(value)) {
      field.problem('Must not contain control characters');
      return;
    }
    out[key] = value.trim();
  };
  text('corporationId', !partial);
  text('title', false);
  text('token', false);
  text('secret', false);

  const url = root.field('url');
  if (!url.absent || !partial) {
    const value = typeof url.value === 'string' ? url.value.trim() : '';
    if (!/^https?:\/\/[^\s]+$/i.test(value) || !URL.canParse(value)) {
      url.problem('Must be an http:// or https:// URL');
    } else {
      out.url = value;
    }
  }

  const statusIds = root.field('enabledStatusIds');
  if (!statusIds.absent) {
    const ids = statusIds.value;
    if (!Array.isArray(ids) || ids.some((id) => typeof id !== 'number' || !isStatusId(id))) {
      statusIds.problem('Must be an array of order status ids');
    } else {
      out.enabledStatusIds = [...new Set(ids as number[])];
    }
  }

  const eventTypes = root.field('eventTypes');
  if (!eventTypes.absent) {
    const types = eventTypes.value;
    if (!Array.isArray(types) || types.some((t) => !EVENT_TYPES.includes(t as string))) {
      eventTypes.problem(`Must be an array of ${EVENT_TYPES.join(', ')}`);
    } else {
      out.eventTypes = [...new Set(types as string[])];
    }
  }

  const active = root.field('active');
  if (!active.absent) {
    if (typeof active.value !== 'boolean') active.problem('Must be true or false');
    else out.active = active.value;
  }

  finishInput(problems);
  return out;
}
