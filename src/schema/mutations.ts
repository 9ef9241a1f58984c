// What every mutation gets without its author writing it: an
// `idempotencyKey` argument (honoured by the idempotency plugin in
// src/http/idempotency.ts) and an audit row. The gateway plugin
// (gateway-plugin.ts) applies both to every Mutation field, so a mutation
// added in any area file is covered the moment it exists.
import { errorTypeMap, wrapErrorIfMatches } from '@pothos/plugin-errors';
import { decodeGlobalID, encodeGlobalID } from '@pothos/plugin-relay';
import {
  type GraphQLArgument,
  GraphQLError,
  type GraphQLFieldResolver,
  type GraphQLInputType,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLResolveInfo,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  isUnionType,
} from 'graphql';
import type { GatewayContext } from '../context.ts';
import { IDEMPOTENCY_KEY_ARG, withoutRevealed } from '../request-state.ts';
import { BackendError, DomainError, ForbiddenError, ValidationError } from '../errors.ts';
import { isStoreUnavailable } from '../store/availability.ts';
import { auditEventsRepository, type NewAuditEvent } from '../store/repositories/audit-events.ts';

export const IDEMPOTENCY_KEY_DESCRIPTION =
  'Makes a retry safe: a repeat with the same key (or `Idempotency-Key` header) within 24 h returns the first result and does nothing again; the same key with other input is a ConflictError.';

/** Error classes, as the errors plugin takes them (`errors: { types }`). */
export type ErrorClass = new (...args: never[]) => Error;

/**
 * `resolve` of a mutation field, instrumented: a request whose idempotency
 * key may not be honoured answers its refusal instead of running, and every
 * call writes its audit row. `errorTypes` are the members of the field's
 * result union, so a refusal made here resolves to its member like a thrown
 * one. Applied by the gateway plugin (gateway-plugin.ts) to every mutation.
 */
export function instrumentMutation(resolve: GraphQLFieldResolver<unknown, GatewayContext>, errorTypes: readonly ErrorClass[]): GraphQLFieldResolver<unknown, GatewayContext> {
  return async (root, args: Record<string, unknown>, context, info) => {
    let value: unknown;
    let failure: unknown;
    const refusal = context.idempotencyRefusal?.(info.fieldName);
    if (refusal && errorTypes.some((type) => refusal instanceof type)) {
      value = wrapErrorIfMatches(refusal, [...errorTypes]);
    } else if (refusal) {
      // A result union without that error type: it can only be a top-level error.
      failure = new GraphQLError(refusal.message, { extensions: { code: refusal instanceof ForbiddenError ? 'FORBIDDEN' : 'CONFLICT' } });
    } else {
      try {
        value = await resolve(root, args, context, info);
      } catch (error) {
        failure = error;
      }
    }
    await audit(context, info, args, value, failure);
    if (failure !== undefined) throw failure;
    return value;
  };
}

async function audit(context: GatewayContext, info: GraphQLResolveInfo, args: Record<string, unknown>, value: unknown, failure: unknown): Promise<void> {
  try {
    const event = withoutRevealed(auditEvent(context, info, args, value, failure), context.revealed);
    // Its own statement, outside the mutation's transaction: a mutation that
    // rolled back, or failed, is still on record.
    await auditEventsRepository.insert(context.deps.store.db, event);
  } catch (error) {
    // During a store outage the outage is logged once (src/store/availability.ts), not each lost row.
    if (isStoreUnavailable(error)) context.deps.health.store.report(error);
    else context.log.error({ err: error, operation: info.fieldName }, 'could not write the audit event');
  }
}

function auditEvent(context: GatewayContext, info: GraphQLResolveInfo, args: Record<string, unknown>, value: unknown, failure: unknown): NewAuditEvent {
  const { caller } = context;
  const success = successType(getNamedType(info.returnType));
  const details: Record<string, unknown> = { requestId: context.requestId, callerKind: caller.kind };
  if (caller.userId) details.callerUserId = caller.userId;
  const key = args[IDEMPOTENCY_KEY_ARG];
  if (typeof key === 'string') details.idempotencyKey = key;
  const targets = new Set(idArguments(info, args));
  let outcome: string;
  if (failure instanceof GraphQLError) {
    // An error the resolver meant (bad input, a conflict): its code, and its message as the client saw it.
    outcome = typeof failure.extensions.code === 'string' ? failure.extensions.code : 'GraphQLError';
    details.message = failure.message;
  } else if (failure !== undefined) {
    outcome = 'UnexpectedError';
  } else if (errorClassOf(value) && isRecord(value)) {
    const type = errorClassOf(value);
    const error = value as unknown as DomainError;
    outcome = type?.name ?? error.name;
    details.message = error.message;
    if (type === ValidationError) details.fieldErrors = (error as ValidationError).fieldErrors.map((field) => field.path.join('.'));
    if (type === BackendError) {
      const failed = error as BackendError;
      details.backends = [{ backend: failed.backend, status: 'ERROR', retryable: failed.retryable, error: failed.message }];
    }
  } else {
    outcome = success?.name ?? getNamedType(info.returnType).name;
    if (success && isRecord(value)) {
      for (const target of payloadTargets(success, value)) targets.add(target);
      Object.assign(details, payloadScalars(success, value));
      const backends = backendResults(value.accounts);
      if (backends) details.backends = backends;
    }
  }
  return { actor: caller.id, operation: info.fieldName, targetIds: [...targets], outcome, details };
}

