// Pipeline runs: every CI source's runs with filters and paging; "Sync Jenkins now".
import { api, query } from '../api.js';
import { h, clear, table, badge, time, duration, shortSha, safeLink, message, field, debounce } from '../dom.js';

const LIMIT = 25;
const SOURCES = ['', 'jenkins', 'github', 'gitlab', 'azure-devops', 'foundries'];
const STATUSES = ['', 'queued', 'running', 'success', 'failure', 'aborted', 'unstable', 'unknown'];

function select(name, values) {
  return h('select', { name }, values.map((v) => h('option', { value: v }, v || 'any')));
}

export default {
  id: 'runs',
  title: 'Pipeline runs',
  mount(view) {
    let offset = 0;
    const filters = h('form', { class: 'filters', 'aria-label': 'Filter runs' },
      field('Source', select('source', SOURCES)),
      field('Job', h('input', { name: 'job', type: 'text' })),
      field('Status', select('status', STATUSES)),
      field('Branch', h('input', { name: 'branch', type: 'text' })),
      field('Since', h('input', { name: 'since', type: 'date' })),
      h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Apply'),
        h('button', { type: 'reset', class: 'secondary' }, 'Clear')));
    const syncMsg = message();
    const syncButton = h('button', { type: 'button', 'data-testid': 'sync-now' }, 'Sync Jenkins now');
    const listMsg = message();
    const results = h('div', { 'data-testid': 'runs-table' });
    const pager = h('div', { class: 'pager' });
    view.append(h('div', { class: 'page-head' }, h('h1', {}, 'Pipeline runs'),
      h('div', { class: 'actions' }, syncButton)), syncMsg, filters, listMsg, results, pager);

    async function load() {
      const f = Object.fromEntries(new FormData(filters));
      try {
        const page = await api(`/api/pipeline-runs${query({ ...f, limit: LIMIT, offset })}`);
        listMsg.clear();
        clear(results).append(table('Pipeline runs',
          ['Source', 'Job', 'Number', 'Status', 'Branch', 'Commit', 'Triggered by', 'Started', 'Duration', 'Run'],
          page.items, (r) => [r.source, r.job, r.number, badge(r.status), r.branch || '—', shortSha(r.commit_sha),
            r.triggered_by || '—', time(r.started_at || r.created_at), duration(r.duration_ms),
            safeLink(r.url, 'open')], 'No runs match.'));
        const last = Math.min(offset + page.items.length, page.total);
        clear(pager).append(
          h('button', { type: 'button', class: 'secondary', disabled: offset === 0,
            onclick: () => { offset = Math.max(0, offset - LIMIT); load(); } }, 'Previous'),
          h('span', {}, page.total ? `${offset + 1}–${last} of ${page.total}` : '0 runs'),
          h('button', { type: 'button', class: 'secondary', disabled: last >= page.total,
            onclick: () => { offset += LIMIT; load(); } }, 'Next'));
      } catch (e) {
        listMsg.error(e);
      }
    }

    filters.addEventListener('submit', (e) => { e.preventDefault(); offset = 0; load(); });
    filters.addEventListener('reset', () => setTimeout(() => { offset = 0; load(); }, 0));
    syncButton.addEventListener('click', async () => {
      syncButton.disabled = true;
      syncMsg.ok('Syncing Jenkins…');
      try {
        const r = await api('/api/jenkins/sync-now', { method: 'POST' });
        syncMsg.ok(`Jenkins synced: ${r.new} new, ${r.updated} updated, ${r.unchanged} unchanged in ${r.jobs} jobs `
          + `(${r.durationMs} ms).`);
        load();
      } catch (e) {
        syncMsg.error(e);
      } finally {
        syncButton.disabled = false;
      }
    });
    load();
    const later = debounce(load, 300);
    return {
      refresh: load,
      onEvent: (e) => { if (e.type.startsWith('build_') || e.type === 'pipeline_completed') later(); },
    };
  },
};
