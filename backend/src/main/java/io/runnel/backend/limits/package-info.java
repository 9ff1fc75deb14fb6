/** Per-shard throughput limits of the backend, with Kinesis' numbers. Not API. */
package io.runnel.backend.limits;
