import { compileDefinition, parseDefinitionText, type CompiledDefinition, type ThresholdOverrides } from '../../src/definition';

export const DAY = 86_400_000;
export const NOW = Date.parse('2026-06-15T12:00:00Z');

/** A definition from a plain object, through the real parser (as a JSON file) and compiler. */
export function definition(body: Record<string, unknown>, overrides?: ThresholdOverrides): CompiledDefinition {
  const full = {
    version: 7,
    name: 'test definition',
    ladder: { sales_ready: { total: 1000 }, marketing_qualified: { total: 500 } },
    ...body,
  };
  return compileDefinition(parseDefinitionText(JSON.stringify(full), 'test.json'), { overrides });
}

/** An ISO timestamp `days` before NOW. */
export function daysAgo(days: number): string {
  return new Date(NOW - days * DAY).toISOString();
}
