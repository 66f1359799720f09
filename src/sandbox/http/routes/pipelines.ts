import type { Pipeline, PipelineStage } from '../../crm/pipelines';
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
  const { pipelines } = env.portal;
  const dealsOnly = (objectType: string): void => {
    // The sandbox has deal pipelines only; other types answer as a portal without pipelines for them.
    if (objectType !== 'deals' && objectType !== 'deal' && objectType !== '0-3') throw notFound(`Unable to find pipelines for object type ${objectType}`);
  };
  addVersioned(router, 'GET', 'pipelines', '/{objectType}', (ctx) => {
    dealsOnly(ctx.params.objectType as string);
    return { status: 200, body: { results: pipelines.list().map(pipelineJson) } };
  });
  addVersioned(router, 'GET', 'pipelines', '/{objectType}/{pipelineId}', (ctx) => {
    dealsOnly(ctx.params.objectType as string);
    return { status: 200, body: pipelineJson(pipelines.require(ctx.params.pipelineId as string)) };
  });
  addVersioned(router, 'GET', 'pipelines', '/{objectType}/{pipelineId}/stages', (ctx) => {
    dealsOnly(ctx.params.objectType as string);
    return { status: 200, body: { results: pipelines.require(ctx.params.pipelineId as string).stages.map(stageJson) } };
  });
}