/**
 * The errors plugin hands union members over as proxies whose prototype chain
 * defeats `instanceof` while wrapped; its own record says which class each is.
 */
function errorClassOf(value: unknown): (new (...args: never[]) => Error) | undefined {
  if (!isRecord(value)) return undefined;
  const type: unknown = errorTypeMap.get(value);
  if (typeof type === 'function' && (type === DomainError || type.prototype instanceof DomainError)) return type as new (...args: never[]) => Error;
  return value instanceof DomainError ? (value.constructor as new (...args: never[]) => Error) : undefined;
}

/** The success member of a result union (the one member that is not an Error). */
function successType(type: GraphQLNamedType): GraphQLObjectType | undefined {
  if (isObjectType(type)) return type;
  if (!isUnionType(type)) return undefined;
  const members = type.getTypes().filter((member) => !member.getInterfaces().some((i) => i.name === 'Error'));
  return members.length === 1 ? members[0] : undefined;
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;

const MAX_TARGETS = 50;

/** Every well-formed global id among the arguments (the rows the caller named). */
function idArguments(info: GraphQLResolveInfo, args: Record<string, unknown>): string[] {
  const ids: string[] = [];
  const visit = (type: GraphQLInputType, value: unknown): void => {
    if (value == null || ids.length >= MAX_TARGETS) return;
    if (isNonNullType(type)) return visit(type.ofType, value);
    if (isListType(type)) {
      if (Array.isArray(value)) for (const item of value) visit(type.ofType, item);
      return;
    }
    if (isInputObjectType(type)) {
      if (!isRecord(value)) return;
      for (const field of Object.values(type.getFields())) visit(field.type, value[field.name]);
      return;
    }
    if (isScalarType(type) && type.name === 'ID' && typeof value === 'string' && isGlobalId(value)) ids.push(value);
  };
  const definition = info.parentType.getFields()[info.fieldName];
  for (const arg of definition?.args ?? ([] as readonly GraphQLArgument[])) visit(arg.type, args[arg.name]);
  return ids;
}

function isGlobalId(value: string): boolean {
  if (value.length > 200) return false;
  try {
    const { typename, id } = decodeGlobalID(value);
    return /^[A-Za-z][A-Za-z0-9]*$/.test(typename) && id.length > 0;
  } catch {
    return false;
  }
}

const implementsNode = (type: GraphQLNamedType): boolean => isObjectType(type) && type.getInterfaces().some((i) => i.name === 'Node');

/** Global ids of the Node rows a payload carries (the user created, the token revoked...). */
function payloadTargets(type: GraphQLObjectType, payload: Record<string, unknown>): string[] {
  const ids: string[] = [];
  for (const field of Object.values(type.getFields())) {
    const named = getNamedType(field.type);
    if (!implementsNode(named)) continue;
    const raw = payload[field.name];
    for (const row of Array.isArray(raw) ? raw : [raw]) {
      if (isRecord(row) && (typeof row.id === 'string' || typeof row.id === 'number')) ids.push(encodeGlobalID(named.name, row.id));
    }
  }
  return ids.slice(0, MAX_TARGETS);
}

/**
 * Numbers, booleans and enum values of the payload (counts, flags, a
 * backend name): never a String field, where a secret could be.
 */
function payloadScalars(type: GraphQLObjectType, payload: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of Object.values(type.getFields())) {
    const fieldType = isNonNullType(field.type) ? field.type.ofType : field.type;
    const value = payload[field.name];
    const safe = (isScalarType(fieldType) && ['Int', 'Float', 'Boolean'].includes(fieldType.name)) || isEnumType(fieldType);
    if (safe && (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'string')) out[field.name] = value;
  }
  return out;
}

/**
 * Each backend account's outcome, when the payload carries accounts: the
 * accounts themselves, or per-account results that hold one (`account`) with
 * an `outcome` (updateUser). The external id says which account it was.
 */
function backendResults(accounts: unknown): Array<Record<string, unknown>> | undefined {
  if (!Array.isArray(accounts)) return undefined;
  return accounts.filter(isRecord).map((entry) => {
    const account = isRecord(entry.account) ? entry.account : entry;
    return {
      backend: account.backend,
      status: account.status,
      ...(typeof account.externalId === 'string' ? { externalId: account.externalId } : {}),
      ...(typeof entry.outcome === 'string' ? { outcome: entry.outcome } : {}),
      ...(typeof account.lastError === 'string' ? { error: account.lastError } : {}),
    };
  });
}
