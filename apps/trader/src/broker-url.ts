import { ConfigError } from '@quantpipe/core';

/** Host names that reach only this machine. */
function isLoopback(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return (
    host === 'localhost' ||
    host.endsWith('.localhost') ||
    host === '::1' ||
    /^127(?:\.\d{1,3}){3}$/.test(host)
  );
}

/**
 * Refuses a broker or data URL that is not `https:`, or `http:` to a loopback host (the local
 * emulators): credentials and orders never travel in clear text, and `file:` or `javascript:`
 * never pass for an API. The error names the key and the scheme or host, never the URL (it may
 * carry a token).
 */
export function assertBrokerUrl(key: string, url: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ConfigError(key, 'expected an https:// URL');
  }
  if (parsed.protocol === 'https:') return;
  if (parsed.protocol === 'http:') {
    if (isLoopback(parsed.hostname)) return;
    throw new ConfigError(
      key,
      `plain http:// is allowed to loopback hosts only (got host ${parsed.hostname}); use https://`,
    );
  }
  throw new ConfigError(
    key,
    `expected an https:// URL (or http:// on loopback), got scheme ${parsed.protocol}`,
  );
}
