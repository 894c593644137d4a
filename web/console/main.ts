import { ApiError, type Card, type Meta, type User, api } from './api.js';
import { Board } from './board.js';
import { OrderDetails } from './details.js';
import { byId, el } from './dom.js';
import { currentLang, setLang, t, translatePage } from './i18n.js';

let meta: Meta | undefined;
let signedIn: User | undefined;
let stream: EventSource | undefined;
let unseen = 0;

const board = new Board((orderId) => void details.open(orderId));
const details = new OrderDetails({
  meta: () => meta,
  statusName: (id) => board.statusName(id),
  isAdmin: () => signedIn?.role === 'admin',
  changed: (card) => board.upsert(card),
});

async function start(): Promise<void> {
  translatePage();
  wireStaticControls();
  try {
    const { user } = await api.me();
    await showApp(user);
  } catch (err) {
    if (!(err instanceof ApiError) || err.status !== 401) throw err;
    showSignIn();
  }
}

function showSignIn(): void {
  stream?.close();
  byId('app').hidden = true;
  byId('signin').hidden = false;
  byId<HTMLInputElement>('signin-form').querySelector('input')?.focus();
}

async function showApp(user: User): Promise<void> {
  signedIn = user;
  byId('signin').hidden = true;
  byId('app').hidden = false;
  byId('who').textContent = `${user.displayName} · ${user.role}`;
  meta = await api.meta();
  board.setMeta(meta);
  fillStatusFilter();
  connect();
}

/** Opens the live stream; the board is (re)loaded each time the stream says it is ready. */
function connect(): void {
  stream?.close();
  const live = byId('live');
  stream = new EventSource('/console/api/stream');
  stream.addEventListener('ready', () => {
    live.dataset.state = 'live';
    live.textContent = t('live');
    void api.board().then((cards) => board.load(cards));
  });
  stream.addEventListener('order', (event) => {
    const card = JSON.parse((event as MessageEvent<string>).data) as Card;
    if (board.upsert(card)) announce();
    details.refreshIf(card.orderId);
  });
  stream.addEventListener('error', () => {
    live.dataset.state = 'connecting';
    live.textContent = t('reconnecting');
    void api.me().catch((err: unknown) => {
      if (err instanceof ApiError && err.status === 401) showSignIn();
    });
  });
}

/** The cue for a new order: the card pulses (CSS), the tab title counts, a beep if wanted. */
function announce(): void {
  if (document.hidden) {
    unseen += 1;
    document.title = `(${unseen}) ${t('appTitle')}`;
  }
  if (byId<HTMLInputElement>('sound').checked) beep();
}

function beep(): void {
  const audio = new AudioContext();
  const tone = audio.createOscillator();
  const gain = audio.createGain();
  tone.frequency.value = 880;
  gain.gain.setValueAtTime(0.15, audio.currentTime);
  gain.gain.exponentialRampToValueAtTime(0.001, audio.currentTime + 0.4);
  tone.connect(gain).connect(audio.destination);
  tone.start();
  tone.stop(audio.currentTime + 0.4);
}

function fillStatusFilter(): void {
  const select = byId<HTMLSelectElement>('search').querySelector('select');
  if (!select || !meta) return;
  const chosen = select.value;
  select.replaceChildren(el('option', { value: '' }, t('anyStatus')),
    ...meta.statuses.map((s) => el('option', { value: String(s.id) }, board.statusName(s.id))));
  select.value = chosen;
}

async function runSearch(form: HTMLFormElement): Promise<void> {
  const params = new URLSearchParams();
  for (const [key, value] of new FormData(form)) {
    if (String(value).trim()) params.set(key, String(value).trim());
  }
  if ([...params.keys()].length === 0) return clearSearch();

  const cards = await api.search(params);
  byId('results-title').textContent = t('results', { n: cards.length });
  byId('results-list').replaceChildren(...cards.map((card) => board.cardElement(card)));
  byId('results').hidden = false;
  byId('search-clear').hidden = false;
}

function clearSearch(): void {
  byId<HTMLFormElement>('search').reset();
  byId('results').hidden = true;
  byId('results-list').replaceChildren();
  byId('search-clear').hidden = true;
}

function wireStaticControls(): void {
  byId<HTMLFormElement>('signin-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const data = new FormData(event.target as HTMLFormElement);
    const error = byId('signin-error');
    api.signIn(String(data.get('username')), String(data.get('password')))
      .then(({ user }) => showApp(user))
      .catch((err: unknown) => {
        const limited = err instanceof ApiError && err.status === 429;
        error.textContent = t(limited ? 'signInLimited' : 'signInFailed');
        error.hidden = false;
      });
  });
  byId('signout').addEventListener('click', () => {
    void api.signOut().finally(showSignIn);
  });
  for (const button of document.querySelectorAll('.lang-toggle')) {
    button.addEventListener('click', () => {
      setLang(currentLang() === 'ru' ? 'en' : 'ru');
      translatePage();
      fillStatusFilter();
      board.render();
    });
  }
  byId<HTMLFormElement>('search').addEventListener('submit', (event) => {
    event.preventDefault();
    void runSearch(event.target as HTMLFormElement);
  });
  byId('search-clear').addEventListener('click', clearSearch);
  document.addEventListener('keydown', (event) => {
    const typing = (event.target as HTMLElement).closest('input, select, textarea');
    if (event.key === '/' && !typing) {
      event.preventDefault();
      byId<HTMLFormElement>('search').querySelector('input')?.focus();
    }
  });
  document.addEventListener('visibilitychange', () => {
    if (!document.hidden) {
      unseen = 0;
      document.title = t('appTitle');
    }
  });
}

void start();
