/** The front door: HubSpot's webhook deliveries, verified, validated, classified and handed to the store. */
export { webhookRouter, WEBHOOK_PATH, type ReceiverOptions, type ReceiverMetrics, type RejectionReason } from './receiver';
export { parseEventBatch, type WebhookEvent } from './events';
export { planWork, toIncomingEvent, isOwnProperty, isOwnSource } from './classify';
export { changeKey } from './change-key';
export {
  verifyHubSpotSignature,
  signWebhookRequest,
  computeV1,
  computeV3,
  signedUri,
  MAX_SIGNATURE_AGE_MS,
  MAX_FUTURE_SKEW_MS,
  type SignatureFailure,
  type SigningApp,
} from './signature';
