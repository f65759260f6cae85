/* efop-author run-time: navigation by page, quizzes, scoring, learner state.
 * Talks to the platform only through window.efopLms (lms.js, one adapter per target): interface
 * and "efop:notice" events in docs/runtime.md §2; start(data) may answer with a promise.
 * State encoding (cmi.suspend_data): docs/runtime.md §5 and render/suspend.py (worst-case size);
 * FILL_IN_MAX and the grammar below must stay in step with it. No framework, no build step.
 */
(function () {
  'use strict';
  var doc = document;
  var dataEl = doc.getElementById('efop-data');
  if (!dataEl) { return; }
  var D;
  try { D = JSON.parse(dataEl.textContent); } catch (e) { return; }
  var STR = D.strings || {};
  var FILL_IN_MAX = D.fill_in_max || 60;
  var QUIZZES = D.quizzes || {};
  var lms = window.efopLms || null;

  function S(key, vars) {
    var s = STR[key] || key;
    return !vars ? s : s.replace(/\{(\w+)\}/g, function (m, k) { return vars[k] != null ? String(vars[k]) : m; });
  }
  function $(sel, root) { return (root || doc).querySelector(sel); }
  function $$(sel, root) { return Array.prototype.slice.call((root || doc).querySelectorAll(sel)); }
  function safe(name) {
    // Adapters must never throw; this is a second line of defence.
    var args = Array.prototype.slice.call(arguments, 1);
    if (!lms || typeof lms[name] !== 'function') { return undefined; }
    try { return lms[name].apply(lms, args); } catch (e) { return undefined; }
  }

  /* ---- pages ---- */
  var sections = $$('section.efop-page');
  var byId = {};
  var order = [];
  sections.forEach(function (s) {
    byId[s.getAttribute('data-page-id')] = s;
    if (!s.hasAttribute('data-annex')) { order.push(s.getAttribute('data-page-id')); }
  });
  var quizOrder = order.filter(function (id) { return !!QUIZZES[id]; });
  var state = { visited: {}, quizzes: {} };
  var current = null;
  var lastMain = order[0];
  var shownAt = {};
  var reported = null;
  var exited = false;
  var learner = '';

  function isMain(id) { return order.indexOf(id) >= 0; }
  function qstate(pid) {
    if (!state.quizzes[pid]) { state.quizzes[pid] = { tries: 0, score: null, answers: {}, retrying: false }; }
    return state.quizzes[pid];
  }
  function questionOf(pid, qid) {
    var qs = QUIZZES[pid].questions;
    for (var i = 0; i < qs.length; i++) { if (qs[i].id === qid) { return qs[i]; } }
    return null;
  }

  /* ---- notices ---- */
  var noticeRegion = $('[data-efop-notice]');
  function notice(key, opts) {
    opts = opts || {};
    if (!noticeRegion) { return null; }
    var group = opts.group || key;
    removeNotice(group);
    var box = doc.createElement('div');
    box.className = 'efop-notice' + (opts.error ? ' efop-notice--error' : '');
    box.setAttribute('data-notice-group', group);
    box.setAttribute('data-notice', key);
    var p = doc.createElement('p');
    p.textContent = opts.text || S(key, opts.vars);
    box.appendChild(p);
    (opts.actions || []).forEach(function (a) {
      var b = doc.createElement('button');
      b.type = 'button';
      b.className = 'efop-button' + (a.primary ? ' efop-button--primary' : '');
      b.textContent = a.label;
      b.addEventListener('click', function () { removeNotice(group); a.run(); });
      box.appendChild(b);
    });
    noticeRegion.appendChild(box);
    return box;
  }
  function removeNotice(group) {
    var old = noticeRegion && $('[data-notice-group="' + group + '"]', noticeRegion);
    if (old) { old.parentNode.removeChild(old); }
  }
  var LMS_NOTICES = { 'lms-missing': 0, 'lms-error': 1, 'lms-failed': 1, 'lms-recovered': 0, 'web-nostorage': 1, 'web-saved': 0,
    'cmi5-launch': 1, 'cmi5-auth': 1, 'cmi5-rejected': 1, 'cmi5-ended': 0, 'cmi5-browse': 0, 'lms-timeout': 1 };
  doc.addEventListener('efop:notice', function (ev) {
    var key = ev && ev.detail && ev.detail.key;
    if (key && STR[key]) { notice(key, { group: 'lms', error: LMS_NOTICES[key] === 1 }); }
  });

  /* ---- seeded shuffle (stable for a learner across launches) ---- */
  function hash(str) {
    var h = 2166136261;
    for (var i = 0; i < str.length; i++) { h ^= str.charCodeAt(i); h = Math.imul(h, 16777619) >>> 0; }
    return h >>> 0;
  }
  function shuffled(list, seed) {
    var a = list.slice();
    var x = hash(seed);
    function rnd() { // mulberry32
      x = (x + 0x6D2B79F5) >>> 0;
      var t = Math.imul(x ^ (x >>> 15), x | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    }
    for (var i = a.length - 1; i > 0; i--) {
      var j = Math.floor(rnd() * (i + 1));
      var tmp = a[i]; a[i] = a[j]; a[j] = tmp;
    }
    return a;
  }

  /* ---- state encoding ---- */
  var ESCAPE = /[%|;:,=\u0000-\u001f\u007f]/g;
  function escapeText(text) {
    var out = '';
    for (var i = 0; i < text.length; i++) {
      var c = text.charAt(i);
      var code = text.charCodeAt(i);
      var piece = c;
      if (code >= 0xD800 && code <= 0xDBFF && i + 1 < text.length) { piece = c + text.charAt(i + 1); i++; }
      else if (c.match(ESCAPE)) { piece = '%' + (code < 16 ? '0' : '') + code.toString(16).toUpperCase(); }
      if (out.length + piece.length > FILL_IN_MAX) { break; }
      out += piece;
    }
    return out;
  }
  function unescapeText(text) {
    return text.replace(/%([0-9A-Fa-f]{2})/g, function (m, h) { return String.fromCharCode(parseInt(h, 16)); });
  }
  function encode() {
    var visited = order.filter(function (id) { return state.visited[id]; }).join(',');
    var quizzes = [];
    quizOrder.forEach(function (pid) {
      var st = state.quizzes[pid];
      if (!st) { return; }
      var answers = [];
      QUIZZES[pid].questions.forEach(function (q) {
        var v = st.answers[q.id];
        if (v == null || v === '') { return; }
        answers.push(q.id + '=' + (q.type === 'fill-in' ? escapeText(v) : v));
      });
      if (!answers.length && !st.tries) { return; }
      quizzes.push([pid, QUIZZES[pid].sig, Math.min(st.tries, 99), st.score == null ? '' : st.score, answers.join(',')].join(':'));
    });
    return '1|' + visited + '|' + quizzes.join(';');
  }
  function validValue(q, v) {
    var keys;
    if (q.type === 'fill-in') { return true; }
    if (q.type === 'single' || q.type === 'true-false') {
      return v.length === 1 && q.choices.some(function (c) { return c.key === v; });
    }
    if (q.type === 'multiple') {
      keys = q.choices.map(function (c) { return c.key; });
      return v.split('').every(function (k, i, all) { return keys.indexOf(k) >= 0 && all.indexOf(k) === i; });
    }
    if (q.type === 'matching') {
      keys = q.targets.map(function (t) { return t.key; });
      return v.length === q.sources.length && v.split('').every(function (k) { return k === '-' || keys.indexOf(k) >= 0; });
    }
    keys = q.items.map(function (t) { return t.key; });
    return v.length === keys.length && v.split('').sort().join('') === keys.slice().sort().join('');
  }
  // Restores what still makes sense: pages and questions by id; a quiz whose signature
  // changed keeps the answers that fit its current questions but loses its result.
  function decode(str) {
    if (typeof str !== 'string' || str.charAt(0) !== '1' || str.charAt(1) !== '|') { return; }
    var parts = str.split('|');
    if (parts.length !== 3) { return; }
    parts[1].split(',').forEach(function (id) { if (isMain(id)) { state.visited[id] = true; } });
    (parts[2] ? parts[2].split(';') : []).forEach(function (chunk) {
      var f = chunk.split(':');
      var pid = f[0];
      if (f.length !== 5 || !QUIZZES[pid]) { return; }
      var st = qstate(pid);
      (f[4] ? f[4].split(',') : []).forEach(function (pair) {
        var at = pair.indexOf('=');
        if (at < 1) { return; }
        var q = questionOf(pid, pair.slice(0, at));
        var v = pair.slice(at + 1);
        if (!q) { return; }
        if (q.type === 'fill-in') { v = unescapeText(v); }
        if (v !== '' && validValue(q, v)) { st.answers[q.id] = v; }
      });
      var tries = parseInt(f[2], 10);
      var score = f[3] === '' ? null : parseInt(f[3], 10);
      if (f[1] === QUIZZES[pid].sig && tries >= 0 && tries <= 99) {
        st.tries = tries;
        st.score = score >= 0 && score <= 100 ? score : null;
        if (st.score == null) { st.tries = 0; }
      }
    });
  }

  /* ---- status ---- */
  function allSeen() { return order.every(function (id) { return state.visited[id]; }); }
  function moduleScore() {
    if (!quizOrder.length) { return null; }
    var sum = 0;
    for (var i = 0; i < quizOrder.length; i++) {
      var st = state.quizzes[quizOrder[i]];
      if (!st || st.score == null) { return null; }
      sum += st.score;
    }
    return Math.round(sum / quizOrder.length);
  }
  function computeStatus() {
    var mastery = D.module.mastery_score;
    if (mastery != null && quizOrder.length) {
      var ms = moduleScore();
      if (ms == null) { return 'incomplete'; }
      return ms >= mastery ? 'passed' : 'failed';
    }
    return allSeen() ? 'completed' : 'incomplete';
  }
  function reportStatus() {
    var st = computeStatus();
    if (st !== reported) {
      reported = st;
      safe('complete', st);
      if (st !== 'incomplete') {
        notice(st === 'passed' ? 'module-passed' : st === 'failed' ? 'module-failed' : 'completed', { group: 'status' });
      }
    }
  }
  function persist(commit) {
    if (exited) { return; }
    safe('saveState', encode());
    if (commit) { safe('commit'); }
  }

  /* ---- navigation ---- */
  var pager = $('[data-efop-pager]');
  var progress = $('[data-efop-progress] progress');
  var progressText = $('[data-efop-progress-text]');
  function updateChrome() {
    var seen = order.filter(function (id) { return state.visited[id]; }).length;
    var pos = order.indexOf(isMain(current) ? current : lastMain);
    if (progress) { progress.value = seen; progress.max = order.length; }
    if (progressText) {
      progressText.textContent = S('page-of', { n: pos + 1, total: order.length }) + ' · ' + S('progress', { seen: seen, total: order.length });
    }
    $$('a[data-toc-page]').forEach(function (a) {
      var id = a.getAttribute('data-toc-page');
      if (id === current) { a.setAttribute('aria-current', 'page'); } else { a.removeAttribute('aria-current'); }
      var mark = $('.efop-sr', a);
      if (state.visited[id] && !mark) {
        mark = doc.createElement('span');
        mark.className = 'efop-sr';
        mark.textContent = ' ' + S('visited');
        a.appendChild(mark);
        a.classList.add('efop-seen');
      }
    });
    if (pager) {
      var annex = !isMain(current);
      var prev = $('[data-efop-action="prev"]', pager);
      var next = $('[data-efop-action="next"]', pager);
      prev.hidden = annex;
      next.hidden = annex;
      prev.disabled = pos <= 0;
      next.disabled = pos >= order.length - 1;
    }
    $$('[data-efop-action="back"]').forEach(function (b) { b.hidden = false; });
  }
  function show(id, focus, keepBookmark) {
    if (!byId[id]) { return; }
    sections.forEach(function (s) { s.hidden = s.getAttribute('data-page-id') !== id; });
    current = id;
    if (isMain(id)) {
      lastMain = id;
      if (!shownAt[id]) { shownAt[id] = Date.now(); }
      state.visited[id] = true;
      if (!keepBookmark) { safe('pageVisited', id); }
      reportStatus();
      persist(true);
    }
    updateChrome();
    if (focus) {
      removeNotice('resume');
      var h = $('h1', byId[id]);
      if (h) { h.focus(); }
      if (window.scrollTo) { window.scrollTo(0, 0); }
    }
  }
  // Show the section holding the element of "#id"; false when it is not inside a page.
  function follow(href) {
    var target = href && href.length > 1 ? doc.getElementById(decodeURIComponent(href.slice(1))) : null;
    var section = target && target.closest('section.efop-page');
    if (!section) { return false; }
    show(section.getAttribute('data-page-id'), target === section);
    if (target !== section) {
      target.setAttribute('tabindex', '-1');
      target.focus();
    }
    return true;
  }
  function go(delta) {
    var pos = order.indexOf(isMain(current) ? current : lastMain) + delta;
    if (pos >= 0 && pos < order.length) { show(order[pos], true); }
  }
  function exit(ev) {
    var userAction = !!(ev && ev.type === 'click');
    if (exited) { return; }
    persist(false);
    exited = true;
    safe('exit');
    if (pager) { pager.hidden = true; }
    notice(reported === 'passed' || reported === 'completed' ? 'finished' : 'exited', { group: 'status' });
    if (D.target === 'web' && userAction) { window.location.href = '../index.html'; }
  }

  /* ---- quizzes ---- */
  function fieldset(form, q) { return $('fieldset[data-question-id="' + q.id + '"]', form); }
  function readAnswer(fs, q) {
    if (q.type === 'single' || q.type === 'true-false') {
      var r = $('input:checked', fs);
      return r ? r.value : '';
    }
    if (q.type === 'multiple') {
      return $$('input:checked', fs).map(function (i) { return i.value; }).sort().join('');
    }
    if (q.type === 'matching') {
      var v = q.sources.map(function (s) {
        var sel = $('select[data-source="' + s.key + '"]', fs);
        return sel && sel.value ? sel.value : '-';
      }).join('');
      return /^-+$/.test(v) ? '' : v;
    }
    if (q.type === 'ordering') {
      return $$('li[data-item]', fs).map(function (li) { return li.getAttribute('data-item'); }).join('');
    }
    var input = $('input[data-fill-in]', fs);
    return input ? input.value : '';
  }
  function writeAnswer(fs, q, v) {
    if (q.type === 'single' || q.type === 'true-false' || q.type === 'multiple') {
      $$('input', fs).forEach(function (i) { i.checked = v.indexOf(i.value) >= 0; });
    } else if (q.type === 'matching') {
      q.sources.forEach(function (s, i) {
        var sel = $('select[data-source="' + s.key + '"]', fs);
        if (sel) { sel.value = v.charAt(i) === '-' ? '' : v.charAt(i); }
      });
    } else if (q.type === 'ordering') {
      var list = $('[data-efop-ordering]', fs);
      v.split('').forEach(function (k) { var li = $('li[data-item="' + k + '"]', list); if (li) { list.appendChild(li); } });
    } else {
      var input = $('input[data-fill-in]', fs);
      if (input) { input.value = v; }
    }
  }
  function normalise(text, q) {
    var s = String(text).replace(/[\u2019\u2018\u02BC]/g, "'").replace(/\s+/g, ' ').trim();
    if (!q.case_sensitive) { s = s.toLocaleLowerCase(D.lang || 'fr'); }
    if (!q.accent_sensitive && s.normalize) { s = s.normalize('NFD').replace(/[\u0300-\u036f]/g, ''); }
    return s;
  }
  function isCorrect(q, v) {
    if (!v) { return false; }
    if (q.type === 'fill-in') {
      var n = normalise(v, q);
      return q.correct.some(function (a) { return normalise(a, q) === n; });
    }
    if (q.type === 'matching') {
      return q.sources.every(function (s, i) { return q.correct.indexOf(s.key + '.' + v.charAt(i)) >= 0; });
    }
    if (q.type === 'multiple') { return v === q.correct.slice().sort().join(''); }
    return v === q.correct.join('');
  }
  function responseList(q, v) {
    if (!v) { return []; }
    if (q.type === 'fill-in') { return [v]; }
    if (q.type === 'matching') {
      var out = [];
      q.sources.forEach(function (s, i) { if (v.charAt(i) !== '-') { out.push(s.key + '.' + v.charAt(i)); } });
      return out;
    }
    return v.split('');
  }
  function textOf(list, key) {
    for (var i = 0; i < list.length; i++) { if (list[i].key === key) { return list[i].text; } }
    return key;
  }
  function expectedText(q) {
    if (q.type === 'fill-in') { return q.correct[0]; }
    if (q.type === 'matching') {
      return q.correct.map(function (p) {
        var ab = p.split('.');
        return textOf(q.sources, ab[0]) + ' → ' + textOf(q.targets, ab[1]);
      }).join(' ; ');
    }
    if (q.type === 'ordering') { return q.correct.map(function (k) { return textOf(q.items, k); }).join(' → '); }
    return q.correct.map(function (k) { return textOf(q.choices, k); }).join(' ; ');
  }
  function mark(el, ok) {
    if (!el) { return; }
    el.className = 'efop-mark ' + (ok ? 'efop-mark--ok' : 'efop-mark--ko');
    el.innerHTML = '';
    var icon = doc.createElement('span');
    icon.setAttribute('aria-hidden', 'true');
    icon.textContent = ok ? '✓' : '✗';
    var label = doc.createElement('span');
    label.className = 'efop-sr';
    label.textContent = S(ok ? 'correct' : 'incorrect');
    el.appendChild(icon);
    el.appendChild(label);
  }
  function clearFeedback(fs) {
    $$('[data-efop-mark]', fs).forEach(function (m) { m.className = 'efop-mark'; m.innerHTML = ''; });
    $$('[data-fb], [data-fb-choice], [data-efop-verdict], [data-efop-expected]', fs).forEach(function (e) { e.hidden = true; });
  }
  function showFeedback(fs, q, v, last) {
    clearFeedback(fs);
    var ok = isCorrect(q, v);
    var verdict = $('[data-efop-verdict]', fs);
    verdict.className = 'efop-verdict ' + (ok ? 'efop-verdict--ok' : 'efop-verdict--ko');
    verdict.textContent = (ok ? '✓ ' : '✗ ') + S(ok ? 'correct' : 'incorrect') + (v ? '' : ' — ' + S('unanswered'));
    verdict.hidden = false;
    var fb = $('[data-fb="' + (ok ? 'correct' : 'incorrect') + '"]', fs);
    if (fb) { fb.hidden = false; }
    if (q.type === 'single' || q.type === 'multiple' || q.type === 'true-false') {
      $$('li[data-choice]', fs).forEach(function (li) {
        var key = li.getAttribute('data-choice');
        if (v.indexOf(key) < 0) { return; }
        mark($('[data-efop-mark]', li), q.correct.indexOf(key) >= 0);
        var cf = $('[data-fb-choice="' + key + '"]', li);
        if (cf) { cf.hidden = false; }
      });
    } else if (q.type === 'matching') {
      q.sources.forEach(function (s, i) {
        var li = $('li[data-source="' + s.key + '"]', fs);
        if (li && v) { mark($('[data-efop-mark]', li), q.correct.indexOf(s.key + '.' + v.charAt(i)) >= 0); }
      });
    }
    if (!ok && last) {
      var exp = $('[data-efop-expected]', fs);
      if (!exp) {
        exp = doc.createElement('p');
        exp.setAttribute('data-efop-expected', '');
        exp.className = 'efop-expected';
        $('[data-efop-feedback]', fs).appendChild(exp);
      }
      exp.textContent = S('expected', { answer: expectedText(q) });
      exp.hidden = false;
    }
  }
  function setLocked(form, locked) {
    $$('input, select, button[data-move]', form).forEach(function (el) { el.disabled = locked; });
    var submit = $('[data-efop-submit]', form);
    if (submit) { submit.hidden = locked; }
  }
  function canRetry(pid) {
    var quiz = QUIZZES[pid];
    var st = qstate(pid);
    var passed = quiz.pass_score != null ? st.score >= quiz.pass_score : st.score >= 100;
    return !passed && (quiz.attempts == null || st.tries < quiz.attempts);
  }
  function renderQuiz(pid) {
    var form = $('form[data-efop-quiz="' + pid + '"]');
    if (!form) { return; }
    var quiz = QUIZZES[pid];
    var st = qstate(pid);
    var result = $('[data-efop-result]', form);
    var retry = $('[data-efop-retry]', form);
    var submitted = st.score != null && !st.retrying;
    var more = submitted && canRetry(pid);
    quiz.questions.forEach(function (q) {
      var fs = fieldset(form, q);
      if (!fs) { return; }
      if (submitted) { showFeedback(fs, q, st.answers[q.id] || '', !more); } else { clearFeedback(fs); }
    });
    setLocked(form, submitted);
    retry.hidden = !more;
    result.innerHTML = '';
    if (!submitted) { return; }
    var lines = [quiz.pass_score != null ? S('score', { score: st.score, pass: quiz.pass_score }) : S('score-nopass', { score: st.score })];
    if (quiz.pass_score != null) { lines.push(S(st.score >= quiz.pass_score ? 'quiz-passed' : 'quiz-failed')); }
    if (more) {
      if (quiz.attempts != null) { lines.push(S('attempts-left', { n: quiz.attempts - st.tries })); }
      lines.push(S('retry-hint'));
    } else if (quiz.attempts != null && st.tries >= quiz.attempts && !(quiz.pass_score != null && st.score >= quiz.pass_score)) {
      lines.push(S('no-attempts-left'));
    }
    lines.forEach(function (line) {
      var p = doc.createElement('p');
      p.textContent = line;
      result.appendChild(p);
    });
  }
  function record(pid, form) {
    var st = qstate(pid);
    QUIZZES[pid].questions.forEach(function (q) {
      var fs = fieldset(form, q);
      if (!fs) { return; }
      var v = readAnswer(fs, q);
      if (v) { st.answers[q.id] = v; } else { delete st.answers[q.id]; }
    });
  }
  function pad(n) { return (n < 10 ? '0' : '') + n; }
  function submit(pid, form) {
    var quiz = QUIZZES[pid];
    var st = qstate(pid);
    if ((st.score != null && !st.retrying) || (quiz.attempts != null && st.tries >= quiz.attempts)) { return; }
    record(pid, form);
    var now = new Date();
    var total = 0;
    var got = 0;
    quiz.questions.forEach(function (q) {
      var v = st.answers[q.id] || '';
      var ok = isCorrect(q, v);
      total += q.weight;
      if (ok) { got += q.weight; }
      safe('answer', {
        quiz: pid,
        question: q,
        id: pid + '.' + q.id,
        type: q.type,
        response: responseList(q, v),
        correct: q.correct.slice(),
        result: ok,
        time: now,
        clock: pad(now.getHours()) + ':' + pad(now.getMinutes()) + ':' + pad(now.getSeconds()),
        latency: Math.max(0, now.getTime() - (shownAt[pid] || now.getTime()))
      });
    });
    st.tries += 1;
    st.score = total > 0 ? Math.round((100 * got) / total) : 0;
    st.retrying = false;
    renderQuiz(pid);
    safe('quizResult', {
      quiz: pid,
      score: st.score,
      passed: quiz.pass_score == null ? null : st.score >= quiz.pass_score,
      tries: st.tries,
      moduleScore: moduleScore()
    });
    reportStatus();
    persist(true);
    var result = $('[data-efop-result]', form);
    result.setAttribute('tabindex', '-1');
    result.focus();
  }
  function setupQuiz(form) {
    var pid = form.getAttribute('data-efop-quiz');
    var quiz = QUIZZES[pid];
    if (!quiz) { return; }
    var st = qstate(pid);
    quiz.questions.forEach(function (q) {
      var fs = fieldset(form, q);
      if (!fs) { return; }
      var seed = learner + '|' + q.id;
      if (quiz.shuffle && (q.type === 'single' || q.type === 'multiple')) {
        var ul = $('[data-efop-choices]', fs);
        shuffled($$('li[data-choice]', ul), seed).forEach(function (li) { ul.appendChild(li); });
      }
      if (quiz.shuffle && q.type === 'matching') {
        $$('select', fs).forEach(function (sel) {
          shuffled($$('option', sel).filter(function (o) { return o.value; }), seed).forEach(function (o) { sel.appendChild(o); });
        });
      }
      if (q.type === 'ordering') {
        var list = $('[data-efop-ordering]', fs);
        var items = shuffled($$('li[data-item]', list), seed);
        if (items.map(function (li) { return li.getAttribute('data-item'); }).join('') === q.correct.join('')) {
          items.push(items.shift());
        }
        items.forEach(function (li) { list.appendChild(li); });
      }
      if (st.answers[q.id]) { writeAnswer(fs, q, st.answers[q.id]); }
    });
    form.addEventListener('submit', function () { submit(pid, form); });
    form.addEventListener('change', function () { record(pid, form); persist(false); });
    form.addEventListener('click', function (ev) {
      var btn = ev.target.closest && ev.target.closest('button[data-move]');
      if (btn) { move(pid, form, btn); return; }
      if (ev.target.closest && ev.target.closest('[data-efop-retry]')) {
        qstate(pid).retrying = true;
        renderQuiz(pid);
        var first = $('input, select, button[data-move]', form);
        if (first) { first.focus(); }
      }
    });
    renderQuiz(pid);
  }
  function move(pid, form, btn) {
    var li = btn.closest('li[data-item]');
    var list = li.parentNode;
    var up = btn.getAttribute('data-move') === 'up';
    var sibling = up ? li.previousElementSibling : li.nextElementSibling;
    if (!sibling) { return; }
    list.insertBefore(li, up ? sibling : sibling.nextElementSibling);
    var items = $$('li[data-item]', list);
    var pos = items.indexOf(li) + 1;
    var target = $('button[data-move="' + (up ? 'up' : 'down') + '"]', li);
    if ((up && pos === 1) || (!up && pos === items.length)) { target = $('button[data-move="' + (up ? 'down' : 'up') + '"]', li); }
    target.focus();
    var live = $('[data-efop-moved]', li.closest('fieldset'));
    if (live) { live.textContent = S('moved', { item: $('.efop-item-text', li).textContent, pos: pos, total: items.length }); }
    record(pid, form);
    persist(false);
  }

  /* ---- start ---- */
  function start() {
    doc.documentElement.classList.add('efop-js');
    // Wide tables scroll inside their wrapper: make it reachable with the keyboard.
    $$('.efop-table-wrap').forEach(function (wrap) {
      var caption = $('caption', wrap);
      wrap.setAttribute('tabindex', '0');
      wrap.setAttribute('role', 'region');
      wrap.setAttribute('aria-label', caption ? caption.textContent : S('table'));
    });
    doc.addEventListener('submit', function (ev) { ev.preventDefault(); });
    if (!lms) { notice('lms-missing', { group: 'lms' }); }
    var info = safe('start', D);
    if (!info || typeof info.then !== 'function') { return ready(info); }
    // Asynchronous adapter: page 1 shown meanwhile, busy, no pager, nothing reported.
    var main = $('main') || doc.body;
    var done = 0;
    function end(v, failed) {
      if (done++) { return; }
      main.removeAttribute('aria-busy');
      removeNotice('loading');
      if (failed) { notice('lms-start', { group: 'lms', error: true }); }
      ready(v);
    }
    function fail() { end(0, 1); }
    sections.forEach(function (s) { s.hidden = s !== byId[order[0]]; });
    main.setAttribute('aria-busy', 'true');
    notice('loading');
    setTimeout(fail, 30000); // adapters time out sooner
    try { info.then(function (v) { end(v); }, fail); } catch (e) { fail(); }
  }
  function ready(info) {
    info = info || {};
    learner = String(info.learner || '');
    decode(info.state);
    reported = computeStatus();
    $$('form[data-efop-quiz]').forEach(setupQuiz);
    if (pager) { pager.hidden = false; }
    doc.addEventListener('click', function (ev) {
      var t = ev.target;
      var action = t.closest && t.closest('[data-efop-action]');
      if (action) {
        var a = action.getAttribute('data-efop-action');
        if (a === 'next') { go(1); } else if (a === 'prev') { go(-1); } else if (a === 'exit') { exit(ev); } else if (a === 'back') { show(lastMain, true); }
        return;
      }
      var link = t.closest && t.closest('a[href^="#"]');
      if (!link || !follow(link.getAttribute('href'))) { return; }
      ev.preventDefault();
      var toc = link.closest('details');
      if (toc && toc.closest('.efop-toc')) { toc.open = false; }
    });
    // A link typed or shared with a #fragment (or the browser's history) opens that page too.
    window.addEventListener('hashchange', function () { follow(window.location.hash); });
    doc.addEventListener('visibilitychange', function () {
      if (doc.visibilityState === 'hidden') { persist(true); }
    });
    window.addEventListener('pagehide', exit);
    window.addEventListener('beforeunload', exit);
    var loc = String(info.location || '');
    var first = order[0];
    var offer = loc && isMain(loc) && loc !== first;
    // While the resume offer is open, the bookmark stays where the learner left.
    show(first, false, offer);
    if (window.location.hash && follow(window.location.hash)) {
      offer = false;
    }
    if (offer) {
      notice('resume-text', {
        group: 'resume',
        vars: { title: $('h1', byId[loc]).textContent },
        actions: [
          { label: S('resume'), primary: true, run: function () { show(loc, true); } },
          { label: S('restart'), run: function () { show(first, true); } }
        ]
      });
    }
  }
  start();
})();
