// Every error a client receives carries an `extensions.code` from the list in
// docs/errors.md, and nothing of the libraries' internals. Three sources
// answer without one: graphql-armor's limit errors ("Syntax Error: Query
// depth limit of 12 exceeded"), graphql-jit's variable coercion errors, and
// yoga's own request errors, which add the JSON parser's text as
// `extensions.originalError`.
import { type ExecutionResult, type GraphQLError as GraphQLErrorType, GraphQLError, getOperationAST, getVariableValues } from 'graphql';
import type { Plugin } from 'graphql-yoga';

// graphql-armor reports its limits as syntax errors without a code.
const ARMOR_LIMIT = /^Syntax Error: (Query depth|Directives|Aliases|Token) limit/;

/** The code an error without one stands for. */
function codeFor(error: GraphQLErrorType): { code: string; http?: { spec: boolean; status: number } } {
  if (ARMOR_LIMIT.test(error.message)) return { code: 'OPERATION_LIMIT_EXCEEDED', http: { spec: true, status: 400 } };
  if (error.message.startsWith('Variable "$')) return { code: 'BAD_USER_INPUT', http: { spec: true, status: 400 } };
  return { code: 'INTERNAL_SERVER_ERROR' };
}

function normalised(error: GraphQLErrorType): GraphQLErrorType {
  const extensions: Record<string, unknown> = { ...error.extensions };
  const hasCode = typeof extensions.code === 'string';
  if (hasCode && !('originalError' in extensions)) return error;
  if ('originalError' in extensions) {
    delete extensions.originalError;
    // Yoga answers 400 under application/json only to request errors that
    // carry an originalError (a body that is not JSON); without it, the
    // `spec` flag would let such an error answer 200. It keeps its 400.
    const http = extensions.http as { spec?: boolean } | undefined;
    if (http?.spec) extensions.http = { ...http, spec: false };
  }
  if (!hasCode) Object.assign(extensions, codeFor(error));
  return new GraphQLError(error.message, { nodes: error.nodes, source: error.source, positions: error.positions, path: error.path, originalError: error.originalError, extensions });
}

function withCodes<R extends ExecutionResult>(result: R): R {
  if (!result.errors?.length) return result;
  let changed = false;
  const errors = result.errors.map((error) => {
    const next = error instanceof GraphQLError ? normalised(error) : error;
    changed ||= next !== error;
    return next;
  });
  return changed ? { ...result, errors } : result;
}

/** Gives every error of every answer a code, and drops `extensions.originalError`. */
export function useErrorCodes(): Plugin {
  return {
    onResultProcess({ result, setResult }) {
      if (Array.isArray(result)) setResult(result.map(withCodes));
      else if (!(Symbol.asyncIterator in result)) setResult(withCodes(result as ExecutionResult));
    },
  };
}

/**
 * graphql-jit names the field of an input object as if it were a variable
 * (`Variable "$email" got invalid value` when the only variable is
 * `$input`). When it refuses the variables, graphql-js coerces them again
 * and its errors, which name the real variable and the path inside it
 * (`Variable "$input" got invalid value 5 at "input.email"`), are answered.
 */
export function useVariableErrors(): Plugin {
  return {
    onExecute({ args }) {
      return {
        onExecuteDone({ result, setResult }) {
          if (Symbol.asyncIterator in result) return;
          const errors = result.errors;
          if (!errors?.length || result.data !== undefined || !errors.every((error) => error.message.startsWith('Variable "$'))) return;
          const operation = getOperationAST(args.document, args.operationName);
          if (!operation) return;
          const coerced = getVariableValues(args.schema, operation.variableDefinitions ?? [], (args.variableValues ?? {}) as Record<string, unknown>, { maxErrors: 20 });
          if (coerced.errors?.length) setResult({ errors: coerced.errors });
        },
      };
    },
  };
}
