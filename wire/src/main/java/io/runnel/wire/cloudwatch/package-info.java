/**
 * A minimal Amazon CloudWatch client: {@code PutMetricData} over the AWS Query protocol (form-encoded request, XML
 * answer), signed with SigV4 for the service {@code monitoring}, on the same HTTP transport as the Kinesis client.
 */
package io.runnel.wire.cloudwatch;
