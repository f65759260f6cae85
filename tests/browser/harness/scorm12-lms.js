// Parent page of the test LMS: scorm-again's Scorm12API as window.API, the SCO in an
// iframe (as Moodle does). Configured by window.__lmsConfig (set by the pytest fixture
// before the page's scripts run):
//   scoUrl      URL of the SCO (the manifest's launch href)
//   commitUrl   where scorm-again POSTs the CMI on LMSCommit/LMSFinish (the harness
//               HTTP server, which stores it as Moodle would persist it, and can fail
//               the transport once with HTTP 500)
//   initial     flattened CMI the LMS provides on launch (student id/name, entry,
//               mastery_score, launch_data…)
//   cmi         optional saved CMI (scorm-again's renderCMIToJSONObject) for a relaunch
// Every API call is recorded in window.__calls: {name, args, ret, error, t}, where
// error is LMSGetLastError() right after the call.
(function () {
  'use strict';
  var cfg = window.__lmsConfig || {};
  var api = new window.Scorm12API({
    lmsCommitUrl: cfg.commitUrl || false,
    autocommit: false,
    logLevel: 4 // errors only
  });

  // 1. data the LMS knows before launch (Moodle fills the same elements)
  if (cfg.initial) {
    api.loadFromFlattenedJSON(cfg.initial, '');
  }
  // 2. saved learner data of a previous attempt, for a relaunch
  if (cfg.cmi) {
    api.loadFromJSON(cfg.cmi, '');
  }

  var names = ['LMSInitialize', 'LMSFinish', 'LMSGetValue', 'LMSSetValue', 'LMSCommit',
               'LMSGetLastError', 'LMSGetErrorString', 'LMSGetDiagnostic'];
  var lastError = api.LMSGetLastError;
  window.__calls = [];
  names.forEach(function (name) {
    var real = api[name];
    api[name] = function () {
      var args = Array.prototype.slice.call(arguments);
      var ret = real.apply(api, arguments);
      var error = String(lastError.call(api));
      window.__calls.push({ name: name, args: args, ret: ret, error: error, t: Date.now() });
      return ret;
    };
  });
  window.API = api;

  window.__scoLoaded = false;
  window.__scoLoads = 0;
  document.addEventListener('DOMContentLoaded', function () {
    var frame = document.getElementById('sco');
    frame.addEventListener('load', function () {
      window.__scoLoads += 1;
      window.__scoLoaded = true;
    });
    if (cfg.scoUrl) {
      frame.src = cfg.scoUrl;
    }
  });
})();
