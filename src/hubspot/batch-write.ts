import { batchErrors, createInput, type ApiPaths } from './api-version';
import { BatchCreateError, RecordError, type HubSpotErrorBody } from './errors';
import { chunks, NUMERIC_ID } from './records';
import type { Send } from './transport';
import type { CrmObjectType, RecordCreate, RecordUpdate, WriteResult } from './types';

/** HubSpot's batch size for writes (shared platform doc, "API limits"). */
export const BATCH_SIZE = 100;

/** One invalid property value as HubSpot lists it in "Property values were not valid: [...]". */
interface PropertyProblem {
  name: string;
  error?: string;
  message?: string;
}

/** Errors that make a property unwritable for every record, not just for one value. */
const PROPERTY_LEVEL = new Set(['PROPERTY_DOESNT_EXIST', 'READ_ONLY_VALUE']);

/**
 * A portal validation rule that a 2026-09 write broke (developers.hubspot.com/changelog/crm-api-write-validation-enforcement;
 * platform doc §2.3). The property it names is the one the rule requires, judged on the record's state
 * after the write: usually one we did not send, and when we did, sending it does not make an input the
 * culprit. So it never tells which input of a whole-batch 400 broke the rule.
 */
const RULE_CODES = new Set(['MISSING_CONDITIONAL_REQUIRED_PROPERTY', 'MISSING_REQUIRED_PROPERTY']);

export type BatchError = { category?: string; subCategory?: unknown; message?: string; context?: Record<string, string[]>; errors?: Array<{ message?: string; code?: string; context?: Record<string, string[]> }> };

/** The problems listed in a VALIDATION_ERROR's message (and, in per-input errors, in `errors[].context`). */
export function propertyProblems(error: { message?: string; errors?: BatchError['errors'] } | undefined): PropertyProblem[] {
  const problems: PropertyProblem[] = [];
  const message = error?.message ?? '';
  const start = message.indexOf('[');
  if (/Property values were not valid/i.test(message) && start >= 0) {
    try {
      const list = JSON.parse(message.slice(start)) as Array<{ name?: unknown; error?: unknown; message?: unknown }>;
      for (const p of Array.isArray(list) ? list : []) {
        if (typeof p?.name === 'string') problems.push({ name: p.name, ...(typeof p.error === 'string' ? { error: p.error } : {}), ...(typeof p.message === 'string' ? { message: p.message } : {}) });
      }
    } catch {
      // Not the JSON list HubSpot usually embeds; the details below may still name the properties.
    }
  }
  for (const detail of error?.errors ?? []) {
    for (const name of detail.context?.propertyName ?? []) {
      if (!problems.some((p) => p.name === name)) problems.push({ name, ...(detail.code ? { error: detail.code } : {}), ...(detail.message ? { message: detail.message } : {}) });
    }
  }
  return problems;
}

/** Ids a "could not get some objects" error names (batch read 207, or a whole-batch update 400). */
export function missingIdsOf(error: BatchError | HubSpotErrorBody | undefined): string[] {
  if (!error) return [];
  const ids = error.context?.ids ?? [];
  const notFound = error.category === 'OBJECT_NOT_FOUND' || /could not get some|not exist|not found/i.test(error.message ?? '');
  return notFound ? ids.map(String) : [];
}

/**
 * Batch updates and creates, every failure isolated to its record. Updates carry `objectWriteTraceId`
 * (the record id), which is how HubSpot turns on per-input errors (207, or `errors` in a 200 on 2026-09);
 * when it still fails the whole batch (400 VALIDATION_ERROR naming properties, or missing ids), the named
 * culprits are set aside and the rest is sent again; when the culprit cannot be told from the message,
 * the batch is split in halves. A record with any invalid property is rejected whole: writing the rest of
 * a decision (a status without its reasons) would leave the record contradicting itself.
 */
export class BatchWriter {
  /** Whole-batch 400s answered by isolating the culprits. */
  isolations = 0;
  /** Extra calls made by splitting a batch to find a culprit. */
  splits = 0;

