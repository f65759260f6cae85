/* efop-author: xAPI 1.0.3 (Tin Can) adapter, shipped as efop/lms.js in xapi packages.
 *
 * Same interface as scorm12.js (docs/dev/contracts.md §3), on window.efopLms:
 *   start(data) -> promise of {entry, location, state, learner} (State API read, TIMEOUT)
 *   pageVisited(id)        "experienced" the page (once per page and session)
 *   answer(interaction)    "answered" the question, full cmi.interaction definition
 *   quizResult(result)     keeps the score for the completion statement
 *   saveState(string)      State API document (same compact encoding as SCORM)
 *   complete(status)       "passed" / "failed" (+ mastery) or "completed", with score and duration
 *   commit()               send what is queued now
 *   exit()                 "terminated", then send
 *
 * Launch parameters (standards §5.3): endpoint, auth, actor, registration, activity_id,
 * grouping; any other parameter is ignored. Nothing about the LRS is ever written in the
 * package: it all comes from the launch URL (kept in sessionStorage for the tab, so a
 * bundle's home page can open a module).
 *
 * Nothing is lost: every statement gets a UUID made here, goes into a queue persisted in
 * localStorage, is POSTed in batches, retried with backoff on network errors, 408, 429 and
 * 5xx, and flushed on pagehide with fetch(..., {keepalive: true}). A resend of a statement
 * the LRS already holds is harmless (same id, same content). A 4xx is reported (console +
 * notice) and the statement dropped after it was isolated from its batch.
 */
