package io.runnel.dist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarFile;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every published library jar names its JPMS module in its manifest, so users can {@code requires} it on the module
 * path. Reads the jars the reactor built beside this module (all of them in a full build; a module a partial build
 * skipped is reported as skipped, not passed).
 */
class ModuleNamesIT {
    private static final String VERSION = System.getProperty("runnel.version");

    @ParameterizedTest
    @CsvSource({"aggregation, io.runnel.aggregation", "wire, io.runnel.wire",
        "aws-sdk-credentials, io.runnel.aws.sdk.credentials", "backend, io.runnel.backend",
        "producer, io.runnel.producer", "junit5, io.runnel.junit5", "agent, io.runnel.agent", "cli, io.runnel.cli"})
    void theLibraryJarNamesItsModule(String module, String name) throws Exception {
        Path jar = Path.of("..", module, "target", "runnel-" + module + "-" + VERSION + ".jar");
        assumeThat(jar).as("built in this reactor run").exists();
        try (JarFile j = new JarFile(jar.toFile())) {
            assertThat(j.getManifest().getMainAttributes().getValue("Automatic-Module-Name")).as(jar.toString())
                    .isEqualTo(name);
        }
        assertThat(Files.size(jar)).isPositive();
    }
}
