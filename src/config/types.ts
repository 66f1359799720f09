import type { ThresholdOverrides } from '../definition/types';
import type { ApiVersion } from '../hubspot/api-version';
import type { HandOffMode } from './schema';

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

/** The validated, frozen configuration. Read once at start-up; nothing else reads process.env. */
export interface Config {
  hubspot: {
    accessToken?: string;
    clientSecret?: string;
    appId?: number;
    /**
     * The old legacy app during a migration window (HUBSPOT_PREVIOUS_*): its signatures are accepted and
     * its writes are ours, until it is deleted.
     */
    previousApp?: { clientSecret: string; appId: number };
    portalId?: number;
    apiBaseUrl: string;
    /** HUBSPOT_API_VERSION: whose paths and shapes the gateway uses. */
    apiVersion: ApiVersion;
    rateLimitPer10s: number;
  };
  webhookPublicUrl?: string;
  /** Support details of the project app, written by `uld init`. */
  projectApp: { supportEmail?: string; supportUrl?: string; documentationUrl?: string; supportPhone?: string };
  port: number;
  /** HOST: the interface `uld serve` listens on; undefined means every interface. */
  host?: string;
  adminToken?: string;
  databaseUrl: string;
  leadDefinitionPath: string;
  thresholdOverrides: ThresholdOverrides;
  logLevel: LogLevel;
  webhooks: { acceptV1: boolean; maxBodyBytes: number; eventRetentionDays: number };
  queue: { leaseMs: number; maxAttempts: number; backoffBaseMs: number };
  /** Which roles `uld serve` runs in this process, so instances can be split by role. */
  serve: { http: boolean; worker: boolean; scheduler: boolean; shutdownTimeoutMs: number };
  sync: { debounceMs: number; handOffMode: HandOffMode; handOffTask: boolean; handOffNote: boolean; handOffOwnerIds: string[]; slaHours: number };
  jobs: { reconcileSchedule: string; requalifySchedule: string; metricsSchedule: string; timezone: string; reconcileOverlapMs: number };
}
