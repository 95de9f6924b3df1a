/** Every implemented Kinesis Analytics operation; the dispatch table is built from this list. */
import type { Action } from './action.js';
import {
  addApplicationCloudWatchLoggingOption,
  deleteApplicationCloudWatchLoggingOption,
} from './logging-options.js';
import {
  addApplicationInput,
  addApplicationInputProcessingConfiguration,
  deleteApplicationInputProcessingConfiguration,
} from './application-inputs.js';
import { addApplicationOutput, deleteApplicationOutput } from './application-outputs.js';
import {
  addApplicationReferenceDataSource,
  deleteApplicationReferenceDataSource,
} from './reference-data-sources.js';
import { createApplication } from './create-application.js';
import { deleteApplication } from './delete-application.js';
import { describeApplication } from './describe-application.js';
import { discoverInputSchema } from './discover-input-schema.js';
import { listApplications } from './list-applications.js';
import { startApplication } from './start-application.js';
import { stopApplication } from './stop-application.js';
import { listTagsForResource, tagResource, untagResource } from './tags.js';
import { updateApplication } from './update-application.js';

export const analyticsActions: readonly Action[] = [
  addApplicationCloudWatchLoggingOption,
  addApplicationInput,
  addApplicationInputProcessingConfiguration,
  addApplicationOutput,
  addApplicationReferenceDataSource,
  createApplication,
  deleteApplication,
  deleteApplicationCloudWatchLoggingOption,
  deleteApplicationInputProcessingConfiguration,
  deleteApplicationOutput,
  deleteApplicationReferenceDataSource,
  describeApplication,
  discoverInputSchema,
  listApplications,
  listTagsForResource,
  startApplication,
  stopApplication,
  tagResource,
  untagResource,
  updateApplication,
];
