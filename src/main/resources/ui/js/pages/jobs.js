// Jobs and schedules: the sync job queue (waiting, running, recent jobs), the sync configs with their schedule and
// next run and a Run now / Dry run button each, one config's execution history, and the scheduler (start/stop).
import { api } from '../api.js';
import { h, clear, table, badge, message, debounce, duration } from '../dom.js';

const HISTORY = 20;

function at(ms) {
  if (ms === null || ms === undefined) return '—';
  const d = new Date(ms);
  return h('time', { datetime: d.toISOString(), title: d.toISOString() }, d.toLocaleString());
}

function jobStatus(s) {
  return badge(s);
}

function outcome(j) {
  if (j.error) return j.error;
  const r = j.result;
  if (r && typeof r === 'object') {
    const parts = ['total', 'created', 'updated', 'unchanged', 'errors'].filter((k) => r[k] !== undefined)
      .map((k) => `${r[k]} ${k}`);
    return parts.length ? parts.join(', ') : '—';
  }
  return '—';
}

export default {
  id: 'jobs',
  title: 'Jobs',
  mount(view, ctx) {
    let configs = [];
    let historyFor = ctx.params.get('config') || '';
    const started = new Map(); // job id -> the job as last read (jobs started from this page)
    const msg = message();
    const schedulerBox = h('div', { 'data-testid': 'scheduler' });
    const queueBox = h('div', { 'data-testid': 'queue-status' });
    const startedBox = h('div', { 'data-testid': 'started-jobs' });
    const recentBox = h('div', { 'data-testid': 'recent-jobs' });
    const configsBox = h('div', { 'data-testid': 'sync-configs' });
    const historyBox = h('section', { 'aria-live': 'polite', 'data-testid': 'execution-history' });
    view.append(h('h1', {}, 'Jobs and schedules'), msg,
      h('section', { class: 'card', 'aria-labelledby': 'sched-title' }, h('h2', { id: 'sched-title' }, 'Scheduler'),
        schedulerBox),
      h('section', { 'aria-labelledby': 'queue-title' }, h('h2', { id: 'queue-title' }, 'Job queue'), queueBox,
        startedBox, h('h3', {}, 'Recent jobs'), recentBox),
      h('section', { 'aria-labelledby': 'configs-title' }, h('h2', { id: 'configs-title' }, 'Sync configs'),
        configsBox),
      historyBox);

    async function loadScheduler() {
      try {
        const s = (await api('/api/scheduler/status')).scheduler;
        clear(schedulerBox).append(
          h('p', {}, 'The scheduler is ', badge(s.isRunning ? 'running' : 'stopped'),
            ` · ${s.jobCount} scheduled config(s) · time zone ${s.timeZone}`),
          h('div', { class: 'actions' }, s.isRunning
            ? h('button', { type: 'button', class: 'secondary', 'data-testid': 'scheduler-stop',
              onclick: () => scheduler('stop') }, 'Stop scheduler')
            : h('button', { type: 'button', 'data-testid': 'scheduler-start', onclick: () => scheduler('start') },
              'Start scheduler')),
          table('Scheduled configs', ['Config', 'Cron', 'Next run'], s.jobs || [], (j) => [j.name || j.configId,
            h('code', {}, j.cron), at(j.nextRunAt)], 'No config is on a schedule.'));
      } catch (e) {
        msg.error(e);
      }
    }

    async function scheduler(action) {
      try {
        await api(`/api/scheduler/${action}`, { method: 'POST' });
        msg.ok(action === 'start' ? 'Scheduler started.' : 'Scheduler stopped: scheduled configs wait until it '
          + 'starts again.');
        loadScheduler();
        loadConfigs();
      } catch (e) {
        msg.error(e);
      }
    }

    function configName(id) {
      const c = configs.find((x) => String(x.id) === String(id));
      return c ? c.name : String(id);
    }

    function jobRow(j) {
      return [h('code', {}, String(j.id)), configName(j.configId), j.trigger,
        j.dryRun ? 'yes' : 'no', jobStatus(j.status), at(j.createdAt),
        j.startedAt && j.completedAt ? duration(j.completedAt - j.startedAt) : '—', outcome(j)];
    }
    const JOB_COLUMNS = ['Job', 'Config', 'Trigger', 'Dry run', 'Status', 'Queued', 'Duration', 'Outcome'];

    async function loadQueue() {
      try {
        const q = (await api('/api/jobs/queue')).queue;
        clear(queueBox).append(h('p', {}, badge(q.isProcessing ? 'processing' : 'idle'),
          ` · ${q.queuedJobs} waiting · ${q.activeJobs} running (at most ${q.maxConcurrent}) · `
          + `${q.completedJobs} finished`));
        clear(recentBox).append(table('Recent jobs', JOB_COLUMNS, q.recentJobs, jobRow,
          'No finished jobs yet.'));
        await refreshStarted();
      } catch (e) {
        msg.error(e);
      }
    }

    async function refreshStarted() {
      for (const [id, j] of started) {
        if (['queued', 'running'].includes(j.status) || !j.status) {
          try {
            started.set(id, (await api(`/api/jobs/status/${encodeURIComponent(id)}`)).job);
          } catch (e) {
            msg.error(e);
          }
        }
      }
      clear(startedBox);
      if (started.size) {
        startedBox.append(h('h3', {}, 'Started from this page'),
          table('Jobs started from this page', JOB_COLUMNS, [...started.values()], jobRow));
      }
      if ([...started.values()].some((j) => ['queued', 'running'].includes(j.status))) laterQueue();
    }

    async function run(c, dryRun) {
      try {
        const r = await api(`/api/jobs/queue/${encodeURIComponent(c.id)}`, { method: 'POST',
          body: { dry_run: dryRun } });
        msg.ok(`${dryRun ? 'Dry run' : 'Job'} for ${c.name} queued (job ${r.job_id}).`);
        started.set(r.job_id, { id: r.job_id, configId: c.id, trigger: 'manual', dryRun, status: 'queued' });
        loadQueue();
      } catch (e) {
        msg.error(e);
      }
    }

    async function loadConfigs() {
      try {
        configs = (await api('/api/sync-configs')).configs;
        clear(configsBox).append(table('Sync configs', ['Name', 'Source → target', 'Trigger', 'Schedule',
          'Next run', 'Status', ''], configs, (c) => [c.name, `${c.source.type} → ${c.target.type}`, c.trigger_type,
          c.schedule_cron ? h('code', {}, c.schedule_cron) : '—', at(c.next_sync_at),
          badge(c.is_active ? 'active' : 'inactive'),
          h('div', { class: 'actions' },
            h('button', { type: 'button', 'data-testid': 'run-now', disabled: !c.is_active,
              onclick: () => run(c, false) }, 'Run now'),
            h('button', { type: 'button', class: 'secondary', 'data-testid': 'dry-run', disabled: !c.is_active,
              onclick: () => run(c, true) }, 'Dry run'),
            h('button', { type: 'button', class: 'secondary', 'data-testid': 'show-history',
              onclick: () => { historyFor = c.id; loadHistory(); } }, 'History'))],
        'No sync configs yet: create one with POST /api/sync-configs (README "Sync jobs").'));
      } catch (e) {
        msg.error(e);
      }
    }

    async function loadHistory() {
      if (!historyFor) return;
      try {
        const r = await api(`/api/execute/history/${encodeURIComponent(historyFor)}?limit=${HISTORY}`);
        clear(historyBox).append(h('div', { class: 'card' },
          h('h2', {}, `Execution history: ${configName(historyFor)}`),
          table('Executions', ['Started', 'Trigger', 'Dry run', 'Status', 'Total', 'Created', 'Updated',
            'Unchanged', 'Errors', 'Duration', 'Error'], r.executions, (e) => [at(e.startedAt), e.trigger,
            e.dryRun ? 'yes' : 'no', jobStatus(e.status), String(e.total), String(e.created), String(e.updated),
            String(e.unchanged), String(e.errors), duration(e.durationMs), e.error || '—'],
          'This config has not run yet.')));
      } catch (e) {
        msg.error(e);
      }
    }

    function refresh() {
      loadQueue();
      loadScheduler();
      loadHistory();
    }

    const laterQueue = debounce(loadQueue, 1000);
    const later = debounce(() => { loadQueue(); loadConfigs(); loadHistory(); }, 200);
    loadConfigs().then(() => { loadQueue(); loadHistory(); });
    loadScheduler();
    return {
      refresh,
      onEvent: (e) => {
        if (e.type === 'sync_completed' || e.type === 'sync_failed' || e.type === 'webhook_received') later();
      },
      unmount: () => started.clear(),
    };
  },
};
