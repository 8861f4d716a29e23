/**
 * The reader's one stylesheet, served as a file (the Content-Security-Policy
 * allows no inline style). System fonts only: a page never loads a font from
 * another host. Light and dark follow the reader's system setting.
 */
export const READER_CSS = `:root{color-scheme:light dark;--bg:#fdfcf9;--fg:#1d1d1f;--muted:#6b6b70;--line:#e4e2dc;--link:#0b57a4;--visited:#6a3d9a;--mark:#fff1a8;--card:#ffffff}
@media (prefers-color-scheme:dark){:root{--bg:#16171a;--fg:#e6e4df;--muted:#9a9aa2;--line:#2e3036;--link:#8ab8ff;--visited:#c3a6ff;--mark:#5a4a00;--card:#1d1f23}}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%;text-size-adjust:100%}
body{margin:0;background:var(--bg);color:var(--fg);font:17px/1.8 system-ui,-apple-system,"PingFang SC","Hiragino Sans GB","Noto Sans CJK SC","Source Han Sans SC","Microsoft YaHei","WenQuanYi Micro Hei",sans-serif;line-break:strict;overflow-wrap:break-word;word-break:normal}
a{color:var(--link);text-decoration:none}a:visited{color:var(--visited)}a:hover,a:focus-visible{text-decoration:underline}
a:focus-visible,input:focus-visible,button:focus-visible,select:focus-visible{outline:2px solid var(--link);outline-offset:2px}
.wrap{max-width:46rem;margin:0 auto;padding:0 1rem}
header.top{border-bottom:1px solid var(--line);background:var(--card)}
header.top .wrap{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:center;padding-top:.6rem;padding-bottom:.6rem}
header.top .site{font-weight:700;color:var(--fg);margin-right:auto}
form.search{display:flex;gap:.4rem;flex:1 1 14rem;max-width:24rem}
form.search input{flex:1;min-width:0;font:inherit;font-size:16px;padding:.25rem .6rem;border:1px solid var(--line);border-radius:.4rem;background:var(--bg);color:var(--fg)}
button,select{font:inherit;font-size:15px;padding:.25rem .7rem;border:1px solid var(--line);border-radius:.4rem;background:var(--card);color:var(--fg);cursor:pointer}
main{padding:1rem 0 2rem}
h1{font-size:1.6rem;line-height:1.4;margin:.6rem 0 .8rem;letter-spacing:.02em}
h2{font-size:1.2rem;line-height:1.4;margin:1.6rem 0 .4rem}
.meta,.count,.note,time{color:var(--muted);font-size:.88rem}
ul.list{list-style:none;padding:0;margin:0}
ul.list li{display:flex;gap:.8rem;padding:.35rem 0;border-bottom:1px solid var(--line);align-items:baseline}
ul.list li time{flex:none;font-variant-numeric:tabular-nums;min-width:5.6rem}
ul.list li .src{flex:none;color:var(--muted);font-size:.85rem}
ul.list li a{flex:1}
ul.list li.sel{background:var(--mark)}
.source{margin-bottom:1.4rem}
.health{font-size:.8rem;border-radius:.3rem;padding:0 .35rem;margin-left:.4rem;border:1px solid var(--line)}
.health.failing{color:#b3261e;border-color:#b3261e}.health.stale{color:#8a6100;border-color:#8a6100}
nav.pager{display:flex;justify-content:space-between;gap:1rem;margin:1.2rem 0;flex-wrap:wrap}
nav.months{display:flex;flex-wrap:wrap;gap:.2rem .9rem;font-size:.9rem}
.article-body{font-size:1.06rem;line-height:1.9;text-align:justify;text-justify:inter-ideograph;hanging-punctuation:allow-end}
.article-body p{margin:0 0 1em}
.article-body img{max-width:100%;height:auto;display:block;margin:.8rem auto}
.article-body figure{margin:1rem 0}.article-body figcaption{color:var(--muted);font-size:.88rem;text-align:center}
.article-body blockquote{margin:1rem 0;padding:.2rem 1rem;border-left:3px solid var(--line);color:var(--muted)}
.article-body pre{overflow:auto;white-space:pre-wrap}
.article-body table{border-collapse:collapse;display:block;overflow:auto}.article-body td,.article-body th{border:1px solid var(--line);padding:.2rem .5rem}

.remote-image,.remote-embed{font-size:.9rem}
mark{background:var(--mark);color:inherit}
.results .snippet{color:var(--muted);font-size:.92rem;margin:.1rem 0 .6rem;flex-basis:100%}
ul.results li{flex-wrap:wrap}
footer.bottom{border-top:1px solid var(--line);padding:1rem 0 2rem;color:var(--muted);font-size:.85rem}
kbd{font:inherit;font-size:.8rem;border:1px solid var(--line);border-radius:.25rem;padding:0 .3rem}
@media (max-width:520px){body{font-size:16px}h1{font-size:1.35rem}ul.list li{flex-wrap:wrap;gap:0 .6rem}ul.list li time{min-width:0}ul.list li a{flex-basis:100%}}
`;

/** The site icon, 16×16: a page of text in the link colour (an ICO holding a PNG). */
export const READER_ICON = Buffer.from(
  'AAABAAEAEBAAAAEAIABaAAAAFgAAAIlQTkcNChoKAAAADUlIRFIAAAAQAAAAEAgGAAAAH/P/YQAAACFJREFUeNpjYKAW4A5f8p8UPNwNwAVGvTCQXhgpKZFcAABlp3LIBwldrAAAAABJRU5ErkJggg==',
  'base64',
);
