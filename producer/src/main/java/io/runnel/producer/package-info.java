/**
 * Runnel's Kinesis producer API. Public types here are API; {@code io.runnel.producer.internal} is not.
 */
package io.runnel.producer;
