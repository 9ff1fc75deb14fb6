/**
 * A JUnit 5 extension for testing code that writes to Kinesis: {@link io.runnel.junit5.EmbeddedKinesis} starts
 * Runnel's bundled Kinesis-compatible backend in the test's JVM with the streams a test needs, injects an
 * {@link io.runnel.junit5.EmbeddedKinesisBackend} (endpoint, region, a producer configuration pointed at it, a wire
 * client) and reads back what was written, deaggregated, as {@link io.runnel.junit5.ReceivedRecord}s.
 *
 * <pre>{@code
 * @EmbeddedKinesis(streams = {"orders:4", "audit"})
 * class OrderPublisherTest {
 *     @Test
 *     void publishesEachOrder(EmbeddedKinesisBackend kinesis) {
 *         try (KinesisProducer producer = kinesis.newProducer()) {
 *             new OrderPublisher(producer).publish(List.of("a", "b"));
 *             producer.flushSync();
 *         }
 *         assertThat(kinesis.dataAsStrings("orders")).containsExactlyInAnyOrder("a", "b");
 *     }
 * }
 * }</pre>
 *
 * <p>Every public type here is API.
 */
package io.runnel.junit5;
