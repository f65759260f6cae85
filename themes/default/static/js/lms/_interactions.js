  /* efop-author: xAPI interaction activities, shared by xapi.js and cmi5.js (inserted in place
   * of their `efop:include` line when the package is built; uses ACT and langMap from there).
   * [definition, response] of a run-time interaction: docs/runtime.md §2, docs/xapi.md. */

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
