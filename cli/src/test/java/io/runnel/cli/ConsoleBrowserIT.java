package io.runnel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.backend.KinesisBackend;
import io.runnel.backend.store.StreamState;
import io.runnel.console.Console;
import io.runnel.producer.KinesisProducer;
import io.runnel.producer.UserRecordResult;
import io.runnel.producer.config.ProducerConfig;
import io.runnel.wire.auth.Credentials;
import io.runnel.wire.auth.CredentialsProvider;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The console's pages in a real browser (Debian's chromium, headless, through chromium-driver): records put with the
 * producer show up as user records inside their aggregates, a split made from the console shows its two children,
 * and the live tail follows records as they are put. Each page's screenshot goes to {@code target/console/}, and to
 * {@code docs/console/} when {@code -Dconsole.screenshots=update} is given (or the file is not there yet).
 *
 * <p>Skipped when {@code /usr/bin/chromedriver} is missing, unless {@code RUNNEL_REQUIRE_CHROMIUM} is set (CI sets it).
 */
class ConsoleBrowserIT {
    private static final Path DRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path BROWSER = Path.of("/usr/bin/chromium");
    private static final Duration WAIT = Duration.ofSeconds(30);

    private static KinesisBackend backend;
    private static KinesisProducer producer;
    private static ChromeDriver browser;
    private static Path tlsDir;
    private static Path browserTmp; // the browser's TMPDIR: chromium leaves its singleton socket's directory there

