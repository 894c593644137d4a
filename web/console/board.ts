import type { Card, Meta } from './api.js';
import { byId, el, elapsed } from './dom.js';
import { type LabelKey, currentLang, money, t } from './i18n.js';

/** Board columns, in the order an order moves through them. */
const COLUMNS: { key: LabelKey; statuses: number[] }[] = [
  { key: 'colNew', statuses: [1] },
  { key: 'colConfirmed', statuses: [2] },
  { key: 'colAccepted', statuses: [3] },
  { key: 'colKitchen', statuses: [4] },
  { key: 'colPreparing', statuses: [5, 6, 7, 8] },
  { key: 'colDelivery', statuses: [9, 10, 13] },
  { key: 'colDone', statuses: [11, 12] },
];

const NEW_CUE_MS = 15_000;

/**
 * The live board: cards by status column, newest first. Cards that arrive live are marked new for
 * a while; late and attention cards carry badges; every card's age ticks each second.
 */
export class Board {
  readonly #cards = new Map<string, Card>();
  readonly #arrivedAt = new Map<string, number>();
  #meta: Meta | undefined;
  readonly #open: (orderId: string) => void;

  constructor(open: (orderId: string) => void) {
    this.#open = open;
    setInterval(() => this.#tick(), 1000);
  }

  setMeta(meta: Meta): void {
    this.#meta = meta;
  }

  /** Replaces every card (board load). */
  load(cards: Card[]): void {
    this.#cards.clear();
    for (const card of cards) this.#cards.set(card.orderId, card);
    this.render();
  }

  /** Adds or updates one card (live event or action result); true when it is a new order. */
  upsert(card: Card): boolean {
    const fresh = !this.#cards.has(card.orderId);
    if (fresh) this.#arrivedAt.set(card.orderId, Date.now());
    this.#cards.set(card.orderId, card);
    this.render();
    return fresh;
  }

  statusName(id: number): string {
    const status = this.#meta?.statuses.find((s) => s.id === id);
    if (!status) return String(id);
    return currentLang() === 'ru' ? status.nameRu : status.name;
  }

  render(): void {
    const board = byId('board');
    const focused = (document.activeElement as HTMLElement | null)?.dataset.orderId;
    const sorted = [...this.#cards.values()].sort((a, b) => b.createdAt.localeCompare(a.createdAt)
      || Number(b.orderId) - Number(a.orderId));

    board.replaceChildren(...COLUMNS.map((column) => {
      const cards = sorted.filter((c) => column.statuses.includes(c.statusId));
      return el('section', { class: 'column', 'data-column': column.key },
        el('h2', {}, t(column.key), el('span', { class: 'count' }, String(cards.length))),
        el('div', { class: 'column__cards' }, ...cards.map((c) => this.cardElement(c))));
    }));
    if (focused) board.querySelector<HTMLElement>(`[data-order-id="${focused}"]`)?.focus();
  }

  /** A card as a button: Enter or a tap opens the order. */
  cardElement(card: Card): HTMLButtonElement {
    const isNew = Date.now() - (this.#arrivedAt.get(card.orderId) ?? 0) < NEW_CUE_MS;
    const classes = ['card', isNew && 'card--new', card.isLate && 'card--late',
      card.needsAttention && 'card--attention'].filter(Boolean).join(' ');
    const button = el('button', {
      type: 'button', class: classes, 'data-order-id': card.orderId,
      'data-status': String(card.statusId),
      'aria-label': `#${card.orderId} ${this.statusName(card.statusId)} ${card.guestName}`,
    },
    el('span', { class: 'card__top' },
      el('strong', { class: 'card__id' }, `#${card.orderId}`),
      el('span', { class: 'card__age', 'data-created': card.createdAt },
        elapsed(card.createdAt, Date.now(), currentLang()))),
    el('span', { class: 'card__guest' }, card.guestName || '—', ' ',
      el('span', { class: 'muted' }, card.phone)),
    el('span', { class: 'card__meta' },
      el('span', {}, money(card.fullAmount)), ' · ',
      el('span', {}, t(card.expeditionType === 'pickup' ? 'pickup' : 'delivery')), ' · ',
      el('span', { class: 'muted' }, this.statusName(card.statusId))),
    el('span', { class: 'card__badges' },
      card.isLate && el('span', { class: 'badge badge--late' }, t('late')),
      card.needsAttention && el('span', { class: 'badge badge--attention',
        title: card.attentionReason ?? '' }, t('attention'))));
    button.addEventListener('click', () => this.#open(card.orderId));
    return button;
  }

  #tick(): void {
    const now = Date.now();
    for (const node of document.querySelectorAll<HTMLElement>('.card__age')) {
      node.textContent = elapsed(node.dataset.created ?? '', now, currentLang());
    }
    for (const node of document.querySelectorAll<HTMLElement>('.card--new')) {
      const arrived = this.#arrivedAt.get(node.dataset.orderId ?? '') ?? 0;
      if (now - arrived >= NEW_CUE_MS) node.classList.remove('card--new');
    }
  }
}
