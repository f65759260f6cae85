/* efop-author LMS adapter: SCORM 1.2 (window.efopLms). See docs/runtime.md.
 * API discovery up the parent chain then the opener (at most 500 windows), LMSInitialize once,
 * lesson_status never left at "not attempted", bookmark in cmi.core.lesson_location,
 * state in cmi.suspend_data, score 0-100, CMITimespan session time, interactions in the 1.2
 * formats, LMSFinish exactly once. A call answered "false" is retried once; the data are kept
 * and a French notice is shown (event "efop:notice"); nothing here ever throws.
 */
(function () {
  'use strict';

  var API_NAME = 'API';
  var api = null;
  var phase = 'idle'; // idle | running | finished | standalone
  var startedAt = 0;
  var status = '';
  var pending = {}; // element -> value, set again before the next commit
  var troubled = false;
  var interactions = 0;

  /* efop:include _scorm.js */
  function lastError() { return call('LMSGetLastError', []); }
  function get(element) {
    var v = call('LMSGetValue', [element]);
    return v === 'undefined' || v === 'null' ? '' : v;
  }
  // Set a value; retried once. Core elements that still fail wait in `pending`, unless the
  // LMS said the value itself is wrong (201, 401-405): retrying those would never succeed.
  function set(element, value, keep) {
    if (phase !== 'running') { return false; }
    value = String(value);
    if (call('LMSSetValue', [element, value]) === 'true') { delete pending[element]; return true; }
    var code = lastError();
    if (call('LMSSetValue', [element, value]) === 'true') { delete pending[element]; return true; }
    code = lastError() || code;
    if (keep && !/^(201|40[1-5])$/.test(code)) { pending[element] = value; }
    if (!troubled) { troubled = true; notice('lms-error'); }
    return false;
  }
  function pad(n, width) {
    var s = String(n);
    while (s.length < width) { s = '0' + s; }
    return s;
  }
  // CMITimespan HHHH:MM:SS.SS (hours: at least 2 digits, at most 9999).
  function timespan(ms) {
    var cs = Math.max(0, Math.round(ms / 10));
    var h = Math.floor(cs / 360000);
    if (h > 9999) { return '9999:59:59.99'; }
    cs -= h * 360000;
    var m = Math.floor(cs / 6000);
    cs -= m * 6000;
    var s = Math.floor(cs / 100);
    cs -= s * 100;
    return pad(h, 2) + ':' + pad(m, 2) + ':' + pad(s, 2) + '.' + pad(cs, 2);
  }
  function finished() { return status === 'passed' || status === 'completed'; }
  function flush() {
    for (var el in pending) {
      if (Object.prototype.hasOwnProperty.call(pending, el)) { set(el, pending[el], true); }
    }
  }
  function commit() {
    if (phase !== 'running') { return false; }
    set('cmi.core.session_time', timespan(Date.now() - startedAt), true);
    flush();
    if (call('LMSCommit', ['']) === 'true' && !hasPending()) {
      if (troubled) { troubled = false; notice('lms-recovered'); }
      return true;
    }
    troubled = true;
    flush();
    if (call('LMSCommit', ['']) === 'true' && !hasPending()) {
      troubled = false;
      notice('lms-recovered');
      return true;
    }
    notice('lms-failed');
    return false;
  }
  function hasPending() {
    for (var el in pending) { if (Object.prototype.hasOwnProperty.call(pending, el)) { return true; } }
    return false;
  }
  function interactionType(type) {
    return { single: 'choice', multiple: 'choice', 'true-false': 'true-false', matching: 'matching', ordering: 'sequencing', 'fill-in': 'fill-in' }[type] || 'performance';
  }
  // CMIFeedback for SCORM 1.2: choice "a,c", true-false "t"/"f", matching "1.a,2.b",
  // sequencing "a,b,c", fill-in text (at most 255 characters).
  function feedback(type, list) {
    if (type === 'true-false') { return list.length ? (list[0] === 'a' ? 't' : 'f') : ''; }
    if (type === 'fill-in') { return String(list[0] || '').slice(0, 255); }
    return list.join(',').slice(0, 255);
  }

  window.efopLms = {
    name: 'scorm12',
    start: function () {
      var none = { entry: '', location: '', state: '', learner: '' };
      if (phase !== 'idle') { return none; }
      api = discover();
      if (!api) { phase = 'standalone'; notice('lms-missing'); return none; }
      if (call('LMSInitialize', ['']) !== 'true') {
        // Moodle answers "false" (101) to a second LMSInitialize: if the session works, use it.
        call('LMSGetValue', ['cmi.core.lesson_status']);
        if (lastError() !== '0') { phase = 'standalone'; notice('lms-failed'); return none; }
      }
      phase = 'running';
      startedAt = Date.now();
      status = get('cmi.core.lesson_status');
      if (status === '' || status === 'not attempted') {
        status = get('cmi.core.lesson_mode') === 'browse' ? 'browsed' : 'incomplete';
        set('cmi.core.lesson_status', status, true);
      }
      interactions = parseInt(get('cmi.interactions._count'), 10) || 0;
      var info = {
        entry: get('cmi.core.entry'),
        location: get('cmi.core.lesson_location'),
        state: get('cmi.suspend_data'),
        learner: get('cmi.core.student_id')
      };
      set('cmi.core.exit', finished() ? '' : 'suspend', true);
      return info; // the run-time commits right after showing the first page
    },
    pageVisited: function (id) {
      set('cmi.core.lesson_location', String(id).slice(0, 255), true);
    },
    answer: function (i) {
      if (phase !== 'running') { return; }
      var n = 'cmi.interactions.' + interactions + '.';
      var type = interactionType(i.type);
      if (!set(n + 'id', String(i.id).replace(/[^\u0021-\u007E]/g, '_').slice(0, 255), false)) { return; }
      interactions += 1;
      set(n + 'type', type, false);
      set(n + 'student_response', feedback(type, i.response), false);
      set(n + 'correct_responses.0.pattern', feedback(type, type === 'fill-in' ? i.correct.slice(0, 1) : i.correct), false);
      set(n + 'result', i.result ? 'correct' : 'wrong', false);
      set(n + 'time', i.clock, false);
      set(n + 'latency', timespan(i.latency), false);
    },
    quizResult: function (r) {
      if (r.moduleScore == null) { return; }
      set('cmi.core.score.min', '0', true);
      set('cmi.core.score.max', '100', true);
      set('cmi.core.score.raw', String(Math.max(0, Math.min(100, Math.round(r.moduleScore)))), true);
    },
    saveState: function (s) {
      set('cmi.suspend_data', s, true);
    },
    complete: function (st) {
      status = st;
      set('cmi.core.lesson_status', st, true);
      set('cmi.core.exit', finished() ? '' : 'suspend', true);
    },
    commit: commit,
    exit: function () {
      if (phase !== 'running') { return; }
      set('cmi.core.session_time', timespan(Date.now() - startedAt), true);
      set('cmi.core.exit', finished() ? '' : 'suspend', true);
      flush();
      phase = 'finished'; // guard first: LMSFinish is called exactly once
      call('LMSFinish', ['']);
    }
  };
})();
