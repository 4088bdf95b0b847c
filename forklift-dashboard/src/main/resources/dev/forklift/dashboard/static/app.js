// Forklift dashboard: plain JavaScript, one EventSource, uPlot for the throughput chart.
(function () {
  'use strict';
  var params = new URLSearchParams(location.search);
  var token = params.get('token') || '';
  var paused = false;
  var last = null;
  var selectedTask = null;
  var failures = [];
  var series = [[], [], []];
  var chart = null;
  var MAX_POINTS = 600;

  function $(id) { return document.getElementById(id); }
  function withToken(url) { return url + (url.indexOf('?') < 0 ? '?' : '&') + 'token=' + encodeURIComponent(token); }
  function text(v) { return v === null || v === undefined ? '' : String(v); }
  function num(v, digits) { return v === null || v === undefined ? '' : Number(v).toFixed(digits || 0); }
  function bytes(v) {
    if (v === null || v === undefined || v < 0) return '';
    var units = ['B', 'KB', 'MB', 'GB']; var i = 0;
    while (v >= 1024 && i < units.length - 1) { v /= 1024; i++; }
    return v.toFixed(i ? 1 : 0) + ' ' + units[i];
  }
  function duration(seconds) {
    if (seconds === null || seconds === undefined) return '';
    seconds = Math.round(seconds);
    if (seconds < 60) return seconds + 's';
    if (seconds < 3600) return Math.floor(seconds / 60) + 'm' + (seconds % 60) + 's';
    return Math.floor(seconds / 3600) + 'h' + Math.floor(seconds % 3600 / 60) + 'm';
  }
  function cell(tr, value, cls) {
    var td = document.createElement('td');
    if (value instanceof Node) td.appendChild(value); else td.textContent = text(value);
    if (cls) td.className = cls;
    tr.appendChild(td);
    return td;
  }
  function bar(fraction, warn) {
    var div = document.createElement('div'); div.className = 'bar' + (warn ? ' warn' : '');
    var span = document.createElement('span');
    span.style.width = Math.max(0, Math.min(100, fraction * 100)).toFixed(1) + '%';
    div.appendChild(span); return div;
  }
  function fill(tableId, rows, render) {
    var body = $(tableId).querySelector('tbody');
    var fresh = document.createElement('tbody');
    rows.forEach(function (row) { var tr = document.createElement('tr'); render(tr, row); fresh.appendChild(tr); });
    body.parentNode.replaceChild(fresh, body);
  }

  function post(action, query, confirmText) {
    if (confirmText && !window.confirm(confirmText)) return Promise.resolve();
    return fetch(withToken('/api/actions/' + action + '?' + query), {
      method: 'POST', headers: { 'X-Forklift-Token': token }
    }).then(function (r) {
      if (action === 'flight-recording' && r.ok) {
        return r.blob().then(function (blob) {
          var a = document.createElement('a'); a.href = URL.createObjectURL(blob);
          a.download = 'worker.jfr'; a.click(); return 'recording downloaded';
        });
      }
      return r.text().then(function (t) { return (r.ok ? '' : r.status + ': ') + t; });
    }).then(function (message) {
      if (message === undefined) return;
      if (action === 'thread-dump') { $('dump').hidden = false; $('dump').textContent = message; }
      else { $('action-result').textContent = message; }
    });
  }

  function actionButtons(p) {
    var span = document.createElement('span');
    if (!last || !last.actionsAllowed || !p.alive || p.pid === p.job) return span;
    [['kill', 'Kill', 'Kill worker ' + p.pid + ' (SIGKILL)?'], ['recycle', 'Recycle', 'Recycle worker ' + p.pid + '?'],
     ['thread-dump', 'Threads', null], ['flight-recording', 'JFR 10s', null]].forEach(function (a) {
      var b = document.createElement('button'); b.type = 'button'; b.textContent = a[1];
      b.addEventListener('click', function () { post(a[0], 'pid=' + p.pid + (a[0] === 'flight-recording' ? '&seconds=10' : ''), a[2]); });
      span.appendChild(b);
    });
    return span;
  }

  function render(s) {
    last = s;
    $('mode').textContent = (s.mode === 'host' ? 'all jobs on ' : 'this job on ') + s.host;
    $('actions-note').textContent = s.actionsAllowed ? 'actions allowed' : 'read-only';
    $('retry-all').hidden = !s.actionsAllowed;
    fill('jobs', s.jobs, function (tr, j) {
      var title = cell(tr, (j.command || j.name) + (j.pools.length ? ' (' + j.pools.join(', ') + ')' : ''), 'input');
      title.title = j.name + ': ' + j.command;
      cell(tr, j.pid, 'num'); cell(tr, j.state);
      cell(tr, j.progress === null ? '' : bar(j.progress));
      cell(tr, j.submitted ? j.done + ' / ' + j.submitted : j.done, 'num');
      cell(tr, num(j.rate, 1), 'num'); cell(tr, duration(j.etaSeconds), 'num');
      cell(tr, j.workers, 'num'); cell(tr, j.restarts, 'num'); cell(tr, j.failed, 'num');
    });
    fill('processes', s.processes, function (tr, p) {
      if (!p.alive) tr.className = 'exited';
      cell(tr, p.pid, 'num'); cell(tr, p.job, 'num'); cell(tr, p.role); cell(tr, p.name);
      cell(tr, p.alive ? p.state : 'exited ' + duration((p.exitedAgoMs || 0) / 1000) + ' ago');
      cell(tr, p.currentTask > 0 ? '#' + p.currentTask + ' for ' + duration(p.taskAgeMs / 1000) : '');
      cell(tr, p.items, 'num'); cell(tr, num(p.itemsRate, 1), 'num'); cell(tr, num(p.cpuPercent, 0), 'num');
      cell(tr, bytes(p.rssBytes), 'num'); cell(tr, p.alive ? (p.heartbeatAgeMs / 1000).toFixed(1) + 's' : '', 'num');
      cell(tr, p.restarts, 'num'); cell(tr, actionButtons(p), 'act');
    });
    fill('queues', s.queues, function (tr, q) {
      cell(tr, q.name); cell(tr, q.job, 'num');
      var depth = document.createElement('span');
      depth.appendChild(bar(q.capacity ? q.size / q.capacity : 0, q.size >= q.capacity * 0.9));
      depth.appendChild(document.createTextNode(' ' + q.size + ' / ' + q.capacity));
      cell(tr, depth); cell(tr, num(q.putRate, 0), 'num'); cell(tr, num(q.takeRate, 0), 'num');
      cell(tr, q.puts, 'num'); cell(tr, q.takes, 'num');
      cell(tr, q.torn + ' / ' + q.abandoned + ' / ' + q.aborted, 'num'); cell(tr, q.closed ? 'yes' : '');
    });
    renderCluster(s.cluster);
    $('failed-count').textContent = s.failedCount + ' kept';
    fill('groups', s.failureGroups, function (tr, g) {
      cell(tr, g.count, 'num'); cell(tr, g.errorClass); cell(tr, g.topFrame, 'input'); cell(tr, g.lastMessage, 'input');
    });
    if (s.point) addPoint(s.point);
    if (s.failedCount !== failures.length || s.failedCount > 0 && !failures.length) loadFailures();
  }

  function renderCluster(c) {
    $('cluster').hidden = !c;
    if (!c) return;
    $('cluster-name').textContent = c.name + (c.readAgoMs === null ? ' (not read yet)' : '');
    $('cluster-error').textContent = c.error ? 'cannot read: ' + c.error : '';
    fill('cluster-hosts', c.hosts, function (tr, h) {
      cell(tr, h.name); cell(tr, h.pid, 'num'); cell(tr, h.workers, 'num');
      cell(tr, h.workerPids.join(' '), 'input'); cell(tr, h.tasksDone, 'num'); cell(tr, num(h.doneRate, 1), 'num');
      cell(tr, h.tasksHeld, 'num'); cell(tr, h.statusAgeMs === null ? '' : (h.statusAgeMs / 1000).toFixed(1) + 's', 'num');
    });
    fill('cluster-queues', c.queues, function (tr, q) {
      cell(tr, q.name); cell(tr, q.messages, 'num'); cell(tr, q.consumers, 'num');
    });
  }

  function loadFailures() {
    fetch(withToken('/api/failed'), { headers: { 'X-Forklift-Token': token } })
      .then(function (r) { return r.json(); })
      .then(function (list) {
        failures = list;
        fill('failures', list.slice().reverse(), function (tr, f) {
          tr.className = 'clickable' + (selectedTask === f.taskId ? ' selected' : '');
          tr.dataset.task = f.taskId;
          cell(tr, f.taskId, 'num'); cell(tr, f.errorClass + (f.errorMessage ? ': ' + f.errorMessage : ''), 'input');
          cell(tr, f.attempts, 'num'); cell(tr, f.workerPid, 'num');
          cell(tr, f.exitCode === null ? '' : f.exitCode + (f.signal === null ? '' : ' (signal ' + f.signal + ')'));
          cell(tr, f.input, 'input'); cell(tr, f.failedAt);
          tr.addEventListener('click', function () { showFailure(f); });
        });
      });
  }

  function showFailure(f) {
    selectedTask = f.taskId;
    $('failure-detail').hidden = false;
    $('failure-title').textContent = 'Task ' + f.taskId + ' on ' + f.workerName + ' (pid ' + f.workerPid + '), '
      + f.attempts + ' attempt(s), input ' + f.input;
    $('failure-stack').textContent = f.stackTrace || (f.errorClass + ': ' + f.errorMessage);
  }

  function makeChart() {
    var el = $('chart');
    chart = new uPlot({
      width: Math.max(400, el.clientWidth - 10), height: 220,
      series: [{}, { label: 'completed/s', stroke: '#3b78c4', width: 2 }, { label: 'failed/s', stroke: '#c62828', width: 2 }],
      axes: [{}, { label: 'per second' }]
    }, series, el);
  }

  function addPoint(p) {
    if (series[0].length && series[0][series[0].length - 1] >= p.t) return;
    series[0].push(p.t); series[1].push(p.completed); series[2].push(p.failed);
    if (series[0].length > MAX_POINTS) { series.forEach(function (s) { s.shift(); }); }
    document.body.dataset.points = String(series[0].length);
    if (chart && !paused) chart.setData(series);
  }

  function connect() {
    var source = new EventSource(withToken('/events'));
    source.addEventListener('snapshot', function (e) {
      var s = JSON.parse(e.data);
      if (paused) { if (s.point) addPoint(s.point); return; }
      $('status').textContent = 'live'; $('status').className = 'status live';
      render(s);
    });
    source.onerror = function () { $('status').textContent = 'reconnecting…'; $('status').className = 'status down'; };
  }

  $('pause').addEventListener('click', function () {
    paused = !paused;
    $('pause').textContent = paused ? 'Resume' : 'Pause';
    $('status').textContent = paused ? 'paused' : 'live';
    $('status').className = 'status ' + (paused ? 'paused' : 'live');
    if (!paused && chart) chart.setData(series);
  });
  $('retry-all').addEventListener('click', function () {
    post('retry-failed', 'confirm=yes', 'Retry all ' + (last ? last.failedCount : '') + ' failed tasks?');
  });
  $('download').addEventListener('click', function (e) {
    e.preventDefault();
    fetch(withToken('/api/failed.jsonl')).then(function (r) { return r.blob(); }).then(function (blob) {
      var a = document.createElement('a'); a.href = URL.createObjectURL(blob); a.download = 'failed.jsonl'; a.click();
    });
  });

  fetch(withToken('/api/history'), { headers: { 'X-Forklift-Token': token } })
    .then(function (r) { return r.json(); })
    .then(function (h) {
      series = [h.t, h.completed, h.failed];
      makeChart();
      document.body.dataset.points = String(series[0].length);
    })
    .catch(function () { makeChart(); })
    .then(connect);
})();
