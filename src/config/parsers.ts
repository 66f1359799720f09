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
