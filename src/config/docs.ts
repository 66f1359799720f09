import { ENV_SPECS, type EnvVarSpec } from './schema';

function groups(): Map<string, EnvVarSpec[]> {
  const byGroup = new Map<string, EnvVarSpec[]>();
  for (const spec of ENV_SPECS) {
    const list = byGroup.get(spec.group) ?? [];
    list.push(spec);
    byGroup.set(spec.group, list);
  }
  return byGroup;
}

/** docs/configuration.md, generated from the schema so the reference cannot drift from the code. */
export function renderConfigurationDoc(): string {
  const lines = [
    '# Configuration reference',
    '',
    '<!-- Generated from src/config/schema.ts by `npm run docs:config`. Do not edit by hand: a test compares it. -->',
    '',
    'Every setting comes from the environment (a `.env` file in the working directory is loaded first).',
    'The whole environment is validated once at start-up; an invalid one prints every problem at once',
    '(the variable, what was expected, what was found) and the process exits with status 2.',
    'Secret values are never printed. Unknown `ULD_*` variables are errors, so a misspelt override cannot be ignored.',
    'A command run without a variable it needs (`HUBSPOT_ACCESS_TOKEN` for every command that calls HubSpot) says in one',
    'line which variable, what it is for and where to get its value, and exits with status 2.',
    '',
  ];
  for (const [group, specs] of groups()) {
    lines.push(`## ${group}`, '', '| variable | expected | default | description |', '| --- | --- | --- | --- |');
    for (const s of specs) {
      const def = s.defaultText !== undefined ? `\`${s.defaultText}\`` : '(not set)';
      lines.push(`| \`${s.name}\`${s.secret ? ' (secret)' : ''} | ${s.expected} | ${def} | ${s.description} |`);
    }
    lines.push('');
  }
  return lines.join('\n');
}

/** .env.example, generated from the same table. */
export function renderEnvExample(): string {
  const lines = ['# Universal Lead Definition: environment. Generated from src/config/schema.ts (npm run docs:config).', ''];
  for (const [group, specs] of groups()) {
    lines.push(`# --- ${group} ---`);
    for (const s of specs) {
      lines.push(`# ${s.description} Expected: ${s.expected}.${s.defaultText !== undefined ? ` Default: ${s.defaultText}.` : ''}`);
      // Every line starts commented out: copying this file must never put a placeholder secret into service.
      lines.push(`# ${s.name}=${s.example ?? s.defaultText ?? ''}`);
    }
    lines.push('');
  }
  return lines.join('\n');
}
