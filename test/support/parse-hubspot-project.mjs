// Parses a HubSpot project with HubSpot's own parser, @hubspot/project-parsing-lib (ESM, so it runs here in its
// own `node` process, not inside jest), and prints what it found as JSON:
//   node test/support/parse-hubspot-project.mjs <project dir>
// translate() runs with skipValidation: true, because the schema validation of each config block downloads
// HubSpot's schemas with a logged-in account (shared platform doc §4.6). Everything the library checks offline
// is collected: hsproject.json (parseProjectConfig), each file's parse errors (unexpected top-level keys,
// invalid JSON, a child component without an app: the `errors` translate keeps to itself when it skips
// validation), and the per-component checks of validateIntermediateRepresentationNode that need no schema
// (uid, config, `permissions` on the platform version, the component's directory, one of a singular component).
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { translate } from '@hubspot/project-parsing-lib/translate';
import { parseProjectConfig, meetsMinimumPlatformVersion, isKnownPlatformVersion } from '@hubspot/project-parsing-lib/projects';
import { validateUid } from '@hubspot/project-parsing-lib/uid';
import { Components, PLATFORM_VERSIONS } from '@hubspot/project-parsing-lib/constants';
import { mapToUserFacingType } from '@hubspot/project-parsing-lib/transform';

// The file-level parse errors are not exported; they come from the same modules translate() uses.
const lib = path.join(path.dirname(fileURLToPath(import.meta.resolve('@hubspot/project-parsing-lib/translate'))), '..', 'lib');
const { loadHsMetaFiles } = await import(pathToFileURL(path.join(lib, 'files.js')).href);
const { transform, getParsingErrors } = await import(pathToFileURL(path.join(lib, 'transform.js')).href);

const projectDir = path.resolve(process.argv[2]);
const errors = [];
let projectConfig;
try {
  projectConfig = parseProjectConfig(projectDir);
} catch (err) {
  process.stdout.write(JSON.stringify({ errors: [`hsproject.json: ${err.message}`] }));
  process.exit(0);
}
if (!isKnownPlatformVersion(projectConfig.platformVersion)) errors.push(`hsproject.json: unknown platformVersion ${projectConfig.platformVersion}`);
const context = { projectSourceDir: path.join(projectDir, projectConfig.srcDir), platformVersion: projectConfig.platformVersion };

const { intermediateRepresentation, skippedHsMetaFiles } = await translate(context, { skipValidation: true });
const { results } = await loadHsMetaFiles(context);
for (const parsed of getParsingErrors(transform(results, context))) errors.push(`${parsed.file}: ${parsed.errors.join('; ')}`);

const nodes = Object.values(intermediateRepresentation.intermediateNodesIndexedByUid);
const byType = {};
for (const node of nodes) {
  const type = mapToUserFacingType(node.componentType);
  const uidProblem = validateUid(node.uid);
  if (uidProblem) errors.push(`${node.metaFilePath}: ${uidProblem}`);
  if (!node.config) errors.push(`${node.metaFilePath}: no config`);
  if (node.permissions && !meetsMinimumPlatformVersion(projectConfig.platformVersion, PLATFORM_VERSIONS.v2026_09_BETA)) errors.push(`${node.metaFilePath}: permissions on ${projectConfig.platformVersion}`);
  const component = Components[type];
  if (!component) errors.push(`${node.metaFilePath}: unknown component type ${type}`);
  else {
    const expected = path.join(component.parentComponent ? Components[component.parentComponent].dir : '', component.dir);
    if (path.dirname(node.metaFilePath) !== expected) errors.push(`${node.metaFilePath}: a ${type} component belongs in ${expected}`);
    if (component.singularComponent && byType[type]) errors.push(`${node.metaFilePath}: a second ${type} component`);
  }
  byType[type] = (byType[type] ?? 0) + 1;
}

process.stdout.write(
  JSON.stringify({
    projectConfig,
    skippedHsMetaFiles,
    errors,
    components: nodes.map((n) => ({ type: mapToUserFacingType(n.componentType), uid: n.uid, metaFilePath: n.metaFilePath, componentDeps: n.componentDeps, config: n.config })),
  }),
);
