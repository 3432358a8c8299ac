/**
 * Submits a portal form as a browser does: GET the page that holds it (which sets the CSRF
 * cookie and hidden field), then POST to its action with that cookie and field.
 */
export async function submitPortalForm(
  pageUrl: string,
  actionUrl: string,
  form: Record<string, string> = {},
): Promise<Response> {
  const page = await fetch(pageUrl);
  const body = await page.text();
  const csrf = /name="csrf" value="([^"]+)"/.exec(body)?.[1];
  if (csrf === undefined) throw new Error(`${pageUrl} has no form with a csrf field.`);
  const cookie = page.headers
    .getSetCookie()
    .map((line) => line.split(';')[0] ?? '')
    .join('; ');
  return fetch(actionUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
    body: new URLSearchParams({ ...form, csrf }).toString(),
    redirect: 'manual',
  });
}
