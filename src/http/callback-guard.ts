// The OAuth2 callback's query parameters are opaque tokens a provider copies
// back: printable ASCII. Anything else (`state=%00`) would reach the store as
// text Postgres cannot hold and answer 500; it is refused here as the bad
// request it is, before the callback (oauth2-callback.ts) looks at it.
import type { Plugin } from 'graphql-yoga';
import { CALLBACK_PATH } from '../domain/oauth2-connections.ts';

const PRINTABLE = /^[\x21-\x7e]*$/;
const CHECKED = ['state', 'code', 'error', 'error_description', 'iss'];

export function useCallbackGuard(): Plugin {
  return {
    onRequest({ url, endResponse, fetchAPI }) {
      if (url.pathname !== CALLBACK_PATH) return;
      // error_description is prose (spaces allowed), the others tokens.
      const malformed = CHECKED.some((name) => url.searchParams.getAll(name).some((value) => !PRINTABLE.test(name === 'error_description' ? value.replaceAll(' ', '') : value)));
      if (!malformed) return;
      const message = 'the callback parameters are malformed';
      endResponse(
        fetchAPI.Response.json(
          { status: 'error', error: { code: 'invalid_request', message } },
          { status: 400, headers: { 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' } },
        ),
      );
    },
  };
}
