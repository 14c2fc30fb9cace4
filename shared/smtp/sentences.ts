/**
 * Joining the sentences of a reason ("The server is not ready (421 …). Nothing was sent."). Reasons are
 * built from parts that may or may not end in a full stop (a reply quoted in parentheses, a deadline
 * described as "no reply within 800 ms"), so every join goes through here: each part ends with exactly one
 * sentence mark, and a part used inside a sentence (a list item) has its final full stop removed.
 */

const SENTENCE_END = /[.!?]["')\]]*$/;

/** The text as a complete sentence: trimmed, with a full stop added unless it already ends one. */
export function asSentence(text: string): string {
  const t = text.trim().replace(/(?<!\.)\.\.$/, '.'); // "x.." → "x." (an ellipsis "..." stays)
  if (t === '') return '';
  return SENTENCE_END.test(t) ? t : `${t}.`;
}

/** The text as a clause inside a larger sentence (e.g. an item of a `; `-separated list): no final full stop. */
export function asClause(text: string): string {
  return text.trim().replace(/\.+$/, '');
}

/** Sentences joined by one space, each ending with one sentence mark; empty parts are skipped. */
export function joinSentences(...parts: string[]): string {
  return parts
    .map(asSentence)
    .filter((p) => p !== '')
    .join(' ');
}
