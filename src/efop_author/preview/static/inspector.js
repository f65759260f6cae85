/* efop-author preview only (never in packages): the LMS/LRS inspector.
 *
 * Two roles, by the script tag:
 *  - in the inspector page: a SCORM 1.2 LMS recorder as window.API (records every call and
 *    value, checks the data model the way an LMS would), the module in a frame, a panel with
 *    status, score, suspend_data size against 4,096, the call log and the xAPI statements;
 *  - data-efop-role="lrs", first script of a module played for xAPI: intercepts the requests
 *    of the theme's xAPI adapter to the fake LRS (fetch, XMLHttpRequest, sendBeacon) and hands
 *    them to the inspector page. Nothing leaves the browser.
 * A preview aid, not an LMS.
 */
(function () {
  'use strict';
  var me = document.currentScript;
  if (me && me.getAttribute('data-efop-role') === 'lrs') { interceptLrs(); return; }
  document.addEventListener('DOMContentLoaded', startInspector);

  /* =================================================================================== */
  /* fake LRS interception (inside the module frame)                                      */
  /* =================================================================================== */
  function interceptLrs() {
    var hub = null;
    try { hub = window.parent && window.parent !== window ? window.parent.__efopInspector : null; } catch (e) { hub = null; }
    var base = hub ? hub.lrsBase : null;
    if (!base) { return; }
    function abs(u) { try { return new URL(String(u), location.href).href; } catch (e) { return String(u); } }
    function mine(u) { return abs(u).indexOf(base) === 0; }
    function answer(method, url, body, headers) {
      return hub.lrs(String(method || 'GET').toUpperCase(), abs(url), body == null ? '' : String(body), headers || {});
    }

    var realFetch = window.fetch;
    if (realFetch) {
      window.fetch = function (input, init) {
        var url = typeof input === 'string' || input instanceof URL ? String(input) : input.url;
        if (!mine(url)) { return realFetch.apply(this, arguments); }
        init = init || {};
        var method = init.method || (typeof input === 'object' && input.method) || 'GET';
        var bodyP = init.body != null ? Promise.resolve(init.body)
          : (typeof input === 'object' && input.text ? input.text() : Promise.resolve(''));
        return bodyP.then(function (b) {
          return (typeof b === 'string' ? Promise.resolve(b) : new Response(b).text());
        }).then(function (text) {
          var r = answer(method, url, text, init.headers);
          var noBody = r.status === 204 || r.status === 304;
          return new Response(noBody ? null : r.body, { status: r.status, headers: r.headers });
        });
      };
    }

    var RealXHR = window.XMLHttpRequest;
    function FakeXHR() {
      this._real = new RealXHR();
      this._fake = false;
      this._headers = {};
      this.readyState = 0; this.status = 0; this.statusText = ''; this.responseText = ''; this.response = '';
      this.onreadystatechange = null; this.onload = null; this.onerror = null; this.onloadend = null;
      this._listeners = {};
      var self = this;
      ['readystatechange', 'load', 'error', 'loadend', 'abort', 'timeout'].forEach(function (type) {
        self._real.addEventListener(type, function () {
          if (self._fake) { return; }
          self.readyState = self._real.readyState;
          try { self.status = self._real.status; self.statusText = self._real.statusText; } catch (e) { /* */ }
          try { self.responseText = self._real.responseText; } catch (e) { /* binary */ }
          self.response = self._real.response;
          self._fire(type);
        });
      });
    }
    FakeXHR.prototype = {
      UNSENT: 0, OPENED: 1, HEADERS_RECEIVED: 2, LOADING: 3, DONE: 4,
      open: function (method, url) {
        this._method = method; this._url = url; this._fake = mine(url);
        if (!this._fake) { return this._real.open.apply(this._real, arguments); }
        this.readyState = 1;
      },
      setRequestHeader: function (k, v) {
        if (this._fake) { this._headers[k] = v; return; }
        this._real.setRequestHeader(k, v);
      },
      getResponseHeader: function (k) {
        if (!this._fake) { return this._real.getResponseHeader(k); }
        var h = this._rh || {}; var key = Object.keys(h).filter(function (x) { return x.toLowerCase() === String(k).toLowerCase(); })[0];
        return key ? h[key] : null;
      },
      getAllResponseHeaders: function () {
        if (!this._fake) { return this._real.getAllResponseHeaders(); }
        var h = this._rh || {}; return Object.keys(h).map(function (k) { return k + ': ' + h[k]; }).join('\r\n');
      },
      overrideMimeType: function (m) { if (!this._fake) { this._real.overrideMimeType(m); } },
      abort: function () { if (!this._fake) { this._real.abort(); } },
      send: function (body) {
        if (!this._fake) {
          this._real.withCredentials = !!this.withCredentials;
          if (this.timeout) { this._real.timeout = this.timeout; }
          return this._real.send(body);
        }
        var self = this;
        var r = answer(this._method, this._url, body, this._headers);
        var finish = function () {
          self._rh = r.headers; self.status = r.status; self.statusText = r.status < 300 ? 'OK' : 'Error';
          self.responseText = r.body; self.response = r.body; self.readyState = 4;
          self._fire('readystatechange'); self._fire('load'); self._fire('loadend');
        };
        if (this._sync) { finish(); } else { setTimeout(finish, 0); }
      },
      addEventListener: function (type, fn) { (this._listeners[type] = this._listeners[type] || []).push(fn); },
      removeEventListener: function (type, fn) {
        this._listeners[type] = (this._listeners[type] || []).filter(function (f) { return f !== fn; });
      },
      _fire: function (type) {
        var ev = { type: type, target: this, currentTarget: this };
        var h = this['on' + type];
        if (typeof h === 'function') { try { h.call(this, ev); } catch (e) { setTimeout(function () { throw e; }); } }
        (this._listeners[type] || []).slice().forEach(function (fn) {
          try { fn.call(this, ev); } catch (e) { setTimeout(function () { throw e; }); }
        }, this);
      }
    };
    var origOpen = FakeXHR.prototype.open;
    FakeXHR.prototype.open = function (method, url, async) {
      this._sync = async === false;
      return origOpen.apply(this, arguments);
    };
    window.XMLHttpRequest = FakeXHR;

    if (navigator.sendBeacon) {
      var realBeacon = navigator.sendBeacon.bind(navigator);
      navigator.sendBeacon = function (url, data) {
        if (!mine(url)) { return realBeacon(url, data); }
        if (data == null || typeof data === 'string') { answer('POST', url, data || '', {}); return true; }
        new Response(data).text().then(function (text) { answer('POST', url, text, {}); });
        return true;
      };
    }
  }

  /* =================================================================================== */
  /* the inspector page                                                                   */
  /* =================================================================================== */
  function startInspector() {
    var cfgEl = document.getElementById('efop-inspector-config');
    if (!cfgEl) { return; }
    var cfg = JSON.parse(cfgEl.textContent);
    var S = cfg.strings || {};
    var LIMIT = cfg.suspend_limit || 4096;
    var frame = document.getElementById('efi-frame');
    var $ = function (name) { return document.querySelector('[data-efi-out="' + name + '"]'); };
    var mode = 'scorm';
    var session = null;   // current SCORM recorder
    var saved = null;     // CMI kept for a "resume" relaunch
    var statements = [];
    var lrsState = {};    // fake LRS documents (activities/state) kept across relaunches
    var registration = uuid();
    var callNo = 0;
    var build = cfg.build;

    /* ---- SCORM 1.2 data model --------------------------------------------------------- */
    var VOCAB = {
      status: ['passed', 'completed', 'failed', 'incomplete', 'browsed', 'not attempted'],
      exit: ['time-out', 'suspend', 'logout', ''],
      itype: ['true-false', 'choice', 'fill-in', 'matching', 'performance', 'sequencing', 'likert', 'numeric'],
      iresult: ['correct', 'wrong', 'unanticipated', 'neutral']
    };
    var ERR = {
      '0': 'No error', '101': 'General exception', '201': 'Invalid argument error',
      '202': 'Element cannot have children', '203': 'Element not an array. Cannot have count.',
      '301': 'Not initialized', '401': 'Not implemented error', '402': 'Invalid set value, element is a keyword',
      '403': 'Element is read only', '404': 'Element is write only', '405': 'Incorrect Data Type'
    };
    function isDecimal(v) { return v === '' || /^-?\d+(\.\d+)?$/.test(v); }
    function isScore(v) { return v === '' || (isDecimal(v) && +v >= 0 && +v <= 100); }
    function isTimespan(v) { return /^\d{2,4}:\d{2}:\d{2}(\.\d{1,2})?$/.test(v); }
    function isTime(v) { return /^\d{2}:\d{2}:\d{2}(\.\d{1,2})?$/.test(v); }
    function isId(v) { return /^[^\s]{1,255}$/.test(v); }
    function maxLen(n) { return function (v) { return v.length <= n; }; }
    function inList(list) { return function (v) { return list.indexOf(v) >= 0; }; }
    // [pattern, access, check]; n/m = array indexes
    var MODEL = [
      ['cmi._version', 'ro'],
      ['cmi.core._children', 'ro'], ['cmi.core.student_id', 'ro'], ['cmi.core.student_name', 'ro'],
      ['cmi.core.lesson_location', 'rw', maxLen(255)], ['cmi.core.credit', 'ro'],
      ['cmi.core.lesson_status', 'rw', function (v) { return v !== 'not attempted' && VOCAB.status.indexOf(v) >= 0; }],
      ['cmi.core.entry', 'ro'], ['cmi.core.score._children', 'ro'],
      ['cmi.core.score.raw', 'rw', isScore], ['cmi.core.score.min', 'rw', isScore], ['cmi.core.score.max', 'rw', isScore],
      ['cmi.core.total_time', 'ro'], ['cmi.core.lesson_mode', 'ro'],
      ['cmi.core.exit', 'wo', inList(VOCAB.exit)], ['cmi.core.session_time', 'wo', isTimespan],
      ['cmi.suspend_data', 'rw', maxLen(4096)], ['cmi.launch_data', 'ro'],
      ['cmi.comments', 'rw', maxLen(4096)], ['cmi.comments_from_lms', 'ro'],
      ['cmi.objectives._children', 'ro'], ['cmi.objectives._count', 'ro'],
      ['cmi.objectives.n.id', 'rw', isId], ['cmi.objectives.n.score._children', 'ro'],
      ['cmi.objectives.n.score.raw', 'rw', isScore], ['cmi.objectives.n.score.min', 'rw', isScore],
      ['cmi.objectives.n.score.max', 'rw', isScore],
      ['cmi.objectives.n.status', 'rw', function (v) { return VOCAB.status.indexOf(v) >= 0; }],
      ['cmi.student_data._children', 'ro'], ['cmi.student_data.mastery_score', 'ro'],
      ['cmi.student_data.max_time_allowed', 'ro'], ['cmi.student_data.time_limit_action', 'ro'],
      ['cmi.student_preference._children', 'ro'], ['cmi.student_preference.audio', 'rw', isDecimal],
      ['cmi.student_preference.language', 'rw', maxLen(255)], ['cmi.student_preference.speed', 'rw', isDecimal],
      ['cmi.student_preference.text', 'rw', isDecimal],
      ['cmi.interactions._children', 'ro'], ['cmi.interactions._count', 'ro'],
      ['cmi.interactions.n.id', 'wo', isId], ['cmi.interactions.n.objectives._count', 'ro'],
      ['cmi.interactions.n.objectives.m.id', 'wo', isId], ['cmi.interactions.n.time', 'wo', isTime],
      ['cmi.interactions.n.type', 'wo', inList(VOCAB.itype)],
      ['cmi.interactions.n.correct_responses._count', 'ro'],
      ['cmi.interactions.n.correct_responses.m.pattern', 'wo', maxLen(255)],
      ['cmi.interactions.n.weighting', 'wo', isDecimal],
      ['cmi.interactions.n.student_response', 'wo', maxLen(255)],
      ['cmi.interactions.n.result', 'wo', function (v) { return VOCAB.iresult.indexOf(v) >= 0 || (v !== '' && isDecimal(v)); }],
      ['cmi.interactions.n.latency', 'wo', isTimespan]
    ];
    var CHILDREN = {
      'cmi.core._children': 'student_id,student_name,lesson_location,credit,lesson_status,entry,score,total_time,lesson_mode,exit,session_time',
      'cmi.core.score._children': 'raw,min,max',
      'cmi.objectives._children': 'id,score,status',
      'cmi.student_data._children': 'mastery_score,max_time_allowed,time_limit_action',
      'cmi.student_preference._children': 'audio,language,speed,text',
      'cmi.interactions._children': 'id,objectives,time,type,correct_responses,weighting,student_response,result,latency'
    };

    function lookup(element) {
      var parts = String(element).split('.');
      var idx = [];
      var generic = parts.map(function (p) {
        if (/^\d+$/.test(p)) { idx.push(+p); return idx.length === 1 ? 'n' : 'm'; }
        return p;
      }).join('.');
      for (var i = 0; i < MODEL.length; i++) {
        if (MODEL[i][0] === generic) { return { def: MODEL[i], idx: idx, generic: generic }; }
      }
      if (/\._children$/.test(element) || /\._count$/.test(element)) { return { special: true, generic: generic }; }
      return null;
    }

    function Recorder(initial) {
      this.cmi = {};
      var self = this;
      Object.keys(initial).forEach(function (k) { self.cmi[k] = initial[k]; });
      this.state = 'new';
      this.err = '0';
      this.calls = [];
    }
    Recorder.prototype.count = function (prefix) {
      var n = 0;
      while (Object.prototype.hasOwnProperty.call(this.cmi, prefix + '.' + n + '.id') ||
             Object.keys(this.cmi).some(function (k) { return k.indexOf(prefix + '.' + n + '.') === 0; })) { n++; }
      return n;
    };
    Recorder.prototype.get = function (element) {
      if (this.state !== 'running') { this.err = this.state === 'new' ? '301' : '101'; return ''; }
      var found = lookup(element);
      if (found === null) { this.err = '401'; return ''; }
      if (found.special) { this.err = /_count$/.test(element) ? '203' : '202'; return ''; }
      var g = found.generic;
      if (CHILDREN[g]) { this.err = '0'; return CHILDREN[g]; }
      if (g === 'cmi._version') { this.err = '0'; return '3.4'; }
      if (/\._count$/.test(g)) { this.err = '0'; return String(this.count(element.replace(/\._count$/, ''))); }
      if (g === 'cmi.objectives.n.score._children') { this.err = '0'; return 'raw,min,max'; }
      if (found.def[1] === 'wo') { this.err = '404'; return ''; }
      this.err = '0';
      var v = this.cmi[element];
      return v == null ? '' : String(v);
    };
    Recorder.prototype.set = function (element, value) {
      if (this.state !== 'running') { this.err = this.state === 'new' ? '301' : '101'; return 'false'; }
      var found = lookup(element);
      if (found === null) { this.err = '401'; return 'false'; }
      if (found.special || /\._(children|count)$/.test(String(element))) { this.err = '402'; return 'false'; }
      if (found.def[1] === 'ro') { this.err = '403'; return 'false'; }
      value = value == null ? '' : String(value);
      if (found.idx.length) {
        var arr = element.split('.').slice(0, 2).join('.');
        var n = found.idx[0];
        if (n > this.count(arr)) { this.err = '201'; return 'false'; }
        if (found.idx.length > 1) {
          var sub = element.split('.').slice(0, 4).join('.');
          if (found.idx[1] > this.count(sub)) { this.err = '201'; return 'false'; }
        }
      }
      var check = found.def[2];
      if (check && !check(value)) { this.err = '405'; return 'false'; }
      this.cmi[element] = value;
      this.err = '0';
      onSet(element, value, this);
      return 'true';
    };

    function makeApi(rec) {
      function log(name, args, ret) {
        var entry = { n: ++callNo, name: name, args: args, ret: ret, error: rec.err, t: Date.now() };
        rec.calls.push(entry);
        window.__efopCalls.push(entry);
        addCall(entry);
        refresh();
        return ret;
      }
      return {
        LMSInitialize: function (arg) {
          var ret;
          if (rec.state !== 'new' || (arg != null && String(arg) !== '')) { rec.err = rec.state !== 'new' ? '101' : '201'; ret = 'false'; }
          else { rec.state = 'running'; rec.err = '0'; ret = 'true'; derived('initialized'); }
          return log('LMSInitialize', [arg], ret);
        },
        LMSFinish: function (arg) {
          var ret;
          if (rec.state !== 'running') { rec.err = rec.state === 'new' ? '301' : '101'; ret = 'false'; }
          else { rec.state = 'finished'; rec.err = '0'; ret = 'true'; finish(rec); }
          return log('LMSFinish', [arg], ret);
        },
        LMSGetValue: function (el) { return log('LMSGetValue', [el], rec.get(el)); },
        LMSSetValue: function (el, v) { return log('LMSSetValue', [el, v], rec.set(el, v)); },
        LMSCommit: function (arg) {
          var ret;
          if (rec.state !== 'running') { rec.err = rec.state === 'new' ? '301' : '101'; ret = 'false'; }
          else { rec.err = '0'; ret = 'true'; rec.commits = (rec.commits || 0) + 1; }
          return log('LMSCommit', [arg], ret);
        },
        LMSGetLastError: function () { return rec.err; },
        LMSGetErrorString: function (code) { return ERR[String(code)] || ''; },
        LMSGetDiagnostic: function (code) { return ERR[String(code == null || code === '' ? rec.err : code)] || ''; }
      };
    }

    /* ---- derived xAPI statements (no xAPI adapter, or SCORM mode) --------------------- */
    var VERBS = {
      initialized: 'http://adlnet.gov/expapi/verbs/initialized', answered: 'http://adlnet.gov/expapi/verbs/answered',
      completed: 'http://adlnet.gov/expapi/verbs/completed', passed: 'http://adlnet.gov/expapi/verbs/passed',
      failed: 'http://adlnet.gov/expapi/verbs/failed', terminated: 'http://adlnet.gov/expapi/verbs/terminated',
      suspended: 'http://adlnet.gov/expapi/verbs/suspended'
    };
    var ACTOR = { objectType: 'Agent', name: 'Apprenant (aperçu)', mbox: 'mailto:apercu@example.invalid' };
    function activity(id, name) {
      var a = { objectType: 'Activity', id: id };
      if (name) { a.definition = { name: { fr: name } }; }
      return a;
    }
    function derived(verb, extra) {
      if (mode !== 'scorm') { return; }
      var st = {
        actor: ACTOR, verb: { id: VERBS[verb], display: { 'en-US': verb } },
        object: activity(cfg.module.iri, cfg.module.title),
        context: { registration: registration, contextActivities: { parent: [activity(cfg.course.iri)] } },
        timestamp: new Date().toISOString()
      };
      if (extra) { Object.keys(extra).forEach(function (k) { st[k] = extra[k]; }); }
      addStatement(st, 'derived');
    }
    // The run-time's interaction ids are "<page id>.<question id>" (ids never contain a dot),
    // the xAPI question IRI is <module IRI>/<page id>/<question id> (docs/dev/contracts.md).
    function interactionIri(id) {
      var dot = id.indexOf('.');
      if (dot > 0) { return cfg.module.iri + '/' + id.slice(0, dot) + '/' + id.slice(dot + 1); }
      return cfg.module.iri + '/' + encodeURIComponent(id);
    }
    function scoreResult(rec) {
      var raw = rec.cmi['cmi.core.score.raw'];
      if (raw == null || raw === '') { return null; }
      var max = +(rec.cmi['cmi.core.score.max'] || 100) || 100, min = +(rec.cmi['cmi.core.score.min'] || 0);
      return { raw: +raw, min: min, max: max, scaled: Math.round((+raw / max) * 10000) / 10000 };
    }
    function onSet(element, value, rec) {
      var m = /^cmi\.interactions\.(\d+)\.result$/.exec(element);
      if (m) {
        var p = 'cmi.interactions.' + m[1] + '.';
        var id = rec.cmi[p + 'id'] || ('interaction-' + m[1]);
        var result = { success: value === 'correct' };
        if (rec.cmi[p + 'student_response'] != null) { result.response = rec.cmi[p + 'student_response']; }
        derived('answered', { object: activity(interactionIri(id)), result: result });
      }
      if (element === 'cmi.core.lesson_status' && ['completed', 'passed', 'failed'].indexOf(value) >= 0 && rec._reported !== value) {
        rec._reported = value;
        var r = { completion: true };
        if (value !== 'completed') { r.success = value === 'passed'; }
        var sc = scoreResult(rec); if (sc) { r.score = sc; }
        derived(value, { result: r });
      }
    }
    function iso(span) {
      var m = /^(\d+):(\d+):(\d+(?:\.\d+)?)$/.exec(span || '');
      return m ? 'PT' + (+m[1]) + 'H' + (+m[2]) + 'M' + (+m[3]) + 'S' : undefined;
    }
    function finish(rec) {
      var exit = rec.cmi['cmi.core.exit'] || '';
      var r = {}; var d = iso(rec.cmi['cmi.core.session_time']); if (d) { r.duration = d; }
      derived(exit === 'suspend' ? 'suspended' : 'terminated', d ? { result: r } : null);
    }

    /* ---- fake LRS (xAPI mode) ---------------------------------------------------------- */
    window.__efopInspector = {
      lrsBase: cfg.lrs,
      lrs: function (method, url, body, headers) {
        var path = url.slice(cfg.lrs.length).split('?')[0];
        var query = url.indexOf('?') >= 0 ? url.slice(url.indexOf('?') + 1) : '';
        var json = { 'Content-Type': 'application/json', 'X-Experience-API-Version': '1.0.3' };
        if (/^statements\/?$/.test(path) && (method === 'POST' || method === 'PUT')) {
          var parsed; try { parsed = JSON.parse(body); } catch (e) { parsed = null; }
          var list = Array.isArray(parsed) ? parsed : parsed ? [parsed] : [];
          var ids = list.map(function (s) {
            if (!s.id) { s.id = uuid(); }
            addStatement(s, 'adapter'); return s.id;
          });
          if (method === 'PUT') { return { status: 204, body: '', headers: json }; }
          return { status: 200, body: JSON.stringify(ids), headers: json };
        }
        if (/^activities\/state\/?$/.test(path)) {
          var key = decodeURIComponent(query);
          if (method === 'GET') {
            return key in lrsState ? { status: 200, body: lrsState[key], headers: json } : { status: 404, body: '', headers: json };
          }
          if (method === 'DELETE') { delete lrsState[key]; return { status: 204, body: '', headers: json }; }
          lrsState[key] = body; return { status: 204, body: '', headers: json };
        }
        if (/^about\/?$/.test(path)) { return { status: 200, body: JSON.stringify({ version: ['1.0.3'] }), headers: json }; }
        if (method === 'GET') { return { status: 404, body: '', headers: json }; }
        return { status: 204, body: '', headers: json };
      }
    };

    /* ---- UI ------------------------------------------------------------------------------ */
    function el(tag, text, cls) { var e = document.createElement(tag); if (text != null) { e.textContent = text; } if (cls) { e.className = cls; } return e; }
    function addCall(c) {
      var tr = document.createElement('tr');
      if (c.ret === 'false' || (c.error !== '0' && c.name !== 'LMSGetValue') || (c.name === 'LMSGetValue' && c.error !== '0')) { tr.className = 'efi-bad'; }
      tr.setAttribute('data-call', c.name);
      tr.appendChild(el('td', String(c.n)));
      var args = c.args.filter(function (a) { return a !== undefined; });
      tr.appendChild(el('td', c.name + '(' + (c.name === 'LMSSetValue' ? JSON.stringify(args[0]) : args.map(function (a) { return JSON.stringify(a); }).join(', ')) + ')'));
      var v = c.name === 'LMSSetValue' ? args[1] : '';
      var vcell = el('td', v == null ? '' : String(v).length > 300 ? String(v).slice(0, 300) + '… (' + String(v).length + ')' : String(v));
      tr.appendChild(vcell);
      tr.appendChild(el('td', JSON.stringify(c.ret) + (c.error !== '0' ? ' — ' + c.error + ' ' + (ERR[c.error] || '') : '')));
      $('calls').appendChild(tr);
      $('count').textContent = String(callNo);
    }
    function note(text) {
      var tr = document.createElement('tr'); tr.className = 'efi-sep';
      var td = el('td', text); td.colSpan = 4; tr.appendChild(td); $('calls').appendChild(tr);
    }
    function addStatement(st, source) {
      statements.push({ statement: st, source: source });
      window.__efopStatements.push(st);
      var li = el('li');
      var verb = (st.verb && st.verb.id || '').split('/').pop();
      var obj = st.object && st.object.id || '';
      var h = el('p', verb + ' — ' + obj, 'efi-stmt-title');
      li.appendChild(h);
      var pre = el('pre', JSON.stringify(st, null, 2));
      pre.tabIndex = 0;  // scrolls sideways: reachable with the keyboard
      pre.setAttribute('aria-label', h.textContent);
      li.appendChild(pre);
      $('statements').appendChild(li);
      $('xcount').textContent = String(statements.length);
    }
    function refresh() {
      if (!session) { return; }
      var cmi = session.cmi;
      var status = cmi['cmi.core.lesson_status'] || 'not attempted';
      var master = cmi['cmi.student_data.mastery_score'];
      var raw = cmi['cmi.core.score.raw'];
      var moodle = '';
      if (master !== undefined && master !== '' && raw !== undefined && raw !== '' && session.state === 'finished') {
        moodle = +raw >= +master ? 'passed' : 'failed';
      }
      $('status').textContent = status + (moodle && moodle !== status ? ' → ' + moodle + ' (mastery_score ' + master + ')' : '');
      $('score').textContent = raw === undefined || raw === '' ? '—' :
        raw + (cmi['cmi.core.score.max'] ? ' / ' + cmi['cmi.core.score.max'] : '') + (master ? ' (seuil ' + master + ')' : '');
      $('location').textContent = cmi['cmi.core.lesson_location'] || '—';
      var size = (cmi['cmi.suspend_data'] || '').length;
      $('suspend').textContent = size + ' / ' + LIMIT;
      $('suspend-meter').value = Math.min(size, LIMIT);
      $('session').textContent = (session.state === 'new' ? S['not-initialized'] : session.state === 'finished' ? S.finished : 'LMSInitialize ✓') +
        ' · entry = ' + (cmi['cmi.core.entry'] || '""') + (cmi['cmi.core.exit'] ? ' · exit = ' + cmi['cmi.core.exit'] : '') +
        (session.commits ? ' · LMSCommit × ' + session.commits : '');
      var alert = $('alert');
      var lastSet = session.calls.filter(function (c) { return c.name === 'LMSSetValue' && c.args[0] === 'cmi.suspend_data'; }).pop();
      if (size > LIMIT || (lastSet && lastSet.error === '405')) { alert.textContent = S['over-limit']; alert.className = 'efi-alert efi-alert--bad'; }
      else if (size > LIMIT * 0.9) { alert.textContent = S['near-limit']; alert.className = 'efi-alert efi-alert--warn'; }
      else if (alert.className.indexOf('efi-alert--info') < 0) { alert.textContent = ''; alert.className = 'efi-alert'; }
      var tbody = $('cmi'); tbody.innerHTML = '';
      Object.keys(cmi).sort().forEach(function (k) {
        var tr = document.createElement('tr');
        tr.appendChild(el('td', k));
        var v = String(cmi[k]);
        tr.appendChild(el('td', v.length > 200 ? v.slice(0, 200) + '… (' + v.length + ')' : v));
        tbody.appendChild(tr);
      });
    }
    function info(text) { var a = $('alert'); a.textContent = text; a.className = 'efi-alert efi-alert--info'; }

    var lastData = null;
    function moduleData() {
      try {
        var d = frame.contentDocument && frame.contentDocument.getElementById('efop-data');
        if (d) { lastData = JSON.parse(d.textContent); }
      } catch (e) { /* keep the last one */ }
      return lastData;
    }
    frame.addEventListener('load', moduleData);

    /* ---- launching ---------------------------------------------------------------------- */
    function initialCmi(resume) {
      var init = {
        'cmi.core.student_id': 'apercu', 'cmi.core.student_name': 'Aperçu, Apprenant',
        'cmi.core.credit': 'credit', 'cmi.core.lesson_mode': 'normal', 'cmi.core.lesson_status': 'not attempted',
        'cmi.core.entry': 'ab-initio', 'cmi.core.total_time': '0000:00:00', 'cmi.launch_data': '', 'cmi.comments_from_lms': ''
      };
      if (cfg.module.mastery_score != null) { init['cmi.student_data.mastery_score'] = String(cfg.module.mastery_score); }
      if (resume && saved) {
        Object.keys(saved).forEach(function (k) {
          if (!/^cmi\.core\.(exit|session_time|entry)$/.test(k)) { init[k] = saved[k]; }
        });
        init['cmi.core.entry'] = saved['cmi.core.exit'] === 'suspend' ? 'resume' : '';
        init['cmi.core.total_time'] = addTime(saved['cmi.core.total_time'], saved['cmi.core.session_time']);
      }
      return init;
    }
    function addTime(a, b) {
      function secs(s) { var m = /^(\d+):(\d+):(\d+(?:\.\d+)?)$/.exec(s || ''); return m ? (+m[1]) * 3600 + (+m[2]) * 60 + (+m[3]) : 0; }
      var t = Math.round(secs(a) + secs(b));
      function pad(n, w) { n = String(n); while (n.length < w) { n = '0' + n; } return n; }
      return pad(Math.floor(t / 3600), 4) + ':' + pad(Math.floor(t / 60) % 60, 2) + ':' + pad(t % 60, 2);
    }
    var watchdog = null;
    function launch(resume, message) {
      if (session) { saved = session.cmi; }
      session = new Recorder(initialCmi(resume));
      window.API = makeApi(session);
      if (message) { note(message); }
      refresh();
      var src;
      if (mode === 'xapi' && cfg.xapi) {
        var params = {
          endpoint: cfg.lrs, auth: 'Basic ' + btoa('apercu:apercu'), actor: JSON.stringify(ACTOR),
          registration: registration, activity_id: cfg.module.iri
        };
        src = cfg.xapi + '?' + Object.keys(params).map(function (k) { return k + '=' + encodeURIComponent(params[k]); }).join('&');
        $('xapi-source').textContent = S['xapi-adapter'];
      } else {
        src = cfg.sco;
        $('xapi-source').textContent = cfg.xapi ? S['xapi-derived'] : S['xapi-none'];
      }
      frame.src = 'about:blank';
      setTimeout(function () { frame.src = src + (location.hash || ''); }, 0);
      clearTimeout(watchdog);
      if (mode === 'scorm') {
        var current = session;
        watchdog = setTimeout(function () { if (current === session && current.state === 'new') { info(S['no-calls']); } }, 5000);
      }
    }

    // For tests and the curious: a new LMS session (resume or not) with no module in the
    // frame, to drive window.API by hand from the console.
    window.__efopInspector.detach = function (resume) {
      clearTimeout(watchdog);
      frame.src = 'about:blank';
      if (session) { saved = session.cmi; }
      session = new Recorder(initialCmi(!!resume));
      window.API = makeApi(session);
      note('— console —');
      refresh();
      return true;
    };

    window.__efopCalls = [];
    window.__efopStatements = [];

    /* ---- buttons -------------------------------------------------------------------------- */
    function press(name, on) { var b = document.querySelector('[data-efi="' + name + '"]'); if (b) { b.setAttribute('aria-pressed', on ? 'true' : 'false'); } }
    var xbtn = document.querySelector('[data-efi="mode-xapi"]');
    if (!cfg.xapi && xbtn) { xbtn.disabled = true; xbtn.title = S['xapi-none']; }
    document.querySelector('.efi-actions').addEventListener('click', function (ev) {
      var b = ev.target.closest('[data-efi]');
      if (!b) { return; }
      var what = b.getAttribute('data-efi');
      if (what === 'resume') { launch(true, S['relaunch-resume']); }
      else if (what === 'restart') { saved = null; registration = uuid(); lrsState = {}; session = null; launch(false, S['relaunch-new']); }
      else if (what === 'mode-scorm' || what === 'mode-xapi') {
        mode = what === 'mode-xapi' ? 'xapi' : 'scorm';
        press('mode-scorm', mode === 'scorm'); press('mode-xapi', mode === 'xapi');
        launch(false, b.textContent);
      } else if (what === 'toggle-panel') {
        var panel = document.getElementById('efi-panel');
        var open = b.getAttribute('aria-expanded') !== 'true';
        b.setAttribute('aria-expanded', open ? 'true' : 'false');
        b.textContent = open ? S['hide-panel'] : S['show-panel'];
        panel.hidden = !open;
        document.body.classList.toggle('efi-panel-hidden', !open);
      }
    });

    /* ---- live reload ---------------------------------------------------------------------- */
    function poll() {
      var xhr = new XMLHttpRequest();
      xhr.open('GET', cfg.status, true);
      xhr.onload = function () {
        try {
          var st = JSON.parse(xhr.responseText);
          if (st.ok && st.build !== build) { build = st.build; launch(false, S['new-build']); }
          else if (!st.ok && st.errors.length) {
            info(S['failed-title'] + ' : ' + st.errors.map(function (d) { return d.text; }).join(' · '));
          }
        } catch (e) { /* keep polling */ }
        setTimeout(poll, 500);
      };
      xhr.onerror = function () { setTimeout(poll, 1500); };
      xhr.send();
    }

    launch(false, null);
    poll();
  }

  function uuid() {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    return 'xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx'.replace(/[xy]/g, function (c) {
      var r = Math.random() * 16 | 0; return (c === 'x' ? r : (r & 3 | 8)).toString(16);
    });
  }
})();
