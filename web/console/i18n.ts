/** Labels of the console in English and Russian; status names come from the hub. */
export type Lang = 'en' | 'ru';

const EN = {
  appTitle: 'Operator console',
  username: 'Username',
  password: 'Password',
  signIn: 'Sign in',
  signOut: 'Sign out',
  signInFailed: 'Wrong username or password',
  signInLimited: 'Too many attempts; try again in a minute',
  otherLanguage: 'Русский',
  sound: 'Sound',
  live: 'Live',
  reconnecting: 'Reconnecting…',
  searchPlaceholder: 'Number, phone or name  ( / )',
  anyStatus: 'Any status',
  from: 'From',
  to: 'To',
  search: 'Search',
  clear: 'Back to the board',
  results: 'Found: {n}',
  colNew: 'New',
  colConfirmed: 'Confirmed',
  colAccepted: 'Accepted',
  colKitchen: 'At the kitchen',
  colPreparing: 'Preparing',
  colDelivery: 'Delivery',
  colDone: 'Finished',
  late: 'Late',
  attention: 'Needs attention',
  pickup: 'Pickup',
  delivery: 'Delivery',
  close: 'Close',
  yes: 'Yes',
  no: 'No',
  confirm: 'Confirm',
  accept: 'Accept at the restaurant',
  transfer: 'Send to the kitchen now',
  retryTransfer: 'Retry the transfer',
  cancel: 'Cancel the order',
  moveTo: 'Move to: {status}',
  askAction: '{action} — order #{id}?',
  reason: 'Reason',
  reasonText: 'Comment',
  guest: 'Guest',
  address: 'Address',
  apartment: 'apt',
  dishes: 'Dishes',
  amounts: 'Amounts',
  amount: 'Dishes',
  deliveryAmount: 'Delivery',
  fullAmount: 'Total',
  payments: 'Payments',
  notPaid: 'Not paid',
  paid: 'Paid',
  station: 'Cash station',
  stationOrder: 'Station order',
  syncState: 'Sync',
  history: 'History',
  webhooks: 'Webhooks (sequence, type, state, attempts)',
  replay: 'Send again',
  restaurant: 'Restaurant',
  expected: 'Expected',
  asap: 'As soon as possible',
  created: 'Created',
  comment: 'Comment',
  rejection: 'Cancelled because',
  actionFailed: 'Not done: {msg}',
  ago: '{t} ago',
} as const;

export type LabelKey = keyof typeof EN;

const RU: Record<LabelKey, string> = {
  appTitle: 'Пульт оператора',
  username: 'Логин',
  password: 'Пароль',
  signIn: 'Войти',
  signOut: 'Выйти',
  signInFailed: 'Неверный логин или пароль',
  signInLimited: 'Слишком много попыток; повторите через минуту',
  otherLanguage: 'English',
  sound: 'Звук',
  live: 'В эфире',
  reconnecting: 'Переподключение…',
  searchPlaceholder: 'Номер, телефон или имя  ( / )',
  anyStatus: 'Любой статус',
  from: 'С',
  to: 'По',
  search: 'Найти',
  clear: 'Вернуться к доске',
  results: 'Найдено: {n}',
  colNew: 'Новые',
  colConfirmed: 'Подтверждены',
  colAccepted: 'Приняты',
  colKitchen: 'На кухне',
  colPreparing: 'Готовятся',
  colDelivery: 'Доставка',
  colDone: 'Завершены',
  late: 'Опаздывает',
  attention: 'Требует внимания',
  pickup: 'Самовывоз',
  delivery: 'Доставка',
  close: 'Закрыть',
  yes: 'Да',
  no: 'Нет',
  confirm: 'Подтвердить',
  accept: 'Принять в заведении',
  transfer: 'Передать на кухню сейчас',
  retryTransfer: 'Повторить передачу',
  cancel: 'Отменить заказ',
  moveTo: 'Перевести: {status}',
  askAction: '{action} — заказ №{id}?',
  reason: 'Причина',
  reasonText: 'Комментарий',
  guest: 'Гость',
  address: 'Адрес',
  apartment: 'кв.',
  dishes: 'Блюда',
  amounts: 'Суммы',
  amount: 'Блюда',
  deliveryAmount: 'Доставка',
  fullAmount: 'Итого',
  payments: 'Оплаты',
  notPaid: 'Не оплачен',
  paid: 'Оплачен',
  station: 'Касса',
  stationOrder: 'Заказ на кассе',
  syncState: 'Синхронизация',
  history: 'История',
  webhooks: 'Веб-хуки (номер, тип, состояние, попытки)',
  replay: 'Отправить снова',
  restaurant: 'Заведение',
  expected: 'Ко времени',
  asap: 'Как можно скорее',
  created: 'Создан',
  comment: 'Комментарий',
  rejection: 'Причина отмены',
  actionFailed: 'Не выполнено: {msg}',
  ago: '{t} назад',
};

let lang: Lang = initialLang();

function initialLang(): Lang {
  const saved = localStorage.getItem('dh-lang');
  if (saved === 'en' || saved === 'ru') return saved;
  return navigator.language.toLowerCase().startsWith('ru') ? 'ru' : 'en';
}

export function currentLang(): Lang {
  return lang;
}

export function setLang(next: Lang): void {
  lang = next;
  localStorage.setItem('dh-lang', next);
  document.documentElement.lang = next;
}

/** A label with `{name}` placeholders filled in. */
export function t(key: LabelKey, vars: Record<string, string | number> = {}): string {
  const text: string = lang === 'ru' ? RU[key] : EN[key];
  return text.replace(/\{(\w+)\}/g, (_, name: string) => String(vars[name] ?? ''));
}

/** Applies the labels to every `data-i18n` / `data-i18n-placeholder` element of the page. */
export function translatePage(): void {
  document.documentElement.lang = lang;
  for (const el of document.querySelectorAll<HTMLElement>('[data-i18n]')) {
    el.textContent = t(el.dataset.i18n as LabelKey);
  }
  for (const el of document.querySelectorAll<HTMLInputElement>('[data-i18n-placeholder]')) {
    el.placeholder = t(el.dataset.i18nPlaceholder as LabelKey);
  }
}

/** Money in roubles as the locale writes it. */
export function money(roubles: number): string {
  return new Intl.NumberFormat(lang === 'ru' ? 'ru-RU' : 'en-GB',
    { style: 'currency', currency: 'RUB' }).format(roubles);
}

export function dateTime(iso: string | null): string {
  if (!iso) return '';
  return new Intl.DateTimeFormat(lang === 'ru' ? 'ru-RU' : 'en-GB',
    { dateStyle: 'short', timeStyle: 'short' }).format(new Date(iso));
}
