package io.runnel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.runnel.backend.KinesisBackend;
import io.runnel.backend.TlsMaterial;
import io.runnel.backend.store.StoreSettings;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs only with -Pkpl: the real KPL's daemon against the backend's TLS port. */
class KplLoadgenIT {
    @TempDir
    Path dir;

    @Test
    void kplClientSendsOverHttpsVerifiesAndReportsItsDaemonsMemoryAndCpu() throws Exception {
        try (KinesisBackend backend = KinesisBackend.builder().port(0)
                .settings(StoreSettings.defaults().withTransitionMillis(0).withLimits(false))
                .tls(0, TlsMaterial.selfSigned(dir)).start()) {
            Path report = dir.resolve("kpl.json");
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            var cl = RunnelCli.commandLine();
            cl.setOut(new PrintWriter(out, true));
            cl.setErr(new PrintWriter(err, true));

            int exit = cl.execute("loadgen", "--endpoint", "https://127.0.0.1:" + backend.tlsPort(), "--stream",
                    "kpl", "--shards", "2", "--records", "5000", "--keys", "100", "--client", "kpl", "--verify",
                    "--report", report.toString());

            // Every record arrives exactly once. The KPL does not keep a key's records in order inside its
            // aggregated records, so the order check may fail, and the exit status must then say so.
            assertThat(out.toString()).as(out + "\n" + err).contains("client    kpl",
                    "verify: 5000 records, 0 missing, 0 duplicates, ", "KPL daemon peak RSS",
                    "of the KPL daemon's CPU");
            JsonNode json = new ObjectMapper().readTree(report.toFile());
            long outOfOrder = json.get("verify").get("outOfOrder").asLong();
            assertThat(exit).as(out + "\n" + err).isEqualTo(outOfOrder == 0 ? 0 : 1);
            assertThat(json.get("passed").asBoolean()).isEqualTo(outOfOrder == 0);
            assertThat(json.get("recordsOk").asLong()).isEqualTo(5000);
            assertThat(json.get("putRecordsCalls").asLong()).isPositive();
            assertThat(json.get("daemonPeakRssBytes").asLong()).isPositive();
            assertThat(json.get("daemonCpu").get("processSeconds").asDouble()).isPositive(); // the daemon did the work
            assertThat(json.get("userRecordsPerKinesisRecord").asDouble()).isGreaterThan(1);
        }
    }

    @Test
    void kplClientRefusesPlainHttp() {
        StringWriter err = new StringWriter();
        var cl = RunnelCli.commandLine();
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute("loadgen", "--endpoint", "http://127.0.0.1:1", "--stream", "x", "--client", "kpl");
        assertThat(exit).isNotZero();
        assertThat(err.toString()).contains("--client kpl speaks HTTPS only");
    }
}
