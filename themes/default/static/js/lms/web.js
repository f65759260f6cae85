/* efop-author LMS adapter: web (no LMS). Progress is kept in the browser's localStorage
 * (works from file:// too), per course and module; the learner id used to seed shuffling is
 * a random id stored once per browser. Same interface as the other adapters (window.efopLms).
 */
(function () {
  'use strict';
  var key = '';
  var data = { location: '', state: '', status: '', score: null };
  var storage = null;
  var broken = false;

  function notice(k) {
    try { document.dispatchEvent(new CustomEvent('efop:notice', { detail: { key: k } })); } catch (e) { /* ignore */ }
  }
  function save() {
    if (!storage || !key) { return false; }
    try {
      storage.setItem(key, JSON.stringify(data));
      return true;
    } catch (e) {
      if (!broken) { broken = true; notice('web-nostorage'); }
      return false;
    }
  }
  function learnerId() {
    var id = '';
    try {
      id = storage.getItem('efop:learner') || '';
      if (!id) {
        id = 'web-' + Math.random().toString(36).slice(2, 12);
        storage.setItem('efop:learner', id);
      }
    } catch (e) { id = ''; }
    return id;
  }

  window.efopLms = {
    name: 'web',
    start: function (d) {
      try { storage = window.localStorage; storage.getItem('efop:learner'); } catch (e) { storage = null; }
      if (!storage) { notice('web-nostorage'); return { entry: '', location: '', state: '', learner: '' }; }
      key = 'efop:' + (d && d.course ? d.course.id : '') + ':' + (d && d.module ? d.module.id : '');
      var saved = null;
      try { saved = JSON.parse(storage.getItem(key) || 'null'); } catch (e) { saved = null; }
      if (saved && typeof saved === 'object') {
        data.location = String(saved.location || '');
        data.state = String(saved.state || '');
        data.status = String(saved.status || '');
        data.score = saved.score == null ? null : saved.score;
      }
      return { entry: saved ? 'resume' : 'ab-initio', location: data.location, state: data.state, learner: learnerId() };
    },
    pageVisited: function (id) { data.location = String(id); save(); },
    answer: function () { /* nothing to report without an LMS */ },
    quizResult: function (r) { if (r.moduleScore != null) { data.score = r.moduleScore; save(); } },
    saveState: function (s) { data.state = s; save(); },
    complete: function (st) { data.status = st; save(); },
    commit: function () { return save(); },
    exit: function () { save(); }
  };
})();
