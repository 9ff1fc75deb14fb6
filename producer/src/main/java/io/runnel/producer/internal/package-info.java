/** The producer's pipeline stages (KPL vocabulary: ShardMap, Limiter, ...). Not API: may change without notice. */
package io.runnel.producer.internal;
