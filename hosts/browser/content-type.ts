/**
 * Whether a Content-Type header says JSON: exactly `application/json`, optionally with
 * `charset=utf-8` (any case, quoted or not), and nothing else.
 */
export function isJsonContentType(header: string | undefined): boolean {
  if (header === undefined) return false;
  const [type, ...parameters] = header.split(';').map((part) => part.trim().toLowerCase());
  if (type !== 'application/json') return false;
  return parameters.every((parameter) => /^charset=("utf-8"|utf-8)$/.test(parameter.replace(/\s*=\s*/, '=')));
}
