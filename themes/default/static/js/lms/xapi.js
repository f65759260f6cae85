/* efop-author: xAPI 1.0.3 (Tin Can) adapter, shipped as efop/lms.js in xapi packages.
 * Interface (window.efopLms, start answers a promise): docs/runtime.md §2. Launch parameters,
 * statements, queue, retries, keepalive, resume, storage: docs/xapi.md (standards §5.3).
 */
(function () {
  'use strict';

  var VERBS = 'http://adlnet.gov/expapi/verbs/';
  var ACT = 'http://adlnet.gov/expapi/activities/';
  var EXT = 'https://w3id.org/xapi/cmi5/context/extensions/';
  var FR = { initialized: 'a commencé', experienced: 'a consulté', answered: 'a répondu', completed: 'a terminé',
    passed: 'a réussi', failed: 'a échoué', terminated: 'a quitté' };
  var STATE_ID = 'efop-state';
  var PREFIX = 'efop-xapi:';
  var BATCH = 25;
  var BACKOFF = [1000, 2000, 4000, 8000, 15000];
  var TIMEOUT = 8000; /* ms, each State API read at launch */
  var NONE = { entry: '', location: '', state: '', learner: '' };

  var data = null;      /* efop-data, from start() */
  var conf = null;      /* launch configuration; null: standalone */
  var stateApi = null;  /* true: available, false: absent (404/405/501), null: not known yet */
  var score = null;     /* module score, for the completion statements */
  var terminated = false, sentCompletion = false, blocked = false, failing = false;
  var sessionId = '', location_ = '', lastStatus = '', seen = {}, told = {};
  var startTime = 0, lastTs = 0, attempt = 0, singles = 0;
  var inflight = false, stateInflight = false, flushTimer = null, retryTimer = null, stateTimer = null;

  // helpers

  /* once per key; xapi-sent (the queue left after an outage) replaces xapi-offline */
  function notice(key, vars) {
    var sent = key === 'xapi-sent';
    if (sent) {
      told['xapi-offline'] = false;
      [].forEach.call(document.querySelectorAll('[data-efop-xapi-notice="xapi-offline"]'), function (n) {
        n.parentNode.removeChild(n);
      });
    } else if (told[key]) return;
    told[key] = true;
    var region = document.querySelector('[data-efop-notice]');
    if (!region) return;
    var box = document.createElement('div'), p = document.createElement('p');
    box.className = 'efop-notice' + (sent ? '' : ' efop-notice--error');
    box.setAttribute('data-notice', key);
    box.setAttribute('data-efop-xapi-notice', key);
    p.textContent = ((data.strings || {})[key] || key).replace(/\{(\w+)\}/g, function (m, name) {
      return vars && vars[name] !== undefined ? String(vars[name]) : m;
    });
    box.appendChild(p);
    region.appendChild(box);
  }

  function log(level, text) { if (window.console) console[level]('efop xAPI: ' + text); }

  function load(key, fallback, session) {
    try {
      var raw = (session ? window.sessionStorage : window.localStorage).getItem(key);
      return raw ? JSON.parse(raw) : fallback;
    } catch (e) { return fallback; }
  }

  function save(key, value, session) {
    try {
      var store = session ? window.sessionStorage : window.localStorage;
      if (value === null) store.removeItem(key);
      else store.setItem(key, JSON.stringify(value));
    } catch (e) { /* no storage, or full: keep going in memory */ }
  }

  function timestamp() {
    lastTs = Math.max(Date.now(), lastTs + 1);
    return new Date(lastTs).toISOString();
  }

  // launch

  function first(v) { return Array.isArray(v) ? v[0] : v; }
  function str(v) { return typeof v === 'string' && v !== ''; }

  /* a 1.0 Agent; the 0.9 form (arrays, accountServiceHomePage/accountName) is accepted */
  function cleanActor(a) {
    try { if (typeof a === 'string') a = JSON.parse(a); } catch (e) { return null; }
    if (!a || typeof a !== 'object') return null;
    var out = { objectType: 'Agent' }, name = first(a.name);
    var mbox = first(a.mbox), sha = first(a.mbox_sha1sum), openid = first(a.openid), acc = first(a.account);
    if (str(name)) out.name = name;
    if (str(mbox)) out.mbox = mbox.indexOf('mailto:') === 0 ? mbox : 'mailto:' + mbox;
    else if (str(sha)) out.mbox_sha1sum = sha;
    else if (str(openid)) out.openid = openid;
    else if (acc && typeof acc === 'object') {
      var home = first(acc.homePage) || first(acc.accountServiceHomePage);
      var id = first(acc.name) || first(acc.accountName);
      if (!home || id == null || id === '') return null;
      out.account = { homePage: String(home), name: String(id) };
    } else return null;
    return out;
  }

  function configure() {
    var url = new URLSearchParams(window.location.search), p = {};
    ['endpoint', 'auth', 'actor', 'registration', 'activity_id', 'grouping'].forEach(function (k) {
      if (url.has(k)) p[k] = url.get(k);
    });
    /* kept for the tab: a bundle's home page opens the modules */
    if (p.endpoint) save(PREFIX + 'launch', p, true);
    else p = load(PREFIX + 'launch', p, true);
    var actor = cleanActor(p.actor), reg = p.registration, iri = data.course.iri;
    if (!p.endpoint || !actor) return null;
    var c = { endpoint: p.endpoint, auth: p.auth || '', actor: actor, grouping: p.grouping || '' };
    if (c.endpoint.charAt(c.endpoint.length - 1) !== '/') c.endpoint += '/';
    c.registration = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i.test(reg) ? reg.toLowerCase() : '';
    c.moduleIri = data.module.iri || (iri + '/' + data.module.id);
    /* the LMS's id wins (Moodle checks completion on it), unless it names the course (bundle) */
    c.activityId = p.activity_id && p.activity_id !== iri ? p.activity_id : c.moduleIri;
    c.queueKey = PREFIX + 'q:' + hash(c.endpoint + '\n' + c.auth);
    c.stateKey = PREFIX + 's:' + hash(c.endpoint + '\n' + JSON.stringify(actor) + '|' + c.registration + '|' + c.activityId);
    return c;
  }

  // HTTP

  function headers(json) {
    var h = { 'X-Experience-API-Version': '1.0.3' };
    if (conf.auth) h.Authorization = conf.auth;
    if (json) h['Content-Type'] = 'application/json';
    return h;
  }

  /* [status, body]; 0: network error; -1: no answer within ms */
  function http(method, url, body, ms) {
    var ac = ms && new AbortController();
    var timer = ms && setTimeout(function () { ac.abort(); }, ms);
    return fetch(url, { method: method, headers: headers(body), body: body, credentials: 'omit', cache: 'no-store', signal: ac && ac.signal })
      .then(function (res) {
        /* an unreadable body fails a timed read only */
        return res.text().then(function (t) { return [res.status, t]; }, function (e) { if (ms) throw e; return [res.status, '']; });
      })
      .then(null, function () { return [ac && ac.signal.aborted ? -1 : 0, '']; })
      .then(function (r) { clearTimeout(timer); return r; });
  }

  function ok(s) { return s >= 200 && s < 300; }
  function transient(s) { return s === 0 || s === 408 || s === 429 || s >= 500; }

  function stateUrl(single) {
    var p = new URLSearchParams({ activityId: conf.activityId, agent: JSON.stringify(conf.actor) });
    if (conf.registration) p.set('registration', conf.registration);
    if (single) p.set('stateId', STATE_ID);
    return conf.endpoint + 'activities/state?' + p;
  }

  // statements

  function activity(id, type, name) {
    return { objectType: 'Activity', id: id, definition: { type: ACT + type, name: langMap(name) } };
  }

  function moduleActivity() { return activity(conf.activityId, 'module', data.module.title || data.module.id); }

  function context(withParent, extensions) {
    var course = data.course, g = conf.grouping;
    var grouping = [activity(course.iri, 'course', course.title || course.id)];
    if (g && g !== course.iri && /^[a-z][a-z0-9+.-]*:/i.test(g)) grouping.push({ objectType: 'Activity', id: g });
    var ctx = { contextActivities: { grouping: grouping } };
    if (withParent) ctx.contextActivities.parent = [moduleActivity()];
    if (conf.registration) ctx.registration = conf.registration;
    if (data.lang) ctx.language = data.lang;
    ctx.extensions = {};
    ctx.extensions[EXT + 'sessionid'] = sessionId;
    for (var k in extensions || {}) ctx.extensions[k] = extensions[k];
    return ctx;
  }

  function send(verb, object, result, withParent, extensions) {
    var s = {
      id: uuid(), actor: conf.actor, verb: { id: VERBS + verb, display: { 'en-US': verb, 'fr-FR': FR[verb] } },
      object: object, context: context(withParent, extensions), timestamp: timestamp()
    };
    if (result) s.result = result;
    var q = load(conf.queueKey, []);
    q.push(s);
    save(conf.queueKey, q);
    scheduleFlush(50);
  }

  // queue

  function scheduleFlush(delay) {
    if (!conf || blocked || flushTimer) return;
    flushTimer = setTimeout(function () { flushTimer = null; flush(); }, delay);
  }

  function retryLater() {
    if (!failing) { failing = true; notice('xapi-offline'); }
    var wait = BACKOFF[Math.min(attempt, BACKOFF.length - 1)];
    attempt += 1;
    if (retryTimer) clearTimeout(retryTimer);
    retryTimer = setTimeout(function () { retryTimer = null; flush(); }, wait);
  }

  function drop(ids) {
    var set = {};
    ids.forEach(function (id) { set[id] = true; });
    var q = load(conf.queueKey, []).filter(function (s) { return !set[s.id]; });
    save(conf.queueKey, q.length ? q : null);
  }

  function flush() {
    if (!conf || blocked || inflight) return;
    if (retryTimer) { clearTimeout(retryTimer); retryTimer = null; }
    var q = load(conf.queueKey, []);
    if (!q.length) return flushState();
    var batch = q.slice(0, singles > 0 ? 1 : BATCH);
    inflight = true;
    http('POST', conf.endpoint + 'statements', JSON.stringify(batch)).then(function (r) {
      var s = r[0];
      inflight = false;
      if (ok(s)) {
        drop(batch.map(function (x) { return x.id; }));
        if (singles > 0) singles -= 1;
        attempt = 0;
        if (failing) { failing = false; notice('xapi-sent'); }
      } else if (transient(s)) {
        return retryLater();
      } else if (s === 401 || s === 403) {
        blocked = true;
        log('error', 'the LRS refused the credentials (HTTP ' + s + '); statements stay queued');
        return notice('xapi-auth', { status: s });
      } else if (batch.length > 1) {
        singles = batch.length; /* isolate the statement the LRS refuses */
      } else {
        var st = batch[0], list = load(PREFIX + 'rejected', []);
        if (singles > 0) singles -= 1;
        drop([st.id]);
        list.push({ id: st.id, verb: st.verb.id, status: s, at: new Date().toISOString() });
        save(PREFIX + 'rejected', list.slice(-20));
        log('error', 'the LRS refused statement ' + st.id + ' (HTTP ' + s + '): ' + r[1].slice(0, 300));
        notice('xapi-rejected', { status: s });
      }
      scheduleFlush(0);
    });
  }

  function keep(method, url, body) {
    try {
      fetch(url, { method: method, headers: headers(true), body: body, keepalive: true, credentials: 'omit' })
        .catch(function () { });
    } catch (e) { }
  }

  /* pagehide: what is queued leaves with keepalive (limits: docs/xapi.md) and stays queued */
  function flushKeepalive() {
    if (!conf || blocked) return;
    var q = load(conf.queueKey, []), budget = 60000, chunk = [], size = 2;
    var post = function () { keep('POST', conf.endpoint + 'statements', JSON.stringify(chunk)); };
    for (var i = 0; i < q.length; i++) {
      var len = JSON.stringify(q[i]).length + 1;
      if (len > budget) break;
      if (chunk.length && (chunk.length >= BATCH || size + len > 16000)) { post(); chunk = []; size = 2; }
      chunk.push(q[i]); size += len; budget -= len;
    }
    if (chunk.length) post();
    var pending = load(conf.stateKey, null);
    if (pending && stateApi !== false) keep('PUT', stateUrl(true), JSON.stringify(pending.doc));
  }

  // State API (efop-state)

  function absent(s) { return s === 404 || s === 405 || s === 501; }

  function noStateApi() {
    stateApi = false;
    save(conf.stateKey, null);
    log('warn', 'the LRS has no State API; no resume');
    notice('xapi-no-state');
  }

  /* promise of the resume document (what this browser has not sent yet wins) */
  function readState() {
    var pending = load(conf.stateKey, null), local = pending ? pending.doc : null;
    function other(r) {
      if (r[0] === -1) {
        log('warn', 'the LRS did not answer within ' + TIMEOUT + ' ms; no resume');
        notice('lms-timeout');
      }
      return local;
    }
    return http('GET', stateUrl(true), null, TIMEOUT).then(function (r) {
      if (r[0] === 200) {
        stateApi = true;
        if (pending) return local;
        try { return JSON.parse(r[1]); } catch (e) { return null; }
      }
      if (r[0] === 405 || r[0] === 501) return noStateApi();
      if (r[0] !== 404) return other(r);
      /* 404 is also "no such document": the list of state ids tells them apart */
      return http('GET', stateUrl(false), null, TIMEOUT).then(function (list) {
        if (list[0] === 200) { stateApi = true; return local; }
        if (absent(list[0])) return noStateApi();
        return other(list);
      });
    });
  }

  function flushState() {
    if (!conf || blocked || stateInflight || stateApi === false) return;
    var pending = load(conf.stateKey, null);
    if (!pending) return;
    var body = JSON.stringify(pending.doc);
    stateInflight = true;
    http('PUT', stateUrl(true), body).then(function (r) {
      var s = r[0];
      stateInflight = false;
      if (ok(s)) {
        stateApi = true;
        var now = load(conf.stateKey, null);
        if (now && JSON.stringify(now.doc) === body) save(conf.stateKey, null);
        else scheduleFlush(0);
      } else if (absent(s)) {
        noStateApi();
      } else if (transient(s)) {
        retryLater();
      } else {
        save(conf.stateKey, null);
        log('error', 'the LRS refused the state document (HTTP ' + s + ')');
        notice('xapi-rejected', { status: s });
      }
    });
  }

  // interactions

  /* efop:include _xapi.js */

  // interface

  function begin(doc) {
    var state = doc && typeof doc.state === 'string' ? doc.state : '';
    location_ = doc && typeof doc.location === 'string' ? doc.location : '';
    send('initialized', moduleActivity(), null, false);
    /* after the run-time's pagehide handler (state, exit()): the keepalive flush carries all */
    setTimeout(function () {
      window.addEventListener('pagehide', function () {
        if (!terminated) api.exit(true);
        flushKeepalive();
      });
    }, 0);
    window.addEventListener('online', function () { attempt = 0; flush(); });
    flush();
    var a = conf.actor;
    return {
      entry: state || location_ ? 'resume' : 'ab-initio', location: location_, state: state,
      learner: a.account ? a.account.name : a.mbox || a.mbox_sha1sum || a.openid || ''
    };
  }

  var api = {
    name: 'xapi',

    start: function (d) {
      if (data) return NONE;
      data = d || {};
      data.course = data.course || {};
      data.module = data.module || {};
      conf = configure();
      if (!conf) { notice('xapi-no-launch'); return NONE; }
      sessionId = uuid();
      startTime = Date.now();
      return readState().then(begin);
    },

    pageVisited: function (id) {
      if (!conf || terminated || !id) return;
      location_ = String(id);
      if (seen[id]) return;
      seen[id] = true;
      var page = (data.pages || []).filter(function (p) { return p.id === id; })[0] || { id: id };
      send('experienced', activity(conf.moduleIri + '/' + encodeURIComponent(id),
        page.kind === 'quiz' ? 'assessment' : 'lesson', page.title || id), null, true);
    },

    answer: function (ix) {
      if (!conf || terminated || !ix || !ix.question) return;
      var q = ix.question;
      var x = interaction(q, (ix.response || []).map(String));
      var result = { response: x[1] };
      if (typeof ix.result === 'boolean') result.success = ix.result;
      if (typeof ix.latency === 'number' && ix.latency >= 0) result.duration = duration(ix.latency);
      send('answered', {
        objectType: 'Activity', id: conf.moduleIri + '/' + ix.quiz + '/' + q.id, definition: x[0]
      }, result, true);
    },

    quizResult: function (r) {
      if (!r || typeof r.moduleScore !== 'number') return;
      var s = Math.max(0, Math.min(100, r.moduleScore));
      score = { scaled: Math.round(s / 100 * 10000) / 10000, raw: Math.round(s * 100) / 100, min: 0, max: 100 };
    },

    saveState: function (state) {
      if (!conf || stateApi === false) return;
      save(conf.stateKey, { doc: { format: 1, state: String(state), location: location_ } });
      if (stateTimer) clearTimeout(stateTimer);
      stateTimer = setTimeout(function () { stateTimer = null; flushState(); }, 300);
    },

    complete: function (st) {
      if (!conf || terminated || st === lastStatus || !/^(passed|failed|completed)$/.test(st)) return;
      lastStatus = st;
      var result = { completion: true, duration: duration(Date.now() - startTime) };
      if (score) result.score = score;
      if (st !== 'failed' && !sentCompletion) {
        sentCompletion = true;
        send('completed', moduleActivity(), st === 'completed' ? result : { completion: true, duration: result.duration }, false);
      }
      if (st !== 'completed') {
        var ext = {};
        if (typeof data.module.mastery_score === 'number') ext[EXT + 'masteryscore'] = data.module.mastery_score / 100;
        result.success = st === 'passed';
        send(st, moduleActivity(), result, false, ext);
      }
    },

    commit: function () {
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
