/**
 * Immutable requests, responses and nested shapes of the Kinesis Data Streams API, one record per shape. Field names
 * are the API's with a lower-case first letter; null means absent. Lists and maps are copied on construction; byte
 * arrays are not.
 */
package io.runnel.wire.model;
