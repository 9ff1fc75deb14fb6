package io.runnel.examples;

import io.runnel.producer.KinesisProducer;
import io.runnel.producer.config.ProducerConfig;
import io.runnel.producer.errors.ConfigException;
import java.nio.file.Path;

/**
 * Loads a KPL-style properties file ({@code PropertiesConfig producer.properties}), as a KPL user would, and shows
 * how every problem in it is reported at once.
 */
public final class PropertiesConfig {
    private PropertiesConfig() {
    }

    public static void main(String[] args) {
        Path file = Path.of(args.length > 0 ? args[0] : "examples/src/main/resources/producer.properties");
        ProducerConfig config;
        try {
            config = ProducerConfig.fromPropertiesFile(file);
        } catch (ConfigException e) {
            System.err.println(e.getMessage()); // one message listing every bad property
            e.problems().forEach(p -> System.err.println("fix " + p.key()));
            return;
        }
        System.out.println("loaded " + config);
        try (KinesisProducer producer = new KinesisProducer(config)) {
            System.out.println("outstanding records: " + producer.getOutstandingRecordsCount());
        }
    }
}
