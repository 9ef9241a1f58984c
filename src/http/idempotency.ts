// Idempotency keys with Stripe's semantics, for every mutation at once: the
// first result (success or error-as-data) is stored with a hash of the
// request; a repeat gets it back without running anything; the same key with
// other input is a ConflictError; a repeat of a request still running waits
// for it, then answers a retryable error. Keys are per caller and last 24 h.
// A stored reply is only ever answered to a caller who may run the mutation
// now: the same caller id can hold fewer scopes than when it first ran (a
// JWT re-issued with fewer, say), and a replay must not outlive that.
import { createHash } from 'node:crypto';
import { type DocumentNode, type ExecutionResult, GraphQLError, getOperationAST, Kind, type OperationDefinitionNode, print } from 'graphql';
import type { Plugin, YogaInitialContext } from 'graphql-yoga';
import type { GatewayContext } from '../context.ts';
import { IDEMPOTENCY_KEY_ARG, withoutRevealed } from '../request-state.ts';
import { ConflictError, ForbiddenError } from '../errors.ts';
import { idempotencyKeysRepository } from '../store/repositories/idempotency-keys.ts';
import { deniedMutationFields, isFragment } from '../schema/field-rules.ts';
import { rootFields } from './operation.ts';

export const IDEMPOTENCY_HEADER = 'idempotency-key';
export const REPLAYED_HEADER = 'idempotent-replayed';
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60_000;
const KEY_SHAPE = /^[\x21-\x7e]{1,255}$/;
const POLL_MS = 100;
const SWEEP_EVERY_MS = 10 * 60_000;
/**
 * Longer than any request runs (mutations answer by their deadline): a claim
 * older than this was left by an instance that died, and is taken over.
 */
const ABANDONED_CLAIM_MS = 5 * 60_000;

type Context = GatewayContext & YogaInitialContext;

interface StoredError {
  message: string;
  path?: ReadonlyArray<string | number>;
  extensions?: Record<string, unknown>;
}
interface StoredResponse {
  data?: unknown;
  errors?: StoredError[];
}

function badKey(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } } });
}

/** The request's key: the header, or the `idempotencyKey` argument(s); all present must agree. */
export function idempotencyKeyOf(
  request: Request,
  operation: OperationDefinitionNode,
  document: DocumentNode,
  variables: Record<string, unknown> | null | undefined,
): string | undefined {
  const keys = new Set<string>();
  const header = request.headers.get(IDEMPOTENCY_HEADER);
  if (header !== null) keys.add(header.trim());
  for (const field of rootFields(operation.selectionSet, document)) {
    const arg = field.arguments?.find((a) => a.name.value === IDEMPOTENCY_KEY_ARG);
    if (!arg) continue;
    const value = arg.value.kind === Kind.VARIABLE ? variables?.[arg.value.name.value] : arg.value.kind === Kind.STRING ? arg.value.value : undefined;
    if (typeof value === 'string') keys.add(value);
  }
  if (keys.size > 1) throw badKey('one idempotency key per request: the header and every idempotencyKey argument must be the same');
  const [key] = keys;
  if (key !== undefined && !KEY_SHAPE.test(key)) throw badKey('an idempotency key is 1-255 visible ASCII characters');
  return key;
}

/** Object keys sorted at every depth, so `{a, b}` and `{b, a}` hash alike. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

export function requestHash(document: DocumentNode, operationName: string | null | undefined, variables: unknown): string {
  return createHash('sha256')
    .update(print(document))
    .update('\0')
    .update(operationName ?? '')
    .update('\0')
    .update(canonicalJson(variables ?? {}))
    .digest('hex');
}

/**
 * The reply as stored: one-time secrets replaced, errors reduced to what a
 * client saw (an unexpected error is stored masked, never its real text).
 */
function toStored(result: ExecutionResult, revealed: ReadonlySet<string>): StoredResponse {
  const errors = result.errors?.map((error): StoredError => {
    const unexpected = error.originalError !== undefined && !(error.originalError instanceof GraphQLError);
    const code = error.extensions?.code;
    return {
      message: unexpected ? 'Unexpected error.' : error.message,
      ...(error.path ? { path: error.path } : {}),
      ...(typeof code === 'string' && !unexpected ? { extensions: { code } } : {}),
    };
  });
  return withoutRevealed({ ...(result.data !== undefined ? { data: result.data } : {}), ...(errors ? { errors } : {}) }, revealed);
}

