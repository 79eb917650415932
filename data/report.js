/* vibeguard HTML report: filters and grouping.  No network, no innerHTML:
   every text the page shows was escaped by the renderer, and this script
   only moves nodes, sets textContent and toggles the hidden attribute.
   The URL fragment holds the filters (#sev=high,critical&an=taint&tier=issue
   &q=text&group=rule), read at load and kept up to date. */
(function () {
  'use strict';
  var form = document.getElementById('filters');
  var main = document.getElementById('findings');
  if (!form || !main) return;
  var all = Array.prototype.slice.call(main.querySelectorAll('.f'));
  var sevs = Array.prototype.slice.call(form.querySelectorAll('input[name=sev]'));
  var shown = document.getElementById('shown');
  var grouped = 'file';
  function each(list, fn) { Array.prototype.forEach.call(list, fn); }
  function attr(el, k) { return el.getAttribute('data-' + k) || ''; }

  function state() {
    var s = {sev: [], an: form.an.value, tier: form.tier.value, q: form.q.value, group: form.group.value};
    sevs.forEach(function (c) { if (c.checked) s.sev.push(c.value); });
    return s;
  }
  function fragment(s) {
    var p = [];
    if (s.sev.length !== sevs.length) p.push('sev=' + s.sev.join(','));
    if (s.an) p.push('an=' + encodeURIComponent(s.an));
    if (s.tier) p.push('tier=' + encodeURIComponent(s.tier));
    if (s.q) p.push('q=' + encodeURIComponent(s.q));
    if (s.group !== 'file') p.push('group=' + encodeURIComponent(s.group));
    return p.join('&');
  }
  function load(h) {
    if (h.indexOf('=') < 0) return;
    h.replace(/^#/, '').split('&').forEach(function (kv) {
      var i = kv.indexOf('='), k = kv.slice(0, i), v = kv.slice(i + 1);
      try { v = decodeURIComponent(v); } catch (e) { return; }
      if (k === 'sev') { var want = v.split(','); sevs.forEach(function (c) { c.checked = want.indexOf(c.value) >= 0; }); }
      else if (k === 'an' || k === 'tier' || k === 'q' || k === 'group') {
        var el = form[k];
        if (el.tagName === 'SELECT' && !Array.prototype.some.call(el.options, function (o) { return o.value === v; })) return;
        el.value = v;
      }
    });
  }

  var RANK = {critical: 4, high: 3, medium: 2, low: 1};
  function worst(list) {
    return list.reduce(function (m, f) { return Math.max(m, RANK[attr(f, 'sev')] || 0); }, 0);
  }

  /* One collapsible group per distinct value of data-KEY, in the order
     the findings came (file) or by rule id (rule). */
  function regroup(key) {
    var groups = {}, order = [];
    all.forEach(function (f) {
      var k = attr(f, key);
      if (!groups[k]) { groups[k] = []; order.push(k); }
      groups[k].push(f);
    });
    /* rules: the most severe first, then by id */
    if (key === 'rule') order.sort(function (a, b) {
      return worst(groups[b]) - worst(groups[a]) || (a < b ? -1 : a > b ? 1 : 0);
    });
    while (main.firstChild) main.removeChild(main.firstChild);
    order.forEach(function (k) {
      var d = document.createElement('details'), s = document.createElement('summary');
      var n = document.createElement('span'), c = document.createElement('span');
      d.className = 'g'; d.open = true; d.setAttribute('data-key', k);
      n.className = 'gname'; c.className = 'gcount';
      n.textContent = key === 'rule' ? k + ' ' + attr(groups[k][0], 'title') : k;
      s.appendChild(n); s.appendChild(c); d.appendChild(s);
      groups[k].forEach(function (f) { d.appendChild(f); });
      main.appendChild(d);
    });
    grouped = key;
  }

  function apply() {
    var s = state(), q = s.q.toLowerCase(), n = 0;
    if (s.group !== grouped) regroup(s.group);
    all.forEach(function (f) {
      var ok = s.sev.indexOf(attr(f, 'sev')) >= 0 && (!s.an || attr(f, 'an') === s.an) &&
        (!s.tier || attr(f, 'tier') === s.tier) && (!q || f.textContent.toLowerCase().indexOf(q) >= 0);
      f.hidden = !ok;
      if (ok) n++;
    });
    each(main.querySelectorAll('details.g'), function (g) {
      var shownRows = g.querySelectorAll('.f:not([hidden])'), v = shownRows.length;
      var t = g.querySelectorAll('.f').length, by = {}, parts = [];
      each(shownRows, function (f) { by[attr(f, 'sev')] = (by[attr(f, 'sev')] || 0) + 1; });
      ['critical', 'high', 'medium', 'low'].forEach(function (k) { if (by[k]) parts.push(by[k] + ' ' + k); });
      g.hidden = !v;
      var count = v === t ? t + '' : v + ' of ' + t;
      g.querySelector('.gcount').textContent = parts.length === 1 && v === t ? parts[0]
        : count + (parts.length ? ' \u00b7 ' + parts.join(', ') : '');
    });
    shown.textContent = n + ' of ' + all.length + ' shown';
    document.body.setAttribute('data-shown', n + '');
    var h = fragment(s);
    try { history.replaceState(null, '', h ? '#' + h : location.pathname + location.search); } catch (e) { }
  }

  load(location.hash);
  form.hidden = false;
  form.addEventListener('input', apply);
  form.addEventListener('change', apply);
  form.addEventListener('submit', function (e) { e.preventDefault(); });
  document.getElementById('expand').addEventListener('click', function () {
    each(main.querySelectorAll('details.g'), function (g) { g.open = true; });
  });
  document.getElementById('collapse').addEventListener('click', function () {
    each(main.querySelectorAll('details.g'), function (g) { g.open = false; });
  });
  /* a link to a rule's documentation opens it */
  function openRule(id) {
    var d = id && document.getElementById(id);
    if (d && d.tagName === 'DETAILS') d.open = true;
  }
  document.addEventListener('click', function (e) {
    var a = e.target.closest && e.target.closest('a[href^="#rule-"]');
    if (a) openRule(a.getAttribute('href').slice(1));
  });
  if (location.hash.indexOf('#rule-') === 0) openRule(location.hash.slice(1));
  regroup(form.group.value);
  apply();
})();
