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
        Processing p = option("{\"optionName\":\"CSVTOJSON\",\"customFieldNames\":[\"id\",\"name\"],"
                + "\"delimiter\":\";\"}");
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
                .isEqualTo("{\"host\":\"127.0.0.1\",\"ident\":null,\"authuser\":\"frank\","
                        + "\"datetime\":\"10/Oct/2000:13:55:36 -0700\",\"request\":\"GET /a.gif HTTP/1.0\","
                        + "\"response\":\"200\",\"bytes\":\"2326\"}");
        assertThat(common.apply("not a log line")).isNull(); // skipped, as the Kinesis Agent does
        assertThat(common.unmatched()).isEqualTo(1);
        Processing syslog = option("{\"optionName\":\"LOGTOJSON\",\"logFormat\":\"SYSLOG\"}");
        assertThat(syslog.apply("Mar  7 04:02:16 host1 sshd[1234]: Accepted publickey"))
                .isEqualTo("{\"timestamp\":\"Mar  7 04:02:16\",\"hostname\":\"host1\",\"program\":\"sshd\","
                        + "\"processid\":\"1234\",\"message\":\"Accepted publickey\"}");
        // The syslog formats keep a "-" (SysLogParser); only a group that did not match is null.
        assertThat(syslog.apply("Mar  7 04:02:16 host1 cron: -")).isEqualTo("{\"timestamp\":\"Mar  7 04:02:16\","
                + "\"hostname\":\"host1\",\"program\":\"cron\",\"processid\":null,\"message\":\"-\"}");
        Processing rfc = option("{\"optionName\":\"LOGTOJSON\",\"logFormat\":\"RFC3339SYSLOG\"}");
        assertThat(rfc.apply("2026-11-25T07:00:00.123+00:00 host1 cron: job done"))
                .isEqualTo("{\"timestamp\":\"2026-11-25T07:00:00.123+00:00\",\"hostname\":\"host1\","
                        + "\"program\":\"cron\",\"processid\":null,\"message\":\"job done\"}");
        assertThat(rfc.apply("2026-11-25T07:00:00Z <4.6> host1 kernel[1]: -"))
                .isEqualTo("{\"timestamp\":\"2026-11-25T07:00:00Z\",\"hostname\":\"host1\","
                        + "\"program\":\"kernel\",\"processid\":\"1\",\"message\":\"-\"}");
    }

    /**
     * The Kinesis Agent's own expectations for LOGTOJSON (DataConverterTest in awslabs/amazon-kinesis-agent), line for
     * line: the Apache formats write a "-" field as null, every field is present (null when its group did not match),
     * trailing text after an Apache access line is ignored, and Apache 2.4 error lines give seven fields.
     */
    @Test
    void logToJsonWritesWhatTheKinesisAgentWritesForEachFormat() throws Exception {
        String request = "[27/Oct/2000:09:27:09 -0400] \"GET /java/javaResources.html HTTP/1.0\" 200 10450";
        String commonJson = "\"ident\":null,\"authuser\":null,\"datetime\":\"27/Oct/2000:09:27:09 -0400\","
                + "\"request\":\"GET /java/javaResources.html HTTP/1.0\",\"response\":\"200\",\"bytes\":\"10450\"";
        String browser = "\"Mozilla/4.6 [en] (X11; U; OpenBSD 2.8 i386; Nav)\"";

        Processing combined = option("{\"optionName\":\"LOGTOJSON\",\"logFormat\":\"COMBINEDAPACHELOG\"}");
        assertThat(firehose("123.45.67.89 - - " + request + " \"-\" " + browser + " \"ANY_RANDOM_DATA\"", combined))
                .isEqualTo("{\"host\":\"123.45.67.89\"," + commonJson + ",\"referer\":null,\"agent\":" + browser
                        + "}\n");

        Processing common = option("{\"optionName\":\"LOGTOJSON\",\"logFormat\":\"COMMONAPACHELOG\"}");
        String expected = "{\"host\":\"123.45.67.89\"," + commonJson + "}\n";
        assertThat(firehose("123.45.67.89 - - " + request + " \"-\" " + browser, common)).isEqualTo(expected);
        assertThat(firehose("123.45.67.89 - - " + request, common)).isEqualTo(expected);
        assertThat(firehose("lj1036.inktomisearch.com - - " + request, common))
                .isEqualTo("{\"host\":\"lj1036.inktomisearch.com\"," + commonJson + "}\n");
        assertThat(firehose("123.45.67.89 - - [27/Oct/2000:09:27:09 -0400] \"GET /java/javaResources.html HTTP/1.0\""
                + " 200", common)).isNull(); // no bytes field: skipped
        // A size of "-" (nothing sent) is null too.
        assertThat(common.apply("10.0.0.1 - - [27/Oct/2000:09:27:09 -0400] \"HEAD / HTTP/1.1\" 304 -"))
                .endsWith("\"response\":\"304\",\"bytes\":null}");

        Processing error = option("{\"optionName\":\"LOGTOJSON\",\"logFormat\":\"APACHEERRORLOG\"}");
        String missing = "File does not exist: /usr/local/apache2/htdocs/favicon.ico";
        assertThat(firehose("[Fri Sep 09 10:42:29.902022 2011] [core:error] [pid 35708:tid 4328636416] "
                + "[client 72.15.99.187] " + missing, error)).isEqualTo("{\"timestamp\":"
                + "\"Fri Sep 09 10:42:29.902022 2011\","
                + "\"module\":\"core\",\"severity\":\"error\",\"processid\":\"35708\",\"threadid\":\"4328636416\","
                + "\"client\":\"72.15.99.187\",\"message\":\"" + missing + "\"}\n");
        assertThat(firehose("[Fri Sep 09 10:42:29 2011] [core:error] [pid 35708] [client 72.15.99.187] " + missing,
                error)).isEqualTo("{\"timestamp\":\"Fri Sep 09 10:42:29 2011\",\"module\":\"core\","
                + "\"severity\":\"error\",\"processid\":\"35708\",\"threadid\":null,\"client\":\"72.15.99.187\","
                + "\"message\":\"" + missing + "\"}\n");
        assertThat(firehose("[Fri Sep 09 10:42:29.902022 2011] [error] [pid 35708:tid 4328636416] "
                + "[client 72.15.99.187:12345] " + missing, error)).isEqualTo("{\"timestamp\":"
                + "\"Fri Sep 09 10:42:29.902022 2011\",\"module\":null,\"severity\":\"error\",\"processid\":\"35708\","
                + "\"threadid\":\"4328636416\",\"client\":\"72.15.99.187:12345\",\"message\":\"" + missing + "\"}\n");
        // Apache 2.2's lines (no [pid]) are not this format there either: skipped.
        assertThat(error.apply("[Wed Oct 11 14:32:52 2000] [error] [client 127.0.0.1] client denied")).isNull();

        Processing renamed = option("{\"optionName\":\"LOGTOJSON\",\"logFormat\":\"COMMONAPACHELOG\","
                + "\"customFieldNames\":[\"column1\",\"column2\",\"column3\",\"column4\",\"column5\",\"column6\","
                + "\"column7\"]}");
        assertThat(firehose("123.45.67.89 - - " + request, renamed)).isEqualTo("{\"column1\":\"123.45.67.89\","
                + "\"column2\":null,\"column3\":null,\"column4\":\"27/Oct/2000:09:27:09 -0400\","
                + "\"column5\":\"GET /java/javaResources.html HTTP/1.0\",\"column6\":\"200\",\"column7\":\"10450\"}\n");

        // A custom pattern under an Apache format: its "-" fields are null as well.
        Processing custom = option("{\"optionName\":\"LOGTOJSON\",\"logFormat\":\"COMMONAPACHELOG\","
                + "\"matchPattern\":\"^([\\\\d.]+) (\\\\S+) (\\\\S+) \\\\[([\\\\w:/]+\\\\s[+\\\\-]\\\\d{4})\\\\] "
                + "\\\"(.+?)\\\" (\\\\d{3})\",\"customFieldNames\":[\"column1\",\"column2\",\"column3\",\"column4\","
                + "\"column5\",\"column6\"]}");
        assertThat(firehose("123.45.67.89 - - [27/Oct/2000:09:27:09 -0400] \"GET /java/javaResources.html HTTP/1.0\""
                + " 200", custom)).isEqualTo("{\"column1\":\"123.45.67.89\",\"column2\":null,\"column3\":null,"
                + "\"column4\":\"27/Oct/2000:09:27:09 -0400\",\"column5\":\"GET /java/javaResources.html HTTP/1.0\","
                + "\"column6\":\"200\"}\n");

        Processing syslog = option("{\"optionName\":\"LOGTOJSON\",\"logFormat\":\"SYSLOG\"}");
        assertThat(firehose("Mar 12 12:00:08 server2 rcd[308]: Loaded 12 packages in 'ximian-red-carpet|351' "
                + "(0.01878 seconds) ", syslog)).isEqualTo("{\"timestamp\":\"Mar 12 12:00:08\","
                + "\"hostname\":\"server2\","
                + "\"program\":\"rcd\",\"processid\":\"308\",\"message\":\"Loaded 12 packages in "
                + "'ximian-red-carpet|351' (0.01878 seconds) \"}\n");
        assertThat(firehose("Mar 12 12:01:02 server4 snort: Ports to decode telnet on: 21 23 25 119", syslog))
                .isEqualTo("{\"timestamp\":\"Mar 12 12:01:02\",\"hostname\":\"server4\",\"program\":\"snort\","
                        + "\"processid\":null,\"message\":\"Ports to decode telnet on: 21 23 25 119\"}\n");
    }

    @Test
    void logToJsonFieldNamesAreCheckedAsTheKinesisAgentChecksThem() throws Exception {
        String at = "$.flows[0].dataProcessingOptions[0]";
        assertThat(problems("{\"optionName\":\"LOGTOJSON\",\"logFormat\":\"SYSLOG\",\"customFieldNames\":[\"a\"]}"))
                .containsExactly(at + ".customFieldNames: SYSLOG has 5 fields [timestamp, hostname, program, processid,"
                        + " message], 1 names given (for other fields, give a matchPattern)");
        assertThat(problems("{\"optionName\":\"LOGTOJSON\",\"logFormat\":\"SYSLOG\",\"matchPattern\":\"(.*)\"}"))
                .containsExactly(at + ".customFieldNames: required with matchPattern");
    }

    @Test
    void addMetadataWritesTheKinesisAgentsJsonByteForByte() throws Exception {
        // Expected: the Kinesis Agent's own test of AddMetadataConverter (DataConverterTest.testAddMetadataConverter,
        // awslabs/amazon-kinesis-agent): no timestamp setting, so no "ts"; "metadata" then "data"; newline after.
        Processing plain = option("{\"optionName\":\"ADDMETADATA\",\"metadata\":{\"foo\":{\"bar\":\"bas\"},"
                + "\"key\":\"value\"}}");
        assertThat(firehose("This is the data", plain))
                .isEqualTo("{\"metadata\":{\"foo\":{\"bar\":\"bas\"},\"key\":\"value\"},"
                        + "\"data\":\"This is the data\"}\n");
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
