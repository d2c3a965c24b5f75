/** Glob patterns over '/'-separated paths: `*`, `?`, `**` (any depth), `[abc]`, `{a,b}`. */

export function hasGlob(path: string): boolean {
  return /[*?[{]/.test(path);
}

/** The leading part of a pattern with no glob characters, ending at a '/' boundary. */
export function globBase(pattern: string): string {
  const firstGlob = pattern.search(/[*?[{]/);
  if (firstGlob < 0) return pattern;
  const slash = pattern.lastIndexOf('/', firstGlob);
  return slash < 0 ? '' : pattern.slice(0, slash + 1);
}

export function globToRegExp(pattern: string): RegExp {
  let out = '';
  let braceDepth = 0;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '*') {
      if (pattern[i + 1] === '*') {
        // `**/` matches zero or more whole directories.
        const slash = pattern[i + 2] === '/';
        out += slash ? '(?:.*/)?' : '.*';
        i += slash ? 2 : 1;
      } else out += '[^/]*';
    } else if (c === '?') out += '[^/]';
    else if (c === '[') {
      const end = pattern.indexOf(']', i + 1);
      if (end < 0) throw new Error(`unclosed '[' in glob: ${pattern}`);
      const body = pattern.slice(i + 1, end).replace(/^!/, '^').replace(/\\/g, '\\\\');
      out += `[${body}]`;
      i = end;
    } else if (c === '{') {
      braceDepth++;
      out += '(?:';
    } else if (c === '}' && braceDepth > 0) {
      braceDepth--;
      out += ')';
    } else if (c === ',' && braceDepth > 0) out += '|';
    else out += c.replace(/[.+^$()|\\/]/g, '\\$&');
  }
  if (braceDepth > 0) throw new Error(`unclosed '{' in glob: ${pattern}`);
  return new RegExp(`^${out}$`);
}