    @BeforeAll
    static void start() {
        boolean present = Files.isExecutable(DRIVER) && Files.isExecutable(BROWSER);
        if (System.getenv("RUNNEL_REQUIRE_CHROMIUM") == null) {
            Assumptions.assumeTrue(present, "no chromium and chromium-driver here (apt-get install chromium "
                    + "chromium-driver)");
        }
        assertThat(present).as("RUNNEL_REQUIRE_CHROMIUM is set: " + BROWSER + " and " + DRIVER).isTrue();
        try {
            tlsDir = Files.createTempDirectory("console-tls");
            browserTmp = Files.createTempDirectory("console-browser");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        backend = KinesisBackend.builder().limits(false).createStream("orders", 2).route(Console::new)
                .tls(0, io.runnel.backend.TlsMaterial.selfSigned(tlsDir)).start();
        producer = new KinesisProducer(ProducerConfig.builder().region("us-east-1")
                .kinesisEndpointUrl(backend.endpoint().toString()).recordMaxBufferedTime(Duration.ofMillis(20))
                .build(), CredentialsProvider.of(Credentials.of("a", "b")));
        ChromeOptions options = new ChromeOptions();
        options.setBinary(BROWSER.toFile());
        // the backend's TLS port has a self-signed certificate
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1400,1000", "--ignore-certificate-errors");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile())
                .usingAnyFreePort().withEnvironment(java.util.Map.of("TMPDIR", browserTmp.toString())).build();
        browser = new ChromeDriver(service, options);
        browser.manage().timeouts().pageLoadTimeout(WAIT);
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (producer != null) {
            producer.close(Duration.ofSeconds(10));
        }
        if (backend != null) {
            backend.close();
        }
        deleteTree(tlsDir);
        deleteTree(browserTmp);
    }

    private static void deleteTree(Path dir) {
        if (dir == null) {
            return;
        }
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void overTlsTheBrowserSpeaksHttp2AndTheLiveViewsFollowIt() {
        browser.get(backend.tlsEndpoint() + "/console");
        waiting().until(d -> !d.findElements(By.cssSelector("tr[data-stream='orders']")).isEmpty());
        assertThat(js("return performance.getEntriesByType('navigation')[0].nextHopProtocol")).isEqualTo("h2");
        // the server-sent events keep coming over HTTP/2: the page's "updated" line changes
        String first = (String) js("return document.getElementById('updated').textContent");
        waiting().until(d -> !first.equals(js("return document.getElementById('updated').textContent")));
    }

    private static String url(String path) {
        return backend.endpoint() + path;
    }

    /** Waits up to 30 s; the live pages redraw every second, so an element found may be replaced meanwhile. */
    private static org.openqa.selenium.support.ui.FluentWait<org.openqa.selenium.WebDriver> waiting() {
        return new WebDriverWait(browser, WAIT).ignoring(org.openqa.selenium.StaleElementReferenceException.class);
    }

    /** Runs a script in the page and returns its result (reads a redrawn page in one go). */
    private static Object js(String script) {
        return ((org.openqa.selenium.JavascriptExecutor) browser).executeScript(script);
    }

    /** Puts {@code n} records through the producer, keys {@code prefix-i}, data {@code {"n":i}}; their results. */
    private static Map<String, UserRecordResult> put(String stream, String prefix, int n) {
        Map<String, CompletableFuture<UserRecordResult>> futures = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            futures.put(prefix + "-" + i, producer.addUserRecord(stream, prefix + "-" + i,
                    ("{\"n\":" + i + "}").getBytes(StandardCharsets.UTF_8)));
        }
        Map<String, UserRecordResult> out = new LinkedHashMap<>();
        futures.forEach((k, f) -> out.put(k, f.orTimeout(30, TimeUnit.SECONDS).join()));
        return out;
    }

    private static void screenshot(String name) throws IOException {
        File shot = browser.getScreenshotAs(OutputType.FILE);
        Path target = Path.of("target", "console", name + ".png");
        Files.createDirectories(target.getParent());
        Files.copy(shot.toPath(), target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Path docs = Path.of("..", "docs", "console", name + ".png");
        if (Files.isDirectory(docs.getParent())
                && ("update".equals(System.getProperty("console.screenshots")) || !Files.exists(docs))) {
            Files.copy(shot.toPath(), docs, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
    }

    @Test
    void theRecordsPageOpensAggregatesIntoTheUserRecordsThatWerePut() throws IOException {
        Map<String, UserRecordResult> results = put("orders", "user", 60);
        String shard = results.get("user-0").shardId();
        List<String> keysThere = new ArrayList<>();
        results.forEach((k, r) -> {
            if (r.shardId().equals(shard)) {
                keysThere.add(k);
            }
        });
        assertThat(results.values()).anySatisfy(r -> assertThat(r.subSequenceNumber()).isPositive()); // aggregated

        browser.get(url("/console/streams/orders/shards/" + shard + "/records?from=TRIM_HORIZON&format=json"));
        waiting().until(d -> !d.findElements(By.cssSelector("tr[data-user-key]")).isEmpty());

        List<WebElement> users = browser.findElements(By.cssSelector("tr[data-user-key]"));
        List<String> keys = users.stream().map(e -> e.getAttribute("data-user-key")).toList();
        assertThat(keys).containsAll(keysThere);
        WebElement first = browser.findElement(By.cssSelector("tr[data-user-key='user-0']"));
        assertThat(first.getText()).contains("user-0").contains("\"n\": 0"); // pretty JSON
        assertThat(browser.findElement(By.tagName("body")).getText()).contains("KPL aggregate of");
        assertThat(browser.findElements(By.cssSelector("tr.outside"))).as("no key outside its shard").isEmpty();
        screenshot("records");
    }

    @Test
    void theStreamsAndStreamPagesChartWhatIsWritten() throws IOException {
        // records go in while the console samples, until it has a few seconds of nonzero rates to show
        int[] round = {0};
        waiting().until(d -> {
            put("orders", "rate" + round[0]++, 50);
            return nonzeroPoints("orders") >= 4;
        });
        browser.get(url("/console"));
        waiting().until(d -> !d.findElements(By.cssSelector("tr[data-stream='orders']")).isEmpty());
        assertThat((String) js("return document.querySelector(\"tr[data-stream='orders']\").textContent"))
                .contains("ACTIVE").contains("PROVISIONED");
        waiting().until(d -> d.findElements(By.cssSelector("tr[data-stream='orders'] td.spark canvas")).size() >= 2);
        screenshot("streams");

        browser.get(url("/console/streams/orders"));
        waiting().until(d -> d.findElements(By.cssSelector("#charts canvas")).size() >= 2);
        assertThat(browser.findElements(By.cssSelector("#ranges g[data-shard]"))).hasSize(2);
        assertThat((String) js("return document.getElementById('shards').textContent"))
                .contains("shardId-000000000000").contains("shardId-000000000001");
        screenshot("stream");
    }

    /** Seconds with Kinesis records written in the stream's history, as the console's API gives it. */
    private static long nonzeroPoints(String stream) {
        try {
            var response = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(url("/console/api/streams/" + stream))).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            var records = new com.fasterxml.jackson.databind.ObjectMapper().readTree(response.body()).get("history")
                    .get("records");
            long n = 0;
            for (var v : records) {
                n += v.asLong() > 0 ? 1 : 0;
            }
            return n;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aSplitFromTheStreamPageShowsTwoChildren() throws IOException {
        backend.store().createStream("split-me", 1, StreamState.Mode.PROVISIONED);
        waiting().until(d -> backend.store().streams().stream()
                .anyMatch(s -> s.name().equals("split-me") && s.status(System.currentTimeMillis())
                        == StreamState.Status.ACTIVE));
        put("split-me", "before", 30);

        browser.get(url("/console/streams/split-me"));
        waiting().until(d -> !d.findElements(By.cssSelector("button.split[data-shard='shardId-000000000000']"))
                .isEmpty());
        waiting().until(d -> {
            d.findElement(By.cssSelector("button.split[data-shard='shardId-000000000000']")).click();
            return true;
        });

        // two open children whose parent is the shard split, and three ranges drawn
        waiting().until(d -> ((Number) js("return [...document.querySelectorAll('#shards tbody tr')].filter(r =>"
                + " r.dataset.shard !== 'shardId-000000000000' && r.cells[2].textContent === 'shardId-000000000000'"
                + " && r.cells[1].textContent === 'open').length")).intValue() == 2);
        waiting().until(d -> d.findElements(By.cssSelector("#ranges g[data-shard]")).size() == 3);
        assertThat(browser.findElement(By.id("message")).getText()).contains("splitting shardId-000000000000");
        screenshot("split");
    }

    @Test
    void theLiveTailFollowsRecordsAsTheyArePut() throws IOException {
        String shard = put("orders", "probe", 1).get("probe-0").shardId();
        browser.get(url("/console/streams/orders/shards/" + shard + "/records?from=LATEST"));
        waiting().until(d -> d.findElement(By.id("status")).getText().contains("records shown"));
        browser.findElement(By.id("tail")).click();

        List<String> expected = new ArrayList<>();
        for (int round = 0; round < 3; round++) {
            put("orders", "tail" + round, 20).forEach((k, r) -> {
                if (r.shardId().equals(shard)) {
                    expected.add(k);
                }
            });
        }
        assertThat(expected).isNotEmpty();

        waiting().until(d -> d.findElements(By.cssSelector("tr[data-user-key]")).stream()
                .map(e -> e.getAttribute("data-user-key")).toList().containsAll(expected));
        assertThat(browser.findElements(By.cssSelector("tr[data-user-key='probe-0']")))
                .as("LATEST: what was there before is not shown").isEmpty();
        screenshot("tail");
    }
}
