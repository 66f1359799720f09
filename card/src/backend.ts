/**
 * Where the card's backend (`uld serve`) answers: the origin of WEBHOOK_PUBLIC_URL. `uld init` rewrites this
 * file in the project it writes; the placeholder here is never called (`.invalid` is reserved, RFC 2606) and
 * HubSpot would refuse it anyway, since `hubspot.fetch` calls only origins listed in permittedUrls.fetch.
 */
export const BACKEND_ORIGIN = 'https://uld-backend.invalid';
