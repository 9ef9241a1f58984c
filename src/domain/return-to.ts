// Where the OAuth2 callback may send the browser back to (`returnTo`). The
// value ends up in a `Location` header, so it is only ever emitted as the
// WHATWG URL parser's `.href` of an input that needed no repair: the parser
// silently drops tabs and CR/LF and reads `\` as `/`, so an input relying on
// that (`https://app.example/settings\r\nSet-Cookie: …`,
// `http://allowed\@evil/`) is refused rather than "cleaned", and so is any
// userinfo, which browsers show as part of the host
// (docs/oauth2-and-pools.md, "returnTo").

export type ReturnToCheck = { ok: true; href: string } | { ok: false; problem: string };

/** C0 controls and DEL, raw or percent-encoded (`%0d%0a`, `%00`, `%7f`). */
const CONTROL = /[\p{Cc}]|%(?:[01][0-9a-f]|7f)/iu;
/** Anything up to the end of the authority that contains an `@`: userinfo, even an empty one. */
const USERINFO = /^[a-z][a-z0-9+.-]*:\/*[^/?#]*@/i;

/**
 * Whether `url` is on the allowlist: the same origin as an entry, with the
 * entry's path as a whole-segment prefix. Origins are compared parsed, so
 * `https://good.example.evil.com`, `https://good.example@evil.com` and
 * `https://good.example/appX` do not pass for the entry `https://good.example/app`.
 */
function onAllowlist(allowlist: readonly string[], url: URL): boolean {
  return allowlist.some((entry) => {
    if (!URL.canParse(entry)) return false;
    const allowed = new URL(entry);
    if (allowed.origin !== url.origin) return false;
    const prefix = allowed.pathname;
    if (prefix === '/' || prefix.endsWith('/')) return url.pathname.startsWith(prefix);
    return url.pathname === prefix || url.pathname.startsWith(`${prefix}/`);
  });
}

/**
 * The normalised `returnTo` to store and redirect to, or why it is refused.
 * Checked when the flow starts and again at the callback, on whatever the
 * store holds by then.
 */
export function checkReturnTo(allowlist: readonly string[], raw: string): ReturnToCheck {
  if (CONTROL.test(raw)) return { ok: false, problem: 'returnTo must not contain control characters (raw or percent-encoded)' };
  if (raw.includes('\\')) return { ok: false, problem: 'returnTo must not contain a backslash' };
  if (USERINFO.test(raw)) return { ok: false, problem: 'returnTo must not contain userinfo (user:password@)' };
  if (!URL.canParse(raw)) return { ok: false, problem: 'returnTo must be an absolute URL' };
  const url = new URL(raw);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return { ok: false, problem: 'returnTo must be an http(s) URL' };
  if (url.username !== '' || url.password !== '') return { ok: false, problem: 'returnTo must not contain userinfo (user:password@)' };
  if (!onAllowlist(allowlist, url)) return { ok: false, problem: 'returnTo is not on the configured allowlist (OAUTH2_RETURN_TO_ALLOWLIST)' };
  return { ok: true, href: url.href };
}
