  /* efop-author: xAPI helpers shared by xapi.js and cmi5.js (inserted in place of their
   * `efop:include` line when the package is built; uses `data` and ACT from there):
   * storage-key hashing, statement ids, durations, language maps, and the interaction
   * activities of answered questions (docs/runtime.md §2, docs/xapi.md, docs/cmi5.md). */

  /* FNV-1a: storage keys never hold the auth value itself */
  function hash(s) {
    var h = 0x811c9dc5;
    for (var i = 0; i < s.length; i++) { h ^= s.charCodeAt(i); h = Math.imul(h, 0x01000193) >>> 0; }
    return ('0000000' + h.toString(16)).slice(-8);
  }

  /* version 4 (crypto.randomUUID needs a secure context, getRandomValues does not) */
  function uuid() {
    var b = window.crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    var h = '';
    for (var j = 0; j < 16; j++) h += (b[j] + 0x100).toString(16).slice(1);
    return h.slice(0, 8) + '-' + h.slice(8, 12) + '-' + h.slice(12, 16) + '-' + h.slice(16, 20) + '-' + h.slice(20);
  }

  function duration(ms) {
    var cs = Math.max(0, Math.round(ms / 10));
    var h = Math.floor(cs / 360000);
    var m = Math.floor((cs % 360000) / 6000);
    var s = (cs % 6000) / 100;
    return 'PT' + (h ? h + 'H' : '') + (m ? m + 'M' : '') + (s || (!h && !m) ? s + 'S' : '');
  }

  function langMap(value) {
    var m = {};
    m[data.lang || 'fr'] = String(value);
    return m;
  }

  function components(list) {
    return (list || []).map(function (c) { return { id: String(c.key), description: langMap(c.text || c.key) }; });
  }

  function tf(q, key) { return key === q.choices[0].key ? 'true' : key === q.choices[1].key ? 'false' : ''; }

  var TYPES = { single: 'choice', multiple: 'choice', 'true-false': 'true-false', matching: 'matching', ordering: 'sequencing' };

  /* [definition, response] of a run-time interaction (docs/runtime.md §2) */
  function interaction(q, resp) {
    var text = q.text || q.id;
    var def = { type: ACT + 'cmi.interaction', name: langMap(text.slice(0, 120)), description: langMap(text) };
    var c = q.correct || [];
    var r = resp.join('[,]');
    var dot = function (p) { return String(p).replace('.', '[.]'); };
    def.interactionType = TYPES[q.type] || 'fill-in';
    def.correctResponsesPattern = [c.join('[,]')];
    if (q.type === 'single' || q.type === 'multiple') {
      def.choices = components(q.choices);
    } else if (q.type === 'true-false') {
      def.correctResponsesPattern = [tf(q, c[0])];
      r = resp.length ? tf(q, resp[0]) : '';
    } else if (q.type === 'matching') {
      def.correctResponsesPattern = [c.map(dot).join('[,]')];
      def.source = components(q.sources);
      def.target = components(q.targets);
      r = resp.map(dot).join('[,]');
    } else if (q.type === 'ordering') {
      def.choices = components(q.items);
    } else {
      def.correctResponsesPattern = c.map(function (a) { return (q.case_sensitive ? '{case_matters=true}' : '') + a; });
      r = resp.join(' ');
    }
    return [def, r];
  }