(function () {
  'use strict';

  var XAPI_VERSION = '1.0.3';
  var VERBS = 'http://adlnet.gov/expapi/verbs/';
  var ACT = 'http://adlnet.gov/expapi/activities/';
  var EXT_SESSION = 'https://w3id.org/xapi/cmi5/context/extensions/sessionid';
  var EXT_MASTERY = 'https://w3id.org/xapi/cmi5/context/extensions/masteryscore';
  var STATE_ID = 'efop-state';
  var BATCH = 25;
  var KEEPALIVE_BUDGET = 60000; /* bytes; browsers allow 64 KiB in flight */
  var BACKOFF = [1000, 2000, 4000, 8000, 15000];
  var PREFIX = 'efop-xapi:';
  var TIMEOUT = 8000;       /* each State API read at launch; then: no resume, said once */

  var VERB_NAMES = {
    initialized: ['initialized', 'a commencé'],
    experienced: ['experienced', 'a consulté'],
    answered: ['answered', 'a répondu'],
    completed: ['completed', 'a terminé'],
    passed: ['passed', 'a réussi'],
    failed: ['failed', 'a échoué'],
    terminated: ['terminated', 'a quitté']
  };

  var data = null;
  var conf = null;          /* launch configuration, null in standalone mode */
  var started = false;
  var sessionId = '';
  var startTime = 0;
  var lastTs = 0;
  var seenPages = {};
  var location_ = '';
  var lastScore = null;
  var lastStatus = '';
  var sentCompletion = false;
  var terminated = false;
  var inflight = false;
  var retryTimer = null;
  var flushTimer = null;
  var attempt = 0;
  var singles = 0;          /* after a 4xx on a batch: send the next n statements one by one */
  var blocked = false;      /* 401/403: stop until the next launch */
  var failing = false;
  var stateApi = null;      /* true: available, false: absent (404/405/501), null: unknown */
  var stateInflight = false;
  var stateTimer = null;
  var told = {};

  // ---------------------------------------------------------------- helpers

  function readData() {
    if (data) return data;
    var el = document.getElementById('efop-data');
    try { data = el ? JSON.parse(el.textContent) : {}; } catch (e) { data = {}; }
    data.course = data.course || {};
    data.module = data.module || {};
    data.quizzes = data.quizzes || {};
    return data;
  }

  /* learner-facing texts: the strings of efop-data (run-time catalogue, messages/runtime.py) */
  function text(key, vars) {
    var s = (readData().strings || {})[key] || key;
    return s.replace(/\{(\w+)\}/g, function (m, name) {
      return vars && vars[name] !== undefined ? String(vars[name]) : m;
    });
  }

  function notice(key, vars, once) {
    if (once !== false) {
      if (told[key]) return;
      told[key] = true;
    }
    var region = document.querySelector('[data-efop-notice]');
    if (!region) return;
    /* same markup as the run-time's notices */
    var box = document.createElement('div');
    box.className = 'efop-notice' + (key === 'xapi-sent' ? '' : ' efop-notice--error');
    box.setAttribute('data-notice', key);
    box.setAttribute('data-efop-xapi-notice', key);
    var p = document.createElement('p');
    p.textContent = text(key, vars);
    box.appendChild(p);
    region.appendChild(box);
  }

  function clearNotice(key) {
    var nodes = document.querySelectorAll('[data-efop-xapi-notice="' + key + '"]');
    for (var i = 0; i < nodes.length; i++) nodes[i].parentNode.removeChild(nodes[i]);
    told[key] = false;
  }

  function storage() {
    try { return window.localStorage; } catch (e) { return null; }
  }

  function load(key, fallback) {
    var ls = storage();
    if (!ls) return fallback;
    try {
      var raw = ls.getItem(key);
      return raw ? JSON.parse(raw) : fallback;
    } catch (e) { return fallback; }
  }

  function store(key, value) {
    var ls = storage();
    if (!ls) return;
    try {
      if (value === null || value === undefined) ls.removeItem(key);
      else ls.setItem(key, JSON.stringify(value));
    } catch (e) { /* quota: keep going in memory */ }
  }

  /* FNV-1a, hex: a short non-reversible key (never store the auth value itself). */
  function hash(s) {
    var h = 0x811c9dc5;
    for (var i = 0; i < s.length; i++) {
      h ^= s.charCodeAt(i);
      h = Math.imul(h, 0x01000193) >>> 0;
    }
    return ('0000000' + h.toString(16)).slice(-8);
  }

  function uuid() {
    var c = window.crypto;
    if (c && typeof c.randomUUID === 'function') {
      try { return c.randomUUID(); } catch (e) { /* insecure context */ }
    }
    var b = new Uint8Array(16);
    if (c && typeof c.getRandomValues === 'function') c.getRandomValues(b);
    else for (var i = 0; i < 16; i++) b[i] = Math.floor(Math.random() * 256);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    var h = '';
    for (var j = 0; j < 16; j++) h += (b[j] + 0x100).toString(16).slice(1);
    return h.slice(0, 8) + '-' + h.slice(8, 12) + '-' + h.slice(12, 16) + '-' +
      h.slice(16, 20) + '-' + h.slice(20);
  }

  var UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

  /* Strictly increasing millisecond timestamps, so statements sort in the order made. */
  function timestamp() {
    var now = Date.now();
    if (now <= lastTs) now = lastTs + 1;
    lastTs = now;
    return new Date(now).toISOString();
  }

  /* ISO 8601 duration, PnYnMnDTnHnMnS form, at most 2 decimals of seconds. */
  function duration(ms) {
    var cs = Math.max(0, Math.round(ms / 10));
    var h = Math.floor(cs / 360000);
    var m = Math.floor((cs % 360000) / 6000);
    var s = (cs % 6000) / 100;
    var out = 'PT';
    if (h) out += h + 'H';
    if (m) out += m + 'M';
    if (s || out === 'PT') out += String(s) + 'S';
    return out;
  }

  function langMap(value) {
    var m = {};
    m[readData().lang || 'fr'] = String(value);
    return m;
  }

  // ---------------------------------------------------------------- launch

  function first(v) { return Array.isArray(v) ? v[0] : v; }

  /* A 1.0 Agent from the launch actor; tolerates the obsolete 0.9 array form. */
  function cleanActor(raw) {
    var a = raw;
    if (typeof a === 'string') {
      try { a = JSON.parse(a); } catch (e) { return null; }
    }
    if (!a || typeof a !== 'object') return null;
    var out = { objectType: 'Agent' };
    var name = first(a.name);
    if (typeof name === 'string' && name) out.name = name;
    var mbox = first(a.mbox);
    var sha = first(a.mbox_sha1sum);
    var openid = first(a.openid);
    var account = first(a.account);
    if (typeof mbox === 'string' && mbox) {
      out.mbox = mbox.indexOf('mailto:') === 0 ? mbox : 'mailto:' + mbox;
    } else if (typeof sha === 'string' && sha) {
      out.mbox_sha1sum = sha;
    } else if (typeof openid === 'string' && openid) {
      out.openid = openid;
    } else if (account && typeof account === 'object') {
      var home = first(account.homePage) || first(account.accountServiceHomePage);
      var accName = first(account.name) || first(account.accountName);
      if (!home || accName === undefined || accName === null || accName === '') return null;
      out.account = { homePage: String(home), name: String(accName) };
    } else {
      return null;
    }
    return out;
  }

  function launchParams() {
    var params = new URLSearchParams(window.location.search);
    var keep = ['endpoint', 'auth', 'actor', 'registration', 'activity_id', 'grouping'];
    var found = {};
    var any = false;
    keep.forEach(function (k) {
      if (params.has(k)) { found[k] = params.get(k); any = true; }
    });
    var ss = null;
    try { ss = window.sessionStorage; } catch (e) { ss = null; }
    if (any && found.endpoint) {
      try { if (ss) ss.setItem(PREFIX + 'launch', JSON.stringify(found)); } catch (e) { /* ignore */ }
      return found;
    }
    try {
      var saved = ss && ss.getItem(PREFIX + 'launch');
      if (saved) return JSON.parse(saved);
    } catch (e) { /* ignore */ }
    return found;
  }

  function configure() {
    var d = readData();
    var p = launchParams();
    var actor = cleanActor(p.actor);
    if (!p.endpoint || !actor) return null;
    var endpoint = p.endpoint;
    if (endpoint.charAt(endpoint.length - 1) !== '/') endpoint += '/';
    var moduleIri = d.module.iri || (d.course.iri + '/' + d.module.id);
    /* The LMS's activity id wins (Moodle checks completion on it), unless it names the
       course (bundle launch): module statements then keep the module's own id. */
    var activityId = p.activity_id && p.activity_id !== d.course.iri ? p.activity_id : moduleIri;
    var c = {
      endpoint: endpoint,
      auth: p.auth || '',
      actor: actor,
      registration: p.registration && UUID_RE.test(p.registration) ? p.registration.toLowerCase() : '',
      activityId: activityId,
      moduleIri: moduleIri,
      grouping: p.grouping || ''
    };
    var who = JSON.stringify(actor) + '|' + c.registration + '|' + activityId;
    c.queueKey = PREFIX + 'q:' + hash(endpoint + '\n' + c.auth);
    c.stateKey = PREFIX + 's:' + hash(endpoint + '\n' + who);
    return c;
  }

  /* stable per learner: seeds the run-time's shuffling */
  function learnerId(actor) {
    if (actor.account) return actor.account.name;
    return actor.mbox || actor.mbox_sha1sum || actor.openid || '';
  }

  function headers(json) {
    var h = { 'X-Experience-API-Version': XAPI_VERSION };
    if (conf.auth) h.Authorization = conf.auth;
    if (json) h['Content-Type'] = 'application/json';
    return h;
  }

  // ---------------------------------------------------------------- statements

  function moduleActivity() {
    var d = readData();
    return {
      objectType: 'Activity',
      id: conf.activityId,
      definition: { type: ACT + 'module', name: langMap(d.module.title || d.module.id) }
    };
  }

  function courseActivity() {
    var d = readData();
    return {
      objectType: 'Activity',
      id: d.course.iri,
      definition: { type: ACT + 'course', name: langMap(d.course.title || d.course.id) }
    };
  }

  function context(withParent, extensions) {
    var d = readData();
    var grouping = [courseActivity()];
    if (conf.grouping && conf.grouping !== d.course.iri && /^[a-z][a-z0-9+.-]*:/i.test(conf.grouping)) {
      grouping.push({ objectType: 'Activity', id: conf.grouping });
    }
    var ctx = { contextActivities: { grouping: grouping } };
    if (withParent) ctx.contextActivities.parent = [moduleActivity()];
    if (conf.registration) ctx.registration = conf.registration;
    if (d.lang) ctx.language = d.lang;
    ctx.extensions = {};
    ctx.extensions[EXT_SESSION] = sessionId;
    if (extensions) for (var k in extensions) ctx.extensions[k] = extensions[k];
    return ctx;
  }

  function verb(name) {
    var names = VERB_NAMES[name];
    return { id: VERBS + name, display: { 'en-US': names[0], 'fr-FR': names[1] } };
  }

  function send(verbName, object, result, withParent, extensions) {
    var s = {
      id: uuid(),
      actor: conf.actor,
      verb: verb(verbName),
      object: object,
      context: context(withParent, extensions),
      timestamp: timestamp()
    };
    if (result) s.result = result;
    var q = load(conf.queueKey, []);
    q.push(s);
    store(conf.queueKey, q);
    scheduleFlush(50);
    return s.id;
  }

  // ---------------------------------------------------------------- queue

  function scheduleFlush(delay) {
    if (!conf || blocked) return;
    if (flushTimer) return;
    flushTimer = setTimeout(function () { flushTimer = null; flush(); }, delay || 0);
  }

  function retryLater() {
    if (!failing) {
      failing = true;
      notice('xapi-offline');
    }
    var wait = BACKOFF[Math.min(attempt, BACKOFF.length - 1)];
    attempt += 1;
    if (retryTimer) clearTimeout(retryTimer);
    retryTimer = setTimeout(function () { retryTimer = null; flush(); }, wait);
  }

  function recovered() {
    attempt = 0;
    if (failing) {
      failing = false;
      clearNotice('xapi-offline');
      notice('xapi-sent', null, false);
    }
  }

  function removeSent(ids) {
    var set = {};
    ids.forEach(function (id) { set[id] = true; });
    var q = load(conf.queueKey, []).filter(function (s) { return !set[s.id]; });
    store(conf.queueKey, q.length ? q : null);
  }

  function rejected(statement, status, body) {
    removeSent([statement.id]);
    var log = load(PREFIX + 'rejected', []);
    log.push({ id: statement.id, verb: statement.verb.id, status: status, at: new Date().toISOString() });
    store(PREFIX + 'rejected', log.slice(-20));
    if (window.console) console.error('efop xAPI: the LRS refused statement ' + statement.id + ' (HTTP ' + status + '): ' + (body || ''));
    notice('xapi-rejected', { status: status });
  }

  function flush() {
    if (!conf || blocked || inflight) return;
    if (retryTimer) { clearTimeout(retryTimer); retryTimer = null; }
    var q = load(conf.queueKey, []);
    if (!q.length) { flushState(); return; }
    var batch = q.slice(0, singles > 0 ? 1 : BATCH);
    inflight = true;
    fetch(conf.endpoint + 'statements', {
      method: 'POST',
      headers: headers(true),
      body: JSON.stringify(batch),
      credentials: 'omit',
      cache: 'no-store'
    }).then(function (res) {
      return res.text().then(function (body) { return { status: res.status, body: body }; },
        function () { return { status: res.status, body: '' }; });
    }).then(function (r) {
      inflight = false;
      var s = r.status;
      if (s >= 200 && s < 300) {
        removeSent(batch.map(function (x) { return x.id; }));
        if (singles > 0) singles -= 1;
        recovered();
        scheduleFlush(0);
      } else if (s >= 500 || s === 408 || s === 429 || s === 0) {
        retryLater();
      } else if (s === 401 || s === 403) {
        blocked = true;
        if (window.console) console.error('efop xAPI: the LRS refused the credentials (HTTP ' + s + '); statements stay queued');
        notice('xapi-auth', { status: s });
      } else if (batch.length > 1) {
        singles = batch.length;  /* find the statement the LRS refuses */
        scheduleFlush(0);
      } else {
        if (singles > 0) singles -= 1;
        rejected(batch[0], s, r.body.slice(0, 300));
        scheduleFlush(0);
      }
    }, function () {
      inflight = false;
      retryLater();
    });
  }

  /* pagehide: everything still queued leaves with keepalive (the LRS ignores a statement
     it already has); the queue stays in localStorage until a later launch confirms it. */
  function flushKeepalive() {
    if (!conf || blocked) return;
    var q = load(conf.queueKey, []);
    var budget = KEEPALIVE_BUDGET;
    var chunk = [];
    var size = 2;
    function post(list) {
      try {
        fetch(conf.endpoint + 'statements', {
          method: 'POST', headers: headers(true), body: JSON.stringify(list),
          keepalive: true, credentials: 'omit'
        }).catch(function () { /* kept for the next launch */ });
      } catch (e) { /* ignore */ }
    }
    for (var i = 0; i < q.length; i++) {
      var len = JSON.stringify(q[i]).length + 1;
      if (len > budget) break;
      if (chunk.length && (chunk.length >= BATCH || size + len > 16000)) {
        post(chunk); chunk = []; size = 2;
      }
      chunk.push(q[i]); size += len; budget -= len;
    }
    if (chunk.length) post(chunk);
    var pending = load(conf.stateKey, null);
    if (pending && stateApi !== false) {
      try {
        fetch(stateUrl(true), {
          method: 'PUT', headers: headers(true), body: JSON.stringify(pending.doc),
          keepalive: true, credentials: 'omit'
        }).catch(function () { /* kept */ });
      } catch (e) { /* ignore */ }
    }
  }

  // ---------------------------------------------------------------- State API

  function stateUrl(single) {
    var p = new URLSearchParams();
    p.set('activityId', conf.activityId);
    p.set('agent', JSON.stringify(conf.actor));
    if (conf.registration) p.set('registration', conf.registration);
    if (single) p.set('stateId', STATE_ID);
    return conf.endpoint + 'activities/state?' + p.toString();
  }

  /* a GET at launch: {status, body}; status 0: unreachable, -1: no answer within TIMEOUT */
  function get(url) {
    var ac = new AbortController();
    var timer = setTimeout(function () { ac.abort(); }, TIMEOUT);
    return fetch(url, { headers: headers(false), credentials: 'omit', cache: 'no-store', signal: ac.signal })
      .then(function (res) {
        return res.text().then(function (body) { return { status: res.status, body: body }; });
      })
      .then(null, function () { return { status: ac.signal.aborted ? -1 : 0, body: '' }; })
      .then(function (r) { clearTimeout(timer); return r; });
  }

  function timedOut() {
    if (window.console) console.warn('efop xAPI: the LRS did not answer within ' + TIMEOUT + ' ms; no resume');
    notice('lms-timeout');
  }

  function noStateApi() {
    stateApi = false;
    store(conf.stateKey, null);
    if (window.console) console.warn('efop xAPI: the LRS has no State API; no resume');
    notice('xapi-no-state');
  }

  /* promise of the resume document (or null) */
  function readState() {
    var pending = load(conf.stateKey, null);
    var local = pending ? pending.doc : null;
    /* unreachable, no answer or other error: resume from what this browser still has to send */
    function other(r) {
      if (r.status === -1) timedOut();
      return local;
    }
    return get(stateUrl(true)).then(function (r) {
      if (r.status === 200) {
        stateApi = true;
        if (pending) return pending.doc;
        try { return JSON.parse(r.body); } catch (e) { return null; }
      }
      if (r.status === 405 || r.status === 501) {
        noStateApi();
        return null;
      }
      if (r.status !== 404) return other(r);
      /* 404 is also "no such document": the list of state ids tells them apart */
      return get(stateUrl(false)).then(function (list) {
        if (list.status === 200) {
          stateApi = true;
          return local;
        }
        if (list.status === 404 || list.status === 405 || list.status === 501) {
          noStateApi();
          return null;
        }
        return other(list);
      });
    });
  }

  function saveStateDoc(state) {
    if (!conf || stateApi === false) return;
    store(conf.stateKey, { doc: { format: 1, state: String(state), location: location_ } });
    if (stateTimer) clearTimeout(stateTimer);
    stateTimer = setTimeout(function () { stateTimer = null; flushState(); }, 300);
  }

  function flushState() {
    if (!conf || blocked || stateInflight || stateApi === false) return;
    var pending = load(conf.stateKey, null);
    if (!pending) return;
    var body = JSON.stringify(pending.doc);
    stateInflight = true;
    fetch(stateUrl(true), {
      method: 'PUT', headers: headers(true), body: body, credentials: 'omit', cache: 'no-store'
    }).then(function (res) {
      stateInflight = false;
      var s = res.status;
      if (s >= 200 && s < 300) {
        stateApi = true;
        var now = load(conf.stateKey, null);
        if (now && JSON.stringify(now.doc) === body) store(conf.stateKey, null);
        else scheduleFlush(0);
      } else if (s === 404 || s === 405 || s === 501) {
        noStateApi();
      } else if (s >= 500 || s === 408 || s === 429) {
        retryLater();
      } else {
        store(conf.stateKey, null);
        if (window.console) console.error('efop xAPI: the LRS refused the state document (HTTP ' + s + ')');
        notice('xapi-rejected', { status: s });
      }
    }, function () {
      stateInflight = false;
      retryLater();
    });
  }

  // ---------------------------------------------------------------- interactions

  function findQuestion(ix) {
    var d = readData();
    var qid = ix.question && typeof ix.question === 'object' ? ix.question.id
      : ix.question || ix.questionId || ix.id;
    var pid = ix.quiz || ix.page || ix.pageId;
    if (!pid && typeof qid === 'string') {
      var cut = Math.max(qid.lastIndexOf('/'), qid.lastIndexOf('.'), qid.lastIndexOf(':'));
      if (cut > 0 && d.quizzes[qid.slice(0, cut)]) { pid = qid.slice(0, cut); qid = qid.slice(cut + 1); }
    }
    var pages = pid ? [pid] : Object.keys(d.quizzes);
    for (var i = 0; i < pages.length; i++) {
      var quiz = d.quizzes[pages[i]];
      if (!quiz) continue;
      for (var j = 0; j < quiz.questions.length; j++) {
        if (quiz.questions[j].id === qid) return { page: pages[i], q: quiz.questions[j] };
      }
    }
    return null;
  }

  function components(list) {
    return (list || []).map(function (c) { return { id: String(c.key), description: langMap(c.text || c.key) }; });
  }

  function tfKey(q, value) {
    /* true-false choices: a = true, b = false (model.Question.choices) */
    var keys = (q.choices || []).map(function (c) { return c.key; });
    if (value === keys[0]) return 'true';
    if (value === keys[1]) return 'false';
    var v = String(value).toLowerCase();
    if (v === 'true' || v === 't' || v === 'vrai') return 'true';
    if (v === 'false' || v === 'f' || v === 'faux') return 'false';
    return '';
  }

  function definition(q) {
    var def = {
      type: ACT + 'cmi.interaction',
      name: langMap((q.text || q.id).slice(0, 120)),
      description: langMap(q.text || q.id)
    };
    switch (q.type) {
      case 'single':
      case 'multiple':
        def.interactionType = 'choice';
        def.correctResponsesPattern = [(q.correct || []).join('[,]')];
        def.choices = components(q.choices);
        break;
      case 'true-false':
        def.interactionType = 'true-false';
        def.correctResponsesPattern = [tfKey(q, (q.correct || [])[0]) || 'true'];
        break;
      case 'matching':
        def.interactionType = 'matching';
        def.correctResponsesPattern = [(q.correct || []).map(function (p) {
          return String(p).replace('.', '[.]');
        }).join('[,]')];
        def.source = components(q.sources);
        def.target = components(q.targets);
        break;
      case 'ordering':
        def.interactionType = 'sequencing';
        def.correctResponsesPattern = [(q.correct || []).join('[,]')];
        def.choices = components(q.items);
        break;
      default:
        def.interactionType = 'fill-in';
        def.correctResponsesPattern = (q.correct || []).map(function (a) {
          return (q.case_sensitive ? '{case_matters=true}' : '') + a;
        });
    }
    return def;
  }

  function keyList(value, known) {
    if (Array.isArray(value)) return value.map(String);
    if (value === null || value === undefined) return [];
    var s = String(value);
    if (s.indexOf('[,]') >= 0) return s.split('[,]');
    if (/[,\s]/.test(s)) return s.split(/[,\s]+/).filter(Boolean);
    /* compact SCORM-state form: one character per key when every key is one character */
    if (known.every(function (k) { return String(k).length === 1; })) return s.split('');
    return s ? [s] : [];
  }

  function matchingPairs(q, value) {
    var sources = (q.sources || []).map(function (c) { return c.key; });
    var pairs = [];
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      sources.forEach(function (src) {
        if (value[src] !== undefined && value[src] !== null && value[src] !== '' && value[src] !== '-') pairs.push([src, value[src]]);
      });
      return pairs;
    }
    var list;
    if (Array.isArray(value)) list = value.map(String);
    else if (String(value).indexOf('.') >= 0) list = String(value).split(/\[,\]|,/);
    else {
      /* compact form: one target key (or "-") per source, in source order */
      var s = String(value || '');
      list = [];
      for (var i = 0; i < s.length && i < sources.length; i++) {
        if (s.charAt(i) !== '-') list.push(sources[i] + '.' + s.charAt(i));
      }
    }
    list.forEach(function (item) {
      var parts = item.split(/\[\.\]|\./);
      if (parts.length === 2 && parts[1] !== '' && parts[1] !== '-') pairs.push(parts);
    });
    return pairs;
  }

  function fold(s, q) {
    var out = String(s).trim().replace(/\s+/g, ' ');
    if (!q.case_sensitive) out = out.toLowerCase();
    if (!q.accent_sensitive && out.normalize) out = out.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
    return out;
  }

  /* [response string, success computed from the data] */
  function response(q, ix) {
    var v = ix.response !== undefined ? ix.response
      : ix.value !== undefined ? ix.value
        : ix.answer !== undefined ? ix.answer : ix.learner_response;
    var correct = q.correct || [];
    switch (q.type) {
      case 'single':
      case 'multiple': {
        var keys = keyList(v, (q.choices || []).map(function (c) { return c.key; }));
        var sorted = keys.slice().sort();
        var want = correct.slice().sort();
        return [keys.join('[,]'), sorted.join(',') === want.join(',')];
      }
      case 'true-false': {
        var r = typeof v === 'boolean' ? String(v) : tfKey(q, Array.isArray(v) ? v[0] : v);
        return [r, r !== '' && r === tfKey(q, correct[0])];
      }
      case 'matching': {
        var pairs = matchingPairs(q, v);
        var got = pairs.map(function (p) { return p[0] + '.' + p[1]; }).sort().join(',');
        return [pairs.map(function (p) { return p[0] + '[.]' + p[1]; }).join('[,]'),
          got === correct.slice().sort().join(',')];
      }
      case 'ordering': {
        var order = keyList(v, (q.items || []).map(function (c) { return c.key; }));
        return [order.join('[,]'), order.join(',') === correct.join(',')];
      }
      default: {
        var s = Array.isArray(v) ? v.join(' ') : v === undefined || v === null ? '' : String(v);
        var ok = correct.some(function (a) { return fold(a, q) === fold(s, q); });
        return [s, s !== '' && ok];
      }
    }
  }

  function successOf(ix, computed) {
    if (typeof ix.correct === 'boolean') return ix.correct;
    if (typeof ix.success === 'boolean') return ix.success;
    if (typeof ix.result === 'boolean') return ix.result;
    if (typeof ix.result === 'string') {
      var r = ix.result.toLowerCase();
      if (r === 'correct') return true;
      if (r === 'wrong' || r === 'incorrect') return false;
      if (r === 'neutral' || r === 'unanticipated') return undefined;
    }
    return computed;
  }

  // ---------------------------------------------------------------- score

  function scoreOf(res) {
    if (res === null || res === undefined) return null;
    if (typeof res === 'number') res = { score: res };
    var raw;
    var min = 0;
    var max = 100;
    if (typeof res.raw === 'number' && typeof res.max === 'number' && res.max > 0) {
      raw = res.raw; max = res.max; min = typeof res.min === 'number' ? res.min : 0;
    } else if (res.score && typeof res.score === 'object') {
      return scoreOf(res.score);
    } else if (typeof res.score === 'number') {
      raw = res.score;
    } else if (typeof res.percent === 'number') {
      raw = res.percent;
    } else if (typeof res.scaled === 'number') {
      raw = res.scaled * 100;
    } else {
      return null;
    }
    if (!(max > min)) return null;
    raw = Math.min(max, Math.max(min, raw));
    var scaled = Math.round(((raw - min) / (max - min)) * 10000) / 10000;
    return { scaled: scaled, raw: Math.round(raw * 100) / 100, min: min, max: max };
  }

  // ---------------------------------------------------------------- interface

  /* the resume document is read (or not): the session starts */
  function begin(doc) {
    var state = doc && typeof doc.state === 'string' ? doc.state : '';
    location_ = doc && typeof doc.location === 'string' ? doc.location : '';
    send('initialized', moduleActivity(), null, false);
    /* registered after the run-time's own pagehide handler (which saves the state and
       calls exit()), so the keepalive flush carries everything */
    setTimeout(function () {
      window.addEventListener('pagehide', function () {
        if (!terminated) api.exit(true);
        flushKeepalive();
      });
    }, 0);
    window.addEventListener('online', function () { attempt = 0; flush(); });
    flush();
    return {
      entry: state || location_ ? 'resume' : 'ab-initio', location: location_, state: state,
      learner: learnerId(conf.actor)
    };
  }

  var api = {
    name: 'xapi',

    start: function () {
      if (started) return { entry: '', location: '', state: '', learner: '' };
      started = true;
      readData();
      conf = configure();
      if (!conf) {
        notice('xapi-no-launch');
        return { entry: '', location: '', state: '', learner: '' };
      }
      sessionId = uuid();
      startTime = Date.now();
      /* asynchronous (docs/runtime.md §2): the run-time waits for the promise */
      return readState().then(begin);
    },

    pageVisited: function (id) {
      if (!conf || terminated || !id) return;
      location_ = String(id);
      if (seenPages[id]) return;
      seenPages[id] = true;
      var d = readData();
      var page = (d.pages || []).filter(function (p) { return p.id === id; })[0] || { id: id, title: id };
      var kind = page.kind === 'quiz' ? 'assessment' : 'lesson';
      send('experienced', {
        objectType: 'Activity',
        id: conf.moduleIri + '/' + encodeURIComponent(id),
        definition: { type: ACT + kind, name: langMap(page.title || id) }
      }, null, true);
    },

    answer: function (ix) {
      if (!conf || terminated || !ix) return;
      var found = findQuestion(ix);
      if (!found) {
        if (window.console) console.warn('efop xAPI: unknown question', ix);
        return;
      }
      var r = response(found.q, ix);
      var result = { response: r[0] };
      var success = successOf(ix, r[1]);
      if (typeof success === 'boolean') result.success = success;
      if (typeof ix.latency === 'number' && ix.latency >= 0) result.duration = duration(ix.latency);
      send('answered', {
        objectType: 'Activity',
        id: conf.moduleIri + '/' + found.page + '/' + found.q.id,
        definition: definition(found.q)
      }, result, true);
    },

    quizResult: function (result) {
      /* the run-time gives {quiz, score, passed, tries, moduleScore}: the module's score
         (mean of its quizzes, null until every quiz has one) is the one reported */
      if (result && typeof result === 'object' && 'moduleScore' in result) {
        if (typeof result.moduleScore !== 'number') return;
        result = { score: result.moduleScore };
      }
      var s = scoreOf(result);
      if (s) lastScore = s;
    },

    saveState: function (state) {
      saveStateDoc(state);
    },

    complete: function (status, score) {
      if (!conf || terminated) return;
      if (score !== undefined) api.quizResult(score);
      status = String(status || '').toLowerCase();
      if (status === 'incomplete' || status === 'not attempted' || status === 'browsed' || status === '') return;
      if (status === lastStatus) return;
      lastStatus = status;
      var d = readData();
      var result = { completion: true, duration: duration(Date.now() - startTime) };
      if (lastScore) result.score = lastScore;
      var mastery = {};
      if (typeof d.module.mastery_score === 'number') mastery[EXT_MASTERY] = d.module.mastery_score / 100;
      if (status === 'passed' || status === 'completed') {
        if (!sentCompletion) {
          sentCompletion = true;
          var done = { completion: true, duration: result.duration };
          if (status === 'completed' && lastScore) done.score = lastScore;
          send('completed', moduleActivity(), done, false);
        }
      }
      if (status === 'passed' || status === 'failed') {
        result.success = status === 'passed';
        send(status, moduleActivity(), result, false, mastery);
      }
    },

    commit: function () {
      if (!conf) return true;
      attempt = 0;
      flush();
      return true;
    },

    exit: function (fromPagehide) {
      if (!conf || terminated) return;
      terminated = true;
      send('terminated', moduleActivity(), { duration: duration(Date.now() - startTime) }, false);
      if (fromPagehide !== true) flush();
    },

    /* for tests and diagnostics */
    pending: function () { return conf ? load(conf.queueKey, []).length : 0; },
    stateApi: function () { return stateApi; }
  };

  window.efopLms = api;
}());
