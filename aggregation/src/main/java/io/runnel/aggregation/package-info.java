/**
 * The KPL aggregated-record format: many user records packed into one Kinesis record as
 * {@code F3 89 9A C2 | AggregatedRecord (protobuf) | MD5(protobuf)}.
 *
 * <p>{@link io.runnel.aggregation.Aggregator} is the incremental, allocation-conscious encoder used on the
 * producer's hot path; {@link io.runnel.aggregation.Deaggregator} reads aggregates back with the KCL's rules.
 * {@code io.runnel.aggregation.proto} holds the classes generated from {@code aggregated_record.proto} (decoding and
 * tests); {@code io.runnel.aggregation.internal} is not API.
 */
package io.runnel.aggregation;
