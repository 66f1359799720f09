import { randomUUID } from 'node:crypto';

/**
 * HubSpot's error bodies. Every non-2xx answer of the sandbox is built here so the shapes stay
 * consistent: `{status: "error", message, correlationId, category, ...}` as HubSpot documents
 * ("Error handling", developers.hubspot.com/docs/api-reference/error-handling), where every field but
 * `status` and `message` is optional for a client. Rate-limit answers are the exception: HubSpot sends
 * `errorType` and `policyName` instead of `category` (see `rateLimitBody`).
 */
export interface HubSpotErrorBody {
  status: 'error';
  message: string;
  correlationId: string;
  category?: string;
  subCategory?: string;
  context?: Record<string, string[]>;
  errors?: Array<{ message: string; in?: string; code?: string; subCategory?: string; context?: Record<string, string[]> }>;
  links?: Record<string, string>;
  errorType?: string;
  policyName?: string;
}

export type ErrorCategory =
  | 'VALIDATION_ERROR'
  | 'OBJECT_NOT_FOUND'
  | 'OBJECT_ALREADY_EXISTS'
  | 'INVALID_AUTHENTICATION'
  | 'INTERNAL_ERROR'
  | 'BAD_GATEWAY'
  | 'SERVICE_UNAVAILABLE'
  | 'GATEWAY_TIMEOUT'
  | 'CONFLICT'
  | 'MISSING_SCOPES';

export function errorBody(
  category: ErrorCategory,
  message: string,
  extra: Partial<Omit<HubSpotErrorBody, 'status' | 'message' | 'category' | 'correlationId'>> = {},
): HubSpotErrorBody {
  return { status: 'error', message, correlationId: randomUUID(), category, ...extra };
}

/** Thrown by route handlers; the server turns it into the HTTP answer. */
export class HubSpotHttpError extends Error {
  constructor(
    readonly httpStatus: number,
    readonly body: HubSpotErrorBody,
  ) {
    super(`${httpStatus} ${body.category ?? body.errorType ?? ''}: ${body.message}`);
    this.name = 'HubSpotHttpError';
  }
}

export function validationError(message: string, extra: Parameters<typeof errorBody>[2] = {}): HubSpotHttpError {
  return new HubSpotHttpError(400, errorBody('VALIDATION_ERROR', message, extra));
}

export function notFound(message: string, extra: Parameters<typeof errorBody>[2] = {}): HubSpotHttpError {
  return new HubSpotHttpError(404, errorBody('OBJECT_NOT_FOUND', message, extra));
}

export function conflict(message: string, extra: Parameters<typeof errorBody>[2] = {}): HubSpotHttpError {
  return new HubSpotHttpError(409, errorBody('OBJECT_ALREADY_EXISTS', message, extra));
}

/** HubSpot's answer to a missing or unknown bearer token. */
export function unauthorized(): HubSpotHttpError {
  return new HubSpotHttpError(
    401,
    errorBody(
      'INVALID_AUTHENTICATION',
      'Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview',
    ),
  );
}

/**
 * HubSpot's 403 for a token without the scope a call needs. Shape from real answers: the top-level message
 * and `links.scopes` word for word as quoted in HubSpot/hubspot-api-nodejs#268 (2022), and one `errors[]`
 * entry whose `context.requiredGranularScopes` names the scopes, "One or more of the following scopes are
 * required." when any one of several is enough and "All of the following scopes are required." otherwise
 * (both quoted from a 2025 HubSpot Community thread on MISSING_SCOPES answers). Older answers named the
 * scopes under `requiredScopes`; current ones use `requiredGranularScopes`.
 */
export function missingScopes(required: readonly string[]): HubSpotHttpError {
  return new HubSpotHttpError(
    403,
    errorBody('MISSING_SCOPES', "This app hasn't been granted all required scopes to make this call. Read more about required scopes here: https://developers.hubspot.com/scopes.", {
      errors: [
        {
          message: required.length > 1 ? 'One or more of the following scopes are required.' : 'All of the following scopes are required.',
          context: { requiredGranularScopes: [...required] },
        },
      ],
      links: { scopes: 'https://developers.hubspot.com/scopes' },
    }),
  );
}

export type RateLimitPolicy = 'TEN_SECONDLY_ROLLING' | 'SECONDLY' | 'DAILY';

/**
 * The 429 bodies, word for word as HubSpot sends them (shared platform doc; the SECONDLY message is the
 * one the SDK's RetryDecorator matches on, `'You have reached your secondly limit.'`).
 */
export function rateLimitBody(policy: RateLimitPolicy): HubSpotErrorBody {
  const message: Record<RateLimitPolicy, string> = {
    TEN_SECONDLY_ROLLING: 'You have reached your ten_secondly_rolling limit.',
    SECONDLY: 'You have reached your secondly limit.',
    DAILY: 'You have reached your daily limit.',
  };
  return {
    status: 'error',
    message: message[policy],
    errorType: 'RATE_LIMIT',
    correlationId: randomUUID(),
    policyName: policy,
  };
}

/** One invalid property value, in the element shape HubSpot embeds in "Property values were not valid: [...]". */
export interface PropertyValueError {
  isValid: false;
  message: string;
  error: 'PROPERTY_DOESNT_EXIST' | 'READ_ONLY_VALUE' | 'INVALID_OPTION' | 'INVALID_INTEGER' | 'INVALID_FLOAT' | 'INVALID_DATE' | 'INVALID_EMAIL' | 'REQUIRED_PROPERTY' | 'INVALID_BOOLEAN';
  name: string;
  localizedErrorMessage: string;
  portalId: number;
}

/**
 * HubSpot reports invalid property values as one VALIDATION_ERROR whose message embeds the JSON list of
 * problems (seen in real 400 bodies: `Property values were not valid: [{"isValid":false,"message":
 * "Property \"x\" does not exist","error":"PROPERTY_DOESNT_EXIST","name":"x",...}]`).
 */
export function propertyValuesMessage(problems: PropertyValueError[]): string {
  return `Property values were not valid: ${JSON.stringify(problems)}`;
}

/**
 * One entry of a batch answer's `errors[]`. HubSpot's schema (the SDK's StandardError) has `status`,
 * `category`, `message`, `context`, `errors` and `links`; observed answers add `subCategory` where one
 * applies (`crm.associations.NO_ASSOCIATIONS_FOUND`).
 */
export interface BatchErrorJson {
  status: 'error';
  category: string;
  subCategory?: string;
  message: string;
  context: Record<string, string[]>;
  errors: Array<{ message: string; code?: string; context?: Record<string, string[]> }>;
  links: Record<string, string>;
}

export function batchError(
  category: string,
  message: string,
  context: Record<string, string[]>,
  extra: { subCategory?: string; errors?: BatchErrorJson['errors'] } = {},
): BatchErrorJson {
  return {
    status: 'error',
    category,
    ...(extra.subCategory !== undefined ? { subCategory: extra.subCategory } : {}),
    message,
    context,
    errors: extra.errors ?? [],
    links: {},
  };
}
