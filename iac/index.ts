/**
 * iac/: the one reader of infrastructure code. Everything that reads policy JSON, Terraform (HCL,
 * JSON, plan, state), CloudFormation (JSON, YAML) or cdk.out goes through here and gets the neutral
 * model of model.ts.
 */
export { readInputs, SourceError, SUPPORTED_INPUTS, DEFAULT_MAX_FILE_BYTES, type ReadOptions, type ReadResult } from './load.js';
export { readTerraformConfig } from './terraform/config.js';
export { loadHclParser as prepareReader } from './terraform/hcl.js';
export * from './account.js';
export type * from './model.js';
