import { createHash } from 'node:crypto';
import type { DelegatedRole } from './metadata';

/**
 * Whether a delegated role is trusted for `targetPath` (TUF 1.0 §4.5): one of its `paths` patterns
 * matches, segment by segment with fnmatch rules (`*` never crosses a `/`), or the SHA-256 of the path
 * starts with one of its `path_hash_prefixes`. A role with neither is trusted for nothing.
 */
export function roleTrustedForPath(role: DelegatedRole, targetPath: string): boolean {
  if (role.paths) return role.paths.some((pattern) => pathMatches(pattern, targetPath));
  if (role.path_hash_prefixes) {
    const digest = createHash('sha256').update(targetPath, 'utf8').digest('hex');
    return role.path_hash_prefixes.some((prefix) => digest.startsWith(prefix.toLowerCase()));
  }
  return false;
}

export function pathMatches(pattern: string, targetPath: string): boolean {
  const patternParts = pattern.split('/');
  const pathParts = targetPath.split('/');
  if (patternParts.length !== pathParts.length) return false;
  try {
    return patternParts.every((part, i) => segmentRegex(part).test(pathParts[i]!));
  } catch {
    return false; // a malformed class such as [z-a] matches nothing
  }
}

/** fnmatch for one segment: `*`, `?`, `[abc]`, `[!abc]`; everything else literal. */
function segmentRegex(part: string): RegExp {
  let source = '';
  for (let i = 0; i < part.length; i++) {
    const char = part[i]!;
    if (char === '*') source += '.*';
    else if (char === '?') source += '.';
    else if (char === '[') {
      const close = part.indexOf(']', i + 2);
      if (close < 0) source += '\\[';
      else {
        let body = part.slice(i + 1, close);
        const negate = body.startsWith('!');
        if (negate) body = body.slice(1);
        source += `[${negate ? '^' : ''}${body.replace(/[\\^\]]/g, '\\$&')}]`;
        i = close;
      }
    } else source += char.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  return new RegExp(`^${source}$`, 's');
}