  constructor(
    private readonly send: Send,
    private readonly paths: ApiPaths,
  ) {}

  async update(objectType: CrmObjectType, updates: RecordUpdate[]): Promise<WriteResult> {
    const result: WriteResult = { written: [], missing: [], rejected: [] };
    // HubSpot refuses a batch naming an id twice; the later update of an id wins, as it would sequentially.
    const merged = new Map<string, Record<string, string>>();
    for (const u of updates) merged.set(u.id, { ...(merged.get(u.id) ?? {}), ...u.properties });
    const inputs: RecordUpdate[] = [];
    for (const [id, properties] of merged) {
      if (!NUMERIC_ID.test(id)) result.missing.push(id);
      else inputs.push({ id, properties });
    }
    for (const chunk of chunks(inputs, BATCH_SIZE)) await this.writeBatch(objectType, chunk, result);
    return result;
  }

  private async writeBatch(objectType: CrmObjectType, inputs: RecordUpdate[], result: WriteResult): Promise<void> {
    if (inputs.length === 0) return;
    let data: unknown;
    try {
      ({ data } = await this.send(`${objectType}.batch.update`, {
        method: 'POST',
        path: this.paths.batch(objectType, 'update'),
        body: { inputs: inputs.map((u) => ({ id: u.id, properties: u.properties, objectWriteTraceId: u.id })) },
      }));
    } catch (err) {
      if (!(err instanceof RecordError) || err.status !== 400) throw err;
      this.isolations += 1;
      await this.isolate(objectType, inputs, result, err);
      return;
    }
    const accounted = new Set<string>();
    for (const raw of (data as { results?: Array<{ id: unknown }> } | undefined)?.results ?? []) {
      result.written.push(String(raw.id));
      accounted.add(String(raw.id));
    }
    const unattributed: string[] = [];
    for (const error of batchErrors<BatchError>(data)) {
      const missing = missingIdsOf(error);
      if (missing.length > 0) {
        for (const id of missing) {
          if (accounted.has(id)) continue;
          accounted.add(id);
          result.missing.push(id);
        }
        continue;
      }
      const ids = error.context?.objectWriteTraceId ?? error.context?.ids ?? error.context?.id ?? [];
      const problems = propertyProblems(error);
      const owned = ids.filter((id) => includes(inputs, id) && !accounted.has(id));
      if (owned.length === 0) {
        unattributed.push(error.message ?? error.category ?? 'unknown error');
        continue;
      }
      for (const id of owned) {
        accounted.add(id);
        result.rejected.push({ id, error: describe(error.message, problems), properties: problems.map((p) => p.name) });
      }
    }
    for (const input of inputs) {
      if (accounted.has(input.id)) continue;
      result.rejected.push({ id: input.id, error: unattributed.length > 0 ? unattributed.join('; ') : 'HubSpot returned no result for this input', properties: [] });
    }
  }

