// Boot: sign-in, menu, hash router (#/<page>/<sub>?<query>), live stream and polling fallback.
import { api, token, whenUnauthorized } from './api.js';
import { h, clear } from './dom.js';
import { Live } from './live.js';
import { pages } from './pages/index.js';

const $ = (id) => document.getElementById(id);
let current = null;
let live = null;

function parseHash() {
  const raw = location.hash.replace(/^#\/?/, '');
  const [path, q = ''] = raw.split('?');
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  return { page: parts[0] || pages[0].id, rest: parts.slice(1), params: new URLSearchParams(q) };
}

export function navigate(hash) {
  if (location.hash === hash) route();
  else location.hash = hash;
}

function buildNav() {
  const nav = clear($('nav'));
  nav.append(h('ul', {}, pages.map((p) => h('li', {}, h('a', { href: `#/${p.id}`, 'data-page': p.id }, p.title)))));
}

function route() {
  if (!token.get()) return;
  const { page, rest, params } = parseHash();
  const def = pages.find((p) => p.id === page) || pages[0];
  for (const a of $('nav').querySelectorAll('a')) {
    if (a.dataset.page === def.id) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  if (current && current.unmount) current.unmount();
  const view = clear($('view'));
  document.title = `${def.title} · Webhook Hub`;
  current = def.mount(view, { rest, params, navigate, api });
}

function showSignIn(message) {
  if (live) live.stop();
  live = null;
  if (current && current.unmount) current.unmount();
  current = null;
  $('signin').hidden = false;
  $('view').hidden = true;
  $('nav').hidden = true;
  $('signout').hidden = true;
  $('live').hidden = true;
  $('signin-error').textContent = message || '';
  $('token').value = '';
  $('token').focus();
}

function showApp() {
  $('signin').hidden = true;
  $('view').hidden = false;
  $('nav').hidden = false;
  $('signout').hidden = false;
  $('live').hidden = false;
  buildNav();
  live = new Live({
    onEvent: (e) => { if (current && current.onEvent) current.onEvent(e); },
    onPoll: () => { if (current && current.refresh) current.refresh(); },
    onState: (state, text) => { $('live').dataset.state = state; $('live').textContent = text; },
  });
  live.start();
  route();
}

async function signIn(ev) {
  ev.preventDefault();
  const t = $('token').value.trim();
  const err = $('signin-error');
  err.textContent = '';
  if (!t) {
    err.textContent = 'Enter the admin token.';
    return;
  }
  try {
    await api('/api/containers/services?limit=1', { tokenOverride: t });
  } catch (e) {
    err.textContent = `Sign-in failed: ${e.message}`;
    $('token').focus();
    return;
  }
  token.set(t);
  showApp();
}

function signOut() {
  token.clear();
  showSignIn('Signed out.');
}

whenUnauthorized((e) => {
  token.clear();
  showSignIn(`Signed out: ${e.message}`);
});

$('signin-form').addEventListener('submit', signIn);
$('signout').addEventListener('click', signOut);
window.addEventListener('hashchange', route);
// leaving the page (or going into the back/forward cache) closes the stream, so it never holds one of the hub's slots
window.addEventListener('pagehide', () => { if (live) live.stop(); });
window.addEventListener('pageshow', (e) => { if (e.persisted && live) live.start(); });
if (token.get()) showApp();
else showSignIn();
