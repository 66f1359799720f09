import net from 'node:net';
import cron from 'node-cron';
import { z } from 'zod';

/** Parsers of environment values, shared by the configuration table (schema.ts): each takes the raw string. */
export const nonBlank = z.string().trim().min(1);
export const noWhitespace = z.string().regex(/^\S+$/);
export const integer = (min: number, max: number) =>
  z
    .string()
    .regex(/^-?\d+$/)
    .transform(Number)
    .pipe(z.number().int().min(min).max(max));
export const decimal = (min: number, max: number) =>
  z
    .string()
    .regex(/^-?\d+(\.\d+)?$/)
    .transform(Number)
    .pipe(z.number().min(min).max(max));
export const flag = z
  .string()
  .transform((s) => s.trim().toLowerCase())
  .pipe(z.enum(['true', 'false', '1', '0', 'yes', 'no']))
  .transform((s) => s === 'true' || s === '1' || s === 'yes');
export const httpUrl = z.string().refine((s) => {
  try {
    const u = new URL(s);
    return u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    return false;
  }
});
export const cronExpression = z.string().refine((s) => cron.validate(s.trim()));
export const timeZone = z.string().refine((s) => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: s });
    return true;
  } catch {
    return false;
  }
});
export const databaseUrl = z.string().refine((s) => /^(postgres|postgresql):\/\/\S+$/.test(s) || /^sqlite:\S+$/.test(s));
/**
 * An address to listen on: an IPv4 or IPv6 literal, or a hostname (RFC 1123 labels). Brackets, ports and
 * schemes are refused here rather than by the operating system at listen time, with a far vaguer error.
 */
export const listenHost = z
  .string()
  .transform((s) => s.trim())
  .refine((s) => net.isIP(s) !== 0 || (s.length <= 253 && /^(?!-)[a-z0-9-]{1,63}(?<!-)(\.(?!-)[a-z0-9-]{1,63}(?<!-))*\.?$/i.test(s)));
