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
 * One input of a batch write, by the key HubSpot's answers name it with: the record id of an update (sent
 * as its `objectWriteTraceId` too), the input's position of a create (its `objectWriteTraceId`).
 */
interface KeyedInput {
  key: string;
  properties: Record<string, string>;
}

/** What differs between a batch update and a batch create; the isolation of failures is the same. */
interface BatchCall<I extends KeyedInput> {
  kind: string;
  path: string;
  body(inputs: I[]): unknown;
  /** The key a result answers for: its id for an update, its `objectWriteTraceId` for a create. */
  resultKey(raw: { id: unknown; objectWriteTraceId?: unknown }, position: number, inputs: I[]): string | undefined;
  /**
   * The key is the record id (updates): the ids a "could not get some objects" error names are inputs
   * that HubSpot does not have. A create's such ids are its association targets, which name no input.
   */
  keysAreRecordIds: boolean;
  /**
   * A create is not idempotent: once part of it happened, a later failure (a 429, a timeout) must not
   * make the caller send the whole again; the inputs of that call are rejected with its error instead.
   */
  idempotent: boolean;
}

/** What became of each input, by key: written (with the record id), missing or rejected. */
interface BatchOutcome {
  written: Map<string, string>;
  missing: string[];
  rejected: WriteResult['rejected'];
}

