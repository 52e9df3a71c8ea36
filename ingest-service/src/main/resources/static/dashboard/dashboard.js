'use strict';
// The jobstream dashboard: plain JavaScript over the job API, no build step. Routes are hashes, so
// every page is a deep link: #/, #/queues/{queue}?state=failed&page=2, #/jobs/{id}, #/schedulers,
// #/queues/{queue}/dead-letters, #/search/{prefix}. Live updates come from one SSE stream (/api/events).

const PAGE_SIZE = 20;
const TABS = ['latest', 'waiting', 'active', 'delayed', 'completed', 'failed', 'cancelled'];
const COUNTS = ['waiting', 'active', 'delayed', 'paused', 'completed', 'failed', 'deadLettered', 'cancelled'];
const view = document.getElementById('view');
let current = () => {};
let refreshTimer = null;
/** Events of the job on screen, as they arrived over SSE: its live timeline. */
let jobEvents = {id: null, events: []};

// ---- API ------------------------------------------------------------------------------------

async function api(method, path, body) {
  const headers = {Accept: 'application/json'};
  const key = localStorage.getItem('jobstream.apiKey');
  if (key) headers['X-Api-Key'] = key;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(path, {method, headers, body: body === undefined ? undefined : JSON.stringify(body)});
  const text = await response.text();
  const json = text ? JSON.parse(text) : {};
  if (!response.ok) {
    if (response.status === 401) notice('This action needs the admin key (button at the top).', true);
    const reason = json.error && (json.error.field ? json.error.field + ': ' : '') + (json.error.reason || '');
    throw new Error(`${json.message || response.status}${reason ? ' (' + reason + ')' : ''}`);
  }
  return json;
}
const get = (path) => api('GET', path);

/** Runs a mutating action, says what happened and redraws the page. */
async function act(label, method, path, body) {
  try {
    const answer = await api(method, path, body);
    notice(`${label}: ${answer.message || 'done'}`);
    render();
    return answer;
  } catch (e) {
    notice(`${label} failed: ${e.message}`, true);
    return null;
  }
}

// ---- Small helpers ----------------------------------------------------------------------------

