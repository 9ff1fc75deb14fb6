package io.runnel.producer.errors;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConfigExceptionTest {
    @Test
    void survivesSerializationWithEveryProblem() throws Exception {
        ConfigException e = new ConfigException(List.of(
                new ConfigException.Problem("RecordTtl", "-1", "must be >= 100"),
                new ConfigException.Problem("Nope", null, "unknown property")));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(e); // as a remote call or a distributed cache would
        }
        ConfigException back;
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            back = (ConfigException) in.readObject();
        }
        assertThat(back.problems()).isEqualTo(e.problems());
        assertThat(back.getMessage()).isEqualTo(e.getMessage());
    }
}
