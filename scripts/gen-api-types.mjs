// Regenerates src/engine/api-types.ts from api/swagger.yaml (moby's Docker Engine API, Swagger 2.0):
// swagger2openapi converts it to OpenAPI 3, openapi-typescript 7 turns that into types. Run after
// replacing the yaml:
//   node scripts/gen-api-types.mjs
// The yaml is moby's api/docs/v1.50.yaml (docker 28's API version); see api/README.md.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import openapiTS, { astToString } from 'openapi-typescript';
import swagger2openapi from 'swagger2openapi';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const yamlPath = join(repo, 'api', 'swagger.yaml');
const version = /^\s+version:\s*"([^"]+)"/m.exec(readFileSync(yamlPath, 'utf8'))?.[1] ?? 'unknown';

const { openapi } = await swagger2openapi.convertFile(yamlPath, { patch: true, warnOnly: true });
// defaultNonNullable: false keeps fields that have a default optional, as docker's requests leave them out
const generated = astToString(await openapiTS(openapi, { silent: true, defaultNonNullable: false }));

const header = `// Docker Engine API ${version} types, generated from api/swagger.yaml by scripts/gen-api-types.mjs.
// Do not edit: change the yaml (or the script) and regenerate.
/* eslint-disable */
`;
// Short names for the schemas the engine's facade takes and returns.
const aliases = `
export type Schemas = components['schemas'];
${[
  'ContainerConfig', 'HostConfig', 'NetworkingConfig', 'EndpointSettings', 'ContainerSummary', 'ContainerInspectResponse',
  'ContainerCreateResponse', 'ContainerWaitResponse', 'ContainerState', 'ImageSummary', 'ImageInspect', 'ImageHistoryResponseItem',
  'ImageDeleteResponseItem', 'Network', 'NetworkCreateResponse', 'Volume', 'VolumeListResponse', 'SystemInfo', 'SystemVersion',
  'EventMessage', 'FilesystemChange', 'ContainerTopResponse', 'Mount', 'MountPoint', 'PortBinding', 'PortMap', 'RestartPolicy',
  'Resources', 'IPAM', 'IPAMConfig', 'EndpointIPAMConfig', 'NetworkSettings', 'ErrorResponse', 'IDResponse', 'Port',
  'ContainerStatsResponse', 'ContainerUpdateResponse', 
  'VolumeCreateOptions', 'ImageID', 'Health', 'HealthConfig', 'DeviceMapping', 'ThrottleDevice',
]
  .map((n) => `export type ${n} = components['schemas']['${n}'];`)
  .join('\n')}
/** The JSON body of an operation's answer with the given status (200 unless said). */
export type OperationResult<Op extends keyof operations, Status extends number = 200> =
  operations[Op]['responses'] extends Record<Status, { content: { 'application/json': infer Body } }> ? Body : never;
export type ContainerPruneResponse = OperationResult<'ContainerPrune'>;
export type ImagePruneResponse = OperationResult<'ImagePrune'>;
export type VolumePruneResponse = OperationResult<'VolumePrune'>;
export type NetworkPruneResponse = OperationResult<'NetworkPrune'>;
export type SystemDataUsageResponse = OperationResult<'SystemDataUsage'>;
export type ContainerChangesResponse = OperationResult<'ContainerChanges'>;
export type ExecInspectResponse = OperationResult<'ExecInspect'>;
/** The body of POST /containers/create: Config plus HostConfig and NetworkingConfig. */
export type ContainerCreateRequest = components['schemas']['ContainerConfig'] & {
  HostConfig?: components['schemas']['HostConfig'];
  NetworkingConfig?: components['schemas']['NetworkingConfig'];
};
`;
writeFileSync(join(repo, 'src', 'engine', 'api-types.ts'), header + generated + aliases);
console.log(`src/engine/api-types.ts: Docker Engine API ${version}`);
