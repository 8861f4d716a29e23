/**
 * A URL safe to print: userinfo (feed or proxy credentials) removed. Works on
 * strings that do not parse too, since those end up in error messages as well.
 */
export function redactUrl(url: string | URL): string {
  if (typeof url !== 'string') return stripUserinfo(url);
  try {
    return stripUserinfo(new URL(url));
  } catch {
    return url.replace(/\/\/[^/?#@]*@/, '//').replace(/[\r\n]+/g, ' ');
  }
}

function stripUserinfo(url: URL): string {
  if (url.username === '' && url.password === '') return url.href;
  const copy = new URL(url.href);
  copy.username = '';
  copy.password = '';
  return copy.href;
}