  private async isolate(objectType: CrmObjectType, inputs: RecordUpdate[], result: WriteResult, err: RecordError): Promise<void> {
    const body = (err.body ?? {}) as HubSpotErrorBody;
    const missingIds = new Set(missingIdsOf(body).filter((id) => includes(inputs, id)));
    if (missingIds.size > 0) {
      result.missing.push(...missingIds);
      return this.writeBatch(objectType, inputs.filter((u) => !missingIds.has(u.id)), result);
    }
    const named = propertyProblems(body);
    const problems = named.filter((p) => p.error === undefined || !RULE_CODES.has(p.error));
    const culprits: Array<{ input: RecordUpdate; problems: PropertyProblem[] }> = [];
    const suspects: RecordUpdate[] = [];
    const clean: RecordUpdate[] = [];
    for (const input of inputs) {
      const own = problems.filter((p) => p.name in input.properties);
      if (own.length === 0) clean.push(input);
      else if (own.some((p) => p.error !== undefined && PROPERTY_LEVEL.has(p.error))) culprits.push({ input, problems: own });
      else suspects.push(input);
    }
    // A value problem shared by several inputs names the property, not the record: only one may be wrong.
    if (suspects.length === 1) {
      const only = suspects.pop() as RecordUpdate;
      culprits.push({ input: only, problems: problems.filter((p) => p.name in only.properties) });
    }
    for (const c of culprits) result.rejected.push({ id: c.input.id, error: describe(body.message, c.problems), properties: c.problems.map((p) => p.name) });
    if (culprits.length === 0 && suspects.length === 0) {
      // Nothing named that we sent (or only broken rules): the culprit cannot be told from the message.
      if (inputs.length === 1) {
        // HubSpot's own words about the rule (its `errors[]`), not only the top-level "values are invalid".
        result.rejected.push({ id: (inputs[0] as RecordUpdate).id, error: named.length > 0 ? describe(body.message, named) : err.message, properties: named.map((p) => p.name) });
        return;
      }
      return this.split(objectType, inputs, result);
    }
    await this.writeBatch(objectType, clean, result);
    if (suspects.length > 0) await this.split(objectType, suspects, result);
  }

  private async split(objectType: CrmObjectType, inputs: RecordUpdate[], result: WriteResult): Promise<void> {
    const half = Math.ceil(inputs.length / 2);
    this.splits += 1;
    await this.writeBatch(objectType, inputs.slice(0, half), result);
    await this.writeBatch(objectType, inputs.slice(half), result);
  }

  /** Batch create, 100 per call; the new ids in input order, or a BatchCreateError naming the failed inputs. */
  async create(objectType: CrmObjectType, inputs: RecordCreate[]): Promise<string[]> {
    const ids: Array<string | undefined> = [];
    const failures: Array<{ index: number; error: string }> = [];
    for (const [chunkIndex, chunk] of chunks(inputs, BATCH_SIZE).entries()) {
      const offset = chunkIndex * BATCH_SIZE;
      const { data } = await this.send<{ results?: Array<{ id: unknown; objectWriteTraceId?: string }> }>(
        `${objectType}.batch.create`,
        { method: 'POST', path: this.paths.batch(objectType, 'create'), body: { inputs: chunk.map((input, i) => createInput(input.properties, input.associations ?? [], String(offset + i))) } },
        // A create that timed out may have happened: retrying it here could make the record twice.
        { idempotent: false },
      );
      (data?.results ?? []).forEach((raw, i) => {
        const trace = raw.objectWriteTraceId;
        const index = trace !== undefined && /^\d+$/.test(trace) ? Number(trace) : offset + i;
        ids[index] = String(raw.id);
      });
      const errors = batchErrors<BatchError>(data);
      for (const error of errors) {
        for (const trace of error.context?.objectWriteTraceId ?? []) failures.push({ index: Number(trace), error: error.message ?? 'create failed' });
      }
      for (let i = offset; i < offset + chunk.length; i += 1) {
        if (ids[i] === undefined && !failures.some((f) => f.index === i)) failures.push({ index: i, error: errors[0]?.message ?? 'HubSpot returned no result for this input' });
      }
    }
    if (failures.length > 0) {
      throw new BatchCreateError(`${failures.length} of ${inputs.length} ${objectType} could not be created: ${failures[0]?.error}`, ids, failures, { kind: `${objectType}.batch.create` });
    }
    return ids as string[];
  }
}

function includes(inputs: RecordUpdate[], id: string): boolean {
  return inputs.some((u) => u.id === id);
}

function describe(message: string | undefined, problems: PropertyProblem[]): string {
  if (problems.length === 0) return message ?? 'rejected by HubSpot';
  return problems.map((p) => `${p.name}: ${p.message ?? p.error ?? 'invalid value'}${p.error === 'PROPERTY_DOESNT_EXIST' && p.name.startsWith('uld_') ? ' (run `uld install`)' : ''}`).join('; ');
}
