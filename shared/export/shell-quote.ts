/**
 * POSIX shell quoting for the command-line exports. Everything a user or a server typed goes through
 * `shq`: inside single quotes the shell expands nothing ($, `, \, !, newlines are literal), and an embedded
 * single quote becomes '\'' (close, escaped quote, reopen). NUL cannot travel in argv at all, so it is dropped.
 */
export function shq(value: string): string {
  // eslint-disable-next-line no-control-regex
  return `'${value.replace(/\u0000/g, '').replace(/'/g, `'\\''`)}'`;
}

/** The environment variable the exports read the password from (the CLI reads the same one). */
export const PASSWORD_ENV = 'MXDESK_PASSWORD';

/** A double-quoted reference to the password variable: expanded by the shell at run time, never written out. */
export const PASSWORD_REF = `"$${PASSWORD_ENV}"`;

/** Join argv words, one option per continuation line when it gets long, so it reads like a man page. */
export function commandLine(words: string[][]): string {
  const parts = words.map((w) => w.join(' '));
  const oneLine = parts.join(' ');
  return oneLine.length <= 100 ? oneLine : parts.join(' \\\n  ');
}
