package io.runnel.dist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.runnel.agent.AgentConfig;
import io.runnel.producer.config.ConfigKeys;
import io.runnel.producer.config.ProducerConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tarball this module builds, as a user gets it: extracted with tar, run through bin/runnel with nothing but a JDK
 * (no Maven, no checkout).
 */
class DistributionIT {
    private static final Path TARBALL = Path.of(System.getProperty("runnel.dist.tarball"));
    private static final String NAME = System.getProperty("runnel.dist.name");
    private static final String VERSION = System.getProperty("runnel.version");
    private static final Path JAVA_HOME = Path.of(System.getProperty("java.home"));

    @TempDir
    static Path extracted;

    static Path home;

    private record Run(int exit, String out, String err) {
    }

    @BeforeAll
    static void extract() throws Exception {
        assertThat(TARBALL).as("built by package").isRegularFile();
        Run tar = run(List.of("tar", "-xzf", TARBALL.toString(), "-C", extracted.toString()), Map.of(), 60);
        assertThat(tar.exit()).as(tar.err()).isZero();
        home = extracted.resolve(NAME);
    }

    @Test
    void holdsTheLauncherTheJarConfigsUnitsAndCompletion() throws IOException {
        for (String file : List.of("bin/runnel", "bin/runnel.cmd", "lib/runnel.jar", "config/agent.json",
                "config/producer.properties", "systemd/runnel-agent.service", "systemd/runnel-backend.service",
                "completion/runnel.bash", "LICENSE", "README")) {
            assertThat(home.resolve(file)).as(file).isRegularFile();
        }
        assertThat(Files.getPosixFilePermissions(home.resolve("bin/runnel")))
                .contains(PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OTHERS_EXECUTE);
        // bin/runnel is the repository's launcher, byte for byte.
        assertThat(home.resolve("bin/runnel")).hasSameBinaryContentAs(Path.of("..", "runnel"));
        assertThat(Files.readString(home.resolve("bin/runnel.cmd"))).contains("\r\n")
                .contains("%RUNNEL_JAVA_OPTS% -jar \"%~dp0..\\lib\\runnel.jar\" %*");
        assertThat(Files.readString(home.resolve("completion/runnel.bash"))).startsWith("#!/usr/bin/env bash")
                .contains("complete -F _complete_runnel", "demo", "backend", "loadgen", "agent", "completion");
        assertThat(Files.readString(home.resolve("LICENSE"))).contains("Apache License");
    }

