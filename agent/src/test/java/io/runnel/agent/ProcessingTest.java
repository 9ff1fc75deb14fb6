package io.runnel.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProcessingTest {
    private static final Clock AT = Clock.fixed(Instant.parse("2024-05-06T07:08:09.012Z"), ZoneOffset.UTC);
    private static final AddEc2Metadata.Source NO_EC2 = new AddEc2Metadata.Source(AT, () -> {
        throw new IllegalStateException("not on EC2");
    });

    private static Processing option(String json) throws Exception {
        List<String> errors = new ArrayList<>();
        Processing p = Processing.parse(new ObjectMapper().readTree(json), "$", errors, NO_EC2);
        assertThat(errors).isEmpty();
        return p;
    }

    private static List<String> problems(String json) throws Exception {
        List<String> errors = new ArrayList<>();
        Processing.parse(new ObjectMapper().readTree(json), "$.flows[0].dataProcessingOptions[0]", errors, NO_EC2);
        return errors;
    }

    /** As the agent sends a line to Firehose (with its newline) through these options. */
    private static String firehose(String line, Processing... options) {
        return Processing.chain(List.of(options), line, true);
    }

    @Test
    void singleLineJoinsTheTrimmedLinesWithNothingBetweenThemAsTheKinesisAgentDoes() throws Exception {
        // The Kinesis Agent's SingleLineDataConverter: split at \n (trailing empty parts dropped), each part trimmed
        // unless NO_TRIM, joined with "" (ESCAPE_NEW_LINE: the three characters \\n), then a newline.
        String record = "Exception: boom\n   at a.B(C.java:1)\n\n\tat c.D\n";
        assertThat(option("{\"optionName\":\"SINGLELINE\"}").apply(record))
                .isEqualTo("Exception: boomat a.B(C.java:1)at c.D");
        assertThat(firehose(record, option("{\"optionName\":\"SINGLELINE\"}")))
                .isEqualTo("Exception: boomat a.B(C.java:1)at c.D\n");
        assertThat(option("{\"optionName\":\"SINGLELINE\",\"parseOptions\":[\"ESCAPE_NEW_LINE\"]}").apply(record))
                .isEqualTo("Exception: boom\\\\nat a.B(C.java:1)\\\\n\\\\nat c.D");
        assertThat(option("{\"optionName\":\"SINGLELINE\",\"parseOptions\":[\"NO_TRIM\",\"ESCAPE_NEW_LINE\"]}")
                .apply(" a \n b")).isEqualTo(" a \\\\n b");
        assertThat(option("{\"optionName\":\"SINGLELINE\",\"parseOptions\":[\"NO_TRIM\"]}").apply(" a \n b "))
                .isEqualTo(" a  b ");
        assertThat(problems("{\"optionName\":\"SINGLELINE\",\"parseOptions\":[\"ESCAPE_NEWLINE\"]}"))
                .containsExactly("$.flows[0].dataProcessingOptions[0].parseOptions: must hold only NO_TRIM and"
                        + " ESCAPE_NEW_LINE, was 'ESCAPE_NEWLINE'");
    }

    @Test
    void aLineLogToJsonDoesNotMatchIsSkippedWithTheOptionsAfterIt() throws Exception {
        // The Kinesis Agent: LogToJSONDataConverter returns null for it, AgentDataConverterChain stops there and
        // AbstractParser skips the record (not sent, its bytes behind the checkpoint).
        Processing log = option("{\"optionName\":\"LOGTOJSON\",\"logFormat\":\"SYSLOG\"}");
        Processing brackets = option("{\"optionName\":\"ADDBRACKETS\"}");
        assertThat(Processing.chain(List.of(brackets, log), "not syslog", true)).isNull();
        assertThat(Processing.chain(List.of(log, brackets), "not syslog", false)).isNull();
        // A custom pattern whose groups are not the fields: the Kinesis Agent's parsers refuse it too.
        Processing custom = option("{\"optionName\":\"LOGTOJSON\",\"logFormat\":\"SYSLOG\","
                + "\"matchPattern\":\"(\\\\w+) (\\\\w+)\",\"customFieldNames\":[\"a\"]}");
        assertThat(custom.apply("x y")).isNull();
    }

    @Test
    void aRecordAnOptionFailsOnGoesRawWithoutTheOtherOptions() throws Exception {
        // The Kinesis Agent: a converter's DataConversionException makes AbstractParser send the record as read.
        Processing failing = new Processing() {
            @Override
            public String apply(String record) {
                throw new ConversionFailed("no");
            }
        };
        Processing csv = option("{\"optionName\":\"CSVTOJSON\",\"customFieldNames\":[\"a\"]}");
        Processing brackets = option("{\"optionName\":\"ADDBRACKETS\"}");
        assertThat(Processing.chain(List.of(csv, failing, brackets), "1", true)).isEqualTo("1\n");
        assertThat(Processing.chain(List.of(brackets, failing), "cut\n", true)).isEqualTo("cut\n");
        assertThat(Processing.chain(List.of(csv, failing), "1", false)).isEqualTo("1");
        assertThat(failing.unmatched()).isEqualTo(3);
    }

    @Test
    void csvToJsonNamesTheFields() throws Exception {
        Processing p = option("{\"optionName\":\"CSVTOJSON\",\"customFieldNames\":[\"id\",\"name\"],\"delimiter\":\";\"}");
        assertThat(p.apply("7;ada")).isEqualTo("{\"id\":\"7\",\"name\":\"ada\"}");
        assertThat(p.apply("8")).isEqualTo("{\"id\":\"8\",\"name\":null}");
        assertThat(p.unmatched()).isEqualTo(1);
        // As the Kinesis Agent's String.split(delimiter): trailing empty columns dropped, the delimiter a regex.
        assertThat(p.apply("9;")).isEqualTo("{\"id\":\"9\",\"name\":null}");
        Processing pipes = option("{\"optionName\":\"CSVTOJSON\",\"customFieldNames\":[\"a\",\"b\"],"
                + "\"delimiter\":\"\\\\|\"}");
        assertThat(pipes.apply("x|y")).isEqualTo("{\"a\":\"x\",\"b\":\"y\"}");
        assertThat(problems("{\"optionName\":\"CSVTOJSON\",\"customFieldNames\":[\"a\"],\"delimiter\":\"(\"}"))
                .singleElement().asString().startsWith("$.flows[0].dataProcessingOptions[0].delimiter: not a regular");
    }

    @Test
    void logToJsonParsesTheCommonFormatsAndSkipsWhatItCannotParse() throws Exception {
        Processing common = option("{\"optionName\":\"LOGTOJSON\",\"logFormat\":\"COMMONAPACHELOG\"}");
        assertThat(common.apply("127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] \"GET /a.gif HTTP/1.0\" 200 2326"))
                .isEqualTo("{\"host\":\"127.0.0.1\",\"ident\":\"-\",\"authuser\":\"frank\","
                        + "\"datetime\":\"10/Oct/2000:13:55:36 -0700\",\"request\":\"GET /a.gif HTTP/1.0\","
                        + "\"response\":\"200\",\"bytes\":\"2326\"}");
        assertThat(common.apply("not a log line")).isNull(); // skipped, as the Kinesis Agent does
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

    @Test
    void addMetadataWritesTheKinesisAgentsJsonByteForByte() throws Exception {
        // Expected: the Kinesis Agent's own test of AddMetadataConverter (DataConverterTest.testAddMetadataConverter,
        // awslabs/amazon-kinesis-agent): no timestamp setting, so no "ts"; "metadata" then "data"; newline after.
        Processing plain = option("{\"optionName\":\"ADDMETADATA\",\"metadata\":{\"foo\":{\"bar\":\"bas\"},"
                + "\"key\":\"value\"}}");
        assertThat(firehose("This is the data", plain))
                .isEqualTo("{\"metadata\":{\"foo\":{\"bar\":\"bas\"},\"key\":\"value\"},\"data\":\"This is the data\"}\n");
        // With "timestamp": "true" (a string, as in its Javadoc example), "ts" comes first: AddMetadataConverter's
        // SimpleDateFormat("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'") in UTC of the time the record is converted.
        Processing timed = option("{\"optionName\":\"ADDMETADATA\",\"timestamp\":\"true\",\"metadata\":{\"key\":1}}");
        assertThat(firehose("a \"quoted\"\ttab", timed)).isEqualTo(
                "{\"ts\":\"2024-05-06T07:08:09.012Z\",\"metadata\":{\"key\":1},\"data\":\"a \\\"quoted\\\"\\ttab\"}\n");
        // No metadata setting: the Kinesis Agent puts its null; a multi-line record keeps its inner newlines.
        assertThat(option("{\"optionName\":\"ADDMETADATA\",\"timestamp\":\"false\"}").apply("l1\nl2"))
                .isEqualTo("{\"metadata\":null,\"data\":\"l1\\nl2\"}");
        assertThat(option("{\"optionName\":\"ADDMETADATA\",\"timestamp\":true,\"jsonFormat\":\"PRETTYPRINT\"}")
                .apply("x")).isEqualTo("{\n  \"ts\" : \"2024-05-06T07:08:09.012Z\",\n  \"metadata\" : null,\n"
                        + "  \"data\" : \"x\"\n}");
    }

    @Test
    void addBracketsWrapsEachRecordWithItsNewlineInCurlyBraces() throws Exception {
        // BracketsDataConverter (awslabs/amazon-kinesis-agent): '{' + the record's bytes + '}'. Its test feeds bytes
        // without a newline ("hello there!! :)" -> "{hello there!! :)}"); a line from a file comes with its newline,
        // so the brace closes after it.
        Processing brackets = option("{\"optionName\":\"ADDBRACKETS\"}");
        assertThat(firehose("hello there!! :)", brackets)).isEqualTo("{hello there!! :)\n}");
        assertThat(Processing.chain(List.of(brackets), "hello there!! :)", false)).isEqualTo("{hello there!! :)\n}");
        assertThat(firehose("x", brackets, brackets)).isEqualTo("{{x\n}}");
        // After a JSON option, which ends its output with a newline, and before one, which drops one trailing newline.
        Processing csv = option("{\"optionName\":\"CSVTOJSON\",\"customFieldNames\":[\"a\"]}");
        assertThat(firehose("1", csv, brackets)).isEqualTo("{{\"a\":\"1\"}\n}");
        Processing meta = option("{\"optionName\":\"ADDMETADATA\"}");
        assertThat(firehose("1", brackets, meta)).isEqualTo("{\"metadata\":null,\"data\":\"{1\\n}\"}\n");
    }

    @Test
    void newOptionsAreCheckedWithTheirPaths() throws Exception {
        String at = "$.flows[0].dataProcessingOptions[0]";
        assertThat(problems("{\"optionName\":\"ADDMETADATA\",\"timestamp\":\"yes\",\"jsonFormat\":\"FANCY\"}"))
                .containsExactlyInAnyOrder(at + ".timestamp: must be \"true\" or \"false\", was \"yes\"",
                        at + ".jsonFormat: must be one of [COMPACT, PRETTYPRINT], was \"FANCY\"");
        assertThat(problems("{\"optionName\":\"ADDEC2METADATA\",\"metadataTTL\":0,\"logFormat\":\"NOPE\"}"))
                .containsExactly(at + ".logFormat: must be one of [COMMONAPACHELOG, COMBINEDAPACHELOG, APACHEERRORLOG,"
                        + " SYSLOG, RFC3339SYSLOG], was \"NOPE\"");
        assertThat(problems("{\"optionName\":\"ADDEC2METADATA\",\"metadataTTL\":0}"))
                .containsExactly(at + ".metadataTTL: must be between 1 and 2147483647, was 0");
        assertThat(problems("{\"optionName\":\"ADDBRACKETS\",\"metadata\":{}}"))
                .containsExactly(at + ".metadata: unknown setting for ADDBRACKETS");
        assertThat(problems("{\"optionName\":\"USINGPLUGGIN\"}")).containsExactly(at + ".optionName: 'USINGPLUGGIN'"
                + " is not supported (SINGLELINE, CSVTOJSON, LOGTOJSON, ADDMETADATA, ADDEC2METADATA, ADDBRACKETS are)");
        // The Kinesis Agent's documented form for this option carries a logFormat it does not use: accepted.
        assertThat(problems("{\"optionName\":\"ADDEC2METADATA\",\"logFormat\":\"RFC3339SYSLOG\",\"metadataTTL\":60}"))
                .isEmpty();
    }
}