function esc(value) {
  return String(value ?? '').replace(/[&<>"']/g, c => ({'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;'}[c]));
}
const enc = encodeURIComponent;
const time = (iso) => iso ? new Date(iso).toLocaleString() : '';
const json = (value) => `<pre>${esc(JSON.stringify(value, null, 2))}</pre>`;
const badge = (status) => `<span class="badge ${esc(status)}" data-status="${esc(status)}">${esc(status)}</span>`;
const bar = (percent) => `<span class="bar" title="${percent}%"><span style="width:${Math.max(0, Math.min(100, percent || 0))}%"></span></span>`;
const button = (label, onclick, cls = '') =>
  `<button type="button" class="action ${cls}" data-action="${esc(label)}" onclick="${esc(onclick)}">${esc(label)}</button>`;

function notice(message, error = false) {
  const box = document.getElementById('notice');
  box.textContent = message;
  box.className = error ? 'error' : '';
  box.hidden = false;
  clearTimeout(notice.timer);
  notice.timer = setTimeout(() => { box.hidden = true; }, 6000);
}

function parseHash() {
  const [path, query] = location.hash.replace(/^#/, '').split('?');
  const parts = (path || '/').split('/').filter(Boolean).map(decodeURIComponent);
  return {parts, params: new URLSearchParams(query || '')};
}

// ---- Pages ------------------------------------------------------------------------------------

async function queuesPage() {
  const [queues, workers, throughput] = await Promise.all([get('/api/queues'), get('/api/workers'), get('/api/throughput')]);
  const rows = queues.queues.map(q => `
    <tr data-queue="${esc(q.name)}">
      <td><a href="#/queues/${enc(q.name)}">${esc(q.name)}</a> ${q.isPaused ? badge('paused') : ''}</td>
      <td class="num" data-count="workers">${workers.workers[q.name] ?? 0}</td>
      ${COUNTS.map(c => `<td class="num" data-count="${c}"><a href="#/queues/${enc(q.name)}?state=${stateOf(c)}">${q[c]}</a></td>`).join('')}
      <td>${q.isPaused ? button('Resume', `queueAction('${q.name}', 'resume')`) : button('Pause', `queueAction('${q.name}', 'pause')`, 'secondary')}</td>
    </tr>`).join('');
  view.innerHTML = `
    <h1>Queues</h1>
    <div class="actions">
      ${button('Pause all', 'allQueues("pause")', 'secondary')} ${button('Resume all', 'allQueues("resume")', 'secondary')}
    </div>
    <table id="queues"><thead><tr><th>queue</th><th class="num">workers</th>
      ${COUNTS.map(c => `<th class="num">${c === 'deadLettered' ? 'dead-lettered' : c}</th>`).join('')}<th></th></tr></thead>
      <tbody>${rows}</tbody></table>
    <h2>Throughput, last hour (completed / failed per minute)</h2>
    ${chart(throughput.minutes)}`;
}

function stateOf(count) {
  return {deadLettered: 'dead-lettered', paused: 'waiting'}[count] || count;
}

function chart(minutes) {
  const max = Math.max(1, ...minutes.map(m => m.completed + m.failed));
  const width = 100 / minutes.length;
  const bars = minutes.map((m, i) => {
    const ok = 120 * m.completed / max;
    const bad = 120 * m.failed / max;
    const title = `${new Date(m.minute).toLocaleTimeString()}: ${m.completed} completed, ${m.failed} failed`;
    return `<g><title>${esc(title)}</title>
      <rect x="${i * width}%" y="${130 - ok}" width="${width * 0.8}%" height="${ok}" fill="#1f8a4c"></rect>
      <rect x="${i * width}%" y="${130 - ok - bad}" width="${width * 0.8}%" height="${bad}" fill="#c0392b"></rect></g>`;
  }).join('');
  const total = minutes.reduce((sum, m) => sum + m.completed, 0);
  const failed = minutes.reduce((sum, m) => sum + m.failed, 0);
  return `<svg class="chart" id="throughput" data-completed="${total}" data-failed="${failed}">${bars}</svg>
    <div class="pager">${total} completed, ${failed} failed in the last hour (counted since this instance started); peak ${max}/min</div>`;
}

async function queuePage(queue, params) {
  const state = params.get('state') || 'latest';
  const page = Math.max(1, Number(params.get('page') || 1));
  const filter = state === 'latest' ? '' : `&state=${enc(state)}`;
  const [summary, jobs] = await Promise.all([
    get(`/api/queues/${enc(queue)}`),
    get(`/api/jobs?queue=${enc(queue)}${filter}&limit=${PAGE_SIZE}&offset=${(page - 1) * PAGE_SIZE}`)]);
  const q = summary.queue;
  const pages = Math.max(1, Math.ceil(jobs.total / PAGE_SIZE));
  view.innerHTML = `
    <h1>${esc(queue)} ${q.isPaused ? badge('paused') : ''}</h1>
    <div class="actions">
      ${q.isPaused ? button('Resume', `queueAction('${queue}', 'resume')`) : button('Pause', `queueAction('${queue}', 'pause')`, 'secondary')}
      ${button('Retry all failed', `queueAction('${queue}', 'retry-failed')`, 'secondary')}
      ${button('Promote all delayed', `queueAction('${queue}', 'promote-delayed')`, 'secondary')}
      ${button('Clean completed', `queueAction('${queue}', 'clean?olderThan=0&state=completed')`, 'danger')}
      ${button('Clean failed', `queueAction('${queue}', 'clean?olderThan=0&state=failed')`, 'danger')}
      <a href="#/queues/${enc(queue)}/dead-letters">Dead letters (${q.deadLettered})</a>
      <a href="#/schedulers?queue=${enc(queue)}">Schedulers</a>
    </div>
    <div class="tabs">${TABS.map(t => `<a href="#/queues/${enc(queue)}?state=${t}" class="${t === state ? 'current' : ''}" data-tab="${t}">${t}${countOf(q, t)}</a>`).join('')}</div>
    <h2>${jobs.total} ${state === 'latest' ? '' : esc(state)} jobs, newest first</h2>
    ${jobTable(jobs.jobs)}
    <div class="pager">
      ${page > 1 ? `<a href="#/queues/${enc(queue)}?state=${state}&page=${page - 1}">← newer</a>` : ''}
      page ${page} of ${pages}
      ${page < pages ? `<a href="#/queues/${enc(queue)}?state=${state}&page=${page + 1}">older →</a>` : ''}
    </div>`;
}

function countOf(q, tab) {
  const count = {latest: q.total, waiting: q.waiting + q.paused}[tab] ?? q[tab];
  return count === undefined ? '' : ` (${count})`;
}

function jobTable(jobs) {
  if (!jobs.length) return '<p>No jobs.</p>';
  return `<table class="jobs"><thead><tr><th>job</th><th>name</th><th>status</th><th>progress</th>
      <th class="num">attempts</th><th>added</th><th>finished</th><th></th></tr></thead><tbody>
    ${jobs.map(j => `<tr data-job="${esc(j.id)}">
      <td><a href="#/jobs/${enc(j.id)}">${esc(j.id)}</a></td><td>${esc(j.type)}</td><td>${badge(j.status)}</td>
      <td>${bar(j.progress)} ${esc(j.step || '')}</td><td class="num">${j.attemptsMade}/${j.maxAttempts}</td>
      <td>${time(j.createdAt)}</td><td>${time(j.finishedAt)}</td><td>${jobActions(j)}</td></tr>`).join('')}
    </tbody></table>`;
}

/** Bull Board's actions by state: failed → retry, delayed → promote, unfinished → cancel, finished → remove. */
function jobActions(job) {
  const id = job.id.replace(/'/g, "\\'");
  const finished = ['completed', 'failed', 'cancelled'].includes(job.status);
  return [
    job.status === 'failed' ? button('Retry', `jobAction('${id}', 'POST', 'retry')`) : '',
    job.status === 'delayed' ? button('Promote', `jobAction('${id}', 'POST', 'promote')`) : '',
    finished ? button('Remove', `jobAction('${id}', 'DELETE', '?remove=true')`, 'danger')
             : button('Cancel', `jobAction('${id}', 'DELETE', '')`, 'danger'),
  ].join(' ');
}

async function jobPage(id) {
  const [answer, logs, history] = await Promise.all([get(`/api/jobs/${enc(id)}`),
    get(`/api/jobs/${enc(id)}/logs`).catch(() => ({logs: []})), get(`/api/jobs/${enc(id)}/attempts`).catch(() => ({attempts: []}))]);
  const j = answer.job;
  const children = j.parentJobId ? '' : await get(`/api/jobs?idPrefix=${enc(j.id + ':')}&limit=100`).catch(() => ({jobs: []}));
  view.innerHTML = `
    <h1>Job <span id="job-id">${esc(j.id)}</span> ${badge(j.status)}</h1>
    <div class="actions">${jobActions(j)} ${button('Duplicate', `duplicate('${j.id.replace(/'/g, "\\'")}')`, 'secondary')}
      <a href="#/queues/${enc(j.queue)}">← ${esc(j.queue)}</a></div>
    <div class="grid">
      <dl>
        <dt>queue</dt><dd>${esc(j.queue)}</dd><dt>name</dt><dd>${esc(j.type)}</dd>
        <dt>progress</dt><dd id="progress">${bar(j.progress)} ${j.progress}% ${esc(j.step || '')}</dd>
        <dt>attempts</dt><dd>${j.attemptsMade} of ${j.maxAttempts}</dd>
        <dt>priority</dt><dd>${j.priority ?? 'none'}</dd>
        <dt>delayed until</dt><dd>${time(j.delayedUntil)}</dd>
        <dt>parent (flow)</dt><dd>${j.parentJobId ? `<a href="#/jobs/${enc(j.parentJobId)}">${esc(j.parentJobId)}</a>` : ''}</dd>
        <dt>trace id</dt><dd>${esc(j.traceId || '')}</dd>
      </dl>
      <dl id="timeline">
        <dt>added</dt><dd>${time(j.createdAt)}</dd><dt>started</dt><dd>${time(j.processedAt)}</dd>
        <dt>finished</dt><dd>${time(j.finishedAt)}</dd><dt>updated</dt><dd>${time(j.updatedAt)}</dd>
      </dl>
    </div>
    ${j.error ? `<h2>Error (attempt ${j.attemptsMade})</h2><pre id="error">${esc(lastStack(j, history.attempts))}</pre>` : ''}
    ${history.attempts.length ? `<h2>Failed attempts (${history.attempts.length})</h2>${attemptList(j, history.attempts)}` : ''}
    <h2>Data</h2>${json(j.data)}
    <h2>Return value</h2><div id="return-value">${j.returnValue == null ? '<p>None yet.</p>' : json(j.returnValue)}</div>
    <h2>Logs (${logs.logs.length})</h2>
    ${logs.logs.length ? `<pre id="logs">${logs.logs.map(l => `${time(l.timestamp)} [attempt ${l.attempt}] ${esc(l.line)}`).join('\n')}</pre>` : '<p>No log lines.</p>'}
    ${children && children.jobs.length ? `<h2>Children (flow)</h2>${jobTable(children.jobs)}` : ''}
    <h2>Live events</h2><table id="events"><thead><tr><th>at</th><th>status</th><th>attempt</th><th>progress</th><th>error</th></tr></thead><tbody>
    ${(jobEvents.id === id ? jobEvents.events : []).map(e => `<tr data-status="${esc(e.status)}"><td>${time(e.at)}</td><td>${badge(e.status)}</td>
      <td>${e.attempt}</td><td>${e.progress ?? ''}</td><td>${esc(e.error || '')}</td></tr>`).join('')}</tbody></table>`;
}

/** The job's error with the stack of the attempt it came from, when the history has it. */
function lastStack(job, attempts) {
  const last = attempts[attempts.length - 1];
  const same = last && last.attempt === job.attemptsMade && last.message === job.error.message;
  return same && last.stack ? last.stack : `${job.error.class || ''}: ${job.error.message || ''}`;
}

/**
 * Every failed attempt, oldest first, each with what followed it and its stack (Bull Board's stacktrace list).
 * A retried failed job is a new run counting its attempts from 1 again: the earlier run's are marked.
 */
function attemptList(job, attempts) {
  return `<ol id="attempts">${attempts.map(a => `
    <li data-attempt="${a.attempt}" data-outcome="${esc(a.outcome)}">
      <div class="attempt-head">attempt ${a.attempt}${a.stage ? ` of step ${a.stage}${a.step ? ` (${esc(a.step)})` : ''}` : ''}
        ${a.createdAt !== job.createdAt ? `(earlier run, added ${time(a.createdAt)})` : ''}
        · ${time(a.failedAt)} · ${badge(a.outcome)} · <b>${esc(a.errorClass || '')}</b>: ${esc(a.message || '')}</div>
      ${a.stack ? `<details open><summary>stack</summary><pre class="stack">${esc(a.stack)}</pre></details>` : ''}
    </li>`).join('')}</ol>`;
}

async function deadLettersPage(queue) {
  const letters = await get(`/api/queues/${enc(queue)}/dead-letters?limit=200`);
  view.innerHTML = `
    <h1>Dead letters of <a href="#/queues/${enc(queue)}">${esc(queue)}</a></h1>
    <div class="actions">${button('Replay all', `act('Replay', 'POST', '/api/queues/${enc(queue)}/dead-letters/replay')`)}</div>
    ${letters.deadLetters.length ? `<table><thead><tr><th>job</th><th>name</th><th>step</th><th>error</th>
      <th class="num">attempts</th><th>last failure</th><th>now</th><th></th></tr></thead><tbody>
      ${letters.deadLetters.map(d => `<tr data-job="${esc(d.jobId)}"><td><a href="#/jobs/${enc(d.jobId)}">${esc(d.jobId)}</a></td>
        <td>${esc(d.jobType)}</td><td>${esc(d.step)}</td><td>${esc(d.errorClass)}: ${esc(d.error)}</td>
        <td class="num">${d.attempts}</td><td>${time(d.lastFailedAt)}</td><td>${badge(d.jobStatus)}</td>
        <td>${button('Replay', `act('Replay', 'POST', '/api/queues/${enc(queue)}/dead-letters/replay?jobId=${enc(d.jobId)}')`)}</td></tr>`).join('')}
      </tbody></table>` : '<p>No dead letters.</p>'}`;
}

async function schedulersPage(params) {
  const only = params.get('queue');
  const queues = only ? [only] : (await get('/api/queues')).queues.map(q => q.name);
  const lists = await Promise.all(queues.map(q => get(`/api/queues/${enc(q)}/schedulers`).catch(() => ({schedulers: []}))));
  const all = lists.flatMap(list => list.schedulers);
  view.innerHTML = `
    <h1>Job schedulers${only ? ' of ' + esc(only) : ''}</h1>
    ${all.length ? `<table id="schedulers"><thead><tr><th>id</th><th>queue</th><th>repeat</th><th>next run</th><th>last run</th>
      <th class="num">jobs added</th><th></th></tr></thead><tbody>
      ${all.map(s => `<tr data-scheduler="${esc(s.id)}"><td>${esc(s.id)}</td><td><a href="#/queues/${enc(s.queue)}">${esc(s.queue)}</a></td>
        <td>${s.pattern ? esc(s.pattern) + ' ' + esc(s.tz || 'UTC') : 'every ' + s.every + ' ms'}</td>
        <td>${time(s.nextRun)}</td><td>${time(s.lastRun)}</td><td class="num">${s.count}</td>
        <td>${button('Edit', `editScheduler('${s.queue}', '${s.id}')`, 'secondary')}
            ${button('Remove', `act('Remove scheduler', 'DELETE', '/api/queues/${enc(s.queue)}/schedulers/${enc(s.id)}')`, 'danger')}</td></tr>`).join('')}
      </tbody></table>` : '<p>No schedulers.</p>'}
    <div id="editor"></div>`;
  schedulersPage.all = all;
}

async function searchPage(prefix) {
  const exact = await get(`/api/jobs/${enc(prefix)}`).catch(() => null);
  if (exact) {
    location.hash = `#/jobs/${enc(prefix)}`;
    return;
  }
  const jobs = await get(`/api/jobs?idPrefix=${enc(prefix)}&limit=${PAGE_SIZE}`);
  view.innerHTML = `<h1>Jobs whose id starts with “${esc(prefix)}” (${jobs.total})</h1>${jobTable(jobs.jobs)}`;
}

// ---- Actions (called from the buttons) -------------------------------------------------------

function queueAction(queue, action) {
  return act(`${action.split('?')[0]} ${queue}`, 'POST', `/api/queues/${enc(queue)}/${action}`);
}

async function allQueues(action) {
  const queues = (await get('/api/queues')).queues;
  await Promise.all(queues.map(q => api('POST', `/api/queues/${enc(q.name)}/${action}`).catch(e => notice(e.message, true))));
  notice(`${action} all: ${queues.length} queues`);
  render();
}

function jobAction(id, method, action) {
  const path = action.startsWith('?') || action === '' ? `/api/jobs/${enc(id)}${action}` : `/api/jobs/${enc(id)}/${action}`;
  return act(`${action.replace('?remove=true', 'remove') || 'cancel'} ${id}`, method, path);
}

/** A new job with the same name, data and queue (a new id). */
async function duplicate(id) {
  const job = (await get(`/api/jobs/${enc(id)}`)).job;
  const answer = await act('Duplicate', 'POST', `/api/queues/${enc(job.queue)}/jobs`, {name: job.type, data: job.data || {}});
  if (answer) location.hash = `#/jobs/${enc(answer.jobId)}`;
}

function editScheduler(queue, id) {
  const s = schedulersPage.all.find(x => x.id === id && x.queue === queue);
  const definition = {pattern: s.pattern, tz: s.tz, every: s.every, startDate: s.startDate, endDate: s.endDate,
    limit: s.limit, template: s.template};
  Object.keys(definition).forEach(k => definition[k] == null && delete definition[k]);
  document.getElementById('editor').innerHTML = `<h2>Edit ${esc(id)}</h2>
    <textarea id="scheduler-json">${esc(JSON.stringify(definition, null, 2))}</textarea>
    <div class="actions">${button('Save', `saveScheduler('${queue}', '${id}')`)}</div>`;
}

function saveScheduler(queue, id) {
  let body;
  try {
    body = JSON.parse(document.getElementById('scheduler-json').value);
  } catch (e) {
    notice(`Not JSON: ${e.message}`, true);
    return;
  }
  act('Save scheduler', 'PUT', `/api/queues/${enc(queue)}/schedulers/${enc(id)}`, body);
}

// ---- Live updates -------------------------------------------------------------------------------

/** One SSE stream for the whole page; a burst of events redraws list pages at most twice a second. */
function listen() {
  const live = document.getElementById('live');
  const source = new EventSource('/api/events');
  source.onopen = () => live.classList.add('on');
  source.onerror = () => live.classList.remove('on');
  source.addEventListener('progress', (message) => {
    const event = JSON.parse(message.data);
    const {parts} = parseHash();
    if (parts[0] === 'jobs') {
      if (event.jobId !== parts[1]) return;
      if (jobEvents.id !== event.jobId) jobEvents = {id: event.jobId, events: []};
      jobEvents.events.push(event);
    }
    if (!refreshTimer) refreshTimer = setTimeout(() => { refreshTimer = null; render(); }, 500);
  });
}

// ---- Router -----------------------------------------------------------------------------------

async function render() {
  const {parts, params} = parseHash();
  document.querySelectorAll('header nav a').forEach(a =>
    a.classList.toggle('current', a.dataset.nav === (parts[0] === 'schedulers' ? 'schedulers' : 'queues')));
  try {
    if (parts[0] === 'jobs' && parts[1]) current = () => jobPage(parts[1]);
    else if (parts[0] === 'queues' && parts[1] && parts[2] === 'dead-letters') current = () => deadLettersPage(parts[1]);
    else if (parts[0] === 'queues' && parts[1]) current = () => queuePage(parts[1], params);
    else if (parts[0] === 'schedulers') current = () => schedulersPage(params);
    else if (parts[0] === 'search' && parts[1]) current = () => searchPage(parts[1]);
    else current = queuesPage;
    await current();
  } catch (e) {
    view.innerHTML = `<h1>Not available</h1><p id="page-error">${esc(e.message)}</p>`;
  }
}

document.getElementById('search').addEventListener('submit', (e) => {
  e.preventDefault();
  const prefix = document.getElementById('search-input').value.trim();
  if (prefix) location.hash = `#/search/${enc(prefix)}`;
});
document.getElementById('api-key').addEventListener('click', () => {
  const key = prompt('Admin key (sent as X-Api-Key; empty to forget it)', localStorage.getItem('jobstream.apiKey') || '');
  if (key === null) return;
  if (key) localStorage.setItem('jobstream.apiKey', key); else localStorage.removeItem('jobstream.apiKey');
});
const readOnly = document.getElementById('read-only');
readOnly.checked = localStorage.getItem('jobstream.readOnly') === 'true';
document.body.classList.toggle('read-only', readOnly.checked);
readOnly.addEventListener('change', () => {
  localStorage.setItem('jobstream.readOnly', readOnly.checked);
  document.body.classList.toggle('read-only', readOnly.checked);
});
window.addEventListener('hashchange', render);
render();
listen();
