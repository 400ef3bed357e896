// Outbound webhooks: endpoints (create with the secret shown once, enable/disable, rotate the secret), an endpoint's
// messages, a message's attempts with redeliver, and recovering failed messages since a time.
import { api, query } from '../api.js';
import { h, clear, table, badge, time, message, field, copyable, debounce } from '../dom.js';

const SCHEMES = ['standard-webhooks', 'jobserv', 'github'];

function endpoints(view, ctx) {
  const msg = message();
  const secretBox = h('div', { 'data-testid': 'endpoint-secret' });
  const results = h('div', { 'data-testid': 'endpoints-table' });
  const form = h('form', { class: 'grid-form' },
    field('URL', h('input', { name: 'url', type: 'url', required: true, placeholder: 'https://example.com/hook' })),
    field('Event types', h('input', { name: 'event_types', required: true, value: 'build.completed' }),
      'Comma-separated: exact names, prefixes such as pipeline.*, or *'),
    field('Signature scheme', h('select', { name: 'signature_scheme' },
      SCHEMES.map((s) => h('option', { value: s }, s)))),
    field('Description', h('input', { name: 'description' })),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Create endpoint')));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const f = Object.fromEntries(new FormData(form));
    const body = { url: f.url, signature_scheme: f.signature_scheme,
      event_types: f.event_types.split(',').map((s) => s.trim()).filter(Boolean) };
    if (f.description) body.description = f.description;
    try {
      const r = await api('/api/outbound/endpoints', { method: 'POST', body });
      msg.ok(`Endpoint created for ${r.url}.`);
      showSecret(r.secret);
      form.reset();
      load();
    } catch (err) {
      msg.error(err);
    }
  });

  function showSecret(secret) {
    clear(secretBox);
    if (secret) {
      secretBox.append(h('div', { class: 'card' }, copyable('Signing secret', secret, 'outbound-secret'),
        h('p', { class: 'warn' }, 'Copy the secret now: the hub will not show it again.')));
    }
  }

  async function update(id, body, done) {
    try {
      const r = await api(`/api/outbound/endpoints/${encodeURIComponent(id)}`, { method: 'PUT', body });
      msg.ok(done);
      showSecret(r.secret);
      load();
    } catch (err) {
      msg.error(err);
    }
  }

  async function load() {
    try {
      const r = await api('/api/outbound/endpoints');
      clear(results).append(table('Outbound endpoints', ['URL', 'Events', 'Scheme', 'State', 'Failing since',
        'Actions'], r.endpoints, (e) => [h('a', { href: `#/outbound/${encodeURIComponent(e.id)}` }, e.url),
        e.event_types.join(', ') || '—', e.signature_scheme,
        h('span', {}, badge(e.enabled ? 'enabled' : 'disabled'), e.disabled_reason ? ` ${e.disabled_reason}` : ''),
        time(e.failing_since),
        h('div', { class: 'actions' },
          h('button', { type: 'button', class: 'secondary', onclick: () => update(e.id, { enabled: !e.enabled },
            e.enabled ? 'Endpoint disabled.' : 'Endpoint enabled.') }, e.enabled ? 'Disable' : 'Enable'),
          h('button', { type: 'button', class: 'secondary', onclick: () => {
            if (window.confirm('Issue a new signing secret? The old one keeps signing for the grace period.')) {
              update(e.id, { rotate_secret: true }, 'Secret rotated.');
            }
          } }, 'Rotate secret'))], 'No outbound endpoints yet.'));
    } catch (err) {
      msg.error(err);
    }
  }
  view.append(h('h1', {}, 'Outbound webhooks'), msg, secretBox, results,
    h('section', { class: 'card', 'aria-labelledby': 'new-endpoint' },
      h('h2', { id: 'new-endpoint' }, 'New endpoint'), form));
  load();
  return { refresh: load };
}

