// A minimal hand-written SCO that talks to the real LMS run-time (scorm-again in the
// parent page) through window.parent.API, to prove the test harness.
(function () {
  'use strict';
  function findAPI(win) {
    for (var i = 0; win && i < 10; i++) {
      if (win.API) return win.API;
      if (win.parent === win) break;
      win = win.parent;
    }
    return null;
  }
  var api = findAPI(window.parent);
  var finished = false;
  var start = Date.now();
  var page = 1;
  function show(text) { document.getElementById('status').textContent = text; }
  function pad(n) { return (n < 10 ? '0' : '') + n; }

  api.LMSInitialize('');
  var entry = api.LMSGetValue('cmi.core.entry');
  var name = api.LMSGetValue('cmi.core.student_name');
  var saved = api.LMSGetValue('cmi.core.lesson_location');
  if (saved) page = parseInt(saved, 10) || 1;
  document.getElementById('location').textContent = String(page);
  show(entry + '|' + name + '|' + api.LMSGetValue('cmi.launch_data') + '|' +
       api.LMSGetValue('cmi.student_data.mastery_score') + '|' +
       api.LMSGetValue('cmi.suspend_data'));
  if (api.LMSGetValue('cmi.core.lesson_status') === 'not attempted') {
    api.LMSSetValue('cmi.core.lesson_status', 'incomplete');
  }

  document.getElementById('next').addEventListener('click', function () {
    page += 1;
    document.getElementById('location').textContent = String(page);
    api.LMSSetValue('cmi.core.lesson_location', String(page));
    api.LMSSetValue('cmi.suspend_data', 'pages=' + page);
  });
  document.getElementById('complete').addEventListener('click', function () {
    api.LMSSetValue('cmi.core.score.raw', '90');
    api.LMSSetValue('cmi.core.lesson_status', 'passed');
  });
  document.getElementById('commit').addEventListener('click', function () {
    var ok = api.LMSCommit('');
    show('commit=' + ok + '|error=' + api.LMSGetLastError());
  });
  document.getElementById('bad').addEventListener('click', function () {
    api.LMSSetValue('cmi.core.lesson_status', 'fini');
  });
  window.addEventListener('pagehide', function () {
    if (finished) return;
    finished = true;
    var s = Math.round((Date.now() - start) / 1000);
    api.LMSSetValue('cmi.core.session_time',
      pad(Math.floor(s / 3600)) + ':' + pad(Math.floor(s / 60) % 60) + ':' + pad(s % 60));
    api.LMSSetValue('cmi.core.exit', 'suspend');
    api.LMSFinish('');
  });
})();
