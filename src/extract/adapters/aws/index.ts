import type { Adapter } from '../types.js';
import { awsCdk } from './aws-cdk.js';
import { awsSdk } from './aws-sdk.js';
import { serverless } from './serverless.js';

/** The adapters of this family, in registration order. */
export const adapters: readonly Adapter[] = [awsSdk, awsCdk, serverless];
