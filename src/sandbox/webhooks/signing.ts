import { createHash, createHmac } from 'node:crypto';

/**
 * HubSpot's webhook request signatures, as the sandbox sends them (HubSpot docs, "Validating requests
 * from HubSpot"; shared platform doc):
 * - v1: hex(SHA-256(clientSecret + rawBody)), header `X-HubSpot-Signature` with
 *   `X-HubSpot-Signature-Version: v1`.
 * - v3: base64(HMAC-SHA256(key = clientSecret, message = method + uri + rawBody + timestamp)), headers
 *   `X-HubSpot-Signature-v3` and `X-HubSpot-Request-Timestamp` (epoch ms). `uri` is the full URL called.
 * The product verifies these in its own code; the sandbox only signs.
 */
export function signV1(clientSecret: string, rawBody: string): string {
  return createHash('sha256').update(clientSecret + rawBody, 'utf8').digest('hex');
}

export function signV3(clientSecret: string, method: string, uri: string, rawBody: string, timestamp: number): string {
  return createHmac('sha256', clientSecret).update(`${method}${uri}${rawBody}${timestamp}`, 'utf8').digest('base64');
}

/** The headers of one webhook request: both signature versions and the timestamp v3 covers. */
export function signatureHeaders(clientSecret: string, uri: string, rawBody: string, timestamp: number): Record<string, string> {
  return {
    'X-HubSpot-Signature': signV1(clientSecret, rawBody),
    'X-HubSpot-Signature-Version': 'v1',
    'X-HubSpot-Signature-v3': signV3(clientSecret, 'POST', uri, rawBody, timestamp),
    'X-HubSpot-Request-Timestamp': String(timestamp),
  };
}
