import fs from 'node:fs';
import path from 'node:path';
import { DefinitionError, parseDefinitionText, type ParsedDefinition } from './definition';

/**
 * Reading a definition file from disk: the one part of loading a definition that does I/O, kept outside
 * src/definition so the core (parse, check, compile, evaluate) imports no node: module.
 */

/** Reads a definition file (YAML or JSON by extension). */
export function loadDefinitionFile(file: string): ParsedDefinition {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new DefinitionError(path.relative(process.cwd(), file) || file, [
      { path: '', message: code === 'ENOENT' ? 'file not found (set LEAD_DEFINITION, or copy lead-definition.example.yaml to lead-definition.yaml)' : `cannot read: ${(err as Error).message}` },
    ]);
  }
  return parseDefinitionText(text, path.relative(process.cwd(), file) || file);
}
