/** Producer metrics: the {@link io.runnel.producer.metrics.ProducerMetrics} the pipeline reports to, and Micrometer. */
package io.runnel.producer.metrics;
