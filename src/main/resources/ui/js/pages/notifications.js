// Notifications: settings (who hears about which events, over which channel, for which scope) and the test e-mail.
import { api } from '../api.js';
import { h, clear, table, badge, message, field } from '../dom.js';

const TYPES = ['email', 'slack', 'teams', 'webhook'];
const EVENTS = ['webhook_received', 'build_started', 'build_completed', 'build_failed', 'deployment_started',
  'deployment_completed', 'deployment_failed', 'deployment_rollback', 'deployment_rollback_failed',
  'sync_completed', 'sync_failed', 'conflict_detected', 'pipeline_completed', 'delivery.exhausted',
  'endpoint.disabled'];

function split(text) {
  return text.split(/[\s,]+/).map((s) => s.trim()).filter(Boolean);
}

export default {
  id: 'notifications',
  title: 'Notifications',
  mount(view) {
    const msg = message();
    const results = h('div', { 'data-testid': 'notifications-table' });
    const scope = h('select', { name: 'service_id' }, h('option', { value: '' }, 'All services (global)'));
    const triggers = h('fieldset', { class: 'checks' }, h('legend', {}, 'Events'),
      EVENTS.map((ev) => h('label', {}, h('input', { type: 'checkbox', name: 'event_triggers', value: ev }), ev)));
    const form = h('form', { class: 'grid-form' },
      field('Channel', h('select', { name: 'notification_type' }, TYPES.map((t) => h('option', { value: t }, t)))),
      field('Recipients', h('textarea', { name: 'recipients', rows: 2, required: true }),
        'E-mail addresses, or the Slack/Teams/webhook URL; separated by commas or lines'),
      field('Scope', scope), triggers,
      h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Create setting')));
    const testMsg = message();
    const testForm = h('form', { class: 'inline-form' },
      field('Recipients', h('input', { name: 'recipients', type: 'text', required: true,
        placeholder: 'you@example.com' })),
      h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Send test e-mail')));
    view.append(h('h1', {}, 'Notifications'), msg, results,
      h('section', { class: 'card', 'aria-labelledby': 'new-setting' }, h('h2', { id: 'new-setting' },
        'New setting'), form),
      h('section', { class: 'card', 'aria-labelledby': 'test-mail' }, h('h2', { id: 'test-mail' }, 'Test e-mail'),
        h('p', {}, 'Sends one e-mail at once through the configured SMTP server and says what the server answered.'),
        testForm, testMsg));

    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      const f = new FormData(form);
      const body = { notification_type: f.get('notification_type'), recipients: split(f.get('recipients')),
        event_triggers: f.getAll('event_triggers') };
      if (f.get('service_id')) body.service_id = f.get('service_id');
      try {
        await api('/api/notifications', { method: 'POST', body });
        msg.ok('Setting created.');
        form.reset();
        load();
      } catch (err) {
        msg.error(err);
      }
    });
    testForm.addEventListener('submit', async (e) => {
      e.preventDefault();
      const recipients = split(new FormData(testForm).get('recipients'));
      testMsg.ok('Sending…');
      try {
        const r = await api('/api/notifications/test', { method: 'POST', body: { recipients } });
        if (r.accepted) testMsg.ok(`The SMTP server ${r.server || ''} accepted the test e-mail to `
          + `${recipients.join(', ')}.`);
        else testMsg.error(`Not sent: ${r.error} (${r.code}).`);
      } catch (err) {
        testMsg.error(err);
      }
    });

    async function update(id, body, done) {
      try {
        await api(`/api/notifications/${encodeURIComponent(id)}`, { method: 'PUT', body });
        msg.ok(done);
        load();
      } catch (err) {
        msg.error(err);
      }
    }

    async function remove(id) {
      if (!window.confirm('Delete this notification setting?')) return;
      try {
        await api(`/api/notifications/${encodeURIComponent(id)}`, { method: 'DELETE' });
        msg.ok('Setting deleted.');
        load();
      } catch (err) {
        msg.error(err);
      }
    }

    async function load() {
      try {
        const [r, services] = await Promise.all([api('/api/notifications'),
          api('/api/containers/services?limit=1000')]);
        const names = new Map(services.items.map((s) => [s.id, s.name]));
        if (scope.options.length === 1) {
          scope.append(...services.items.map((s) => h('option', { value: s.id }, `Service ${s.name}`)));
        }
        clear(results).append(table('Notification settings', ['Channel', 'Events', 'Recipients', 'Scope', 'State',
          'Actions'], r.notifications, (n) => [n.notification_type, n.event_triggers.join(', '),
          n.recipients.join(', '), n.service_id ? `service ${names.get(n.service_id) || n.service_id}`
            : n.sync_config_id ? `sync config ${n.sync_config_id}` : 'global',
          badge(n.is_active ? 'active' : 'inactive'),
          h('div', { class: 'actions' },
            h('button', { type: 'button', class: 'secondary', onclick: () => update(n.id,
              { is_active: !n.is_active }, n.is_active ? 'Setting paused.' : 'Setting active.') },
            n.is_active ? 'Pause' : 'Activate'),
            h('button', { type: 'button', class: 'danger', onclick: () => remove(n.id) }, 'Delete'))],
        'No notification settings yet.'));
      } catch (err) {
        msg.error(err);
      }
    }
    load();
    return { refresh: load };
  },
};
