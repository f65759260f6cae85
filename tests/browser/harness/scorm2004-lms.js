// Parent page of the SCORM 2004 test LMS: scorm-again's Scorm2004API as window.API_1484_11,
// the SCO in an iframe. Configured by window.__lmsConfig {scoUrl, initial, cmi}; every API
// call is recorded in window.__calls {name, args, ret, error}.
(function () {
  'use strict';
  var cfg = window.__lmsConfig || {};
  var api = new window.Scorm2004API({ autocommit: false, logLevel: 4 });
  if (cfg.initial) { api.loadFromFlattenedJSON(cfg.initial, ''); }
  if (cfg.cmi) { api.loadFromJSON(cfg.cmi, ''); }
  var names = ['Initialize', 'Terminate', 'GetValue', 'SetValue', 'Commit',
               'GetLastError', 'GetErrorString', 'GetDiagnostic'];
  var lastError = api.GetLastError;
  window.__calls = [];
  names.forEach(function (name) {
    var real = api[name];
    api[name] = function () {
      var args = Array.prototype.slice.call(arguments);
      var ret = real.apply(api, arguments);
      window.__calls.push({ name: name, args: args, ret: ret, error: String(lastError.call(api)) });
      return ret;
    };
  });
  window.API_1484_11 = api;
  window.__scoLoaded = false;
  document.addEventListener('DOMContentLoaded', function () {
    var frame = document.getElementById('sco');
    frame.addEventListener('load', function () { window.__scoLoaded = true; });
    if (cfg.scoUrl) { frame.src = cfg.scoUrl; }
  });
})();
