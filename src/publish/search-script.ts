import { SEARCH_CORE_JS } from './search-terms.js';

/**
 * The static site's search page: loads the index files (search-index-files.ts)
 * with <script> tags, which also works from file://, folds the query as the
 * index was folded (Traditional to Simplified, lower case), and walks the
 * segments newest first until a page of hits is found. Titles are put in
 * with textContent: nothing from the index is ever parsed as HTML.
 */
const SEARCH_UI_JS = `(function () {
  'use strict';
  var body = document.body;
  var base = body.getAttribute('data-search-index');
  if (!base) return;
  var list = document.getElementById('results');
  var status = document.getElementById('status');
  var more = document.getElementById('more');
  var PAGE = 20;
  var waiting = Object.create(null);
  function load(name) {
    if (waiting[name]) return waiting[name].promise;
    var entry = {};
    entry.promise = new Promise(function (resolve, reject) { entry.resolve = resolve; entry.reject = reject; });
    waiting[name] = entry;
    var script = document.createElement('script');
    script.src = base + name;
    script.onerror = function () { entry.reject(new Error('cannot load ' + name)); };
    script.onload = function () { entry.reject(new Error(name + ' holds no index data')); };
    document.head.appendChild(script);
    return entry.promise;
  }
  function arrive(name, value) { if (waiting[name]) waiting[name].resolve(value); }
  window.nmSearchMeta = function (meta) { arrive('meta.js', meta); };
  window.nmSearchFold = function (pairs) { arrive('fold.js', pairs); };
  window.nmSearchShard = function (g, k, terms) { arrive('s' + g + '-t' + k + '.js', terms); };
  window.nmSearchDocs = function (g, c, rows) { arrive('s' + g + '-d' + c + '.js', rows); };

  var query = (new URLSearchParams(location.search).get('q') || '').trim();
  var box = document.getElementById('q');
  if (box) box.value = query;
  // As the server's page names it: the query first, so tabs and history tell searches apart.
  if (query) document.title = query + ' · ' + document.title;
  if (!query) { status.textContent = '输入词语，搜索全部文章的标题和正文（简繁通用）。'; return; }
  status.textContent = '正在搜索…';

  Promise.all([load('meta.js'), load('fold.js')]).then(function (loaded) {
    var meta = loaded[0];
    var pairs = loaded[1];
    var fold = Object.create(null);
    for (var i = 0; i + 1 < pairs.length; i += 2) fold[pairs.charAt(i)] = pairs.charAt(i + 1);
    function normalize(text) {
      var out = '';
      for (var i = 0; i < text.length; i += 1) { var c = text.charAt(i); out += fold[c] || c; }
      return out;
    }
    var terms = nmSearchTerms(normalize(query), true);
    var words = normalize(query).split(/\\s+/).filter(function (w) { return w !== ''; });
    var hits = [];
    var shown = 0;
    var segment = meta.shards.length - 1;
    if (terms.length === 0) { status.textContent = '没有可以搜索的字词。'; return; }

    function decode(text, offset) {
      var out = [];
      var n = 0;
      var parts = text.split(',');
      for (var i = 0; i < parts.length; i += 1) { n += parseInt(parts[i], 36); out.push(offset + n); }
      return out;
    }
    function searchSegment(g) {
      var shards = meta.shards[g];
      return Promise.all(terms.map(function (term) {
        return load('s' + g + '-t' + nmSearchShardOf(term, shards) + '.js').then(function (map) {
          return Object.prototype.hasOwnProperty.call(map, term) ? decode(map[term], g * meta.segment) : [];
        });
      })).then(function (lists) {
        lists.sort(function (a, b) { return a.length - b.length; });
        var found = lists[0];
        for (var i = 1; i < lists.length; i += 1) {
          var set = new Set(lists[i]);
          found = found.filter(function (n) { return set.has(n); });
        }
        for (var k = found.length - 1; k >= 0; k -= 1) hits.push(found[k]);
      });
    }
    function fill() {
      if (hits.length >= shown + PAGE || segment < 0) return Promise.resolve();
      return searchSegment(segment--).then(fill);
    }
    function mark(parent, title) {
      var folded = normalize(title);
      var at = 0;
      while (at < title.length) {
        var best = -1;
        var length = 0;
        for (var i = 0; i < words.length; i += 1) {
          var p = folded.indexOf(words[i], at);
          if (p !== -1 && (best === -1 || p < best)) { best = p; length = words[i].length; }
        }
        if (best === -1) break;
        parent.appendChild(document.createTextNode(title.slice(at, best)));
        var m = document.createElement('mark');
        m.textContent = title.slice(best, best + length);
        parent.appendChild(m);
        at = best + length;
      }
      parent.appendChild(document.createTextNode(title.slice(at)));
    }
    function row(n) {
      var g = Math.floor(n / meta.segment);
      var local = n - g * meta.segment;
      var c = Math.floor(local / meta.chunk);
      return load('s' + g + '-d' + c + '.js').then(function (rows) { return rows[local - c * meta.chunk]; });
    }
    function render(rows) {
      for (var i = 0; i < rows.length; i += 1) {
        var r = rows[i];
        var source = meta.sources[r[0]] || ['', ''];
        var li = document.createElement('li');
        var time = document.createElement('time');
        time.textContent = r[2];
        var src = document.createElement('span');
        src.className = 'src';
        src.textContent = source[1];
        var a = document.createElement('a');
        a.href = 'articles/' + encodeURIComponent(source[0]) + '/' + r[1] + '.html';
        mark(a, r[3]);
        li.appendChild(time);
        li.appendChild(src);
        li.appendChild(a);
        list.appendChild(li);
      }
    }
    function report() {
      var done = segment < 0;
      status.textContent = hits.length === 0 ? '没有找到“' + query + '”。'
        : (done ? '找到 ' + hits.length + ' 篇' : '已找到 ' + hits.length + ' 篇（更早的文章还没有搜索）') + '，新的在前。';
      more.hidden = done && shown >= hits.length;
    }
    function next() {
      more.disabled = true;
      return fill().then(function () {
        var page = hits.slice(shown, shown + PAGE);
        shown += page.length;
        return Promise.all(page.map(row));
      }).then(function (rows) {
        render(rows);
        more.disabled = false;
        report();
      });
    }
    function fail(error) { status.textContent = '搜索索引无法读取：' + error.message; }
    more.addEventListener('click', function () { next().catch(fail); });
    return next();
  }).catch(function (error) { status.textContent = '搜索索引无法读取：' + error.message; });
})();
`;

/** static/search.js: the term and shard functions the index was built with, then the page logic. */
export const SEARCH_JS = `${SEARCH_CORE_JS}${SEARCH_UI_JS}`;