function replay(stored: StoredResponse): ExecutionResult {
  return {
    ...(stored.data !== undefined ? { data: stored.data as ExecutionResult['data'] } : {}),
    ...(stored.errors ? { errors: stored.errors.map((e) => new GraphQLError(e.message, { path: e.path, extensions: e.extensions })) } : {}),
    extensions: { http: { headers: { [REPLAYED_HEADER]: 'true' } } },
  };
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Long because it is one request's walk through the key's states (new, replay,
 * conflict, in flight, abandoned) inside yoga's onExecute; the steps it calls
 * (hash, stored reply, refusal) are functions above.
 */
export function useIdempotency(options: { waitMs: number }): Plugin<Context> {
  let lastSweep = 0;
  return {
    async onExecute({ args, setResultAndStopExecution, extendContext }) {
      const operation = getOperationAST(args.document, args.operationName);
      if (operation?.operation !== 'mutation') return undefined;
      const context = args.contextValue;
      let key: string | undefined;
      try {
        key = idempotencyKeyOf(context.request, operation, args.document, args.variableValues);
      } catch (error) {
        if (!(error instanceof GraphQLError)) throw error;
        setResultAndStopExecution({ errors: [error] });
        return undefined;
      }
      // Keys are scoped per caller; an anonymous caller has no scope of its own.
      if (key === undefined || context.caller.kind === 'anonymous') return undefined;
      const { db } = context.deps.store;
      const caller = context.caller.id;
      const hash = requestHash(args.document, args.operationName, args.variableValues);

      if (Date.now() - lastSweep > SWEEP_EVERY_MS) {
        lastSweep = Date.now();
        idempotencyKeysRepository.deleteExpired(db).catch((error: unknown) => context.log.warn({ err: error }, 'idempotency key sweep failed'));
      }

      const claim = await idempotencyKeysRepository.claim(db, {
        caller,
        key,
        operation: operation.name?.value ?? rootFields(operation.selectionSet, args.document).map((f) => f.name.value).join(','),
        requestHash: hash,
        ttlMs: IDEMPOTENCY_TTL_MS,
        abandonAfterMs: ABANDONED_CLAIM_MS,
      });

      if (claim.kind === 'new') {
        return {
          async onExecuteDone({ result }) {
            if (Symbol.asyncIterator in result) return;
            try {
              await idempotencyKeysRepository.complete(db, caller, key, toStored(result, context.revealed));
            } catch (error) {
              context.log.error({ err: error }, 'could not store the idempotent result; releasing the key');
              await idempotencyKeysRepository.release(db, caller, key).catch(() => undefined);
            }
          },
        };
      }

      // Before anything of the stored request is answered (its result, that
      // it conflicts, that it still runs): the caller may run it now, by the
      // mutation's own rule, or gets that mutation's ForbiddenError.
      const fields = rootFields(operation.selectionSet, args.document);
      const denied = new Set(
        await deniedMutationFields(args.schema, context, operation, args.document.definitions.filter(isFragment), fields, args.variableValues),
      );
      if (denied.size > 0) {
        extendContext({
          idempotencyRefusal: (field: string) =>
            new ForbiddenError(
              denied.has(field) ? `not allowed to call ${field}` : 'not replayed: this request also calls a mutation the caller may no longer call',
            ),
        });
        return undefined;
      }

      let row = claim.row;
      if (row.requestHash !== hash) {
        const conflict = new ConflictError('this idempotency key was already used with a different request; use a new key for a new request');
        extendContext({ idempotencyRefusal: () => conflict });
        return undefined;
      }
      const deadline = Date.now() + options.waitMs;
      while (row.status !== 'DONE' && Date.now() < deadline) {
        await sleep(POLL_MS);
        const current = await idempotencyKeysRepository.get(db, caller, key);
        if (!current) break;
        row = current;
      }
      if (row.status === 'DONE') {
        setResultAndStopExecution(replay(row.response as StoredResponse));
        return undefined;
      }
      setResultAndStopExecution({
        errors: [
          new GraphQLError('a request with this idempotency key is still running; retry shortly', {
            extensions: { code: 'IDEMPOTENCY_KEY_IN_USE', retryable: true, http: { status: 409, headers: { 'retry-after': '1' } } },
          }),
        ],
      });
      return undefined;
    },
  };
}
