/**
 * Redaction of credential-bearing values before anything is logged, stored or shown: URL
 * userinfo (a PostgreSQL password), query values (tokens, signatures) and, for webhooks, the
 * path (a Slack-style webhook's path is its secret).
 */

/** What replaces a secret. */
export const REDACTED = '[redacted]';

/** Options of {@link redactUrl}. */
export interface RedactUrlOptions {
  /** Also hide the path (webhook URLs carry their token there). Default false. */
  readonly path?: boolean;
}

/**
 * `url` with its password, every query value, the fragment and (optionally) the path replaced
 * by `[redacted]`. The user name, scheme, host and port stay, so the log still says where. A
 * value that does not parse as a URL is redacted whole, unless it plainly holds no credential
 * (a `sqlite:` path).
 */
export function redactUrl(url: string, options: RedactUrlOptions = {}): string {
  if (url.startsWith('sqlite:') && !/[?#@]/.test(url)) return url;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return REDACTED;
  }
  if (parsed.protocol === 'sqlite:' || parsed.host === '') {
    // No authority: the URL is a file path plus, at most, options.
    return `${url.split(/[?#]/)[0] ?? ''}${parsed.search ? `?${REDACTED}` : ''}`;
  }
  let out = `${parsed.protocol}//`;
  if (parsed.username !== '' || parsed.password !== '') {
    out += `${parsed.username === '' ? '' : decodeURIComponent(parsed.username)}`;
    out += parsed.password === '' ? '@' : `:${REDACTED}@`;
  }
  out += parsed.host;
  out += options.path === true && parsed.pathname !== '/' ? `/${REDACTED}` : parsed.pathname;
  if (parsed.search !== '') {
    const keys = [...new URLSearchParams(parsed.search).keys()];
    out += `?${keys.map((k) => `${encodeURIComponent(k)}=${REDACTED}`).join('&')}`;
  }
  if (parsed.hash !== '') out += `#${REDACTED}`;
  return out;
}

/**
 * `text` with every occurrence of each secret (and of its URL-encoded form) replaced: for
 * error messages that may echo a connection string or a webhook URL.
 */
export function redactSecrets(text: string, secrets: readonly (string | undefined)[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret === undefined || secret.length < 4) continue;
    for (const form of new Set([secret, encodeURIComponent(secret)]))
      out = out.split(form).join(REDACTED);
  }
  return out;
}

/** The credential parts of a URL (password, query values, path, fragment), for {@link redactSecrets}. */
export function urlSecrets(url: string | undefined, options: RedactUrlOptions = {}): string[] {
  if (url === undefined) return [];
  if (url.startsWith('sqlite:') && !/[?#@]/.test(url)) return [];
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return [url];
  }
  const secrets: string[] = [url];
  if (parsed.password !== '') secrets.push(decodeURIComponent(parsed.password), parsed.password);
  for (const value of new URLSearchParams(parsed.search).values()) secrets.push(value);
  if (options.path === true && parsed.pathname.length > 1) {
    secrets.push(parsed.pathname);
    for (const segment of parsed.pathname.split('/'))
      if (segment.length >= 8) secrets.push(segment);
  }
  if (parsed.hash.length > 1) secrets.push(parsed.hash.slice(1));
  return secrets;
}
