/**
 * Amazon Data Firehose on the backend's port ({@code X-Amz-Target: Firehose_20150804.*}, JSON 1.1): DirectPut
 * delivery streams whose records are buffered by size and interval, as an S3 destination buffers them, and written
 * as files under a local directory laid out like S3's default prefix and object names. Independent of the Kinesis
 * stream store. Not API for users of the backend (they talk to it over HTTP).
 */
package io.runnel.backend.firehose;
