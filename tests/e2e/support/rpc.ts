import type { Page } from '@playwright/test';

/**
 * One bridge call made directly from the page with its own session cookie, bypassing the UI: to check what
 * the service itself says (the UI only hides what the service would refuse).
 */
export function serviceCall<T = unknown>(
  page: Page,
  channel: string,
  body: object = {},
): Promise<{ ok: true; value: T } | { ok: false; error: { code: string; message: string } }> {
  return page.evaluate(
    async ([name, request]) => {
      const response = await fetch(`/rpc/enclave:${name}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(request),
      });
      return response.json();
    },
    [channel, body] as const,
  );
}

/** The service's own view of the login (identity.status, which is not activity); throws when the call is refused. */
export async function identityStatus<T = unknown>(page: Page): Promise<T> {
  const result = await serviceCall<T>(page, 'identity.status');
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}
