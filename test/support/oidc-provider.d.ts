// oidc-provider v8 ships no types and @types/oidc-provider is not installed.
// Only what test/support/oidc-server.ts uses is declared, after the v8 source
// (lib/provider.js, lib/models/grant.js, lib/helpers/defaults.js).
declare module 'oidc-provider' {
  import type { IncomingMessage, ServerResponse } from 'node:http';

  export type AdapterPayload = { [key: string]: unknown } & {
    grantId?: string;
    userCode?: string;
    uid?: string;
    consumed?: number;
  };

  export interface Adapter {
    upsert(id: string, payload: AdapterPayload, expiresIn: number): Promise<void>;
    find(id: string): Promise<AdapterPayload | undefined>;
    findByUserCode(userCode: string): Promise<AdapterPayload | undefined>;
    findByUid(uid: string): Promise<AdapterPayload | undefined>;
    consume(id: string): Promise<void>;
    destroy(id: string): Promise<void>;
    revokeByGrantId(grantId: string): Promise<void>;
  }

  export interface ClientMetadata {
    client_id: string;
    client_secret?: string;
    redirect_uris?: string[];
    grant_types?: string[];
    response_types?: string[];
    token_endpoint_auth_method?: string;
  }

  export interface Account {
    accountId: string;
    claims(use: string, scope: string): Promise<Record<string, unknown>> | Record<string, unknown>;
  }

  /** A JWK as jose exports it; only its JSON form matters to the provider. */
  export type JsonWebKey = Readonly<Record<string, unknown>>;

  /** The koa context oidc-provider hands to its helpers; opaque to the tests. */
  export type KoaContextWithOIDC = object;

  export interface ClientView {
    grantTypeAllowed(type: string): boolean;
  }

  export interface Configuration {
    adapter?: (name: string) => Adapter;
    clients?: ClientMetadata[];
    jwks?: { keys: JsonWebKey[] };
    cookies?: { keys?: string[] };
    claims?: Record<string, string[] | null>;
    scopes?: string[];
    findAccount?: (ctx: KoaContextWithOIDC, sub: string) => Promise<Account | undefined>;
    issueRefreshToken?: (ctx: KoaContextWithOIDC, client: ClientView) => Promise<boolean> | boolean;
    pkce?: { methods?: string[]; required?: () => boolean };
    responseTypes?: string[];
    ttl?: Record<string, number>;
    interactions?: { url?: (ctx: KoaContextWithOIDC, interaction: { uid: string }) => Promise<string> | string };
    features?: {
      devInteractions?: { enabled: boolean };
      introspection?: { enabled: boolean; allowedPolicy?: () => Promise<boolean> };
      revocation?: { enabled: boolean };
      resourceIndicators?: { enabled: boolean };
    };
    renderError?: (ctx: KoaContextWithOIDC, out: Record<string, string>, error: Error) => Promise<void> | void;
  }

  export interface PromptDetails {
    missingOIDCScope?: string[];
    missingOIDCClaims?: string[];
    missingResourceScopes?: Record<string, string[]>;
  }

  export interface Interaction {
    uid: string;
    returnTo: string;
    prompt: { name: string; reasons: string[]; details: PromptDetails };
    params: { client_id: string; [param: string]: unknown };
    session?: { accountId: string; uid: string };
    grantId?: string;
  }

  export type InteractionResults =
    | { login?: { accountId: string }; consent?: { grantId?: string } }
    | { error: string; error_description?: string };

  export class Grant {
    constructor(properties: { accountId: string; clientId: string });
    static find(id: string): Promise<Grant | undefined>;
    addOIDCScope(scope: string): void;
    addOIDCClaims(claims: string[]): void;
    addResourceScope(indicator: string, scope: string): void;
    save(): Promise<string>;
  }

  export default class Provider {
    constructor(issuer: string, configuration?: Configuration);
    readonly issuer: string;
    proxy: boolean;
    readonly Grant: typeof Grant;
    callback(): (req: IncomingMessage, res: ServerResponse) => void;
    interactionDetails(req: IncomingMessage, res: ServerResponse): Promise<Interaction>;
    interactionFinished(
      req: IncomingMessage,
      res: ServerResponse,
      result: InteractionResults,
      options?: { mergeWithLastSubmission?: boolean },
    ): Promise<void>;
    on(event: string, listener: (...args: unknown[]) => void): this;
  }
}
