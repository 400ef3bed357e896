// Health: the hub's health checks (/observe/health, with the admin token), queue depths and recent errors.
import { api } from '../api.js';
import { h, clear, table, badge, time, message } from '../dom.js';

function details(check) {
  const data = check.data || check.details;
  if (!data || typeof data !== 'object') return check.message || '—';
  const keep = Object.entries(data).filter(([k]) => !/^(invocation|check|failure\.count|success\.count)/.test(k));
  return keep.length ? keep.map(([k, v]) => `${k}: ${typeof v === 'object' ? JSON.stringify(v) : v}`).join('; ')
    : '—';
}

export default {
  id: 'health',
  title: 'Health',
  mount(view) {
    const msg = message();
    const summary = h('p', { 'data-testid': 'health-status' });
    const checks = h('div', { 'data-testid': 'health-checks' });
    const queues = h('div', { 'data-testid': 'queues' });
    const errors = h('div', { 'data-testid': 'recent-errors' });
    const extra = h('p');
    view.append(h('div', { class: 'page-head' }, h('h1', {}, 'Health'),
      h('div', { class: 'actions' }, h('button', { type: 'button', class: 'secondary', onclick: () => load() },
        'Refresh'))), msg, summary,
    h('section', { 'aria-labelledby': 'checks-title' }, h('h2', { id: 'checks-title' }, 'Checks'), checks),
    h('section', { 'aria-labelledby': 'queues-title' }, h('h2', { id: 'queues-title' }, 'Queues'), queues, extra),
    h('section', { 'aria-labelledby': 'errors-title' }, h('h2', { id: 'errors-title' }, 'Recent errors'), errors));

    async function load() {
      try {
        const [health, overview] = await Promise.all([api('/observe/health', { allowStatus: [503] }),
          api('/api/dashboard/overview')]);
        msg.clear();
        clear(summary).append('The hub is ', badge(health.status), '.');
        const all = health.checks || [];
        const routes = all.filter((c) => c.name.startsWith('route:') || c.name.startsWith('consumer:'));
        // every check that is not a route's, and any route that is not UP, first; the UP routes folded away
        const shown = all.filter((c) => !routes.includes(c) || c.status !== 'UP')
          .sort((a, b) => (a.status === b.status ? 0 : a.status === 'UP' ? 1 : -1));
        const upRoutes = routes.filter((c) => c.status === 'UP');
        clear(checks).append(table('Health checks', ['Check', 'State', 'Details'], shown,
          (c) => [c.name, badge(c.status), details(c)], 'No checks reported.'),
        upRoutes.length ? h('details', {}, h('summary', {}, `${upRoutes.length} routes and consumers UP`),
          h('ul', { class: 'compact' }, upRoutes.map((c) => h('li', {}, h('code', {}, c.name))))) : null);
        clear(queues).append(table('Queues', ['Queue', 'Kind', 'Waiting', 'Capacity'], overview.queues,
          (q) => [h('code', {}, q.name), q.kind, String(q.size), q.capacity ? String(q.capacity) : '—'],
          'No queues.'));
        extra.textContent = `Events dropped by the bus since start: ${overview.events_dropped}. `
          + `Live dashboard streams open: ${overview.live_streams}.`;
        clear(errors).append(table('Recent errors', ['Time', 'Kind', 'Source', 'Status', 'Code', 'Error'],
          overview.recent_errors.sort((a, b) => (a.time < b.time ? 1 : -1)),
          (e) => [time(e.time), e.kind, e.source || '—', badge(e.status), e.code ?? '—', e.error || '—'],
          'No recent errors.'));
      } catch (err) {
        msg.error(err);
      }
    }
    load();
    return { refresh: load };
  },
};
