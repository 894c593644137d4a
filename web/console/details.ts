import { ApiError, type Card, type Details, type Meta, api } from './api.js';
import { byId, el } from './dom.js';
import { type LabelKey, dateTime, money, t } from './i18n.js';

export interface DetailsDeps {
  meta: () => Meta | undefined;
  statusName: (id: number) => string;
  /** Admins also see the order's webhook deliveries and may replay them. */
  isAdmin: () => boolean;
  /** Called with the fresh card after a successful action. */
  changed: (card: Card) => void;
}

/**
 * The order panel: dishes, guest, address, amounts, payments, cash-station state and history,
 * with the moves the hub offers for this order and user. Every move asks for confirmation first;
 * cancelling asks for a reason from the corporation's catalogue.
 */
export class OrderDetails {
  readonly #deps: DetailsDeps;
  #current: string | undefined;

  constructor(deps: DetailsDeps) {
    this.#deps = deps;
    byId('confirm-no').addEventListener('click', () => byId<HTMLDialogElement>('confirm').close());
  }

  /** Shows an order (a click on its card). */
  open(orderId: string): Promise<void> {
    return this.#show(orderId, true);
  }

  /** Re-reads the open order when the live stream says it changed. */
  refreshIf(orderId: string): void {
    if (this.#current === orderId) void this.#show(orderId, false);
  }

  // A refresh that lands after the person closed the panel must not open it again.
  async #show(orderId: string, open: boolean): Promise<void> {
    const dialog = byId<HTMLDialogElement>('details');
    if (!open && !dialog.open) return;
    this.#current = orderId;
    const details = await api.details(orderId);
    if (!open && !dialog.open) return;
    byId('details-body').replaceChildren(this.#render(details));
    if (this.#deps.isAdmin()) await this.#renderWebhooks(orderId);
    const wasOpen = dialog.open;
    if (!wasOpen) dialog.showModal();
    // A refresh replaces the panel's content; focus moves only when it was lost with it.
    if (!wasOpen || !dialog.contains(document.activeElement)) {
      dialog.querySelector<HTMLElement>('.actions button, .details__close button')?.focus();
    }
  }

  #render(d: Details): HTMLElement {
    const address = d.address ? [d.address.street, d.address.houseNumber, d.address.apartmentNumber
      && `${t('apartment')} ${d.address.apartmentNumber}`, d.address.cityName, d.address.comment]
      .filter(Boolean).join(', ') : t('pickup');
    return el('article', { class: 'order', 'data-order-id': d.orderId },
      el('h2', { id: 'details-title' }, `#${d.orderId} · `,
        el('span', { class: 'status', 'data-status': String(d.card.statusId) },
          this.#deps.statusName(d.card.statusId))),
      d.card.needsAttention && el('p', { class: 'alert' }, t('attention'), ': ',
        d.attentionReason ?? d.posSyncState),
      el('div', { class: 'actions' }, ...d.card.actions.map((a) => this.#actionButton(d, a))),
      el('dl', { class: 'facts' },
        ...fact('restaurant', d.restaurantName),
        ...fact('created', dateTime(d.createdAt)),
        ...fact('expected', d.expectedAt ? dateTime(d.expectedAt) : t('asap')),
        ...fact('guest', `${d.guest.firstName} ${d.guest.lastName} ${d.guest.phone}`.trim()),
        ...fact('address', address),
        ...(d.comment ? fact('comment', d.comment) : []),
        ...(d.rejectionReason ? fact('rejection',
          [d.rejectionReason.reason, d.rejectionReason.text].filter(Boolean).join(' — ')) : [])),
      el('h3', {}, t('dishes')),
      el('ul', { class: 'dishes' }, ...d.dishList.map((dish) => el('li', {},
        `${dish.quantity} × ${dish.name}`, el('span', { class: 'muted' }, ` ${money(dish.price)}`),
        dish.ingredients?.length ? el('ul', {}, ...dish.ingredients.map((i) =>
          el('li', { class: 'muted' }, `+ ${i.quantity} × ${i.name ?? ''}`))) : null))),
      el('h3', {}, t('amounts')),
      el('dl', { class: 'facts' },
        ...fact('amount', money(d.amount)), ...fact('deliveryAmount', money(d.deliveryAmount)),
        ...fact('fullAmount', money(d.fullAmount)),
        ...fact('payments', d.payments?.length ? d.payments.map((p) =>
          `${p.name || p.code} ${money(p.amount)}`).join(', ')
          : t(d.paymentStatus === 'paid' ? 'paid' : 'notPaid'))),
      el('h3', {}, t('station')),
      el('dl', { class: 'facts' },
        ...fact('stationOrder', d.posOrderName ?? '—'), ...fact('syncState', d.posSyncState)),
      el('h3', {}, t('history')),
      el('ol', { class: 'history' }, ...d.history.map((h) => el('li', {},
        el('time', {}, dateTime(h.at)), ' ', h.fromStatus === null ? '' :
          `${this.#deps.statusName(h.fromStatus)} → `, this.#deps.statusName(h.toStatus),
        el('span', { class: 'muted' }, ` · ${h.actor}`)))));
  }

  async #renderWebhooks(orderId: string): Promise<void> {
    const deliveries = await api.webhooks(orderId);
    if (deliveries.length === 0) return;
    byId('details-body').append(el('h3', {}, t('webhooks')),
      el('ul', { class: 'webhooks' }, ...deliveries.map((d) => {
        const replay = el('button', { type: 'button', class: 'link',
          'data-replay': d.id }, t('replay'));
        replay.addEventListener('click', () => {
          void api.replay(d.id).then(() => this.refreshIf(orderId));
        });
        return el('li', { 'data-delivery-status': d.status },
          `#${d.sequence} ${d.eventType} · ${d.status} · ${d.attempts}`,
          d.lastError && el('span', { class: 'muted' }, ` · ${d.lastError}`), ' ', replay);
      })));
  }

  #actionButton(d: Details, action: string): HTMLButtonElement {
    const label = this.#label(d, action);
    const button = el('button', { type: 'button', 'data-action': action,
      class: action === 'cancel' ? 'danger' : 'primary' }, label);
    button.addEventListener('click', () => this.#ask(d, action, label));
    return button;
  }

  #label(d: Details, action: string): string {
    if (action.startsWith('status:')) {
      return t('moveTo', { status: this.#deps.statusName(Number(action.slice(7))) });
    }
    if (action === 'transfer' && (d.posSyncState === 'failed' || d.posSyncState === 'unknown')) {
      return t('retryTransfer');
    }
    return t(action as LabelKey);
  }

  #ask(d: Details, action: string, label: string): void {
    const dialog = byId<HTMLDialogElement>('confirm');
    byId('confirm-title').textContent = t('askAction', { action: label, id: d.orderId });
    byId('confirm-error').hidden = true;
    const extra = byId('confirm-extra');
    extra.replaceChildren();
    if (action === 'cancel') extra.append(...this.#reasonFields());

    const form = byId<HTMLFormElement>('confirm-form');
    form.onsubmit = (event) => {
      event.preventDefault();
      const data = new FormData(form);
      const body = action === 'cancel' ? {
        rejectionReasonId: String(data.get('reason') ?? ''),
        rejectionReasonText: String(data.get('reasonText') ?? ''),
      } : {};
      void this.#perform(d.orderId, action, body, dialog);
    };
    dialog.showModal();
    (extra.querySelector('select') ?? byId('confirm-yes')).focus();
  }

  #reasonFields(): HTMLElement[] {
    const reasons = this.#deps.meta()?.rejectionReasons ?? [];
    return [
      el('label', {}, t('reason'), el('select', { name: 'reason', required: true },
        ...reasons.map((r) => el('option', { value: r.id }, r.reason)))),
      el('label', {}, t('reasonText'), el('input', { name: 'reasonText', maxlength: '500' })),
    ];
  }

  async #perform(
    orderId: string, action: string, body: object, dialog: HTMLDialogElement,
  ): Promise<void> {
    try {
      const card = await api.act(orderId, action, body);
      dialog.close();
      if (card) this.#deps.changed(card);
      this.refreshIf(orderId);
    } catch (err) {
      const error = byId('confirm-error');
      error.textContent = t('actionFailed', { msg: err instanceof ApiError ? err.message
        : String(err) });
      error.hidden = false;
    }
  }
}

function fact(key: LabelKey, value: string): HTMLElement[] {
  return [el('dt', {}, t(key)), el('dd', {}, value)];
}