    @Test
    void versionNamesTheVersionAndCommit() throws Exception {
        Run r = runnel(Map.of(), "--version");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out().strip()).matches("runnel \\Q" + VERSION + "\\E \\((commit [0-9a-f]{7,40}|unknown commit)\\)");
        assertThat(r.err()).doesNotContain("building");
    }

    @Test
    void demoSendsThroughTheEmbeddedBackendAndReadsEveryRecordBack() throws Exception {
        Run r = runnel(Map.of(), "demo", "--records", "100000");
        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("stream 'demo' with 4 shards", "sent      100,000 records",
                "every record arrived exactly once");
    }

    @Test
    void aCommandsFirstStartListsItsClassesTheNextArchivesThemAndTheRestMapThem() throws Exception {
        Path cache = extracted.resolve("cds-cache");
        Path dir = cache.resolve("runnel/cds");
        Map<String, String> env = Map.of("XDG_CACHE_HOME", cache.toString(), "RUNNEL_CDS", "on");
        Run first = runnel(env, "demo", "--records", "1000");
        assertThat(first.exit()).as(first.out() + first.err()).isZero();
        // the JVM listed the classes it loaded, under its pid
        assertThat(names(dir)).singleElement().asString().startsWith("demo-").endsWith(".classlist");
        String list = names(dir).get(0);
        String key = keyOf(list);
        byte[] classes = Files.readAllBytes(dir.resolve(list));
        // As if its JVM had been killed mid-line (the list is written as classes load), with the leftovers of a writer
        // killed on the way (its claimed list, a half-written archive) and the archive of another jar: the next start
        // removes those, its processes being gone, and has the archive written from what the list holds.
        Files.delete(dir.resolve(list));
        // cut inside its last @lambda line if it has one (a cut one fails -Xshare:dump), else three quarters in
        int lambda = new String(classes, java.nio.charset.StandardCharsets.ISO_8859_1).lastIndexOf("\n@lambda");
        int cut = lambda > 0 ? lambda + 12 : classes.length * 3 / 4 + 7;
        Files.write(dir.resolve(key + ".2147483646.classlist"), Arrays.copyOf(classes, cut));
        Files.write(dir.resolve(key + ".2147483645.dump"), classes);
        Files.write(dir.resolve(key + ".2147483645.tmp"), new byte[4096]);
        Files.write(dir.resolve("demo-17.0.1-1-1.jsa"), new byte[4096]);
        Run second = runnel(env, "demo", "--records", "1000");
        assertThat(second.exit()).as(second.out() + second.err()).isZero();
        // a process of its own writes the archive from the list, after this start
        awaitOnly(dir, key + ".jsa");
        assertMaps(dir.resolve(key + ".jsa"));
        // a second list (two first starts at once) has no use once there is an archive
        Files.write(dir.resolve(key + ".2147483644.classlist"), classes);
        Run third = runnel(env, "demo", "--records", "1000");
        assertThat(third.exit()).as(third.out() + third.err()).isZero();
        assertThat(third.out() + third.err()).doesNotContain("warning", "cds", "CDS");
        assertThat(names(dir)).containsExactly(key + ".jsa");
        try (var files = Files.list(extracted)) {
            assertThat(files.map(f -> f.getFileName().toString())).noneMatch(n -> n.startsWith("hs_err"));
        }

        Path off = extracted.resolve("cds-off");
        Run without = runnel(Map.of("XDG_CACHE_HOME", off.toString(), "RUNNEL_CDS", "off"), "demo", "--records",
                "1000");
        assertThat(without.exit()).isZero();
        assertThat(off.resolve("runnel/cds")).doesNotExist();
    }

    @Test
    void aJvmThatCannotWriteTheArchiveIsNotAskedAgainForThatJar() throws Exception {
        // A JDK whose java refuses -Xshare:dump (as a JVM built without class data sharing would), else the real one.
        Path jdk = wrappedJdk("jdk-without-dump",
                "case \" $* \" in *\" -Xshare:dump \"*) echo 'no dump here' >&2; exit 1 ;; esac\n");
        Path cache = extracted.resolve("cds-failing");
        Path dir = cache.resolve("runnel/cds");
        Map<String, String> env = Map.of("XDG_CACHE_HOME", cache.toString(), "RUNNEL_CDS", "on", "JAVA_HOME",
                jdk.toString());
        Run first = runnel(env, "backend", "--help");
        assertThat(first.exit()).as(first.out() + first.err()).isZero();
        String list = names(dir).get(0);
        String key = keyOf(list);
        // a list as long as a command's at work (a help's alone is dropped: see the test below)
        Files.writeString(dir.resolve(list), (Files.readString(dir.resolve(list))).repeat(3));
        // an earlier jar's marker goes; this one's stays and ends the tries
        Files.write(dir.resolve("backend-17.0.1-1-1.failed"), new byte[0]);
        Run second = runnel(env, "backend", "--help");
        assertThat(second.exit()).as(second.out() + second.err()).isZero();
        awaitOnly(dir, key + ".failed");
        Run third = runnel(env, "backend", "--help");
        assertThat(third.exit()).as(third.out() + third.err()).isZero();
        assertThat(third.out() + third.err()).doesNotContain("no dump here");
        assertThat(names(dir)).as("no class list, so no writer either").containsExactly(key + ".failed");
    }

    @Test
    void demoRunsOnZgcInAJvmWithoutShenandoahAndAsksOnlyOnce() throws Exception {
        // A JDK whose java has no Shenandoah (as Oracle's builds), else the real one; it notes each start's options.
        Path starts = startsOf("jdk-without-shenandoah");
        Path jdk = notingJdk("jdk-without-shenandoah", "case \" $* \" in *\" -XX:+UseShenandoahGC \"*)"
                + " echo 'Option -XX:+UseShenandoahGC not supported' >&2; exit 1 ;; esac\n");
        Map<String, String> env = launcherEnv("gc-cache", jdk);
        demoTwice(env);
        List<String> lines = Files.readAllLines(starts);
        assertThat(lines).as("one probe, then two demos on ZGC").hasSize(3);
        assertThat(lines.get(0)).contains("-XX:+UseShenandoahGC").contains("-version");
        assertThat(lines.subList(1, 3)).allSatisfy(l -> assertThat(l).contains("-XX:+UseZGC", " demo ")
                .doesNotContain("Shenandoah"));
    }

    /** The launcher's environment with its own cache directory, no class data sharing, and {@code jdk}'s java. */
    private static Map<String, String> launcherEnv(String cache, Path jdk) {
        return Map.of("XDG_CACHE_HOME", extracted.resolve(cache).toString(), "RUNNEL_CDS", "off", "JAVA_HOME",
                jdk.toString());
    }

    /** Two short demos through the launcher with {@code env}; each must succeed. */
    private static void demoTwice(Map<String, String> env) throws Exception {
        for (int i = 0; i < 2; i++) {
            Run r = runnel(env, "demo", "--records", "1000");
            assertThat(r.exit()).as(r.out() + r.err()).isZero();
        }
    }

    private static boolean realJavaHasShenandoah() throws Exception {
        return run(List.of(JAVA_HOME.resolve("bin/java").toString(), "-XX:+UseShenandoahGC", "-version"), Map.of(),
                60).exit() == 0;
    }

    /** How the launcher asks a JVM for Shenandoah with its control thread's interval. */
    private static final String SHENANDOAH_PROBE = "-XX:+UseShenandoahGC -XX:+UnlockExperimentalVMOptions"
            + " -XX:ShenandoahControlIntervalMin=5 -version";

    @Test
    void aJvmThatRefusesTheControlIntervalGetsShenandoahWithoutItAndIsAskedOnlyOnce() throws Exception {
        Path starts = startsOf("jdk-without-interval");
        Path jdk = notingJdk("jdk-without-interval", "case \" $* \" in *\" -XX:ShenandoahControlIntervalMin=5 \"*)"
                + " echo \"Unrecognized VM option 'ShenandoahControlIntervalMin=5'\" >&2; exit 1 ;; esac\n");
        Map<String, String> env = launcherEnv("gc-cache-plain", jdk);
        demoTwice(env);
        boolean shenandoah = realJavaHasShenandoah();
        List<String> lines = Files.readAllLines(starts);
        assertThat(lines).as("two probes, then two demos").hasSize(4);
        assertThat(lines.get(0)).isEqualTo(SHENANDOAH_PROBE);
        assertThat(lines.get(1)).isEqualTo("-XX:+UseShenandoahGC -version");
        assertThat(lines.subList(2, 4)).allSatisfy(l -> assertThat(l)
                .contains(shenandoah ? "-XX:+UseShenandoahGC" : "-XX:+UseZGC", " demo ")
                .doesNotContain("ShenandoahControlIntervalMin"));
    }

    @Test
    void aShenandoahProbeThatFailedForAnotherReasonIsAskedAgain() throws Exception {
        // The first probe fails as a JVM that could not reserve its heap would; the JVM itself is the real one.
        Path starts = startsOf("jdk-probe-fails-once");
        Path failed = extracted.resolve("jdk-probe-fails-once.failed");
        Path jdk = notingJdk("jdk-probe-fails-once", "if [ \"$*\" = '" + SHENANDOAH_PROBE + "' ] && [ ! -f '"
                + failed + "' ]; then touch '" + failed
                + "'; echo 'Error occurred during initialization of VM'; echo 'Could not reserve enough space for"
                + " object heap'; exit 1; fi\n");
        Map<String, String> env = launcherEnv("gc-cache-retry", jdk);
        demoTwice(env);
        boolean shenandoah = realJavaHasShenandoah();
        List<String> lines = Files.readAllLines(starts);
        assertThat(lines).as("a failed probe, a demo on ZGC, the probe again, a demo").hasSize(4);
        assertThat(lines.get(0)).isEqualTo(SHENANDOAH_PROBE);
        assertThat(lines.get(1)).contains("-XX:+UseZGC", " demo ").doesNotContain("Shenandoah");
        assertThat(lines.get(2)).isEqualTo(SHENANDOAH_PROBE);
        assertThat(lines.get(3)).contains(shenandoah ? "-XX:+UseShenandoahGC -XX:+UnlockExperimentalVMOptions"
                + " -XX:ShenandoahControlIntervalMin=5" : "-XX:+UseZGC", " demo ");
        Run third = runnel(env, "demo", "--records", "1000");
        assertThat(third.exit()).as(third.out() + third.err()).isZero();
        assertThat(Files.readAllLines(starts)).as("the second probe's answer is kept").hasSize(5);
    }

    @Test
    void aStartThatOnlyPrintedItsHelpLeavesNoArchiveTheNextStartListsAgain() throws Exception {
        Path cache = extracted.resolve("cds-help");
        Path dir = cache.resolve("runnel/cds");
        Map<String, String> env = Map.of("XDG_CACHE_HOME", cache.toString(), "RUNNEL_CDS", "on");
        Run help = runnel(env, "agent", "--help");
        assertThat(help.exit()).as(help.out() + help.err()).isZero();
        String helpList = names(dir).get(0);
        assertThat(Files.readAllLines(dir.resolve(helpList))).hasSizeLessThan(2000);
        Run again = runnel(env, "agent", "--help");
        assertThat(again.exit()).as(again.out() + again.err()).isZero();
        // no archive written from the help's few classes: the second start listed its own instead
        assertThat(names(dir)).singleElement().asString().endsWith(".classlist").isNotEqualTo(helpList)
                .startsWith(keyOf(helpList) + ".");
    }

    /** Where {@link #notingJdk} notes each start of the JDK named {@code name}: its options, a line each. */
    private static Path startsOf(String name) {
        return extracted.resolve(name + ".starts");
    }

    /** {@link #wrappedJdk} that first notes each start's options in {@link #startsOf}. */
    private static Path notingJdk(String name, String before) throws IOException {
        return wrappedJdk(name, "echo \"$*\" >> '" + startsOf(name) + "'\n" + before);
    }

    /**
     * A JDK named {@code name} (the real one's release file) whose java runs the shell lines {@code before}, then the
     * real java with the same arguments.
     */
    private static Path wrappedJdk(String name, String before) throws IOException {
        Path jdk = extracted.resolve(name);
        Files.createDirectories(jdk.resolve("bin"));
        Files.copy(JAVA_HOME.resolve("release"), jdk.resolve("release"));
        Path java = jdk.resolve("bin/java");
        Files.writeString(java, "#!/bin/sh\n" + before + "exec '" + JAVA_HOME.resolve("bin/java") + "' \"$@\"\n");
        assertThat(java.toFile().setExecutable(true)).isTrue();
        return jdk;
    }

    /** The command-jar-JVM key of a class list {@code KEY.PID.classlist}. */
    private static String keyOf(String classList) {
        return classList.substring(0, classList.lastIndexOf('.', classList.length() - ".classlist".length() - 1));
    }

    /** Waits for the launcher's background writer to leave exactly {@code name} in {@code dir}. */
    private static void awaitOnly(Path dir, String name) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180); // a guard against a hang, not a timing
        while (!names(dir).equals(List.of(name))) {
            assertThat(System.nanoTime()).as("only %s in %s; there are %s", name, dir, names(dir)).isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    /**
     * The archive maps whole in a JVM that must use it, with the collector the launcher runs demo with (Shenandoah
     * where the JVM has it, else ZGC): an archive maps only under the compressed-reference setting it was written with.
     */
    private static void assertMaps(Path archive) throws Exception {
        String java = JAVA_HOME.resolve("bin/java").toString();
        boolean shenandoah = realJavaHasShenandoah();
        Run r = run(List.of(java, shenandoah ? "-XX:+UseShenandoahGC" : "-XX:+UseZGC", "-Xshare:on",
                "-XX:SharedArchiveFile=" + archive,
                "-XX:+VerifySharedSpaces", "-cp", home.resolve("lib/runnel.jar").toString(), "-version"), Map.of(), 60);
        assertThat(r.exit()).as(r.out() + r.err()).isZero();
    }

    private static List<String> names(Path dir) throws IOException {
        try (var files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void aJavaHomeWithoutJavaIsNamed() throws Exception {
        Run r = runnel(Map.of("JAVA_HOME", extracted.resolve("no-such-jdk").toString()), "--version");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("JAVA_HOME is " + extracted.resolve("no-such-jdk"), "Java 17 or newer");
    }

    @Test
    void aJavaOlderThan17IsRefused() throws Exception {
        Path old = extracted.resolve("jdk-11");
        Files.createDirectories(old.resolve("bin"));
        Files.writeString(old.resolve("release"), "JAVA_VERSION=\"11.0.22\"\n");
        Path java = old.resolve("bin/java");
        Files.writeString(java, "#!/bin/sh\necho 'this java must not run' >&2\nexit 3\n");
        java.toFile().setExecutable(true);
        Run r = runnel(Map.of("JAVA_HOME", old.toString()), "--version");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("needs Java 17 or newer", "Java 11.0.22").doesNotContain("must not run");
    }

    @Test
    void withoutJavaHomeOrJavaOnThePathItSaysSo() throws Exception {
        // A PATH with the few tools the launcher uses and no java.
        Path tools = extracted.resolve("tools-without-java");
        Files.createDirectories(tools);
        for (String tool : List.of("dirname", "readlink", "sed", "head")) {
            Path found = which(tool);
            assumeThat(found).as(tool).isNotNull();
            Files.createSymbolicLink(tools.resolve(tool), found);
        }
        Map<String, String> env = new HashMap<>();
        env.put("JAVA_HOME", null);
        env.put("PATH", tools.toString());
        Run r = runnel(env, "--version");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("no java found", "Java 17 or newer");
    }

    @Test
    void exampleConfigsLoadAsTheAgentAndTheProducerReadThem() {
        AgentConfig agent = AgentConfig.load(home.resolve("config/agent.json"));
        assertThat(agent.checkpointFile()).isEqualTo(Path.of("/var/lib/runnel/agent/checkpoints.json"));
        assertThat(agent.flows()).hasSize(2);
        ProducerConfig producer = ProducerConfig.fromPropertiesFile(home.resolve("config/producer.properties"));
        assertThat(producer.get(ConfigKeys.REGION)).isEqualTo("us-east-1");
    }

    @Test
    void systemdUnitsRunTheLauncherAsRunnelWithWritableState() throws Exception {
        String agent = Files.readString(home.resolve("systemd/runnel-agent.service"));
        assertThat(agent).contains("ExecStart=/opt/runnel/bin/runnel agent --config /etc/runnel/agent.json",
                "User=runnel", "Restart=on-failure", "StateDirectory=runnel/agent");
        String backend = Files.readString(home.resolve("systemd/runnel-backend.service"));
        assertThat(backend).contains("ExecStart=/opt/runnel/bin/runnel backend --data-dir /var/lib/runnel/backend",
                "User=runnel", "Restart=on-failure", "StateDirectory=runnel");
    }

    /**
     * systemd-analyze verify, where installed, on copies of the units whose ExecStart runs the extracted launcher (the
     * originals name /opt/runnel, which is not here) and whose User= is this one (runnel need not exist here).
     */
    @Test
    void systemdAcceptsTheUnits() throws Exception {
        Path analyze = which("systemd-analyze");
        assumeThat(analyze).as("systemd-analyze installed").isNotNull();
        Path units = extracted.resolve("units");
        Files.createDirectories(units);
        List<String> command = new ArrayList<>(List.of(analyze.toString(), "verify", "--man=no"));
        for (String unit : List.of("runnel-agent.service", "runnel-backend.service")) {
            String text = Files.readString(home.resolve("systemd").resolve(unit))
                    .replace("/opt/runnel/bin/runnel", home.resolve("bin/runnel").toString())
                    .replace("User=runnel", "User=root").replace("Group=runnel", "Group=root");
            Files.writeString(units.resolve(unit), text);
            command.add(units.resolve(unit).toString());
        }
        Run r = run(command, Map.of(), 60);
        // Only complaints about these units count: in a container, verify also reports on the host's own units.
        List<String> about = r.err().lines().filter(l -> l.contains("runnel-")).toList();
        assertThat(about).as(r.err()).isEmpty();
    }

    private static Run runnel(Map<String, String> env, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("/bin/sh", home.resolve("bin/runnel").toString()));
        command.addAll(List.of(args));
        Map<String, String> environment = new HashMap<>();
        environment.put("JAVA_HOME", JAVA_HOME.toString());
        environment.put("PATH", "/usr/bin:/bin"); // no Maven, no wrapper
        environment.put("RUNNEL_REBUILD", null);
        // no class data sharing but in the test of it: a later start would write an archive in the background, into a
        // directory the test may be deleting; and none in the user's ~/.cache
        environment.put("RUNNEL_CDS", "off");
        environment.put("XDG_CACHE_HOME", extracted.resolve("cache").toString());
        environment.put("CACHE_DIRECTORY", null);
        environment.putAll(env);
        return run(command, environment, 180);
    }

    private static Run run(List<String> command, Map<String, String> env, int timeoutSeconds) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).directory(extracted.toFile());
        env.forEach((k, v) -> {
            if (v == null) {
                pb.environment().remove(k);
            } else {
                pb.environment().put(k, v);
            }
        });
        Process p = pb.start();
        try {
            CompletableFuture<String> out = read(p.getInputStream());
            CompletableFuture<String> err = read(p.getErrorStream());
            assertThat(p.waitFor(timeoutSeconds, TimeUnit.SECONDS)).as(String.join(" ", command)).isTrue();
            return new Run(p.exitValue(), out.get(10, TimeUnit.SECONDS), err.get(10, TimeUnit.SECONDS));
        } finally {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
    }

    private static CompletableFuture<String> read(java.io.InputStream in) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "";
            }
        });
    }

    private static Path which(String tool) {
        for (String dir : List.of("/usr/bin", "/bin", "/usr/local/bin")) {
            Path p = Path.of(dir, tool);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }
}
