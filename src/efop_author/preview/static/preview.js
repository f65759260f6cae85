/* efop-author preview only (never in packages): live reload, build-error overlay,
 * warnings list and the inspector toggle. Polls /__efop__/status. */
(function () {
  'use strict';
  var cfgEl = document.getElementById('efop-preview-config');
  if (!cfgEl) { return; }
  var cfg;
  try { cfg = JSON.parse(cfgEl.textContent); } catch (e) { return; }
  var S = cfg.strings || {};
  var doc = document;
  var emptyPage = doc.body.classList.contains('efop-preview-empty');
  var shownAttempt = null;
  var overlay = null;
  var warnBox = null;

  function el(tag, attrs, text) {
    var e = doc.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text != null) { e.textContent = text; }
    return e;
  }

  /* ---- toolbar: inspector toggle + warnings ----------------------------------------- */
  var bar = el('div', { 'class': 'efop-preview-bar', role: 'region', 'aria-label': 'efop-author' });
  if (cfg.inspect) {
    var link = el('a', { 'class': 'efop-preview-btn', href: cfg.inspect, 'data-efop-preview': 'inspect' }, S.inspector);
    link.addEventListener('click', function () { link.href = cfg.inspect + (location.hash || ''); });
    bar.appendChild(link);
  }
  var warnBtn = el('button', { type: 'button', 'class': 'efop-preview-btn', 'aria-expanded': 'false',
    'aria-controls': 'efop-preview-warnings', 'data-efop-preview': 'warnings', hidden: '' });
  bar.appendChild(warnBtn);
  warnBox = el('div', { id: 'efop-preview-warnings', 'class': 'efop-preview-warnings', hidden: '' });
  warnBtn.addEventListener('click', function () {
    var open = warnBtn.getAttribute('aria-expanded') !== 'true';
    warnBtn.setAttribute('aria-expanded', open ? 'true' : 'false');
    if (open) { warnBox.removeAttribute('hidden'); } else { warnBox.setAttribute('hidden', ''); }
  });
  doc.body.appendChild(warnBox);
  doc.body.appendChild(bar);

  function list(items) {
    var ul = el('ul', { 'class': 'efop-preview-list' });
    items.forEach(function (d) {
      var li = el('li', { 'data-code': d.code });
      li.appendChild(el('code', {}, d.text));
      ul.appendChild(li);
    });
    return ul;
  }

  function showWarnings(warnings) {
    if (!warnings.length) { warnBtn.setAttribute('hidden', ''); warnBox.setAttribute('hidden', ''); return; }
    warnBtn.removeAttribute('hidden');
    warnBtn.textContent = S.warnings + ' (' + warnings.length + ')';
    warnBox.innerHTML = '';
    warnBox.appendChild(el('h2', {}, S.warnings));
    warnBox.appendChild(list(warnings));
  }

  /* ---- error overlay ------------------------------------------------------------------ */
  function showErrors(st) {
    if (overlay) { overlay.parentNode.removeChild(overlay); overlay = null; }
    if (st.ok || !st.errors.length) { return; }
    overlay = el('div', { 'class': 'efop-preview-overlay', role: 'alert', 'aria-labelledby': 'efop-preview-overlay-title',
      'data-efop-preview': 'errors' });
    var box = el('div', { 'class': 'efop-preview-overlay-box' });
    box.appendChild(el('h2', { id: 'efop-preview-overlay-title' }, S['failed-title'] + ' (' + st.errors.length + ')'));
    box.appendChild(el('p', {}, S['failed-intro']));
    box.appendChild(list(st.errors));
    if (st.build > 0) { box.appendChild(el('p', { 'class': 'efop-preview-note' }, S.kept)); }
    var close = el('button', { type: 'button', 'class': 'efop-preview-btn' }, S.close);
    close.addEventListener('click', function () { if (overlay) { overlay.setAttribute('hidden', ''); } });
    box.appendChild(close);
    overlay.appendChild(box);
    doc.body.appendChild(overlay);
  }

  function apply(st) {
    if (st.ok && st.build !== cfg.build) { reload(); return false; }
    if (emptyPage && st.attempt !== cfg.attempt) { reload(); return false; }
    if (st.attempt !== shownAttempt) {
      shownAttempt = st.attempt;
      if (!emptyPage) { showErrors(st); }
      showWarnings(st.warnings || []);
    }
    return true;
  }

  var reloading = false;
  function reload() {
    if (reloading) { return; }
    reloading = true;
    doc.documentElement.setAttribute('data-efop-preview-reloading', '');
    location.reload();
  }

  function poll() {
    var xhr = new XMLHttpRequest();
    xhr.open('GET', cfg.status, true);
    xhr.setRequestHeader('Cache-Control', 'no-store');
    xhr.onload = function () {
      var again = true;
      if (xhr.status === 200) {
        try { again = apply(JSON.parse(xhr.responseText)); } catch (e) { again = true; }
      }
      if (again) { setTimeout(poll, 300); }
    };
    xhr.onerror = function () { setTimeout(poll, 1000); }; // server stopped: keep trying quietly
    xhr.send();
  }
  poll();
})();
