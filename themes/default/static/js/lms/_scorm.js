  /* efop-author: SCORM API discovery and calls, shared by scorm12.js and scorm2004.js (inserted
   * in place of their `efop:include` line when the package is built). API_NAME comes from
   * there: "API" (1.2) or "API_1484_11" (2004). The API is looked for up the parent chain, then
   * in the opener's (at most 500 windows); a call never throws. */

  function notice(key) {
    try { document.dispatchEvent(new CustomEvent('efop:notice', { detail: { key: key } })); } catch (e) { /* ignore */ }
  }
  function scan(win) {
    for (var n = 0; win && n < 500; n++) {
      try { if (win[API_NAME]) { return win[API_NAME]; } } catch (e) { return null; } // cross-origin frame
      if (!win.parent || win.parent === win) { break; }
      win = win.parent;
    }
    return null;
  }
  function discover() {
    var found = scan(window);
    if (!found) {
      try { if (window.top && window.top.opener) { found = scan(window.top.opener); } } catch (e) { found = null; }
    }
    return found;
  }
  function call(name, args) {
    try {
      var r = api[name].apply(api, args);
      return r == null ? '' : String(r);
    } catch (e) {
      return 'false';
    }
  }
