/**
 * Producer configuration with the KPL's property names: {@link io.runnel.producer.config.ConfigKeys} declares each
 * property once, {@link io.runnel.producer.config.ProducerConfig} holds a validated set.
 */
package io.runnel.producer.config;
