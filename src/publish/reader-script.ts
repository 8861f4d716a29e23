/**
 * Keyboard navigation for every page, served as a file (no inline script
 * under the Content-Security-Policy): `/` focuses the search box; on a list,
 * j/k move through its articles (Enter opens one) and ←/→ turn the page; on an
 * article, j or → opens the next (older) one and k or ← the previous (newer).
 * Plain ES5-level JavaScript: it runs as it is, from disk too.
 */
export const READER_JS = `(function () {
  'use strict';
  var at = -1;
  function typing(target) {
    return !!target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
  }
  function go(rel) {
    var link = document.querySelector('link[rel="' + rel + '"]');
    if (link) location.href = link.href;
  }
  function move(step) {
    var items = document.querySelectorAll('ul.list a');
    if (items.length === 0) { go(step > 0 ? 'next' : 'prev'); return; }
    at = Math.max(0, Math.min(items.length - 1, at + step));
    for (var i = 0; i < items.length; i += 1) items[i].parentNode.classList.remove('sel');
    items[at].parentNode.classList.add('sel');
    items[at].focus();
  }
  document.addEventListener('keydown', function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (typing(event.target)) {
      if (event.key === 'Escape') event.target.blur();
      return;
    }
    if (event.key === '/') {
      var box = document.getElementById('q');
      if (box) { event.preventDefault(); box.focus(); box.select(); }
    } else if (event.key === 'j') move(1);
    else if (event.key === 'k') move(-1);
    else if (event.key === 'ArrowRight') go('next');
    else if (event.key === 'ArrowLeft') go('prev');
  });
})();
`;
