/* efop-author LMS adapter: SCORM 2004 4th Edition (window.efopLms). See docs/runtime.md.
 * Same interface and guarantees as scorm12.js, with the 2004 data model (standards.md §3):
 * API_1484_11 discovery, Initialize/Terminate once, completion_status + success_status,
 * score.scaled, ISO 8601 session time and latency, interactions with [,] [.] delimiters and
 * "incorrect", cmi.location (1000) and cmi.suspend_data (64000). Never throws.
 */
(function () {
  'use strict';

  var API_NAME = 'API_1484_11';
  var api = null;
  var phase = 'idle'; // idle | running | finished | standalone
  var startedAt = 0;
  var done = false; // passed or completed: exit "normal", a later launch starts afresh
  var pending = {};
  var troubled = false;
  var interactions = 0;

  /* efop:include _scorm.js */
  function lastError() { return call('GetLastError', []); }
  function get(element) { return call('GetValue', [element]); }
  // Retried once; a value the LMS refuses as such (201, 401-408) is not kept for later.
  function set(element, value, keep) {
    if (phase !== 'running') { return false; }
    value = String(value);
    for (var attempt = 0; attempt < 2; attempt++) {
      if (call('SetValue', [element, value]) === 'true') { delete pending[element]; return true; }
    }
    if (keep && !/^(201|40[1-8])$/.test(lastError())) { pending[element] = value; }
    if (!troubled) { troubled = true; notice('lms-error'); }
    return false;
  }
  // ISO 8601 duration with at most 2 decimals: PT1H2M3.45S.
  function duration(ms) {
    var cs = Math.max(0, Math.round(ms / 10));
    var h = Math.floor(cs / 360000); cs -= h * 360000;
    var m = Math.floor(cs / 6000); cs -= m * 6000;
    return 'PT' + (h ? h + 'H' : '') + (m ? m + 'M' : '') + (cs / 100).toFixed(2).replace(/\.?0+$/, '') + 'S';
  }
  function flush() {
    for (var el in pending) {
      if (Object.prototype.hasOwnProperty.call(pending, el)) { set(el, pending[el], true); }
    }
  }
  function hasPending() {
    for (var el in pending) { if (Object.prototype.hasOwnProperty.call(pending, el)) { return true; } }
    return false;
  }
  function commit() {
    if (phase !== 'running') { return false; }
    set('cmi.session_time', duration(Date.now() - startedAt), true);
    for (var attempt = 0; attempt < 2; attempt++) {
      flush();
      if (call('Commit', ['']) === 'true' && !hasPending()) {
        if (troubled) { troubled = false; notice('lms-recovered'); }
        return true;
      }
      troubled = true;
    }
    notice('lms-failed');
    return false;
  }
  function interactionType(type) {
    return { single: 'choice', multiple: 'choice', 'true-false': 'true-false', matching: 'matching', ordering: 'sequencing', 'fill-in': 'fill-in' }[type] || 'other';
  }
  // 2004 response patterns (standards.md §3.4): a[,]c, true/false, 1[.]a[,]2[.]b, text.
  function pattern(type, list) {
    if (type === 'true-false') { return list.length && list[0] === 'a' ? 'true' : 'false'; }
    if (type === 'fill-in') { return String(list[0] || '').slice(0, 250); }
    return list.map(function (x) { return String(x).replace('.', '[.]'); }).join('[,]');
  }
  function iso(date) {
    return date.toISOString().slice(0, 19); // YYYY-MM-DDThh:mm:ss, UTC
  }

  window.efopLms = {
    name: 'scorm2004',
    start: function () {
      var none = { entry: '', location: '', state: '', learner: '' };
      if (phase !== 'idle') { return none; }
      api = discover();
      if (!api) { phase = 'standalone'; notice('lms-missing'); return none; }
      if (call('Initialize', ['']) !== 'true' && lastError() !== '103') {
        phase = 'standalone'; notice('lms-failed'); return none;
      }
      phase = 'running';
      startedAt = Date.now();
      var completion = get('cmi.completion_status');
      done = completion === 'completed';
      if (completion === '' || completion === 'not attempted' || completion === 'unknown') {
        set('cmi.completion_status', 'incomplete', true);
      }
      interactions = parseInt(get('cmi.interactions._count'), 10) || 0;
      var entry = get('cmi.entry');
      // Reading a value never set is error 403 in 2004: only a resumed attempt has them.
      var info = {
        entry: entry,
        location: entry === 'resume' ? get('cmi.location') : '',
        state: entry === 'resume' ? get('cmi.suspend_data') : '',
        learner: get('cmi.learner_id')
      };
      set('cmi.exit', 'suspend', true);
      return info;
    },
    pageVisited: function (id) {
      set('cmi.location', String(id).slice(0, 1000), true);
    },
    answer: function (i) {
      if (phase !== 'running') { return; }
      var n = 'cmi.interactions.' + interactions + '.';
      var type = interactionType(i.type);
      if (!set(n + 'id', String(i.id).replace(/\s/g, '_').slice(0, 4000), false)) { return; }
      interactions += 1;
      set(n + 'type', type, false);
      set(n + 'timestamp', iso(i.time || new Date()), false);
      set(n + 'correct_responses.0.pattern', pattern(type, type === 'fill-in' ? i.correct.slice(0, 1) : i.correct), false);
      var response = pattern(type, i.response);
      if (response !== '' || type === 'fill-in') { set(n + 'learner_response', response, false); }
      set(n + 'result', i.result ? 'correct' : 'incorrect', false);
      set(n + 'latency', duration(i.latency), false);
      if (i.question && i.question.text) { set(n + 'description', String(i.question.text).slice(0, 250), false); }
    },
    quizResult: function (r) {
      if (r.moduleScore == null) { return; }
      var raw = Math.max(0, Math.min(100, Math.round(r.moduleScore)));
      set('cmi.score.min', '0', true);
      set('cmi.score.max', '100', true);
      set('cmi.score.raw', String(raw), true);
      set('cmi.score.scaled', String(raw / 100), true);
    },
    saveState: function (s) {
      set('cmi.suspend_data', s, true);
    },
    complete: function (st) {
      // The run-time speaks SCORM 1.2 statuses; 2004 splits them in two.
      if (st === 'passed' || st === 'failed') {
        set('cmi.success_status', st, true);
      }
      if (st === 'passed' || st === 'failed' || st === 'completed') {
        set('cmi.completion_status', 'completed', true);
      }
      done = st === 'passed' || st === 'completed'; // failed: keep the state to try again
    },
    commit: commit,
    exit: function () {
      if (phase !== 'running') { return; }
      set('cmi.session_time', duration(Date.now() - startedAt), true);
      set('cmi.exit', done ? 'normal' : 'suspend', true);
      flush();
      phase = 'finished';
      call('Terminate', ['']);
    }
  };
})();