function endpoint(view, ctx, id) {
  const base = `/api/outbound/endpoints/${encodeURIComponent(id)}`;
  const msg = message();
  const head = h('h1', {}, 'Endpoint');
  const status = h('select', { name: 'status' }, ['', 'pending', 'sending', 'delivered', 'failed']
    .map((s) => h('option', { value: s }, s || 'any')));
  const results = h('div', { 'data-testid': 'messages-table' });
  const detailBox = h('section', { 'aria-live': 'polite', 'data-testid': 'message-detail' });
  const since = h('input', { name: 'since', type: 'datetime-local', required: true });
  const recover = h('form', { class: 'inline-form' }, field('Failed messages created since', since),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Recover')));
  let openMessage = null;

  recover.addEventListener('submit', async (e) => {
    e.preventDefault();
    const when = new Date(since.value);
    if (Number.isNaN(when.getTime())) {
      msg.error('Choose a date and time.');
      return;
    }
    try {
      const r = await api(`${base}/recover${query({ since: when.toISOString() })}`, { method: 'POST' });
      msg.ok(`${r.requeued} failed message(s) queued again.`);
      load();
    } catch (err) {
      msg.error(err);
    }
  });
  status.addEventListener('change', () => load());

  async function load() {
    try {
      const ep = await api(base);
      head.textContent = ep.url;
      const r = await api(`${base}/messages${query({ status: status.value, limit: 100 })}`);
      clear(results).append(table('Messages', ['Created', 'Event', 'Status', 'Attempts', 'Last code',
        'Next attempt', 'Delivered', ''], r.messages, (m) => [time(m.created_at), m.event_type, badge(m.status),
        String(m.attempts), m.last_status_code ?? '—', time(m.next_attempt_at), time(m.delivered_at),
        h('button', { type: 'button', class: 'secondary', 'data-testid': 'view-message',
          onclick: () => show(m.id, true) }, 'Attempts')], 'No messages for this endpoint yet.'));
      if (openMessage) show(openMessage, false);
    } catch (err) {
      msg.error(err);
    }
  }

  async function show(messageId, focus) {
    openMessage = messageId;
    try {
      const m = await api(`/api/outbound/messages/${encodeURIComponent(messageId)}`);
      const payload = typeof m.payload === 'string' ? m.payload : JSON.stringify(m.payload, null, 2);
      clear(detailBox).append(h('div', { class: 'card' },
        h('h2', { tabindex: '-1' }, `Message ${m.id}`),
        h('p', {}, badge(m.status), ` ${m.event_type} · ${m.attempts} attempt(s)`,
          m.last_error ? ` · ${m.last_error}` : ''),
        h('div', { class: 'actions' }, h('button', { type: 'button', 'data-testid': 'redeliver',
          onclick: async () => {
            try {
              await api(`/api/outbound/messages/${encodeURIComponent(m.id)}/redeliver`, { method: 'POST' });
              msg.ok('Message queued for a new round of attempts.');
              load();
            } catch (err) {
              msg.error(err);
            }
          } }, 'Redeliver')),
        h('h3', {}, 'Attempts'),
        h('div', { 'data-testid': 'attempts-table' }, table('Attempts', ['#', 'Time', 'Status code', 'Duration',
          'Error', 'Response'], m.attempt_history || [], (a) => [String(a.attempt), time(a.at),
          a.status_code ?? '—', a.duration_ms === null || a.duration_ms === undefined ? '—' : `${a.duration_ms} ms`,
          a.error || '—', a.response_snippet ? h('code', {}, a.response_snippet) : '—'], 'No attempt yet.')),
        h('h3', {}, 'Payload'), h('pre', { class: 'payload', tabindex: '0' }, payload)));
      if (focus) detailBox.querySelector('h2').focus();
    } catch (err) {
      msg.error(err);
    }
  }

  view.append(h('p', {}, h('a', { href: '#/outbound' }, '← All endpoints')), head, msg,
    h('form', { class: 'inline-form' }, field('Status', status),
      h('div', { class: 'actions' }, h('button', { type: 'button', class: 'secondary', onclick: () => load() },
        'Refresh'))),
    results, detailBox,
    h('section', { class: 'card', 'aria-labelledby': 'recover-title' },
      h('h2', { id: 'recover-title' }, 'Recover failed messages'), recover));
  load();
  const later = debounce(load, 500);
  return {
    refresh: load,
    onEvent: (e) => {
      if (e.type.startsWith('build_') || e.type === 'pipeline_completed' || e.subject_key === `endpoint:${id}`) {
        later();
      }
    },
  };
}

export default {
  id: 'outbound',
  title: 'Outbound',
  mount(view, ctx) {
    return ctx.rest[0] ? endpoint(view, ctx, ctx.rest[0]) : endpoints(view, ctx);
  },
};
