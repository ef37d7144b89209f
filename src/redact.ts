// Feed URLs may carry credentials (https://user:password@host/feed, for private feeds). They are
// needed to fetch, and nowhere else: logs, stored error messages and public API answers show the
// URL with its user-info replaced.

const USER_INFO = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@]+@/gi;

/** `text` with the user-info of every URL in it replaced by "***". */
export function hideCredentials(text: string): string {
  return text.includes('@') ? text.replace(USER_INFO, '$1***@') : text;
}
