/* efop-author: cmi5 (Quartz) AU adapter, shipped as efop/lms.js in cmi5 packages.
 * Interface: docs/runtime.md §2; what it sends and why: docs/cmi5.md (standards §6).
 */
(function () {
  'use strict';

  var VERBS = 'http://adlnet.gov/expapi/verbs/';
  var ACT = 'http://adlnet.gov/expapi/activities/';
  var W3 = 'https://w3id.org/xapi/cmi5/context/';
  var CAT_CMI5 = W3 + 'categories/cmi5';
  var CAT_MOVEON = W3 + 'categories/moveon';
  var EXT_SESSION = W3 + 'extensions/sessionid';
  var EXT_MASTERY = W3 + 'extensions/masteryscore';
  var STATE_ID = 'efop-state';
  var PREFIX = 'efop-cmi5:';
  var BATCH = 25;
  var BACKOFF = [1000, 2000, 4000, 8000, 15000];
  var TIMEOUT = 8000; /* ms, each launch request */
  var NONE = { entry: '', location: '', state: '', learner: '' };

  var data = null;
  var conf = null;   /* launch configuration; null: standalone */
  var ld = null;     /* LMS.LaunchData */
  var sess = {};     /* this launch (sessionStorage): token, defined verbs sent, start */
  var doc = null;    /* resume document {format, state, location, completed, passed} */
  var score = null;  /* module score 0..100 once known */
  var unloading = false, failPending = false, blocked = false, failing = false;
  var location_ = '';
  var lastTs = 0, attempt = 0, singles = 0;
  var inflight = false, stateInflight = false, flushTimer = null, retryTimer = null, stateTimer = null;

  // helpers

  function notice(key) {
    try { document.dispatchEvent(new CustomEvent('efop:notice', { detail: { key: key } })); } catch (e) { }
  }

  function warn(text) { if (window.console) console.error('efop cmi5: ' + text); }

  function ls() { try { return window.localStorage; } catch (e) { return null; } }
  function ss() { try { return window.sessionStorage; } catch (e) { return null; } }

  function load(store, key, fallback) {
    try {
      var raw = store && store.getItem(key);
      return raw ? JSON.parse(raw) : fallback;
    } catch (e) { return fallback; }
  }

  function save(store, key, value) {
    try {
      if (!store) return;
      if (value === null) store.removeItem(key);
      else store.setItem(key, JSON.stringify(value));
    } catch (e) { }
  }

  /* UTC, strictly increasing: the spec judges statement order by timestamp */
  function timestamp() {
    var now = Math.max(Date.now(), lastTs + 1, sess.ts ? sess.ts + 1 : 0);
    lastTs = sess.ts = now;
    return new Date(now).toISOString();
  }

  function clone(o) { return JSON.parse(JSON.stringify(o)); }

  // HTTP

  function headers() {
    return { 'X-Experience-API-Version': '1.0.3', Authorization: 'Basic ' + sess.token, 'Content-Type': 'application/json' };
  }

  function query(params) { return new URLSearchParams(params).toString(); }

  function stateUrl(stateId) {
    return conf.endpoint + 'activities/state?' + query({
      stateId: stateId, activityId: conf.activityId, agent: conf.actorJson, registration: conf.registration
    });
  }

  function parse(r) {
    try { return r[0] === 200 ? JSON.parse(r[1]) : null; } catch (e) { return null; }
  }

  // launch

  function configure() {
    var p = new URLSearchParams(window.location.search);
    var c = {};
    if (!['endpoint', 'fetch', 'actor', 'registration', 'activityId'].every(function (n) { return (c[n] = p.get(n)); })) return null;
    try { c.actor = JSON.parse(c.actor); } catch (e) { return null; }
    if (!c.actor || typeof c.actor !== 'object') return null;
    c.actorJson = JSON.stringify(c.actor);
    if (c.endpoint.charAt(c.endpoint.length - 1) !== '/') c.endpoint += '/';
    var who = c.endpoint + '\n' + c.actorJson + '\n' + c.registration;
    c.queueKey = PREFIX + 'q:' + hash(who);
    c.stateKey = PREFIX + 's:' + hash(who + '\n' + c.activityId);
    c.sessKey = PREFIX + 'l:' + hash(c.fetch);
    return c;
  }

  /* §8.2: one POST (no header), the answer is the complete Basic credential; kept for reloads */
  function fetchToken() {
    return sess.token ? Promise.resolve() : http('POST', conf.fetch, null, {}, TIMEOUT).then(function (r) {
      var j = parse(r);
      if (j && typeof j['auth-token'] === 'string' && j['auth-token']) save(ss(), conf.sessKey, (sess.token = j['auth-token'], sess));
      else warn('no auth token (HTTP ' + r[0] + ') ' + r[1].slice(0, 200));
    });
  }

  function learnerPreferences() {
    return http('GET', conf.endpoint + 'agents/profile?' + query({ agent: conf.actorJson, profileId: 'cmi5LearnerPreferences' }), null, 0, TIMEOUT).then(function (r) {
      var prefs = conf.prefs = parse(r) || {};
      if (prefs.audioPreference === 'off') {
        [].forEach.call(document.querySelectorAll('audio, video'), function (m) { m.muted = true; });
      }
    });
  }

  function readState() {
    doc = load(ls(), conf.stateKey, null);
    return doc ? 0 : http('GET', stateUrl(STATE_ID), null, 0, TIMEOUT).then(function (r) {
      if (!r[0]) notice('lms-timeout');
      doc = parse(r);
      if (!doc || typeof doc !== 'object') doc = {};
    });
  }

  // statements

  function normal() { return conf && ld.launchMode === 'Normal' && !sess.terminated; }

  function mastery() {
    var l = parseFloat(ld.masteryScore);
    if (l >= 0 && l <= 1) return l;
    var m = data.module.mastery_score;
    return typeof m === 'number' ? m / 100 : null;
  }

  function auActivity() { return { objectType: 'Activity', id: conf.activityId }; }

  function context(defined, moveOn, extensions) {
    var ctx = clone(ld.contextTemplate || {});
    var ca = ctx.contextActivities = ctx.contextActivities || {};
    ctx.registration = conf.registration;
    if (data.lang && !ctx.language) ctx.language = data.lang;
    if (defined) {
      ca.category = (ca.category || []).concat([{ objectType: 'Activity', id: CAT_CMI5 }]);
      if (moveOn) ca.category.push({ objectType: 'Activity', id: CAT_MOVEON });
    } else {
      ca.parent = (ca.parent || []).concat([auActivity()]);
    }
    ctx.extensions = ctx.extensions || {};
    if (!ctx.extensions[EXT_SESSION]) ctx.extensions[EXT_SESSION] = conf.sessionId;
    for (var k in extensions || {}) ctx.extensions[k] = extensions[k];
    return ctx;
  }

  function send(verb, object, result, ctx) {
    var s = {
      id: uuid(),
      actor: conf.actor,
      verb: { id: VERBS + verb, display: { 'en-US': verb } },
      object: object,
      context: ctx,
      timestamp: timestamp()
    };
    if (result) s.result = result;
    var q = load(ls(), conf.queueKey, []);
    q.push(s);
    save(ls(), conf.queueKey, q);
    save(ss(), conf.sessKey, sess);
    scheduleFlush(50);
  }

  function sendDefined(verb, result, extensions) {
    var moveOn = verb === 'completed' || verb === 'passed' || verb === 'failed';
    send(verb, auActivity(), result, context(true, moveOn, extensions));
  }

  function elapsed() { return duration(Date.now() - sess.start); }

  function sendCompleted() {
    if (doc.completed || sess.completed) return;
    doc.completed = sess.completed = true;
    sendDefined('completed', { completion: true, duration: elapsed() });
    writeState();
  }

  function sendJudgement(passed) {
    var m = mastery();
    var result = {
      success: passed,
      duration: elapsed(),
      score: { scaled: Math.round(score * 100) / 10000, raw: score, min: 0, max: 100 }
    };
    var ext = {};
    if (m !== null) ext[EXT_MASTERY] = m;
    sess.judged = true;
    if (passed) doc.passed = true;
    failPending = false;
    sendDefined(passed ? 'passed' : 'failed', result, ext);
    writeState();
  }

  /* passed/failed from the module score and LaunchData's masteryScore (else the module's) */
  function judge() {
    var m = mastery();
    if (!normal() || score === null || m === null || sess.judged || doc.passed) return;
    if (score / 100 >= m - 1e-9) sendJudgement(true);
    else failPending = true;
  }

  // queue

  function scheduleFlush(delay) {
    if (!conf || !sess.token || blocked || flushTimer) return;
    flushTimer = setTimeout(function () { flushTimer = null; flush(); }, delay || 0);
  }

  function retryLater() {
    if (!failing) { failing = true; notice('lms-error'); }
    var wait = BACKOFF[Math.min(attempt, BACKOFF.length - 1)];
    attempt += 1;
    if (retryTimer) clearTimeout(retryTimer);
    retryTimer = setTimeout(function () { retryTimer = null; flush(); }, wait);
  }

  function drop(ids) {
    var set = {};
    ids.forEach(function (id) { set[id] = true; });
    var q = load(ls(), conf.queueKey, []).filter(function (s) { return !set[s.id]; });
    save(ls(), conf.queueKey, q.length ? q : null);
  }

  /* [status, body]; 0: network error, or no answer within ms */
  function http(method, url, body, hdrs, ms) {
    var ac = ms && new AbortController();
    if (ms) setTimeout(function () { ac.abort(); }, ms);
    return fetch(url, { method: method, headers: hdrs || headers(), body: body, credentials: 'omit', cache: 'no-store', signal: ac && ac.signal })
      .then(function (res) {
        return res.text().then(function (t) { return [res.status, t]; }, function () { return [res.status, '']; });
      }, function () { return [0, '']; });
  }

  function ok(s) { return s >= 200 && s < 300; }
  function transient(s) { return s === 0 || s === 408 || s === 429 || s >= 500; }

  function flush() {
    if (!conf || !sess.token || blocked || inflight) return;
    if (retryTimer) { clearTimeout(retryTimer); retryTimer = null; }
    var q = load(ls(), conf.queueKey, []);
    if (!q.length) { flushState(); return; }
    var batch = q.slice(0, singles > 0 ? 1 : BATCH);
    inflight = true;
    http('POST', conf.endpoint + 'statements', JSON.stringify(batch)).then(function (r) {
      var s = r[0];
      inflight = false;
      if (ok(s)) {
        drop(batch.map(function (x) { return x.id; }));
        if (singles > 0) singles -= 1;
        attempt = 0;
        if (failing) { failing = false; notice('lms-recovered'); }
      } else if (transient(s)) {
        return retryLater();
      } else if (s === 401 || s === 403) {
        blocked = true; /* the queue stays for the next launch */
        warn('token refused (HTTP ' + s + ')');
        return notice('cmi5-auth');
      } else if (batch.length > 1) {
        singles = batch.length; /* isolate the statement the LRS refuses */
      } else {
        if (singles > 0) singles -= 1;
        drop([batch[0].id]);
        warn('statement ' + batch[0].id + ' refused (HTTP ' + s + '): ' + r[1].slice(0, 300));
        notice('cmi5-rejected');
      }
      scheduleFlush(0);
    });
  }

  /* pagehide: what is queued leaves with keepalive (64 KiB in flight at most); it stays
     queued until a later launch confirms it (the LRS ignores a statement it already has) */
  function keep(method, url, body) {
    try {
      fetch(url, { method: method, headers: headers(), body: body, keepalive: true, credentials: 'omit' })
        .catch(function () { });
    } catch (e) { }
  }

  function flushKeepalive() {
    if (!conf || !sess.token || blocked) return;
    var q = load(ls(), conf.queueKey, []);
    var budget = 60000;
    for (var i = 0; i < q.length && budget > 0; i += BATCH) {
      var body = JSON.stringify(q.slice(i, i + BATCH));
      budget -= body.length;
      if (budget > 0) keep('POST', conf.endpoint + 'statements', body);
    }
    var pending = load(ls(), conf.stateKey, null);
    if (pending) keep('PUT', stateUrl(STATE_ID), JSON.stringify(pending));
  }

  // State API (efop-state)

  function writeState() {
    if (!conf || ld.launchMode !== 'Normal') return;
    save(ls(), conf.stateKey, doc);
    if (stateTimer) clearTimeout(stateTimer);
    stateTimer = setTimeout(function () { stateTimer = null; flushState(); }, 300);
  }

  function flushState() {
    var pending = conf && load(ls(), conf.stateKey, null);
    if (!pending || !sess.token || blocked || stateInflight) return;
    var body = JSON.stringify(pending);
    stateInflight = true;
    http('PUT', stateUrl(STATE_ID), body).then(function (r) {
      stateInflight = false;
      if (transient(r[0])) return retryLater();
      if (!ok(r[0])) { warn('resume document refused (HTTP ' + r[0] + ')'); notice('cmi5-rejected'); }
      if (JSON.stringify(load(ls(), conf.stateKey, null)) === body) save(ls(), conf.stateKey, null);
      else scheduleFlush(0);
    });
  }

  // interactions

  /* efop:include _xapi.js */

  // interface

  function redirect() {
    var url = ld && ld.returnURL;
    if (!url || unloading) return;
    var until = Date.now() + 5000;
    (function wait() {
      if (!api.pending() && !inflight && !stateInflight || blocked || Date.now() > until) window.location.assign(url);
      else { flush(); setTimeout(wait, 100); }
    }());
  }

  function begin() {
    location_ = typeof doc.location === 'string' ? doc.location : '';
    var state = typeof doc.state === 'string' ? doc.state : '';
    /* before the run-time's handlers (it calls exit() on pagehide/beforeunload) */
    window.addEventListener('beforeunload', function () { unloading = true; });
    window.addEventListener('pagehide', function () { unloading = true; });
    setTimeout(function () {
      window.addEventListener('pagehide', function () {
        if (!sess.terminated) api.exit();
        flushKeepalive();
      });
    }, 0);
    if (sess.terminated) {
      notice('cmi5-ended');
    } else {
      if (!sess.start) {
        sess.start = Date.now();
        sess.seen = {};
        send('initialized', auActivity(), null, context(true, false));
      }
      if (ld.launchMode !== 'Normal') notice('cmi5-browse');
    }
    flush();
    var who = conf.actor.account ? conf.actor.account.name : conf.actor.mbox || conf.actor.mbox_sha1sum || conf.actor.openid || '';
    return { entry: state || location_ ? 'resume' : 'ab-initio', location: location_, state: state, learner: String(who) };
  }

  var api = {
    name: 'cmi5',

    start: function (d) {
      data = d && d.module ? d : { module: {} };
      conf = configure();
      if (!conf) { notice('lms-missing'); return NONE; }
      sess = load(ss(), conf.sessKey, {}) || {};
      return fetchToken().then(function () {
        return sess.token && http('GET', stateUrl('LMS.LaunchData'), null, 0, TIMEOUT);
      }).then(function (r) {
        ld = r && parse(r);
        if (!ld || !ld.contextTemplate || !ld.launchMode) {
          if (r) warn('LMS.LaunchData missing or invalid');
          conf = null;
          notice('cmi5-launch');
          return NONE;
        }
        conf.sessionId = (ld.contextTemplate.extensions || {})[EXT_SESSION] || sess.sid || (sess.sid = uuid());
        return Promise.all([learnerPreferences(), readState()]).then(begin);
      });
    },

    pageVisited: function (id) {
      if (!normal() || !id) return;
      location_ = String(id);
      if (sess.seen[id]) return;
      sess.seen[id] = true;
      var page = (data.pages || []).filter(function (p) { return p.id === id; })[0] || { id: id };
      send('experienced', {
        objectType: 'Activity',
        id: data.module.iri + '/' + encodeURIComponent(id),
        definition: { type: ACT + (page.kind === 'quiz' ? 'assessment' : 'lesson'), name: langMap(page.title || id) }
      }, null, context(false));
    },

    answer: function (ix) {
      if (!normal() || !ix || !ix.question) return;
      var q = ix.question;
      var x = interaction(q, (ix.response || []).map(String));
      var result = { response: x[1] };
      if (typeof ix.result === 'boolean') result.success = ix.result;
      if (typeof ix.latency === 'number' && ix.latency >= 0) result.duration = duration(ix.latency);
      send('answered', {
        objectType: 'Activity', id: data.module.iri + '/' + ix.quiz + '/' + q.id, definition: x[0]
      }, result, context(false));
    },

    quizResult: function (r) {
      if (!r || typeof r.moduleScore !== 'number') return;
      score = Math.max(0, Math.min(100, Math.round(r.moduleScore)));
      /* the run-time reports the status right after: completed goes first, then the judgement */
      setTimeout(judge, 0);
    },

    saveState: function (s) {
      if (!normal()) return;
      doc.format = 1;
      doc.state = String(s);
      doc.location = location_;
      writeState();
    },

    complete: function (st) {
      if (!normal()) return;
      if (st === 'completed' || st === 'passed' || st === 'failed') sendCompleted();
      judge();
    },

    commit: function () {
      attempt = 0;
      flush();
      return true;
    },

    exit: function () {
      if (!conf) return;
      if (!sess.terminated) {
        judge();
        if (failPending && normal()) sendJudgement(false);
        send('terminated', auActivity(), { duration: elapsed() }, context(true, false));
        sess.terminated = true;
        save(ss(), conf.sessKey, sess);
        flush();
      }
      redirect();
    },

    /* for tests and diagnostics */
    pending: function () { return conf ? load(ls(), conf.queueKey, []).length + (load(ls(), conf.stateKey, null) ? 1 : 0) : 0; },
    info: function () {
      return conf ? { launchMode: ld.launchMode, moveOn: ld.moveOn, masteryScore: mastery(), sessionId: conf.sessionId, prefs: conf.prefs } : null;
    }
  };

  window.efopLms = api;
}());
