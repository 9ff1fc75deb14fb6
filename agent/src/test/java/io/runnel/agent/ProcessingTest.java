package io.runnel.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProcessingTest {
    private static Processing option(String json) throws Exception {
        List<String> errors = new ArrayList<>();
        Processing p = Processing.parse(new ObjectMapper().readTree(json), "$", errors);
        assertThat(errors).isEmpty();
        return p;
    }

    @Test
    void singleLineJoinsAMultiLineRecord() throws Exception {
        assertThat(option("{\"optionName\":\"SINGLELINE\"}").apply("Exception: boom\n   at a.B(C.java:1)\n"))
                .isEqualTo("Exception: boom at a.B(C.java:1)");
    }

    @Test
    void csvToJsonNamesTheFields() throws Exception {
        Processing p = option("{\"optionName\":\"CSVTOJSON\",\"customFieldNames\":[\"id\",\"name\"],\"delimiter\":\";\"}");
        assertThat(p.apply("7;ada")).isEqualTo("{\"id\":\"7\",\"name\":\"ada\"}");
        assertThat(p.apply("8")).isEqualTo("{\"id\":\"8\",\"name\":null}");
        assertThat(p.unmatched()).isEqualTo(1);
    }

    @Test
    void logToJsonParsesTheCommonFormatsAndSendsWhatItCannotParseUnchanged() throws Exception {
        Processing common = option("{\"optionName\":\"LOGTOJSON\",\"logFormat\":\"COMMONAPACHELOG\"}");
        assertThat(common.apply("127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] \"GET /a.gif HTTP/1.0\" 200 2326"))
                .isEqualTo("{\"host\":\"127.0.0.1\",\"ident\":\"-\",\"authuser\":\"frank\","
                        + "\"datetime\":\"10/Oct/2000:13:55:36 -0700\",\"request\":\"GET /a.gif HTTP/1.0\","
                        + "\"response\":\"200\",\"bytes\":\"2326\"}");
        assertThat(common.apply("not a log line")).isEqualTo("not a log line");
        assertThat(common.unmatched()).isEqualTo(1);
        Processing combined = option("{\"optionName\":\"LOGTOJSON\",\"logFormat\":\"COMBINEDAPACHELOG\"}");
        assertThat(combined.apply("1.2.3.4 - - [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.1\" 304 - "
                + "\"http://x/\" \"curl/8\"")).contains("\"referrer\":\"http://x/\"", "\"agent\":\"curl/8\"");
        Processing syslog = option("{\"optionName\":\"LOGTOJSON\",\"logFormat\":\"SYSLOG\"}");
        assertThat(syslog.apply("Mar  7 04:02:16 host1 sshd[1234]: Accepted publickey"))
                .isEqualTo("{\"timestamp\":\"Mar  7 04:02:16\",\"hostname\":\"host1\",\"program\":\"sshd\","
                        + "\"processid\":\"1234\",\"message\":\"Accepted publickey\"}");
        Processing rfc = option("{\"optionName\":\"LOGTOJSON\",\"logFormat\":\"RFC3339SYSLOG\"}");
        assertThat(rfc.apply("2026-11-25T07:00:00.123+00:00 host1 cron: job done"))
                .contains("\"program\":\"cron\"", "\"message\":\"job done\"");
        Processing error = option("{\"optionName\":\"LOGTOJSON\",\"logFormat\":\"APACHEERRORLOG\"}");
        assertThat(error.apply("[Wed Oct 11 14:32:52 2000] [error] [client 127.0.0.1] client denied"))
                .contains("\"module\":\"error\"", "\"client\":\"127.0.0.1\"", "\"message\":\"client denied\"");
    }
}
