// The discovery endpoints (RFC 7644 §4): what this service provider
// supports, its one resource type and the schemas it serves.
import { CORE_ATTRIBUTES, CORE_USER, GATEWAY_ATTRIBUTES, GATEWAY_USER, LIST_RESPONSE } from './schema.ts';
import type { JsonObject } from './user-resource.ts';

/** Largest page GET /Users returns; a larger `count` is lowered to it (RFC 7644 §3.4.2.4). */
export const MAX_PAGE = 100;

export function serviceProviderConfig(baseUrl: string): JsonObject {
  return {
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig'],
    patch: { supported: true },
    bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
    filter: { supported: true, maxResults: MAX_PAGE },
    changePassword: { supported: false },
    sort: { supported: false },
    etag: { supported: true },
    authenticationSchemes: [
      {
        type: 'oauthbearertoken',
        name: 'Bearer token',
        description: 'A gateway API token with the SCIM scope (createApiToken), sent as Authorization: Bearer.',
        primary: true,
      },
    ],
    meta: { resourceType: 'ServiceProviderConfig', location: `${baseUrl}/ServiceProviderConfig` },
  };
}

export function userResourceType(baseUrl: string): JsonObject {
  return {
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:ResourceType'],
    id: 'User',
    name: 'User',
    endpoint: '/Users',
    description: 'A gateway user and its backend accounts',
    schema: CORE_USER,
    schemaExtensions: [{ schema: GATEWAY_USER, required: false }],
    meta: { resourceType: 'ResourceType', location: `${baseUrl}/ResourceTypes/User` },
  };
}

export function schemas(baseUrl: string): JsonObject[] {
  return [
    {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:Schema'],
      id: CORE_USER,
      name: 'User',
      description: 'User Account (the attributes the gateway keeps)',
      attributes: [
        { name: 'externalId', type: 'string', multiValued: false, description: 'The identity provider\'s id for the user.', required: false, caseExact: true, mutability: 'readWrite', returned: 'default', uniqueness: 'none' },
        ...CORE_ATTRIBUTES,
      ],
      meta: { resourceType: 'Schema', location: `${baseUrl}/Schemas/${CORE_USER}` },
    },
    {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:Schema'],
      id: GATEWAY_USER,
      name: 'GatewayUser',
      description: 'The gateway username and the user\'s backend accounts',
      attributes: GATEWAY_ATTRIBUTES,
      meta: { resourceType: 'Schema', location: `${baseUrl}/Schemas/${GATEWAY_USER}` },
    },
  ];
}

export function listResponse(resources: JsonObject[], total: number, startIndex: number): JsonObject {
  return { schemas: [LIST_RESPONSE], totalResults: total, startIndex, itemsPerPage: resources.length, Resources: resources };
}
