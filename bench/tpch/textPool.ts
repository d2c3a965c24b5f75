import { GRAMMAR } from './vocabulary.js';

/**
 * The text pool comments are cut from, as dbgen does it (clause 4.2.2.10): sentences from the
 * specification's grammar, generated once with a fixed seed, then each comment is a substring at a
 * pseudo-random offset. Deterministic, so every run writes the same data.
 */
export function textPool(bytes: number, seed = 20260101): string {
  let state = seed >>> 0;
  const next = (n: number): number => {
    // xorshift32: small, fast, reproducible across platforms.
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state % n;
  };
  const pick = (words: string[]): string => words[next(words.length)];
  const nounPhrase = (): string => {
    switch (next(4)) {
      case 0: return pick(GRAMMAR.nouns);
      case 1: return `${pick(GRAMMAR.adjectives)} ${pick(GRAMMAR.nouns)}`;
      case 2: return `${pick(GRAMMAR.adjectives)}, ${pick(GRAMMAR.adjectives)} ${pick(GRAMMAR.nouns)}`;
      default: return `${pick(GRAMMAR.adverbs)} ${pick(GRAMMAR.adjectives)} ${pick(GRAMMAR.nouns)}`;
    }
  };
  const verbPhrase = (): string => {
    switch (next(4)) {
      case 0: return pick(GRAMMAR.verbs);
      case 1: return `${pick(GRAMMAR.auxiliaries)} ${pick(GRAMMAR.verbs)}`;
      case 2: return `${pick(GRAMMAR.verbs)} ${pick(GRAMMAR.adverbs)}`;
      default: return `${pick(GRAMMAR.auxiliaries)} ${pick(GRAMMAR.verbs)} ${pick(GRAMMAR.adverbs)}`;
    }
  };
  const sentence = (): string => {
    const prepositional = `${pick(GRAMMAR.prepositions)} the ${nounPhrase()}`;
    switch (next(5)) {
      case 0: return `${nounPhrase()} ${verbPhrase()}${pick(GRAMMAR.terminators)}`;
      case 1: return `${nounPhrase()} ${verbPhrase()} ${prepositional}${pick(GRAMMAR.terminators)}`;
      case 2: return `${nounPhrase()} ${verbPhrase()} ${nounPhrase()}${pick(GRAMMAR.terminators)}`;
      case 3: return `${nounPhrase()} ${prepositional} ${verbPhrase()} ${nounPhrase()}${pick(GRAMMAR.terminators)}`;
      default: return `${nounPhrase()} ${prepositional} ${verbPhrase()} ${prepositional}${pick(GRAMMAR.terminators)}`;
    }
  };
  const parts: string[] = [];
  let length = 0;
  while (length < bytes) {
    const s = sentence();
    parts.push(s);
    length += s.length + 1;
  }
  return parts.join(' ').slice(0, bytes);
}