/**
 * Batch updates and creates, every failure isolated to its input. Both send `objectWriteTraceId`, which is
 * how HubSpot turns on per-input errors (207, or `errors` in a 200 on 2026-09); when it still fails the
 * whole batch (400 VALIDATION_ERROR naming properties, or missing ids), the named culprits are set aside
 * and the rest is sent again; when the culprit cannot be told from the message (a broken validation rule,
 * a create's unknown association target), the batch is split in halves until it stands alone. Sending a
 * create again is safe only because a 400 created nothing; a timeout is never sent again. A record with
 * any invalid property is rejected whole: writing the rest of a decision (a status without its reasons)
 * would leave the record contradicting itself.
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
    const outcome: BatchOutcome = { written: new Map(), missing: [], rejected: [] };
    // HubSpot refuses a batch naming an id twice; the later update of an id wins, as it would sequentially.
    const merged = new Map<string, Record<string, string>>();
    for (const u of updates) merged.set(u.id, { ...(merged.get(u.id) ?? {}), ...u.properties });
    const inputs: KeyedInput[] = [];
    for (const [id, properties] of merged) {
      if (!NUMERIC_ID.test(id)) outcome.missing.push(id);
      else inputs.push({ key: id, properties });
    }
    const call: BatchCall<KeyedInput> = {
      kind: `${objectType}.batch.update`,
      path: this.paths.batch(objectType, 'update'),
      body: (batch) => ({ inputs: batch.map((u) => ({ id: u.key, properties: u.properties, objectWriteTraceId: u.key })) }),
      resultKey: (raw) => String(raw.id),
      keysAreRecordIds: true,
      idempotent: true,
    };
    for (const chunk of chunks(inputs, BATCH_SIZE)) await this.writeBatch(call, chunk, outcome);
    return { written: [...outcome.written.keys()], missing: outcome.missing, rejected: outcome.rejected };
  }

  /** Batch create, 100 per call; the new ids in input order, or a BatchCreateError naming the failed inputs. */
  async create(objectType: CrmObjectType, inputs: RecordCreate[]): Promise<string[]> {
    type CreateInput = KeyedInput & { associations: NonNullable<RecordCreate['associations']> };
    const outcome: BatchOutcome = { written: new Map(), missing: [], rejected: [] };
    const keyed: CreateInput[] = inputs.map((input, i) => ({ key: String(i), properties: input.properties, associations: input.associations ?? [] }));
    const call: BatchCall<CreateInput> = {
      kind: `${objectType}.batch.create`,
      path: this.paths.batch(objectType, 'create'),
      body: (batch) => ({ inputs: batch.map((input) => createInput(input.properties, input.associations, input.key)) }),
      // Every input sends its trace id; an answer without one is read by position, as HubSpot's results follow the inputs.
      resultKey: (raw, position, batch) => (typeof raw.objectWriteTraceId === 'string' && /^\d+$/.test(raw.objectWriteTraceId) ? raw.objectWriteTraceId : batch[position]?.key),
      keysAreRecordIds: false,
      idempotent: false,
    };
    for (const chunk of chunks(keyed, BATCH_SIZE)) await this.writeBatch(call, chunk, outcome);
    const ids = inputs.map((_, i) => outcome.written.get(String(i)));
    const failures = outcome.rejected.map((r) => ({ index: Number(r.id), error: r.error })).sort((a, b) => a.index - b.index);
    if (failures.length > 0) {
      throw new BatchCreateError(`${failures.length} of ${inputs.length} ${objectType} could not be created: ${failures[0]?.error}`, ids, failures, { kind: call.kind });
    }
    return ids as string[];
  }

  private async writeBatch<I extends KeyedInput>(call: BatchCall<I>, inputs: I[], outcome: BatchOutcome): Promise<void> {
    if (inputs.length === 0) return;
    let data: unknown;
    try {
      ({ data } = await this.send(call.kind, { method: 'POST', path: call.path, body: call.body(inputs) }, call.idempotent ? {} : { idempotent: false }));
    } catch (err) {
      if (err instanceof RecordError && err.status === 400) {
        this.isolations += 1;
        await this.isolate(call, inputs, outcome, err);
        return;
      }
      // Part of a create already happened: sending the whole again would make those records twice.
      if (!call.idempotent && outcome.written.size > 0) {
        const error = err instanceof Error ? err.message : String(err);
        for (const input of inputs) outcome.rejected.push({ id: input.key, error, properties: [] });
        return;
      }
      throw err;
    }
    const accounted = new Set<string>();
    (data as { results?: Array<{ id: unknown; objectWriteTraceId?: unknown }> } | undefined)?.results?.forEach((raw, position) => {
      const key = call.resultKey(raw, position, inputs);
      if (key === undefined) return;
      outcome.written.set(key, String(raw.id));
      accounted.add(key);
    });
    const unattributed: string[] = [];
    for (const error of batchErrors<BatchError>(data)) {
      const missing = call.keysAreRecordIds ? missingIdsOf(error) : [];
      if (missing.length > 0) {
        for (const id of missing) {
          if (accounted.has(id)) continue;
          accounted.add(id);
          outcome.missing.push(id);
        }
        continue;
      }
      const keys = error.context?.objectWriteTraceId ?? (call.keysAreRecordIds ? (error.context?.ids ?? error.context?.id) : undefined) ?? [];
      const problems = propertyProblems(error);
      const owned = keys.filter((key) => includes(inputs, key) && !accounted.has(key));
      if (owned.length === 0) {
        unattributed.push(error.message ?? error.category ?? 'unknown error');
        continue;
      }
      for (const key of owned) {
        accounted.add(key);
        outcome.rejected.push({ id: key, error: describe(error.message, problems), properties: problems.map((p) => p.name) });
      }
    }
    for (const input of inputs) {
      if (accounted.has(input.key)) continue;
      outcome.rejected.push({ id: input.key, error: unattributed.length > 0 ? unattributed.join('; ') : 'HubSpot returned no result for this input', properties: [] });
    }
  }

  private async isolate<I extends KeyedInput>(call: BatchCall<I>, inputs: I[], outcome: BatchOutcome, err: RecordError): Promise<void> {
    const body = (err.body ?? {}) as HubSpotErrorBody;
    const missingIds = new Set(call.keysAreRecordIds ? missingIdsOf(body).filter((id) => includes(inputs, id)) : []);
    if (missingIds.size > 0) {
      outcome.missing.push(...missingIds);
      return this.writeBatch(call, inputs.filter((u) => !missingIds.has(u.key)), outcome);
    }
    const named = propertyProblems(body);
    const problems = named.filter((p) => p.error === undefined || !RULE_CODES.has(p.error));
    const culprits: Array<{ input: I; problems: PropertyProblem[] }> = [];
    const suspects: I[] = [];
    const clean: I[] = [];
    for (const input of inputs) {
      const own = problems.filter((p) => p.name in input.properties);
      if (own.length === 0) clean.push(input);
      else if (own.some((p) => p.error !== undefined && PROPERTY_LEVEL.has(p.error))) culprits.push({ input, problems: own });
      else suspects.push(input);
    }
    // A value problem shared by several inputs names the property, not the record: only one may be wrong.
    if (suspects.length === 1) {
      const only = suspects.pop() as I;
      culprits.push({ input: only, problems: problems.filter((p) => p.name in only.properties) });
    }
    for (const c of culprits) outcome.rejected.push({ id: c.input.key, error: describe(body.message, c.problems), properties: c.problems.map((p) => p.name) });
    if (culprits.length === 0 && suspects.length === 0) {
      // Nothing named that we sent (or only broken rules): the culprit cannot be told from the message.
      if (inputs.length === 1) {
        // HubSpot's own words about the rule (its `errors[]`), not only the top-level "values are invalid".
        outcome.rejected.push({ id: (inputs[0] as I).key, error: named.length > 0 ? describe(body.message, named) : (body.message ?? err.message), properties: named.map((p) => p.name) });
        return;
      }
      return this.split(call, inputs, outcome);
    }
    await this.writeBatch(call, clean, outcome);
    if (suspects.length > 0) await this.split(call, suspects, outcome);
  }

  private async split<I extends KeyedInput>(call: BatchCall<I>, inputs: I[], outcome: BatchOutcome): Promise<void> {
    const half = Math.ceil(inputs.length / 2);
    this.splits += 1;
    await this.writeBatch(call, inputs.slice(0, half), outcome);
    await this.writeBatch(call, inputs.slice(half), outcome);
  }
}

function includes(inputs: KeyedInput[], key: string): boolean {
  return inputs.some((u) => u.key === key);
}

function describe(message: string | undefined, problems: PropertyProblem[]): string {
  if (problems.length === 0) return message ?? 'rejected by HubSpot';
  return problems.map((p) => `${p.name}: ${p.message ?? p.error ?? 'invalid value'}${p.error === 'PROPERTY_DOESNT_EXIST' && p.name.startsWith('uld_') ? ' (run `uld install`)' : ''}`).join('; ');
}
