import { resolveObjectType } from '../../crm/object-types';
import type { Pipeline, PipelineRegistry, PipelineStage } from '../../crm/pipelines';
import { notFound } from '../../errors';
import type { RouteEnv, Router } from '../router';
import { iso } from '../serialize';
import { addVersioned } from '../versions';

/** Pipelines in the shape of HubSpot's pipelines API: stage metadata values are strings. */
function stageJson(stage: PipelineStage): Record<string, unknown> {
  return {
    id: stage.id,
    label: stage.label,
    displayOrder: stage.displayOrder,
    metadata: { ...stage.metadata },
    createdAt: iso(stage.createdAt),
    updatedAt: iso(stage.updatedAt),
    archived: stage.archived,
    writePermissions: 'CRM_PERMISSIONS_ENFORCEMENT',
  };
}

export function pipelineJson(pipeline: Pipeline): Record<string, unknown> {
  return {
    id: pipeline.id,
    label: pipeline.label,
    displayOrder: pipeline.displayOrder,
    stages: pipeline.stages.map(stageJson),
    createdAt: iso(pipeline.createdAt),
    updatedAt: iso(pipeline.updatedAt),
    archived: pipeline.archived,
  };
}

export function registerPipelineRoutes(router: Router, env: RouteEnv): void {
  /**
   * The registry of the path's object type: deals, or leads (`GET /crm/pipelines/2026-09/leads`, where a
   * portal's lead stages are read: shared platform doc §7). Other types answer as a portal without pipelines
   * for them.
   */
  const registryOf = (objectType: string): PipelineRegistry => {
    const type = resolveObjectType(objectType);
    if (type === 'deals') return env.portal.pipelines;
    if (type === 'leads') return env.portal.leadPipelines;
    throw notFound(`Unable to find pipelines for object type ${objectType}`);
  };
  addVersioned(router, 'GET', 'pipelines', '/{objectType}', (ctx) => {
    return { status: 200, body: { results: registryOf(ctx.params.objectType as string).list().map(pipelineJson) } };
  });
  addVersioned(router, 'GET', 'pipelines', '/{objectType}/{pipelineId}', (ctx) => {
    return { status: 200, body: pipelineJson(registryOf(ctx.params.objectType as string).require(ctx.params.pipelineId as string)) };
  });
  addVersioned(router, 'GET', 'pipelines', '/{objectType}/{pipelineId}/stages', (ctx) => {
    return { status: 200, body: { results: registryOf(ctx.params.objectType as string).require(ctx.params.pipelineId as string).stages.map(stageJson) } };
  });
}
