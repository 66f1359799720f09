import { ObjectGraph, withGraph } from '../composition';
import { configFromEnvironment } from './env';

/**
 * Runs a command with the parts it asks the graph for (the gateway, the definition, the store), built from
 * `.env` and the environment, and closes them when the command ends, however it ends. Ask for the gateway
 * before the store: a missing HUBSPOT_ACCESS_TOKEN then stops the command before anything changes on disk.
 */
export function commandGraph<T>(use: (graph: ObjectGraph) => Promise<T> | T): Promise<T> {
  return withGraph(configFromEnvironment(), async (graph) => use(graph));
}

export { ObjectGraph };
