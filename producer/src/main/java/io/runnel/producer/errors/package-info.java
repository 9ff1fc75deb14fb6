/** Errors the producer raises; all extend {@link io.runnel.producer.errors.ProducerException}. */
package io.runnel.producer.errors;
